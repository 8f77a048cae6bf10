# qftp-emu device profile: the spec's defaults (GSM FTP AT Commands V1.1) with ruling 2's spacing.
manufacturer = Quectel
model = M95
revision = M95FAR02A08
imei = 861234567890123
guard_ms = 500
gap_ms = 20
spaced_urcs = +QFTPSTAT, +QFTPLEN
has_sd = false
has_ram = false
ufs_capacity = 4194304
ram_file_size = 102400
path_read_ok_first = false
connect_timeout_ms = 30000
reply_timeout_ms = 30000
data_timeout_ms = 60000
