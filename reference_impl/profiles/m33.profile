# M33 (spec 2.2.8): SD card ("Picture" directory) and RAM positions besides /COM/ and /UFS/.
model = M33
revision = M33FAR01A05
has_sd = true
has_ram = true
