#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build: the fuzz targets built with the toolchain's $CXX, $CXXFLAGS and
# $LIB_FUZZING_ENGINE, and beside each in $OUT its seed corpus zip, dictionary and .options file.
#
# Run locally with the same variables to check it, e.g.:
#   CC=clang CXX=clang++ CFLAGS='-fsanitize=address,fuzzer-no-link' CXXFLAGS="$CFLAGS" \
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=/tmp/out SRC=/tmp/src WORK=/tmp/work \
#   QFTP_SRC=$PWD fuzz/oss-fuzz/build.sh

# The checkout: $SRC/qftp-kit in the builder images (see the Dockerfiles), or where QFTP_SRC says.
src=${QFTP_SRC:-$SRC/qftp-kit}
targets="at_line_fuzzer at_stream_fuzzer escape_fuzzer ftp_reply_fuzzer session_fuzzer file_commands_fuzzer"

# $CXXFLAGS already instruments every file for the engine, so the targets add no coverage flags of
# their own; the engine is linked through $LIB_FUZZING_ENGINE. No Boost, no GoogleTest needed.
cmake -S "$src" -B "$WORK/qftp-build" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  -DCMAKE_CXX_FLAGS_RELEASE="" \
  -DQFTP_BUILD_FUZZERS=ON \
  -DQFTP_BUILD_TESTS=OFF \
  -DQFTP_FUZZ_COVERAGE="" \
  -DQFTP_FUZZ_ENGINE="$LIB_FUZZING_ENGINE"
# shellcheck disable=SC2086
cmake --build "$WORK/qftp-build" -j "$(nproc)" --target $targets

mkdir -p "$OUT"
for t in $targets; do
  cp "$WORK/qftp-build/bin/$t" "$OUT/$t"
  cp "$src/fuzz/dict/$t.dict" "$OUT/$t.dict"
  cp "$src/fuzz/$t.options" "$OUT/$t.options"
  rm -f "$OUT/${t}_seed_corpus.zip"
  (cd "$src/fuzz/corpus/$t" && zip -q -r "$OUT/${t}_seed_corpus.zip" .)
  # Reproducers of fixed bugs are seeds too, so the fuzzer starts from where they were found.
  if [ -d "$src/fuzz/regressions/$t" ]; then
    (cd "$src/fuzz/regressions/$t" && zip -q -r "$OUT/${t}_seed_corpus.zip" .)
  fi
done
