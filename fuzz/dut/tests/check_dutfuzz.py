#!/usr/bin/python3
"""qftp-dutfuzz against the spawned emulator, for ctest (label fuzz).

  finds  --defect NAME: a short campaign with a fixed seed finds something (exit 1, a finding in
         report.json with its replay file); the replay reproduces it against the defective
         emulator and passes against the clean one.
  clean: the same campaign against the clean emulator finds nothing (exit 0).
"""
import argparse
import json
import os
import subprocess
import sys


def run(cmd, timeout):
    print("+", " ".join(cmd), flush=True)
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       errors="replace", timeout=timeout)
    print(p.stdout[-4000:], flush=True)
    return p.returncode


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["finds", "clean"])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--report-dir", required=True)
    ap.add_argument("--defect")
    ap.add_argument("--seed", default="1")
    ap.add_argument("--max-cases", default="40")
    ap.add_argument("--no-seeds", action="store_true", help="the grammar alone")
    ap.add_argument("--timeout", type=int, default=240)
    a = ap.parse_args()

    base = [a.binary, "--seed", a.seed, "--max-cases", a.max_cases, "--report-dir", a.report_dir]
    if a.no_seeds:
        base.append("--no-seeds")
    if a.mode == "clean":
        rc = run(base, a.timeout)
        report = json.load(open(os.path.join(a.report_dir, "report.json")))
        if rc != 0 or report["findings"]:
            print(f"FAIL: the clean emulator gave exit {rc} and findings {report['findings']}")
            return 1
        if report["summary"]["cases"] != int(a.max_cases):
            print(f"FAIL: {report['summary']['cases']} cases ran, not {a.max_cases}")
            return 1
        print(f"ok: {report['summary']['cases']} cases, no finding")
        return 0

    rc = run(base + ["--emulator-defect", a.defect], a.timeout)
    report = json.load(open(os.path.join(a.report_dir, "report.json")))
    if rc != 1 or not report["findings"]:
        print(f"FAIL: with --defect {a.defect} exit {rc} and no finding")
        return 1
    f = report["findings"][0]
    print(f"found: {f['oracle']} at {f['first_command']!r} in {f['steps']} steps: {f['detail']}")
    replay = f["replay"]
    if run([a.binary, "--replay", replay, "--emulator-defect", a.defect,
            "--report-dir", a.report_dir + "-replay"], a.timeout) != 1:
        print("FAIL: the replay does not reproduce the finding against the defective emulator")
        return 1
    if run([a.binary, "--replay", replay, "--report-dir", a.report_dir + "-replay"], a.timeout) != 0:
        print("FAIL: the replay finds something against the clean emulator")
        return 1
    print("ok: found, replayed against the defective emulator, passes against the clean one")
    return 0


if __name__ == "__main__":
    sys.exit(main())
