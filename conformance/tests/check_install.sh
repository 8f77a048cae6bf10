#!/usr/bin/env bash
# The installed layout finds its data: `cmake --install` into a temporary prefix, then, with the
# source and build trees hidden (a tmpfs mounted over them in a private mount namespace), the
# installed qftp-conformance runs the chapter-4 examples against the installed qftp-emu and
# qftp-fixture and reports the installed data directory, version and commit.
#   check_install.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir=$(realpath "$1")
build_dir=$(realpath "$2")
work=$(mktemp -d "${TMPDIR:-/tmp}/qftp-install-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
fail() { echo "check_install: $*" >&2; exit 1; }

cmake --install "$build_dir" --prefix "$prefix" >"$work/install.log" || {
  cat "$work/install.log" >&2
  fail "cmake --install failed"
}
for f in bin/qftp-emu bin/qftp-conformance bin/qftp-dutfuzz bin/qftp-fixture share/qftp-kit/VERSION \
         share/qftp-kit/requirements/requirements.json share/qftp-kit/profiles/emulator.json \
         share/qftp-kit/transcripts/4_1_open.txt share/qftp-kit/emulator-profiles/default.profile \
         share/qftp-kit/fuzz-corpus/at_line_fuzzer \
         share/doc/qftp-kit/README.md share/doc/qftp-kit/docs/architecture.md; do
  [[ -e $prefix/$f ]] || fail "not installed: $f"
done
[[ -L $prefix/share/qftp-kit/profiles || -L $prefix/bin/qftp-fixture ]] &&
  fail "the installed data are links into the source tree"
read -r version commit <"$prefix/share/qftp-kit/VERSION"
expected_suffix="$version (commit $commit)"

# Everything below runs with the source and build trees out of sight.
unshare_flags=(--mount)
[[ $(id -u) -eq 0 ]] || unshare_flags+=(--map-root-user)
cd "$work"
unshare "${unshare_flags[@]}" bash -euo pipefail -c '
  prefix=$1 source_dir=$2 build_dir=$3
  mount -t tmpfs qftp-hidden "$source_dir"
  [[ $build_dir == "$source_dir"/* ]] || mount -t tmpfs qftp-hidden "$build_dir"
  [[ -z $(ls -A "$source_dir") ]] || { echo "the source tree is still visible" >&2; exit 1; }
  for tool in qftp-emu qftp-conformance qftp-dutfuzz; do "$prefix/bin/$tool" --version; done
  "$prefix/bin/qftp-fixture" --version
  # A shipped profile by name, the transcripts, the inventory and the fixture, all from the prefix.
  "$prefix/bin/qftp-conformance" --profile emulator --requirement "4.*" --report-dir reports
' check_install "$prefix" "$source_dir" "$build_dir" >"$work/run.log" 2>&1 || {
  cat "$work/run.log" >&2
  fail "the installed kit did not run with the source tree hidden"
}
cat "$work/run.log"
for tool in qftp-emu qftp-conformance qftp-dutfuzz qftp-fixture; do
  grep -qxF "$tool $expected_suffix" "$work/run.log" || fail "$tool --version does not print '$tool $expected_suffix'"
done

/usr/bin/python3 - "$work/reports/report.json" "$prefix" "$version" "$commit" <<'PY'
import json, sys
path, prefix, version, commit = sys.argv[1:]
report = json.load(open(path))
tool, summary = report["tool"], report["summary"]
problems = []
if tool.get("data_dir") != f"{prefix}/share/qftp-kit":
    problems.append(f"data_dir is {tool.get('data_dir')!r}, not the installed one")
if (tool.get("version"), tool.get("commit")) != (version, commit):
    problems.append(f"the report names {tool.get('version')} {tool.get('commit')}, the kit is {version} {commit}")
if not report["dut"]["profile"].startswith(f"emulator ({prefix}/share/qftp-kit/profiles/emulator.json"):
    problems.append(f"profile {report['dut']['profile']!r} is not the installed one")
if summary["pass"] < 10 or summary["fail"] or summary["error"]:
    problems.append(f"the chapter-4 cases did not all pass: {summary}")
if problems:
    sys.exit("check_install: " + "; ".join(problems))
print(f"check_install: {summary['pass']} chapter-4 cases pass from {prefix}")
PY
