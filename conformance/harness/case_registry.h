// case_registry.h: which requirement IDs each conformance case checks, registered at static
// initialisation by QFTP_CASE so that selection (--requirement) and the coverage check need no run.
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

namespace qftp::harness {

struct CaseTag {
  std::string suite;
  std::string name;
  std::vector<std::string> requirements;
  std::string file;
  int line = 0;

  std::string full_name() const { return suite + "." + name; }
  // Selected by --requirement IDs ("2.2.1/*" a section); an empty selection selects every case.
  template <class Set>
  bool selected_by(const Set& wanted) const {
    if (wanted.empty()) return true;
    for (const auto& id : requirements) {
      for (const auto& w : wanted) {
        if (w == id) return true;
        if (!w.empty() && w.back() == '*' && id.compare(0, w.size() - 1, w, 0, w.size() - 1) == 0)
          return true;
      }
    }
    return false;
  }
};

class CaseRegistry {
 public:
  static CaseRegistry& instance();
  void add(CaseTag tag);
  const std::vector<CaseTag>& all() const { return tags_; }
  const CaseTag* find(const std::string& suite, const std::string& name) const;

 private:
  std::vector<CaseTag> tags_;
};

struct CaseRegistrar {
  CaseRegistrar(const char* suite, const char* name,
                std::initializer_list<const char*> requirements, const char* file, int line);
};

}  // namespace qftp::harness
