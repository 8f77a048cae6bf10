#!/usr/bin/python3
"""qftp-dutfuzz against the spawned emulator, for ctest (label fuzz).

  finds  --defect NAME: a short campaign with a fixed seed finds something (exit 1, a finding in
         report.json with its replay file); the replay reproduces it against the defective
         emulator and passes against the clean one.
         report.html holds each finding with its oracle and first command.
  clean: the same campaign against the clean emulator finds nothing (exit 0); with
         --stream-share, some of its cases were streams.
  oracle --defect NAME --expect ORACLE --case FILE: one hand-written case, replayed with
         --no-differential (the standalone oracles need no reference's answer; --differential:
         with it), gives a finding of ORACLE against the defective emulator and none against the
         clean one.
  repeat: the same campaign twice (same seed, --max-cases) makes the same cases: cases.log, one
         line a case with its hash, is the same file both times.
"""
import html
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
    ap.add_argument("mode", choices=["finds", "clean", "oracle", "repeat", "quiet"])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--report-dir", required=True)
    ap.add_argument("--defect")
    ap.add_argument("--seed", default="1")
    ap.add_argument("--max-cases", default="40")
    ap.add_argument("--no-seeds", action="store_true", help="the grammar alone")
    ap.add_argument("--timeout", type=int, default=240)
    ap.add_argument("--expect", help="oracle: the oracle that must find the defect")
    ap.add_argument("--case", help="oracle, quiet: the case, a replay file's form")
    ap.add_argument("--emulator-baud", help="the emulator's serial side paced at this rate")
    ap.add_argument("--stream-share", help="the share of cases that are sustained streams")
    ap.add_argument("--differential", action="store_true",
                    help="oracle: with the reference's answers (an oracle that needs them)")
    a = ap.parse_args()

    if a.mode == "oracle":
        case = a.case
        cmd = [a.binary, "--replay", case, "--report-dir", a.report_dir]
        if not a.differential:
            cmd.append("--no-differential")
        print("+", " ".join(cmd + ["--emulator-defect", a.defect]), flush=True)
        p = subprocess.run(cmd + ["--emulator-defect", a.defect], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, errors="replace", timeout=a.timeout)
        print(p.stdout[-3000:])
        found = [l for l in p.stdout.splitlines() if l.startswith("finding: ")]
        if p.returncode != 1 or not any(l.startswith("finding: %s " % a.expect) for l in found):
            print(f"FAIL: with --defect {a.defect} exit {p.returncode}, findings {found}; "
                  f"wanted one of {a.expect}")
            return 1
        if run(cmd, a.timeout) != 0:
            print("FAIL: the case finds something against the clean emulator")
            return 1
        how = "with" if a.differential else "without"
        print(f"ok: {a.expect} finds {a.defect} {how} the reference; quiet on the clean emulator")
        return 0

    if a.mode == "quiet":
        # A case that once gave a false finding: every oracle, the differential one included, is
        # quiet on the clean emulator.
        cmd = [a.binary, "--replay", a.case, "--report-dir", a.report_dir]
        if a.emulator_baud:
            cmd += ["--emulator-baud", a.emulator_baud]
        if run(cmd, a.timeout) != 0:
            print("FAIL: the case finds something against the clean emulator")
            return 1
        print("ok: no finding against the clean emulator")
        return 0

    if a.mode == "repeat":
        logs = []
        for n in (1, 2):
            d = "%s-%d" % (a.report_dir, n)
            cmd = [a.binary, "--seed", a.seed, "--max-cases", a.max_cases, "--report-dir", d]
            if a.no_seeds:
                cmd.append("--no-seeds")
            if a.defect:
                cmd += ["--emulator-defect", a.defect]
            rc = run(cmd, a.timeout)
            if rc not in (0, 1):
                print(f"FAIL: run {n} exit {rc}")
                return 1
            logs.append(open(os.path.join(d, "cases.log")).read().splitlines())
        if len(logs[0]) != int(a.max_cases):
            print(f"FAIL: {len(logs[0])} cases logged, not {a.max_cases}")
            return 1
        for i, (x, y) in enumerate(zip(logs[0], logs[1])):
            if x != y:
                print(f"FAIL: case {i + 1} differs between the runs:\n  {x}\n  {y}")
                return 1
        if len(logs[0]) != len(logs[1]):
            print("FAIL: the runs made different numbers of cases")
            return 1
        print(f"ok: both runs made the same {len(logs[0])} cases")
        return 0

    base = [a.binary, "--seed", a.seed, "--max-cases", a.max_cases, "--report-dir", a.report_dir]
    if a.no_seeds:
        base.append("--no-seeds")
    if a.emulator_baud:
        base += ["--emulator-baud", a.emulator_baud]
    if a.stream_share:
        base += ["--stream-share", a.stream_share]
    if a.mode == "clean":
        rc = run(base, a.timeout)
        report = json.load(open(os.path.join(a.report_dir, "report.json")))
        if rc != 0 or report["findings"]:
            print(f"FAIL: the clean emulator gave exit {rc} and findings {report['findings']}")
            return 1
        if report["summary"]["cases"] != int(a.max_cases):
            print(f"FAIL: {report['summary']['cases']} cases ran, not {a.max_cases}")
            return 1
        streams = report["summary"]["stream_cases"]
        if a.stream_share and int(a.stream_share) > 0 and streams == 0:
            print(f"FAIL: no stream among {report['summary']['cases']} cases (--stream-share {a.stream_share})")
            return 1
        print(f"ok: {report['summary']['cases']} cases ({streams} streams), no finding")
        return 0

    rc = run(base + ["--emulator-defect", a.defect], a.timeout)
    report = json.load(open(os.path.join(a.report_dir, "report.json")))
    if rc != 1 or not report["findings"]:
        print(f"FAIL: with --defect {a.defect} exit {rc} and no finding")
        return 1
    f = report["findings"][0]
    print(f"found: {f['oracle']} at {f['first_command']!r} in {f['steps']} steps: {f['detail']}")
    if f.get("reproduced") is not True:
        print(f"FAIL: report.json says the minimised case did not show the finding when run alone: {f}")
        return 1
    page = open(os.path.join(a.report_dir, "report.html"), encoding="utf-8").read()
    for g in report["findings"]:
        for what in (g["oracle"], g["first_command"]):
            if html.escape(what, quote=True).replace("&#x27;", "&apos;") not in page:
                print(f"FAIL: report.html does not show the finding's {what!r}")
                return 1
    if "http://" in page or "https://" in page or "<script src" in page:
        print("FAIL: report.html is not self-contained")
        return 1
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
