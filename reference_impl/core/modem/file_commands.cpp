// The FILE commands of the GSM FILE AT Commands Manual V1.5 (docs/field-facts.md §6), behind the
// profile switch file_commands (ruling 13): files on UFS (a bare name), RAM ("RAM:name") and SD
// ("SD:name"), in the same stores as the FTP positions /UFS/, /RAM/ and /SD/, so a download into
// /RAM/ is read back as "RAM:<name>". Failures are Reply::cme: +CME ERROR under AT+CMEE 1 or 2
// (cme_errors), ERROR otherwise. Information lines are "+QFxxx: " with one blank.
#include <algorithm>
#include <cstdio>
#include <string>

#include "core/modem/command_params.h"
#include "core/modem/file_errors.h"
#include "core/modem/modem_engine.h"

namespace qftp::modem {
namespace {

using at::Command;
using at::Form;
using namespace params;  // NOLINT: the handlers' shared checks and limits

constexpr std::int64_t kRamLengthDefault = 10240;  // AT+QFOPEN's <length>
constexpr std::int64_t kReadMax = 10240;        // AT+QFREAD's <length> at most (and by default)

}  // namespace

std::optional<ModemEngine::Reply> ModemEngine::file_command(TimeMs t, const Command& c) {
  if (!profile_.file_commands || c.name.rfind("+QF", 0) != 0 || c.name.rfind("+QFTP", 0) == 0) {
    return std::nullopt;
  }
  file_line_ran_ = true;
  const std::string_view n = c.name;
  if (n == "+QFLST") return cmd_qflst(c);
  if (n == "+QFLDS") return cmd_qflds(c);
  if (n == "+QFDEL") return cmd_qfdel(c);
  if (n == "+QFOPEN") return cmd_qfopen(c);
  if (n == "+QFREAD") return cmd_qfread(t, c);
  if (n == "+QFWRITE") return cmd_qfwrite(t, c);
  if (n == "+QFUPL") return cmd_qfupl(t, c);
  if (n == "+QFMOV") return cmd_qfmov(c);
  if (n == "+QFSEEK") return cmd_qfseek(c);
  if (n == "+QFDWL") return cmd_qfdwl(t, c);
  if (n == "+QFPOSITION" || n == "+QFCLOSE" || n == "+QFFLUSH" || n == "+QFTUCAT") return cmd_handle(c);
  return std::nullopt;
}

ModemEngine::Reply ModemEngine::cme(int code) {
  cme_code_ = code;
  return Reply::cme;
}

// F/FILE.NAMES: "RAM:" and "SD:" where the device has them, a bare name on UFS; "*" matches all.
std::optional<ModemEngine::FileName> ModemEngine::file_name(std::string_view text) const {
  FileName out;
  if (text.substr(0, 4) == "RAM:") {
    if (!profile_.has_ram || stores_.ram == nullptr) return std::nullopt;
    out = {stores_.ram, "RAM:", std::string(text.substr(4))};
  } else if (text.substr(0, 3) == "SD:") {
    if (!profile_.has_sd || stores_.sd == nullptr) return std::nullopt;
    out = {stores_.sd, "SD:", std::string(text.substr(3))};
  } else {
    if (!profile_.has_ufs || stores_.ufs == nullptr) return std::nullopt;
    out = {stores_.ufs, "", std::string(text)};
  }
  if (out.name != "*" && !valid_local_name(out.name)) return std::nullopt;
  return out;
}

// F/FILE.QFLST: one line per file, RAM files with their allocation; just OK when none.
ModemEngine::Reply ModemEngine::cmd_qflst(const Command& c) {
  if (c.form == Form::test) return Reply::ok;
  std::string pattern = "*";
  if (c.form == Form::write) {
    const auto* given = string_param(c, 0, kFileNameMax);
    if (c.params.size() != 1 || given == nullptr) return cme(cme::invalid_input);
    pattern = *given;
  } else if (c.form != Form::execute) {
    return cme(cme::invalid_input);
  }
  const auto file = file_name(pattern);
  if (!file) return cme(cme::invalid_name);
  bool any = false;
  for (const auto& [name, size] : file->store->list()) {
    if (file->name != "*" && file->name != name) continue;
    std::string line = "+QFLST: \"" + file->prefix + name + "\"," + std::to_string(size);
    if (file->prefix == "RAM:") line += "," + std::to_string(profile_.ram_file_size);
    info(line);
    any = true;
  }
  if (!any && file->name != "*") return cme(cme::not_found);
  return Reply::ok;
}

// F/FILE.QFLDS: UFS use and count; or a drive's free and total bytes (RAM: and its largest file).
ModemEngine::Reply ModemEngine::cmd_qflds(const Command& c) {
  if (c.form == Form::test) return Reply::ok;
  auto totals = [](const LocalStore& store) {
    std::uint64_t used = 0;
    std::uint64_t count = 0;
    for (const auto& entry : store.list()) {
      used += entry.second;
      ++count;
    }
    return std::pair{used, count};
  };
  if (c.form == Form::execute) {
    if (!profile_.has_ufs || stores_.ufs == nullptr) return cme(cme::invalid_input);
    const auto [used, count] = totals(*stores_.ufs);
    info("+QFLDS: " + std::to_string(used) + "," + std::to_string(count));
    return Reply::ok;
  }
  const auto* drive = string_param(c, 0, 3);
  if (c.form != Form::write || c.params.size() != 1 || drive == nullptr) return cme(cme::invalid_input);
  LocalStore* store = nullptr;
  std::uint64_t total = 0;
  if (*drive == "UFS" && profile_.has_ufs) store = stores_.ufs, total = profile_.ufs_capacity;
  if (*drive == "RAM" && profile_.has_ram) store = stores_.ram, total = profile_.ram_capacity();
  if (*drive == "SD" && profile_.has_sd) store = stores_.sd, total = profile_.ufs_capacity;
  if (store == nullptr) return cme(cme::invalid_input);
  const std::uint64_t used = std::min(total, totals(*store).first);
  std::string line = "+QFLDS: " + std::to_string(total - used) + "," + std::to_string(total);
  if (*drive == "RAM") line += "," + std::to_string(std::min(total - used, profile_.ram_file_size));
  info(line);
  return Reply::ok;
}

// F/FILE.QFDEL: a name or a drive's "*".
ModemEngine::Reply ModemEngine::cmd_qfdel(const Command& c) {
  if (c.form == Form::test) return Reply::ok;
  const auto* given = string_param(c, 0, kFileNameMax);
  if (c.form != Form::write || c.params.size() != 1 || given == nullptr) return cme(cme::invalid_input);
  const auto file = file_name(*given);
  if (!file) return cme(cme::invalid_name);
  if (file->name == "*") {
    for (const auto& entry : file->store->list()) file->store->remove(entry.first);
    return Reply::ok;
  }
  const auto removed = file->store->remove(file->name);
  if (const auto* e = std::get_if<StoreError>(&removed)) return cme(cme_of_store(*e));
  return Reply::ok;
}

// F/FILE.QFOPEN: mode 0 opens or creates, 1 creates or empties, 2 opens an existing file to read;
// a RAM file it creates takes at most <length> bytes through the handle (F/37).
ModemEngine::Reply ModemEngine::cmd_qfopen(const Command& c) {
  if (c.form == Form::test) return Reply::ok;
  if (c.form == Form::read) {
    for (const auto& [handle, f] : open_files_) {
      info("+QFOPEN: \"" + f.file.prefix + f.file.name + "\"," + std::to_string(handle) + "," +
           std::to_string(f.mode));
    }
    return Reply::ok;
  }
  const auto* given = string_param(c, 0, kFileNameMax);
  const auto mode = c.params.size() > 1 ? number_param(c, 1, 0, 2) : std::optional<std::int64_t>(0);
  const auto length = c.params.size() > 2 ? number_param(c, 2, 1, kFileSizeMax)
                                          : std::optional<std::int64_t>(kRamLengthDefault);
  if (c.form != Form::write || c.params.size() > 3 || given == nullptr || !mode || !length) {
    return cme(cme::invalid_input);
  }
  const auto file = file_name(*given);
  if (!file || file->name == "*") return cme(cme::invalid_name);
  const auto size = file->store->size(file->name);
  const bool exists = std::holds_alternative<std::uint64_t>(size);
  if (*mode == 2 && !exists) return cme(cme::not_found);
  if (*mode == 1 || !exists) {
    const auto made = file->store->begin_write(file->name, 0);
    if (std::holds_alternative<StoreError>(made)) return cme(cme::create_failed);
  }
  const std::int64_t handle = next_handle_++;
  open_files_[handle] = OpenFile{*file, static_cast<int>(*mode), 0, std::nullopt};
  if ((*mode == 1 || !exists) && file->store == stores_.ram) {
    // F/37 (docs/field-facts.md §6, ruling 17): <length> caps a RAM file the open creates.
    open_files_[handle].length_cap = static_cast<std::uint64_t>(*length);
  }
  info("+QFOPEN: " + std::to_string(handle));
  return Reply::ok;
}

ModemEngine::OpenFile* ModemEngine::handle_param(const Command& c) {
  if (c.params.empty() || !c.params[0].is_number() || !c.params[0].value) return nullptr;
  const auto it = open_files_.find(*c.params[0].value);
  return it == open_files_.end() ? nullptr : &it->second;
}

// F/FILE.QFREAD: CONNECT <n> with the count read (less than asked at the end), the bytes, OK; the
// bytes go out at the UART's rate and the escape ends them (file_data_mode.cpp, ruling 17).
ModemEngine::Reply ModemEngine::cmd_qfread(TimeMs t, const Command& c) {
  if (c.form == Form::test) return Reply::ok;
  OpenFile* f = c.form == Form::write ? handle_param(c) : nullptr;
  const auto length = c.params.size() > 1 ? number_param(c, 1, 1, kReadMax)
                                          : std::optional<std::int64_t>(kReadMax);
  if (f == nullptr || c.params.size() > 2 || !length) return cme(cme::invalid_input);
  auto bytes = f->file.store->read(f->file.name, f->position, static_cast<std::uint64_t>(*length));
  if (const auto* e = std::get_if<StoreError>(&bytes)) return cme(cme_of_store(*e));
  FileIo io;
  io.command = "+QFREAD";
  io.file = f->file;
  io.handle = *c.params[0].value;
  io.out = std::move(std::get<std::string>(bytes));
  const std::string connect = "CONNECT " + std::to_string(io.out.size());
  return start_file_output(t, std::move(io), connect);
}

// F/FILE.QFSEEK: from the start (0, default), the current position (1) or the end (2); not past
// the end of the file.
ModemEngine::Reply ModemEngine::cmd_qfseek(const Command& c) {
  if (c.form == Form::test) return Reply::ok;
  OpenFile* f = c.form == Form::write ? handle_param(c) : nullptr;
  const auto offset = number_param(c, 1, 0, kFileSizeMax);
  const auto from = c.params.size() > 2 ? number_param(c, 2, 0, 2) : std::optional<std::int64_t>(0);
  if (f == nullptr || c.params.size() > 3 || !offset || !from) return cme(cme::invalid_input);
  const auto size = f->file.store->size(f->file.name);
  if (const auto* e = std::get_if<StoreError>(&size)) return cme(cme_of_store(*e));
  const std::uint64_t end = std::get<std::uint64_t>(size);
  const std::uint64_t base = *from == 0 ? 0 : *from == 1 ? f->position : end;
  const std::uint64_t target = base + static_cast<std::uint64_t>(*offset);
  if (target > end) return cme(cme::invalid_input);
  f->position = target;
  return Reply::ok;
}

// F/FILE.HANDLES: AT+QFPOSITION, AT+QFCLOSE, AT+QFFLUSH and AT+QFTUCAT take an open handle.
ModemEngine::Reply ModemEngine::cmd_handle(const Command& c) {
  if (c.form == Form::test) return Reply::ok;
  OpenFile* f = c.form == Form::write && c.params.size() == 1 ? handle_param(c) : nullptr;
  if (f == nullptr) return cme(cme::invalid_input);
  const std::string_view n = c.name;
  if (n == "+QFPOSITION") {
    info("+QFPOSITION: " + std::to_string(f->position));
  } else if (n == "+QFCLOSE") {
    open_files_.erase(*c.params[0].value);
  } else if (n == "+QFTUCAT") {
    if (f->mode == 2) return cme(cme::write_failed);
    const auto cut = f->file.store->begin_write(f->file.name, f->position);
    if (std::holds_alternative<StoreError>(cut)) return cme(cme::write_failed);
  }
  return Reply::ok;
}

// F/FILE.QFDWL: CONNECT, the file's bytes, +QFDWL: <bytes>,<checksum>, OK; the escape ends it
// with the count and checksum of what was sent (ruling 17).
ModemEngine::Reply ModemEngine::cmd_qfdwl(TimeMs t, const Command& c) {
  if (c.form == Form::test) return Reply::ok;
  const auto* given = string_param(c, 0, kFileNameMax);
  if (c.form != Form::write || c.params.size() != 1 || given == nullptr) return cme(cme::invalid_input);
  const auto file = file_name(*given);
  if (!file || file->name == "*") return cme(cme::invalid_name);
  const auto size = file->store->size(file->name);
  if (const auto* e = std::get_if<StoreError>(&size)) return cme(cme_of_store(*e));
  auto bytes = file->store->read(file->name, 0, std::get<std::uint64_t>(size));
  if (const auto* e = std::get_if<StoreError>(&bytes)) return cme(cme_of_store(*e));
  FileIo io;
  io.command = "+QFDWL";
  io.file = *file;
  io.out = std::move(std::get<std::string>(bytes));
  return start_file_output(t, std::move(io), "CONNECT");
}

// F/FILE.QFMOV: copy (1) or move (0) a file to another name or drive; nothing moves into RAM; an
// existing destination is replaced only with <overwrite> 1, else "file exists".
ModemEngine::Reply ModemEngine::cmd_qfmov(const Command& c) {
  if (c.form == Form::test) return Reply::ok;
  const auto* from = string_param(c, 0, kFileNameMax);
  const auto* to = string_param(c, 1, kFileNameMax);
  const auto copy = number_param(c, 2, 0, 1);
  const auto overwrite = number_param(c, 3, 0, 1);
  if (c.form != Form::write || c.params.size() != 4 || from == nullptr || to == nullptr || !copy ||
      !overwrite) {
    return cme(cme::invalid_input);
  }
  const auto src = file_name(*from);
  const auto dst = file_name(*to);
  if (!src || !dst || src->name == "*" || dst->name == "*") return cme(cme::invalid_name);
  if (dst->prefix == "RAM:") return cme(cme::invalid_input);
  if (src->store == dst->store && src->name == dst->name) return cme(cme::exists);
  const auto size = src->store->size(src->name);
  if (const auto* e = std::get_if<StoreError>(&size)) return cme(cme_of_store(*e));
  if (std::holds_alternative<std::uint64_t>(dst->store->size(dst->name)) && *overwrite == 0) {
    return cme(cme::exists);
  }
  const auto bytes = src->store->read(src->name, 0, std::get<std::uint64_t>(size));
  if (const auto* e = std::get_if<StoreError>(&bytes)) return cme(cme_of_store(*e));
  const auto made = dst->store->begin_write(dst->name, 0);
  if (std::holds_alternative<StoreError>(made)) return cme(cme::create_failed);
  const auto written = dst->store->append(dst->name, std::get<std::string>(bytes));
  if (const auto* e = std::get_if<StoreError>(&written)) {
    dst->store->remove(dst->name);
    return cme(cme_of_store(*e));
  }
  if (*copy == 0) src->store->remove(src->name);
  return Reply::ok;
}

}  // namespace qftp::modem
