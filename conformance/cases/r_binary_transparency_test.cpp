// r_binary_transparency_test.cpp: R/31, data mode through /COM/ carries every byte value in both
// directions, with the sequences a modem or a link could take for something else (spec 2.2.3 and
// 2.2.4 with their notes; rulings 5 and 6).
#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

// Every byte value, forwards and backwards, then what must stay data: runs of '+' without guard
// times, a final URC, result codes and a command inside the file, telnet's IAC (0xFF: a ser2net
// port in telnet mode), NULs, XON and XOFF.
std::string binary_payload() {
  std::string out;
  for (int round = 0; round < 4; ++round) {
    for (int b = 0; b < 256; ++b) out += static_cast<char>(round % 2 == 0 ? b : 255 - b);
  }
  out += "+++" + std::string(10, '+');
  out += "\r\n+QFTPGET:1587\r\n\r\n+QFTPPUT:0\r\n\r\nOK\r\n\r\nNO CARRIER\r\nAT\r";
  out += std::string("\xff\xff\xff\xfb\x01\xff\xfa\x2c\x01\xff\xf0", 11);
  out += std::string("\x00\x00\x11\x13\x1a\x1b", 6);
  out += "+++";
  return out;
}

// Where two byte strings first differ, for a message a firmware engineer can act on.
std::string first_difference(const std::string& got, const std::string& sent) {
  std::size_t i = 0;
  while (i < got.size() && i < sent.size() && got[i] == sent[i]) ++i;
  const auto around = [i](const std::string& s) {
    const std::size_t from = i < 8 ? 0 : i - 8;
    return "\"" + printable(std::string_view(s).substr(from, 24)) + "\"";
  };
  return std::to_string(got.size()) + " bytes against " + std::to_string(sent.size()) +
         " sent; first difference at offset " + std::to_string(i) + ": got " + around(got) +
         ", sent " + around(sent);
}

using R_Binary = QftpCase;

QFTP_CASE(R_Binary, UploadThroughTheUartCarriesEveryByteValue, "R/31") {
  QFTP_SETUP(open_session());
  const std::string data = binary_payload();
  QFTP_TRY(auto f, put_com("binary-up.bin", data, 60));
  EXPECT_EQ(f.value, std::to_string(data.size())) << "+QFTPPUT counts the bytes the server got";
  QFTP_TRY(auto stored, read_server_file("binary-up.bin"));
  EXPECT_TRUE(stored == data) << "the server's file: " << first_difference(stored, data);
}

QFTP_CASE(R_Binary, DownloadThroughTheUartCarriesEveryByteValue, "R/31") {
  QFTP_SETUP(open_session());
  const std::string data = binary_payload();
  QFTP_DO(server_file("binary-down.bin", data));
  QFTP_TRY(auto d, get_com("binary-down.bin", data.size()));
  EXPECT_TRUE(d.data == data) << "the data received: " << first_difference(d.data, data);
  EXPECT_EQ(d.result.value, std::to_string(data.size()));
}

}  // namespace
}  // namespace qftp::harness
