// case_registry.cpp: the static registry of case tags, filled by QFTP_CASE before main() runs and
// read by selection, the coverage check and the listener.
#include "harness/case_registry.h"

namespace qftp::harness {

CaseRegistry& CaseRegistry::instance() {
  static CaseRegistry registry;
  return registry;
}

void CaseRegistry::add(CaseTag tag) {
  tags_.push_back(std::move(tag));
}

const CaseTag* CaseRegistry::find(const std::string& suite, const std::string& name) const {
  for (const auto& tag : tags_) {
    if (tag.suite == suite && tag.name == name) return &tag;
  }
  return nullptr;
}

CaseRegistrar::CaseRegistrar(const char* suite, const char* name,
                             std::initializer_list<const char*> requirements, const char* file,
                             int line) {
  CaseTag tag{suite, name, {}, file, line};
  for (const char* id : requirements) tag.requirements.emplace_back(id);
  CaseRegistry::instance().add(std::move(tag));
}

}  // namespace qftp::harness
