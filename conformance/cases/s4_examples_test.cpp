// s4_examples_test.cpp: spec chapter 4, every example (and every note's variant) played verbatim
// from the kit's transcripts/ (conformance/transcripts/ in the source tree) with the corrected
// command names of ruling 1.
#include <algorithm>

#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

class S4_Examples : public QftpCase {
 protected:
  void play(const char* file) { QFTP_DO(play_transcript_file(file)); }
  // The example again in another state of the service: after a session was opened and closed
  // (CLOSED, where the cases above start from IDLE), so that no example rests on a fresh modem.
  void play_after_a_closed_session(const char* file) {
    QFTP_SETUP(open_session());
    QFTP_SETUP(close_session());
    play(file);
  }
};

QFTP_CASE(S4_Examples, E4_1_OpenAnFtpService, "4.1/01") {
  play("4_1_open.txt");
}
QFTP_CASE(S4_Examples, E4_2_1_UploadThroughUart, "4.2.1/01") {
  play("4_2_1_upload_uart.txt");
}
QFTP_CASE(S4_Examples, E4_2_2_UploadAFileInUfs, "4.2.2/01") {
  play("4_2_2_upload_ufs.txt");
}
QFTP_CASE(S4_Examples, E4_2_2_UploadAShorterFileInUfs, "4.2.2/02") {
  play("4_2_2_upload_ufs_shorter.txt");
}
QFTP_CASE(S4_Examples, E4_2_2_Note1_UploadAFileOnSd, "4.2.2/03") {
  play("4_2_2_upload_sd.txt");
}
QFTP_CASE(S4_Examples, E4_2_2_Note2_UploadAFileInRam, "4.2.2/04") {
  play("4_2_2_upload_ram.txt");
}
QFTP_CASE(S4_Examples, E4_2_3_UploadASpecifiedFileInUfs, "4.2.3/01", "R/22") {
  play("4_2_3_upload_ufs_named.txt");
}
QFTP_CASE(S4_Examples, E4_3_1_DownloadThroughUart, "4.3.1/01", "4.3.1/02") {
  play("4_3_1_download_uart.txt");
}
QFTP_CASE(S4_Examples, E4_3_2_DownloadIntoUfs, "4.3.2/01") {
  play("4_3_2_download_ufs.txt");
}
QFTP_CASE(S4_Examples, E4_3_2_Note1_DownloadOntoSd, "4.3.2/02") {
  play("4_3_2_download_sd.txt");
}
QFTP_CASE(S4_Examples, E4_3_2_Note2_DownloadIntoRam, "4.3.2/03") {
  play("4_3_2_download_ram.txt");
}
QFTP_CASE(S4_Examples, E4_3_3_DownloadIntoASpecifiedUfsFile, "4.3.3/01") {
  play("4_3_3_download_ufs_named.txt");
}
QFTP_CASE(S4_Examples, E4_3_3_Note1_DownloadIntoASpecifiedSdFile, "4.3.3/02") {
  play("4_3_3_download_sd_named.txt");
}
QFTP_CASE(S4_Examples, E4_3_3_Note2_DownloadIntoASpecifiedRamFile, "4.3.3/03") {
  play("4_3_3_download_ram_named.txt");
}
QFTP_CASE(S4_Examples, E4_4_1_UploadFromTheResumingPoint, "4.4.1/01", "4.4/01") {
  play("4_4_1_resume_upload_uart.txt");
}
QFTP_CASE(S4_Examples, E4_4_1_Note_UploadAStoredFileFromThePoint, "4.4.1/02") {
  play("4_4_1_resume_upload_ufs.txt");
}
QFTP_CASE(S4_Examples, E4_4_1_Note_UploadAShortStoredFileFromThePoint, "4.4.1/03") {
  play("4_4_1_resume_upload_ufs_shorter.txt");
}
QFTP_CASE(S4_Examples, E4_4_2_DownloadFromTheResumingPoint, "4.4.2/01", "4.4/01") {
  play("4_4_2_resume_download_uart.txt");
}
QFTP_CASE(S4_Examples, E4_4_2_Note_DownloadIntoAStoredFileFromThePoint, "4.4.2/02") {
  play("4_4_2_resume_download_ufs.txt");
}
QFTP_CASE(S4_Examples, E4_4_2_Note_StoredFileShorterThanThePointGivesMinus12, "4.4.2/03") {
  play("4_4_2_resume_download_ufs_short.txt");
}
QFTP_CASE(S4_Examples, E4_5_CloseTheFtpService, "4.5/01") {
  play("4_5_close.txt");
}
QFTP_CASE(S4_Examples, E4_5_AnIdleSessionEndedByTheServer, "4.5/02") {
  play("4_5_idle_server.txt");
}

// Every example once more after a closed session (play_after_a_closed_session).
QFTP_CASE(S4_Examples, E4_1_OpenAnFtpService_AfterAClosedSession, "4.1/01") {
  play_after_a_closed_session("4_1_open.txt");
}
QFTP_CASE(S4_Examples, E4_2_1_UploadThroughUart_AfterAClosedSession, "4.2.1/01") {
  play_after_a_closed_session("4_2_1_upload_uart.txt");
}
QFTP_CASE(S4_Examples, E4_2_2_UploadAFileInUfs_AfterAClosedSession, "4.2.2/01") {
  play_after_a_closed_session("4_2_2_upload_ufs.txt");
}
QFTP_CASE(S4_Examples, E4_2_2_UploadAShorterFileInUfs_AfterAClosedSession, "4.2.2/02") {
  play_after_a_closed_session("4_2_2_upload_ufs_shorter.txt");
}
QFTP_CASE(S4_Examples, E4_2_3_UploadASpecifiedFileInUfs_AfterAClosedSession, "4.2.3/01", "R/22") {
  play_after_a_closed_session("4_2_3_upload_ufs_named.txt");
}
QFTP_CASE(S4_Examples, E4_3_1_DownloadThroughUart_AfterAClosedSession, "4.3.1/01", "4.3.1/02") {
  play_after_a_closed_session("4_3_1_download_uart.txt");
}
QFTP_CASE(S4_Examples, E4_3_2_DownloadIntoUfs_AfterAClosedSession, "4.3.2/01") {
  play_after_a_closed_session("4_3_2_download_ufs.txt");
}
QFTP_CASE(S4_Examples, E4_3_3_DownloadIntoASpecifiedUfsFile_AfterAClosedSession, "4.3.3/01") {
  play_after_a_closed_session("4_3_3_download_ufs_named.txt");
}
QFTP_CASE(S4_Examples, E4_4_1_UploadFromTheResumingPoint_AfterAClosedSession, "4.4.1/01", "4.4/01") {
  play_after_a_closed_session("4_4_1_resume_upload_uart.txt");
}
QFTP_CASE(S4_Examples, E4_4_1_Note_UploadAStoredFileFromThePoint_AfterAClosedSession, "4.4.1/02") {
  play_after_a_closed_session("4_4_1_resume_upload_ufs.txt");
}
QFTP_CASE(S4_Examples, E4_4_1_Note_UploadAShortStoredFileFromThePoint_AfterAClosedSession, "4.4.1/03") {
  play_after_a_closed_session("4_4_1_resume_upload_ufs_shorter.txt");
}
QFTP_CASE(S4_Examples, E4_4_2_Note_DownloadIntoAStoredFileFromThePoint_AfterAClosedSession, "4.4.2/02") {
  play_after_a_closed_session("4_4_2_resume_download_ufs.txt");
}
QFTP_CASE(S4_Examples, E4_4_2_Note_StoredFileShorterThanThePointGivesMinus12_AfterAClosedSession, "4.4.2/03") {
  play_after_a_closed_session("4_4_2_resume_download_ufs_short.txt");
}
QFTP_CASE(S4_Examples, E4_5_CloseTheFtpService_AfterAClosedSession, "4.5/01") {
  play_after_a_closed_session("4_5_close.txt");
}
QFTP_CASE(S4_Examples, E4_5_AnIdleSessionEndedByTheServer_AfterAClosedSession, "4.5/02") {
  play_after_a_closed_session("4_5_idle_server.txt");
}
QFTP_CASE(S4_Examples, E4_2_2_Note2_UploadAFileInRam_AfterAClosedSession, "4.2.2/04") {
  play_after_a_closed_session("4_2_2_upload_ram.txt");
}
QFTP_CASE(S4_Examples, E4_3_2_Note2_DownloadIntoRam_AfterAClosedSession, "4.3.2/03") {
  play_after_a_closed_session("4_3_2_download_ram.txt");
}
QFTP_CASE(S4_Examples, E4_3_3_Note2_DownloadIntoASpecifiedRamFile_AfterAClosedSession, "4.3.3/03") {
  play_after_a_closed_session("4_3_3_download_ram_named.txt");
}
QFTP_CASE(S4_Examples, E4_2_2_Note1_UploadAFileOnSd_AfterAClosedSession, "4.2.2/03") {
  play_after_a_closed_session("4_2_2_upload_sd.txt");
}
QFTP_CASE(S4_Examples, E4_3_2_Note1_DownloadOntoSd_AfterAClosedSession, "4.3.2/02") {
  play_after_a_closed_session("4_3_2_download_sd.txt");
}
QFTP_CASE(S4_Examples, E4_3_3_Note1_DownloadIntoASpecifiedSdFile_AfterAClosedSession, "4.3.3/02") {
  play_after_a_closed_session("4_3_3_download_sd_named.txt");
}
QFTP_CASE(S4_Examples, E4_4_2_DownloadFromTheResumingPoint_AfterAClosedSession, "4.4.2/01", "4.4/01") {
  play_after_a_closed_session("4_4_2_resume_download_uart.txt");
}

}  // namespace
}  // namespace qftp::harness
