#!/usr/bin/python3
"""The check that ci/mutate works (ctest mutate_selftest, label integration): a campaign of two
mutants in a private tree. A mutant that answers a transfer without a session with the wrong error
code must be killed with the requirements that failed; a mutant recorded as equivalent must survive when run, and be skipped
(status equivalent) when the record is in force. Exit 0 when all three hold."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "ci"))

from mutation.equivalents import load_equivalents  # noqa: E402
from mutation.generate import all_mutants  # noqa: E402

# The mutant the suite must kill, with the requirements that failed: a transfer without a session
# gives -3 (busy) instead of -1 (ruling 9, R/10). (A cut "OK" is killed too, but before any
# requirement is judged: the suite's set-up finds no OK to AT.)
KILLABLE = ("reference_impl/core/modem/qftp_transfer.cpp", "ERRCODE", "unknown", "busy")
# The recorded equivalent it runs: FtpClient::go_offline() no longer clears host_, which open()
# sets again before any use. Another entry of kind "equivalent" is taken if this one is gone.
EQUIVALENT = "9272716d382975a6"


def find(file: str, operator: str, original: str, replacement: str):
    for m in all_mutants(REPO):
        if (m.file, m.operator, m.original, m.replacement) == (file, operator, original, replacement):
            return m
    raise SystemExit(f"selftest: no mutant {operator} {original} -> {replacement} in {file}")


def campaign(args, ids, equivalents: Path, out: Path, recheck: bool) -> dict:
    cmd = [sys.executable, str(REPO / "ci" / "mutate"), "--workers", "1",
           "--suite-build", str(args.suite_build), "--work-dir", str(args.work_dir),
           "--out", str(out), "--equivalents", str(equivalents)]
    for i in ids:
        cmd += ["--id", i]
    if recheck:
        cmd.append("--recheck")
    r = subprocess.run(cmd, text=True, capture_output=True)
    print(r.stdout, r.stderr, sep="")
    if r.returncode != 0:
        raise SystemExit(f"selftest: ci/mutate exited {r.returncode}")
    return {e["identity"]: e for e in json.loads((out / "report.json").read_text())["mutants"]}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--suite-build", type=Path, required=True)
    ap.add_argument("--work-dir", type=Path, required=True)
    args = ap.parse_args()
    killable = find(*KILLABLE)
    recorded = load_equivalents()
    if not recorded:
        raise SystemExit("selftest: ci/mutation/equivalent-mutants.json records no mutant")
    candidates = [m for m in all_mutants(REPO) if m.identity in recorded
                  and recorded[m.identity]["kind"] == "equivalent"]
    if not candidates:
        raise SystemExit("selftest: no recorded mutant of kind equivalent exists any more")
    equivalent = next((m for m in candidates if m.identity == EQUIVALENT), candidates[0])
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        none = Path(tmp) / "none.json"
        none.write_text('{"equivalent": []}\n')
        got = campaign(args, [killable.identity, equivalent.identity], none, Path(tmp) / "run", True)
        k, e = got[killable.identity], got[equivalent.identity]
        if k["status"] != "killed" or not k.get("failed_requirements"):
            print(f"FAIL: {killable.describe()} in {killable.file} was {k['status']}, expected killed "
                  f"with the failed requirements")
            ok = False
        else:
            print(f"ok: killed {killable.describe()}: {', '.join(k['failed_requirements'][:8])}")
        if e["status"] != "survived":
            print(f"FAIL: the recorded equivalent {equivalent.describe()} ({equivalent.file}:"
                  f"{equivalent.line}) was {e['status']}, expected survived")
            ok = False
        else:
            print(f"ok: the recorded equivalent {equivalent.describe()} survived when run")
        got = campaign(args, [equivalent.identity], REPO / "ci/mutation/equivalent-mutants.json",
                       Path(tmp) / "skip", False)
        if got[equivalent.identity]["status"] != "equivalent":
            print(f"FAIL: the recorded equivalent was not skipped: {got[equivalent.identity]['status']}")
            ok = False
        else:
            print("ok: the recorded equivalent is skipped by the next campaign")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
