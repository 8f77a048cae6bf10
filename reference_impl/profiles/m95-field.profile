# An M95 as its later firmware and the host drivers written for it show it (docs/field-facts.md
# §5-§8): the FTP commands after V1.1, downloads into RAM read back with the FILE commands, the
# start-up commands and +CME ERROR. Every V1.1 behaviour is as in default.profile. Where the sources
# disagree or are unsure, the switch says which reading this profile takes.
model = M95
revision = M95FAR02A12
imei = 861234567890123
guard_ms = 500
gap_ms = 20
# The M95 driver parses +QFTPCFG:0 and +QFTPPATH:0 with no blank, +QFTPLEN: <n> with one; the
# spacing of +QFTPSIZE and its siblings is unrecorded and follows this list (none of them here).
spaced_urcs = +QFTPSTAT, +QFTPLEN
# V1.1 gives /RAM/ to the M33 only; the FILE manual V1.5 gives the M95 RAM files [H].
has_ram = true
has_sd = false
# The FILE manual V1.5 gives the M95 RAM files only, V1.1 gives every module /UFS/: this profile
# keeps /UFS/ (the spec); false follows the FILE manual.
has_ufs = true
ufs_capacity = 4194304
ram_file_size = 102400
path_read_ok_first = false
ftp_file_commands = true
# AT+QFTPRMDIR rests on one source [L].
ftp_rmdir = true
# The shape of AT+QFTPLIST/AT+QFTPNLST is a ruling of the kit's (ruling 16) [L].
ftp_listing = true
get_expected_size = true
# Only the MC60 OpenCPU SDKs are known to send AT+QFTPCFG=6.
cfg_type6 = false
out_of_memory_code = true
file_commands = true
startup_commands = true
cme_errors = true
connect_timeout_ms = 30000
reply_timeout_ms = 30000
data_timeout_ms = 60000
