// Transfers of spec 2.2.3/2.2.4: data mode through the UART (rulings 5 and 6), local storage
// (2.2.8 type 4), resume (ruling 8), and the FTP client's events turned into URCs (ruling 9).
#include <algorithm>
#include <utility>

#include "core/common/overloaded.h"
#include "core/modem/error_codes.h"
#include "core/modem/modem_engine.h"

namespace qftp::modem {
namespace {

// Ruling 9: -11 a missing local file, -12 one that cannot be read; a name that is no regular
// file (a directory, a FIFO, a device) cannot be read (-12), and a download cannot be written
// into it, which chapter 3 names no code for (-1).
int store_error_code(StoreError e, bool upload = true) {
  switch (e) {
    case StoreError::not_found: return err::not_found;
    case StoreError::unreadable: return err::unreadable;
    case StoreError::invalid_name: return err::illegal;
    case StoreError::full: return err::unknown;
    case StoreError::not_a_file: return upload ? err::unreadable : err::unknown;
  }
  return err::unknown;
}

}  // namespace

// 2.2.8 type 4 (R/12): "/COM/", "/UFS/", "/UFS/<name>", and "/SD/", "/RAM/" where the device has
// them. Without a name, the local file takes the remote <fileName>.
std::optional<int> ModemEngine::resolve_local(std::string_view position, const std::string& remote_name,
                                              LocalTarget& out) const {
  out = {};
  if (position == "/COM/") return std::nullopt;
  struct Root { std::string_view prefix; LocalStore* store; bool present; };
  const Root roots[] = {{"/UFS/", stores_.ufs, profile_.has_ufs},
                        {"/SD/", stores_.sd, profile_.has_sd},
                        {"/RAM/", stores_.ram, profile_.has_ram}};
  for (const auto& root : roots) {
    if (position.substr(0, root.prefix.size()) != root.prefix) continue;
    if (!root.present || root.store == nullptr) return err::illegal;
    const std::string name = position.size() > root.prefix.size()
                                 ? std::string(position.substr(root.prefix.size()))
                                 : remote_name;
    if (!valid_local_name(name)) return err::illegal;
    out = {root.store, name};
    return std::nullopt;
  }
  return err::illegal;
}

// The code of a store's failure to take a download: ruling 9, R/13 (a full store is -1 in V1.1);
// later firmware reports a /RAM/ that is full with -13 (out_of_memory_code, F/ERR.13).
int ModemEngine::store_error(const LocalTarget& local, StoreError e) const {
  if (e == StoreError::full && profile_.out_of_memory_code && local.store != nullptr &&
      local.store == stores_.ram) {
    return err::no_memory;
  }
  return store_error_code(e, false);
}

// 2.2.3 and 2.2.4 (R/5, R/8, R/10, R/11, R/18, R/33, R/34, R/35): the checks a transfer passes
// before the FTP client starts it. A transfer refused here still resets the resume point
// (ruling 11) and leaves AT+QFTPLEN at 0 (ruling 12). A listing (ruling 16, F/LIST.*) passes the
// same checks but neither resumes nor resets the point, and may name nothing.
void ModemEngine::start_transfer(TimeMs t, ftp::TransferParams::Direction direction,
                                 std::string remote_name, std::uint64_t file_size,
                                 TimeMs time_limit, std::uint64_t expected_size) {
  using Direction = ftp::TransferParams::Direction;
  const bool upload = direction == Direction::put;
  const bool listing = direction == Direction::list || direction == Direction::nlst;
  const std::string_view urc_name = upload                          ? "+QFTPPUT"
                                    : direction == Direction::get   ? "+QFTPGET"
                                    : direction == Direction::list  ? "+QFTPLIST"
                                                                    : "+QFTPNLST";
  const std::uint64_t rest = listing ? 0 : cfg_.resume_point;
  auto refuse = [&](int code) {
    if (!listing && !defects_.has(Defect::resume_not_reset)) cfg_.resume_point = 0;  // ruling 7, 11
    last_len_ = 0;                                                                   // ruling 12
    urc(urc_name, std::to_string(code));
  };
  const ServiceState s = state();
  if (s != ServiceState::opened) return refuse(no_session(s) ? err::unknown : err::busy);
  if (remote_name.empty() && !listing) return refuse(err::illegal);

  Transfer x;
  x.upload = upload;
  x.urc_name = urc_name;
  x.resume_point = rest;
  if (auto e = resolve_local(cfg_.position, remote_name, x.local)) return refuse(*e);
  if (x.local.store != nullptr) {
    LocalStore& store = *x.local.store;
    // F/GET.SIZE, F/ERR.13: an expected size that the /RAM/ cannot hold is refused at once.
    if (expected_size > profile_.ram_file_size && x.local.store == stores_.ram) {
      return refuse(store_error(x.local, StoreError::full));
    }
    const auto size = store.size(x.local.name);
    if (upload) {
      // 4.2.2 and 4.4.1: <fileSz> 0 means the whole file; a larger one is cut to the file.
      if (const auto* e = std::get_if<StoreError>(&size)) return refuse(store_error_code(*e));
      const auto have = std::get<std::uint64_t>(size);
      if (rest > have) return refuse(err::unreadable);
      std::uint64_t length = have - rest;
      if (file_size != 0) length = std::min(length, file_size);
      auto bytes = store.read(x.local.name, rest, length);
      if (const auto* e = std::get_if<StoreError>(&bytes)) return refuse(store_error_code(*e));
      x.payload = std::move(std::get<std::string>(bytes));
    } else if (rest > 0) {
      // Ruling 8 and R/35: resuming a download into a local file shorter than the point, or
      // into one that does not exist (it holds no bytes before the point either), is -12.
      const auto* have = std::get_if<std::uint64_t>(&size);
      if (have == nullptr || *have < rest) return refuse(err::unreadable);
    }
  } else if (upload) {
    x.file_size = file_size;
    x.time_limit = time_limit;
  }

  transfer_ = std::move(x);
  ftp::TransferParams params;
  params.direction = direction;
  params.remote_name = std::move(remote_name);
  params.binary = cfg_.binary && !listing;  // RFC 959: a listing is ASCII text
  params.passive = cfg_.passive || defects_.has(Defect::active_mode_ignored);
  params.rest_point = rest;
  ftp_.transfer(t, params);
}

// --- data mode -----------------------------------------------------------------------------------

// Data mode's share of the host's bytes (ruling 5, ruling 6): each byte passes the escape detector,
// which releases data in runs and holds what may be an escape. Released data goes on in runs, not
// byte by byte: a socket write per byte made a 1 MiB upload take half a minute. A run is handed on
// early where it reaches the upload's <fileSz> or before an escape, so what follows is treated
// exactly as if the bytes had been handed on one by one. Returns how many bytes it used: all of
// them, or those up to where data mode ended.
std::size_t ModemEngine::data_input(TimeMs t, std::string_view bytes) {
  std::string run;
  auto completes = [&] {
    if (mode_ == Mode::file_in) return file_io_ && run.size() >= file_io_->want;
    return mode_ == Mode::data_upload && transfer_ &&
           run.size() >= transfer_->file_size - transfer_->taken;
  };
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (escape_.advance(t, run)) {  // the guard time after "+++" has passed: the escape
      take_data(t, run);
      run.clear();
      if (mode_ != Mode::command) on_escape(t);
    }
    if (mode_ == Mode::command) return i;
    escape_.push(t, bytes[i], run);
    if (!run.empty() && completes()) {
      take_data(t, run);
      run.clear();
    }
    if (mode_ == Mode::command) return i + 1;
  }
  take_data(t, run);
  return bytes.size();
}

// Data from the host. An upload takes exactly <fileSz> bytes; what follows is command-mode input
// again (ruling 5). During a download the host has nothing to send but the escape.
void ModemEngine::take_data(TimeMs t, std::string_view data) {
  if (mode_ == Mode::file_in) return file_take(t, data);
  if (mode_ == Mode::file_out && file_io_) {
    file_io_->typed_ahead.append(data);
    return;
  }
  if (data.empty() || mode_ != Mode::data_upload || !transfer_) return;
  const std::uint64_t want = transfer_->file_size - transfer_->taken;
  const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(want, data.size()));
  std::string_view chunk = data.substr(0, take);
  std::string wrapped;  // the ring-wrap-stale defect: each 1024th byte is the one before it again
  if (defects_.has(Defect::ring_wrap_stale) && take != 0) {
    wrapped = std::string(chunk);
    for (std::uint64_t i = transfer_->taken; i < transfer_->taken + take; ++i) {
      const std::size_t at = static_cast<std::size_t>(i - transfer_->taken);
      if (i != 0 && i % 1024 == 0) wrapped[at] = at == 0 ? transfer_->last_taken : wrapped[at - 1];
    }
    transfer_->last_taken = wrapped.back();
    chunk = wrapped;
  }
  transfer_->taken += take;
  const bool complete = transfer_->taken == transfer_->file_size;
  std::string joined;  // the escape-drops-byte defect: the latest byte waits for the next
  if (defects_.has(Defect::escape_drops_byte)) {
    joined = std::exchange(transfer_->held_back, std::string()) + std::string(chunk);
    if (!complete && !joined.empty()) {
      transfer_->held_back = joined.substr(joined.size() - 1);
      joined.pop_back();
    }
    chunk = joined;
  }
  if (complete && defects_.has(Defect::put_lose_byte) && !chunk.empty()) chunk.remove_suffix(1);
  if (!transfer_->ended_early) ftp_.send_data(t, chunk);  // ruling 14: discarded otherwise
  if (!complete) return;
  handed_back_.append(data.substr(take));
  end_upload_input(t);
}

// The upload's input ended (all bytes, <time>, or the escape): the server gets what arrived, and
// the bytes the escape detector held go back to command mode after any already handed back.
void ModemEngine::end_upload_input(TimeMs t) {
  if (transfer_ && transfer_->ended_early) return end_discarding(t, false);
  if (transfer_ && !transfer_->held_back.empty()) {
    ftp_.send_data(t, std::exchange(transfer_->held_back, std::string()));
  }
  handed_back_ += leave_data_mode();
  ftp_.finish_upload(t);
}

// Ruling 14: data mode of an upload that had already ended is over (<fileSz>, <time> or the
// escape); the held result follows, after the escape's OK.
void ModemEngine::end_discarding(TimeMs /*t*/, bool escaped) {
  const Transfer x = std::move(*transfer_);
  transfer_.reset();
  std::string held;
  escape_.flush(held);  // held by the escape detector: data of the upload, discarded too
  mode_ = Mode::command;
  if (escaped) final_result(Reply::ok);
  for (const auto& text : held_urcs_) write_urc(text);
  held_urcs_.clear();
  urc("+QFTPPUT", *x.ended_early);
}

// Ruling 6 (R/6, R/6.2): OK, the transfer ends (an upload keeps what it received, a download is
// aborted) and the final URC reports what was actually transferred.
void ModemEngine::on_escape(TimeMs t) {
  if (mode_ == Mode::file_in || mode_ == Mode::file_out) return end_file_io(true);
  if (transfer_ && transfer_->ended_early) return end_discarding(t, true);
  const bool upload = mode_ == Mode::data_upload;
  handed_back_ += leave_data_mode();
  final_result(Reply::ok);
  if (transfer_) transfer_->escaped = true;
  if (upload) {
    ftp_.finish_upload(t);
  } else {
    ftp_.abort(t);
  }
}

// Ruling 15: the host's link ended, as DTR going off. The line it was typing is forgotten (and
// the line "A/" would repeat), and so is what data mode gave back to command mode: they were that
// host's. Under AT&D1 and AT&D2 data mode ends as the escape ends it (ruling 6) but with no OK, as
// nobody is there to read it: an upload keeps what arrived, bytes held as a possible escape
// included (they arrived before the end), a download is abandoned, and the final URC waits for
// the next host. AT&D0 ignores DTR: data mode goes on.
void ModemEngine::on_hangup(TimeMs t) {
  framer_ = at::LineFramer{};
  handed_back_.clear();
  if (mode_ == Mode::command || at_.dtr == 0) return;
  if (mode_ == Mode::file_in || mode_ == Mode::file_out) {
    end_file_io(false, true);
  } else if (transfer_ && transfer_->ended_early) {
    end_discarding(t, false);
  } else if (mode_ == Mode::data_upload) {
    std::string held;
    escape_.flush(held);
    take_data(t, held);
    if (mode_ == Mode::data_upload) {
      leave_data_mode();
      if (transfer_) transfer_->escaped = true;
      ftp_.finish_upload(t);
    }
  } else {
    leave_data_mode();
    if (transfer_) transfer_->escaped = true;
    ftp_.abort(t);
  }
  handed_back_.clear();
}

// Back to command mode: URCs held during data mode are delivered; bytes the escape detector held
// are returned to the caller (they are command-mode input now).
std::string ModemEngine::leave_data_mode() {
  std::string rest;
  escape_.flush(rest);
  mode_ = Mode::command;
  for (const auto& text : held_urcs_) write_urc(text);
  held_urcs_.clear();
  return rest;
}

void ModemEngine::on_tick(TimeMs t) {
  if (t >= ftp_.deadline()) ftp_.on_tick(t);
  if (mode_ == Mode::command) return;
  if (mode_ == Mode::file_in || mode_ == Mode::file_out) {
    on_file_tick(t);
    if (!handed_back_.empty()) on_serial(t, {});
    return;
  }
  std::string data;
  const bool escaped = escape_.advance(t, data);
  take_data(t, data);
  if (escaped && mode_ != Mode::command) on_escape(t);
  if (mode_ == Mode::data_upload && transfer_ && t >= transfer_->input_deadline) {
    // 2.2.3: <time> ran out. Held bytes arrived in time, so they are data.
    std::string held;
    escape_.flush(held);
    take_data(t, held);
    if (mode_ == Mode::data_upload) end_upload_input(t);
  }
  if (!handed_back_.empty()) on_serial(t, {});  // command-mode input data mode gave back
}

// --- the FTP client's side -----------------------------------------------------------------------

void ModemEngine::pump(TimeMs t) {
  // The event buffer is borrowed, not used in place: a pump within on_client_event gets its own.
  std::vector<ftp::ClientEvent> events = std::move(events_buf_);
  for (;;) {
    ftp_.take_ops([this](ftp::Op&& op) { actions_.emplace_back(SocketOp{std::move(op)}); });
    events.clear();
    ftp_.take_events([&events](ftp::ClientEvent&& e) { events.push_back(std::move(e)); });
    if (events.empty()) break;
    for (const auto& event : events) on_client_event(t, event);
  }
  events_buf_ = std::move(events);
}

int ModemEngine::code_for(const ftp::Failure& failure) const {
  if (failure.kind == ftp::FailKind::reply && defects_.has(Defect::reply_codes_unknown)) {
    return err::unknown;
  }
  return error_code(failure);
}

// The outcomes of what the commands started, as URCs (ruling 4, ruling 9, chapter 3).
void ModemEngine::on_client_event(TimeMs t, const ftp::ClientEvent& event) {
  std::visit(
      Overloaded{
          [&](const ftp::Opened&) {  // 2.2.1/04, 4.1/01
            session_seen_ = true;
            urc("+QFTPOPEN", defects_.has(Defect::open_result_one) ? "1" : "0");
          },
          [&](const ftp::OpenFailed& e) {  // 2.2.1/06, R/19: the state is as before
            urc("+QFTPOPEN", std::to_string(code_for(e.failure)));
          },
          [&](const ftp::CwdDone& e) {  // 2.2.5, R/27: a failed change keeps the path
            if (e.failure) {
              urc("+QFTPPATH", std::to_string(code_for(*e.failure)));
            } else {
              cfg_.path = e.path;
              urc("+QFTPPATH", "0");
            }
          },
          [&](const ftp::TransferReady&) { on_transfer_ready(t); },
          [&](const ftp::DataReceived& e) { on_download_data(t, e.bytes); },
          [&](const ftp::TransferDone& e) { finish_transfer(e); },
          [&](const ftp::Closed& e) {  // 2.2.2, R/26: after the aborted transfer's URC
            urc("+QFTPCLOSE", e.failure ? std::to_string(code_for(*e.failure)) : "0");
          },
          [&](const ftp::Unsolicited& e) {  // chapter 3, 4.5/02, R/25, R/29: +QFTPERROR
            urc("+QFTPERROR", std::to_string(code_for(e.failure)));
          },
          [&](const ftp::FileOpDone& e) { on_file_op_done(e); },
      },
      event);
}

// The data connection is open: data mode for /COM/ (ruling 5, R/28), the store's side otherwise.
void ModemEngine::on_transfer_ready(TimeMs t) {
  if (!transfer_) return;
  Transfer& x = *transfer_;
  if (x.local.store == nullptr) {
    // Ruling 5: CONNECT, then raw bytes.
    if (x.upload || !defects_.has(Defect::get_no_connect)) final_result(at::Final::connect);
    mode_ = x.upload ? Mode::data_upload : Mode::data_download;
    escape_.start(t);
    if (x.upload) {
      x.input_deadline = x.time_limit == kNever ? kNever : t + x.time_limit;
      if (x.file_size == 0) end_upload_input(t);
    }
    return;
  }
  if (x.upload) {
    ftp_.send_data(t, x.payload);
    x.payload.clear();
    ftp_.finish_upload(t);
    return;
  }
  const auto started = x.local.store->begin_write(x.local.name, x.resume_point);
  if (const auto* e = std::get_if<StoreError>(&started)) {
    x.local_error = store_error(x.local, *e);
    ftp_.abort(t);
  }
}

void ModemEngine::on_download_data(TimeMs t, std::string_view bytes) {
  if (!transfer_ || transfer_->upload) return;
  Transfer& x = *transfer_;
  if (x.local_error || x.escaped || (x.local.store == nullptr && mode_ != Mode::data_download)) {
    x.undelivered += bytes.size();
    return;
  }
  if (x.local.store == nullptr) {
    if (!x.first_data_seen && defects_.has(Defect::get_lose_byte) && !bytes.empty()) {
      bytes.remove_prefix(1);  // the defect: the first byte never reaches the host, nor the count
      x.undelivered = 1;
    }
    x.first_data_seen = true;
    write(std::string(bytes));
    return;
  }
  const auto appended = x.local.store->append(x.local.name, bytes);
  if (const auto* e = std::get_if<StoreError>(&appended)) {
    x.local_error = store_error(x.local, *e);  // R/13: a full store; F/ERR.13
    x.undelivered += bytes.size();
    ftp_.abort(t);
  }
}

// The transfer's final URC: its count (ruling 5, ruling 6), or its error (ruling 9); AT+QFTPLEN
// gives the same count whatever the outcome (2.2.10, ruling 12).
void ModemEngine::finish_transfer(const ftp::TransferDone& done) {
  if (!transfer_ || transfer_->ended_early) return;
  const bool host_still_sending = mode_ == Mode::data_upload;
  Transfer x = std::move(*transfer_);
  transfer_.reset();
  // Held bytes: dropped. A FILE command's data mode (a transfer into a store ending meanwhile) is
  // not this transfer's: its URC waits for it.
  if (mode_ == Mode::data_download) leave_data_mode();
  const std::uint64_t moved = done.bytes - x.undelivered;
  last_len_ = moved;
  escaped_last_ = x.escaped;
  std::string value;
  if (x.local_error) {
    value = std::to_string(*x.local_error);
  } else if (done.failure && !(x.escaped && done.failure->kind == ftp::FailKind::aborted)) {
    value = std::to_string(code_for(*done.failure));
  } else {
    value = std::to_string(moved);
  }
  const bool listing = x.urc_name == "+QFTPLIST" || x.urc_name == "+QFTPNLST";
  if (!listing && !defects_.has(Defect::resume_not_reset)) cfg_.resume_point = 0;  // ruling 7
  if (host_still_sending) {
    // Ruling 14 (R/41): the server or the network ended the upload before the host's <fileSz>
    // bytes were in. Data mode goes on until they are, or the escape or <time> ends it; the bytes
    // are discarded and never run as commands; then the result.
    x.ended_early = std::move(value);
    transfer_ = std::move(x);
    return;
  }
  urc(x.urc_name, value);
}

}  // namespace qftp::modem
