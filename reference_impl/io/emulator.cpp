// The emulator's event loop: serial bytes, timers and socket results in; engine actions carried out.
#include "io/emulator.h"

#include <stdexcept>

#include "core/common/printable.h"

namespace qftp::io {
namespace asio = boost::asio;

Emulator::Emulator(asio::io_context& io, SerialPort& serial, modem::ModemEngine& engine,
                   const std::optional<std::string>& log_path)
    : serial_(serial),
      engine_(engine),
      sockets_(io, sim_, [this] { return now(); }, [this](modem::Event e) { feed(std::move(e)); }),
      wakeup_(io),
      origin_(std::chrono::steady_clock::now()) {
  if (log_path) {
    log_ = std::make_unique<std::ofstream>(*log_path, std::ios::app);
    if (!*log_) throw std::runtime_error("cannot open log file " + *log_path);
  }
}

TimeMs Emulator::now() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - origin_)
      .count();
}

void Emulator::start(std::function<void()> on_host_end) {
  // Ruling 15: the end of a host's link is its DTR drop.
  serial_.on_hangup([this] {
    log("TE", "hang-up");
    feed(modem::HostHangup{now()});
  });
  serial_.start(
      [this](std::string bytes) {
        log("TE>", bytes);
        feed(modem::SerialBytes{now(), std::move(bytes)});
      },
      [this, on_host_end = std::move(on_host_end)] {
        log("TE", "end of input");
        if (on_host_end) on_host_end();
      });
}

void Emulator::feed(modem::Event event) {
  if (log_) {
    if (const auto* d = std::get_if<modem::SocketData>(&event)) {
      log(d->sock == ftp::Sock::control ? "FTP<" : "DATA<",
          d->sock == ftp::Sock::control ? d->bytes : std::to_string(d->bytes.size()) + " bytes");
    } else if (const auto* c = std::get_if<modem::SocketClosed>(&event)) {
      log("NET", std::string(c->sock == ftp::Sock::control ? "control" : "data") + " closed (" +
                     std::to_string(static_cast<int>(c->why)) + ")");
    }
  }
  engine_.handle(event);
  apply();
}

void Emulator::apply() {
  std::vector<modem::Action> actions;  // local: executing an action may feed the engine again
  engine_.take_actions(actions);
  for (auto& action : actions) {
    if (auto* w = std::get_if<modem::SerialWrite>(&action)) {
      log("TA<", w->bytes);
      serial_.write(std::move(w->bytes));
    } else if (const auto* a = std::get_if<modem::ArmTimer>(&action)) {
      wakeup_.expires_at(origin_ + std::chrono::milliseconds(a->at));
      wakeup_.async_wait([this](boost::system::error_code ec) {
        if (!ec) feed(modem::TimerFired{now()});
      });
    } else if (std::holds_alternative<modem::CancelTimer>(action)) {
      wakeup_.cancel();
    } else if (const auto* op = std::get_if<modem::SocketOp>(&action)) {
      if (log_) {
        if (const auto* send = std::get_if<ftp::OpSend>(&op->op)) {
          log(send->sock == ftp::Sock::control ? "FTP>" : "DATA>",
              send->sock == ftp::Sock::control ? send->bytes : std::to_string(send->bytes.size()) + " bytes");
        }
      }
      sockets_.execute(op->op);
    }
    // SetFlowControl: none of qftp-emu's transports (pty, TCP, stdio) has RTS/CTS lines; the
    // setting is kept by the engine and reported by AT+IFC?.
  }
}

void Emulator::log(std::string_view direction, std::string_view bytes) {
  if (!log_) return;
  *log_ << now() << ' ' << direction << ' ' << printable(bytes) << '\n';
  log_->flush();
}

}  // namespace qftp::io
