#!/usr/bin/env bash
# The Debian package: `cpack -G DEB` from a build tree gives one .deb that declares the kit's Debian
# dependencies and holds the installed layout under /usr (tools, data, documentation).
#   check_deb.sh BUILD_DIR
set -euo pipefail
build_dir=$(realpath "$1")
work=$(mktemp -d "${TMPDIR:-/tmp}/qftp-deb-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "check_deb: $*" >&2; exit 1; }

cpack -G DEB --config "$build_dir/CPackConfig.cmake" -B "$work" >"$work/cpack.log" 2>&1 || {
  cat "$work/cpack.log" >&2
  fail "cpack failed"
}
debs=("$work"/qftp-kit_*.deb)
((${#debs[@]} == 1)) && [[ -f ${debs[0]} ]] || fail "expected one qftp-kit_*.deb, got: ${debs[*]}"
deb=${debs[0]}
echo "check_deb: built $(basename "$deb")"
depends=$(dpkg-deb --field "$deb" Depends)
echo "check_deb: Depends: $depends"
names=$(sed 's/ ([^)]*)//g; s/, /\n/g' <<<"$depends")  # package names without versions
for dep in python3 python3-pyftpdlib libstdc++6 libc6; do
  grep -qxF "$dep" <<<"$names" || fail "Depends lacks $dep"
done
contents=$(dpkg-deb --contents "$deb")
for f in ./usr/bin/qftp-emu ./usr/bin/qftp-conformance ./usr/bin/qftp-dutfuzz ./usr/bin/qftp-fixture \
         ./usr/share/qftp-kit/VERSION ./usr/share/qftp-kit/requirements/requirements.json \
         ./usr/share/qftp-kit/profiles/m_series_lab.json ./usr/share/qftp-kit/transcripts/4_5_close.txt \
         ./usr/share/qftp-kit/emulator-profiles/m33.profile ./usr/share/doc/qftp-kit/docs/bench-guide.md; do
  grep -qE " $f( |$)" <<<"$contents" || fail "the package lacks $f"
done
grep -q '^l' <<<"$contents" && fail "the package holds symbolic links: $(grep '^l' <<<"$contents")"
grep -qE '^-rwxr-xr-x .* \./usr/bin/qftp-fixture$' <<<"$contents" || fail "qftp-fixture is not executable"
echo "check_deb: $(grep -c '^-' <<<"$contents") files, layout and dependencies as declared"
