#!/bin/bash -eu
# ClusterFuzzLite build: the same as OSS-Fuzz's (fuzz/oss-fuzz/build.sh), from this checkout.
exec "$SRC/qftp-kit/fuzz/oss-fuzz/build.sh"
