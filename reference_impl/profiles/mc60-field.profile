# An MC60 as Quectel's OpenCPU SDK 1.8 drives it (docs/field-facts.md §5, §8): the RIL's start-up
# commands, AT+QFTPCFG=6,1 before opening, and the FOTA flow of AT+QFTPSIZE then
# AT+QFTPGET="<file>",<size>. Every V1.1 behaviour is as in default.profile.
model = MC60
revision = MC60CAR01A07
imei = 861234567890124
guard_ms = 500
gap_ms = 20
# The RIL matches +QFTPSTAT:<state> with no blank; +QFTPLEN keeps ruling 2's.
spaced_urcs = +QFTPLEN
# The FILE manual V1.5 gives M66-family modules UFS and RAM; that the MC60 (an M66 with GNSS)
# follows it is an inference [L].
has_ram = true
has_sd = false
has_ufs = true
ufs_capacity = 4194304
ram_file_size = 102400
path_read_ok_first = false
ftp_file_commands = true
ftp_rmdir = true
ftp_listing = true
get_expected_size = true
cfg_type6 = true
out_of_memory_code = true
file_commands = true
startup_commands = true
cme_errors = true
connect_timeout_ms = 30000
reply_timeout_ms = 30000
data_timeout_ms = 60000
