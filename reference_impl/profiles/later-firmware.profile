# Later M-series firmware (docs/field-facts.md §2): +QFTPPATH and +QFTPCLOSE are written with a
# space.
model = M95
revision = M95FAR02A12
spaced_urcs = +QFTPSTAT, +QFTPLEN, +QFTPPATH, +QFTPCLOSE
