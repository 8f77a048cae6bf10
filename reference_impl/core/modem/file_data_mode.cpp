// The FILE commands' data mode (docs/field-facts.md §6, ruling 17), behind the profile switch
// file_commands: AT+QFWRITE and AT+QFUPL take the host's bytes into a file until their length,
// <timeout> seconds without a byte, or the escape; AT+QFREAD and AT+QFDWL send a file's bytes at
// the UART's rate (AT+IPR), so that the escape can end them too. Every byte passes the escape
// detector of ruling 6, as in an FTP transfer's data mode.
#include <algorithm>
#include <string>

#include "core/modem/command_params.h"
#include "core/modem/file_errors.h"
#include "core/modem/modem_engine.h"

namespace qftp::modem {
namespace {

using at::Command;
using at::Form;
using namespace params;  // NOLINT: the handlers' shared checks and limits

constexpr std::int64_t kUploadDefault = 10240;   // AT+QFUPL's <size>
constexpr std::int64_t kTimeoutDefault = 5;      // AT+QFWRITE's and AT+QFUPL's <timeout>, s
constexpr std::int64_t kTimeoutMax = 65535;
constexpr std::uint64_t kAckEvery = 1024;        // AT+QFUPL <ackmode> 1
constexpr std::size_t kChunk = 1024;             // output: bytes per UART burst

// The time the UART needs for a chunk: ten bits a byte at AT+IPR's rate (115200 when automatic).
TimeMs chunk_time(long ipr) {
  const long rate = ipr > 0 ? ipr : 115200;
  return std::max<TimeMs>(1, static_cast<TimeMs>(kChunk * 10 * 1000 / static_cast<unsigned long>(rate)));
}

}  // namespace

// Ruling 17: the UART is promised to an FTP transfer through /COM/ that waits for its data
// connection; a FILE command that would take it answers ERROR.
bool ModemEngine::uart_promised() const { return transfer_ && transfer_->local.store == nullptr; }

// F/FILE.QFWRITE: CONNECT, up to <length> bytes written at the handle's position (none given:
// until the escape or <timeout>), then +QFWRITE: <written>,<file size> and OK.
ModemEngine::Reply ModemEngine::cmd_qfwrite(TimeMs t, const Command& c) {
  if (c.form == Form::test) return Reply::ok;
  OpenFile* f = c.form == Form::write ? handle_param(c) : nullptr;
  const auto length = c.params.size() > 1 ? number_param(c, 1, 1, kFileSizeMax)
                                          : std::optional<std::int64_t>(kFileSizeMax);
  const auto timeout = c.params.size() > 2 ? number_param(c, 2, 1, kTimeoutMax)
                                           : std::optional<std::int64_t>(kTimeoutDefault);
  if (f == nullptr || c.params.size() > 3 || !length || !timeout) return cme(cme::invalid_input);
  if (uart_promised()) return Reply::error;
  if (f->mode == 2) return cme(cme::write_failed);  // opened read-only
  const auto size = f->file.store->size(f->file.name);
  if (const auto* e = std::get_if<StoreError>(&size)) return cme(cme_of_store(*e));
  const std::uint64_t end = std::get<std::uint64_t>(size);
  FileIo io;
  io.command = "+QFWRITE";
  io.file = f->file;
  io.handle = *c.params[0].value;
  io.want = static_cast<std::uint64_t>(*length);
  io.idle_ms = *timeout * 1000;
  if (defects_.has(Defect::qfwrite_appends)) f->position = end;  // the defect: the position ignored
  if (f->length_cap) io.room = *f->length_cap - std::min(*f->length_cap, f->position);  // F/37
  if (f->position < end) {
    const auto tail = f->file.store->read(f->file.name, f->position, end - f->position);
    if (const auto* e = std::get_if<StoreError>(&tail)) return cme(cme_of_store(*e));
    io.tail = std::get<std::string>(tail);
  }
  const auto cut = f->file.store->begin_write(f->file.name, std::min(f->position, end));
  if (std::holds_alternative<StoreError>(cut)) return cme(cme::write_failed);
  io.skip_lf = line_end_ == static_cast<char>(at_.s3);
  io.deadline = t + io.idle_ms;
  file_io_ = std::move(io);
  write(at::format_final(at::Final::connect, format()));
  mode_ = Mode::file_in;
  escape_.start(t);
  return Reply::none;
}

// F/FILE.QFUPL: a new file from <size> bytes (10240 by default), the escape or <timeout> s of no
// input; ACK mode 1 sends "A" after every 1024 bytes. Then +QFUPL: <bytes>,<checksum> and OK.
ModemEngine::Reply ModemEngine::cmd_qfupl(TimeMs t, const Command& c) {
  if (c.form == Form::test) return Reply::ok;
  const auto* given = string_param(c, 0, kFileNameMax);
  const auto size = c.params.size() > 1 ? number_param(c, 1, 1, kFileSizeMax)
                                        : std::optional<std::int64_t>(kUploadDefault);
  const auto timeout = c.params.size() > 2 ? number_param(c, 2, 1, kTimeoutMax)
                                           : std::optional<std::int64_t>(kTimeoutDefault);
  const auto ack = c.params.size() > 3 ? number_param(c, 3, 0, 1) : std::optional<std::int64_t>(0);
  if (c.form != Form::write || c.params.size() > 4 || given == nullptr || !size || !timeout || !ack) {
    return cme(cme::invalid_input);
  }
  const auto file = file_name(*given);
  if (!file || file->name == "*") return cme(cme::invalid_name);
  if (uart_promised()) return Reply::error;
  if (std::holds_alternative<std::uint64_t>(file->store->size(file->name))) return cme(cme::exists);
  const auto made = file->store->begin_write(file->name, 0);
  if (std::holds_alternative<StoreError>(made)) return cme(cme::create_failed);
  FileIo io;
  io.command = "+QFUPL";
  io.file = *file;
  io.want = static_cast<std::uint64_t>(*size);
  io.idle_ms = *timeout * 1000;
  io.ack = *ack == 1;
  io.skip_lf = line_end_ == static_cast<char>(at_.s3);
  io.deadline = t + io.idle_ms;
  file_io_ = std::move(io);
  write(at::format_final(at::Final::connect, format()));
  mode_ = Mode::file_in;
  escape_.start(t);
  return Reply::none;
}

// Data for AT+QFWRITE or AT+QFUPL: stored up to what is still wanted; the bytes past it are
// command-mode input again, as after an upload's <fileSz> (ruling 5).
void ModemEngine::file_take(TimeMs t, std::string_view data) {
  if (!file_io_ || mode_ != Mode::file_in || data.empty()) return;
  FileIo& io = *file_io_;
  if (io.skip_lf && io.moved == 0 && data.front() == '\n') data.remove_prefix(1);
  io.skip_lf = false;
  if (data.empty()) return;
  io.deadline = t + io.idle_ms;
  const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(io.want, data.size()));
  // F/37: what a capped RAM file has no room for is taken from the host and discarded.
  const std::string_view chunk =
      data.substr(0, static_cast<std::size_t>(std::min<std::uint64_t>(io.room, take)));
  if (!io.error) {
    const auto appended = io.file.store->append(io.file.name, chunk);
    if (const auto* e = std::get_if<StoreError>(&appended)) io.error = cme_of_store(*e);
  }
  if (io.ack) {
    for (std::uint64_t k = (io.moved / kAckEvery + 1) * kAckEvery; k <= io.moved + take; k += kAckEvery) {
      write("A");
    }
  }
  io.moved += chunk.size();
  io.room -= chunk.size();
  io.want -= take;
  if (!io.error) io.sum.add(chunk);
  if (io.want > 0) return;
  handed_back_.append(data.substr(take));
  end_file_io(false);
}

// F/FILE.QFREAD, F/FILE.QFDWL: the CONNECT line, then the bytes a chunk at a time.
ModemEngine::Reply ModemEngine::start_file_output(TimeMs t, FileIo io, std::string connect_line) {
  if (uart_promised()) return Reply::error;
  write(at::format_final(connect_line, at::Final::connect, format()));
  file_io_ = std::move(io);
  mode_ = Mode::file_out;
  escape_.start(t);
  file_send_chunk(t);
  return Reply::none;
}

void ModemEngine::file_send_chunk(TimeMs t) {
  if (!file_io_ || mode_ != Mode::file_out) return;
  FileIo& io = *file_io_;
  const std::size_t n = std::min(kChunk, io.out.size());
  const std::string_view chunk = std::string_view(io.out).substr(0, n);
  write(std::string(chunk));
  io.sum.add(chunk);
  io.moved += n;
  io.out.erase(0, n);
  if (io.out.empty()) return end_file_io(false);
  io.deadline = t + chunk_time(at_.ipr);
}

// The end of the FILE command's data mode: its length or the last byte sent, its <timeout>, the
// escape (ruling 17: what moved before it stays, and the command ends as at its natural end with
// the count actually moved), or the host's hang-up (quiet: nobody reads the result).
void ModemEngine::end_file_io(bool escaped, bool quiet) {
  if (!file_io_) return;
  FileIo io = std::move(*file_io_);
  file_io_.reset();
  std::string held;
  escape_.flush(held);
  if (!escaped && mode_ == Mode::file_in) {
    // Bytes the escape detector held arrived before the end: data, as far as still wanted.
    const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(io.want, held.size()));
    const auto kept = static_cast<std::size_t>(std::min<std::uint64_t>(io.room, take));  // F/37
    if (kept > 0 && !io.error) {
      const auto appended = io.file.store->append(io.file.name, std::string_view(held).substr(0, kept));
      if (const auto* e = std::get_if<StoreError>(&appended)) io.error = cme_of_store(*e);
      io.sum.add(std::string_view(held).substr(0, kept));
    }
    io.moved += kept;
    handed_back_.append(held.substr(take));
  } else if (mode_ == Mode::file_out) {
    // F/22: what the host typed while the bytes went out is the next command line.
    handed_back_ += io.typed_ahead + held;
  }
  mode_ = Mode::command;
  if (io.command == "+QFWRITE" && !io.tail.empty()) {
    const std::size_t kept = static_cast<std::size_t>(std::min<std::uint64_t>(io.moved, io.tail.size()));
    if (kept < io.tail.size() && !io.error) {
      const auto appended = io.file.store->append(io.file.name, std::string_view(io.tail).substr(kept));
      if (const auto* e = std::get_if<StoreError>(&appended)) io.error = cme_of_store(*e);
    }
  }
  if (io.command == "+QFWRITE" || io.command == "+QFREAD") {
    if (auto it = open_files_.find(io.handle); it != open_files_.end()) it->second.position += io.moved;
  }
  if (!quiet) {
    if (io.error) {
      final_result(cme(*io.error));
    } else if (io.command == "+QFWRITE") {
      const auto size = io.file.store->size(io.file.name);
      const std::uint64_t now = std::holds_alternative<std::uint64_t>(size) ? std::get<std::uint64_t>(size) : 0;
      info("+QFWRITE: " + std::to_string(io.moved) + "," + std::to_string(now));
      final_result(Reply::ok);
    } else if (io.command == "+QFUPL" || io.command == "+QFDWL") {
      info(std::string(io.command) + ": " + std::to_string(io.moved) + "," + io.sum.hex());
      final_result(Reply::ok);
    } else {
      final_result(Reply::ok);
    }
  }
  for (const auto& text : held_urcs_) write_urc(text);
  held_urcs_.clear();
}

// Timers in the FILE commands' data mode: the escape's guard, the input's <timeout>, the next
// chunk of output.
void ModemEngine::on_file_tick(TimeMs t) {
  std::string data;
  const bool escaped = escape_.advance(t, data);
  file_take(t, data);
  if (escaped && mode_ != Mode::command) return end_file_io(true);
  if (!file_io_ || t < file_io_->deadline) return;
  if (mode_ == Mode::file_in) {
    end_file_io(false);  // F/FILE.QFWRITE, F/FILE.QFUPL: <timeout> s with no byte
  } else if (mode_ == Mode::file_out) {
    file_send_chunk(t);
  }
}

}  // namespace qftp::modem
