#!/usr/bin/env bash
# Every Debian package that cmake/QftpDependencies.cmake requires is one that ci/setup installs:
# otherwise a fresh machine is told to run ci/setup, does, and is still missing it.
set -euo pipefail
required=$(grep -oE '^\s*qftp_require\([a-z0-9.+-]+' cmake/QftpDependencies.cmake | sed 's/.*(//' | sort -u)
installed=$(bash ci/setup --list | sort -u)
[[ -n $required ]] || { echo "no qftp_require() found in cmake/QftpDependencies.cmake" >&2; exit 1; }
missing=$(comm -23 <(echo "$required") <(echo "$installed"))
if [[ -n $missing ]]; then
  echo "required by cmake/QftpDependencies.cmake but not installed by ci/setup:" $missing >&2
  exit 1
fi
echo "ci/setup installs all $(echo "$required" | wc -l) packages the configure check requires"
