#!/usr/bin/python3
# check_report.py: runs qftp-conformance and judges its report.json for ctest: the whole suite
# (every requirement pass or not_applicable with a reason), the teeth (a defect's expected failures
# and nothing else), or the same verdicts as a reference run (other transports).
import argparse
import json
import os
import subprocess
import sys


def run_suite(binary, report_dir, extra, timeout):
    cmd = [binary, "--report-dir", report_dir, "--gtest_brief=1"] + extra
    print("$", " ".join(cmd), flush=True)
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout, text=True,
                          errors="replace")
    tail = proc.stdout.strip().splitlines()[-15:]
    print("\n".join(tail))
    path = os.path.join(report_dir, "report.json")
    if not os.path.exists(path):
        sys.exit(f"no report.json (exit {proc.returncode})")
    with open(path) as f:
        return proc.returncode, json.load(f)


def verdicts(report, kind):
    return {r["id"] if kind == "requirements" else r["name"]: r for r in report[kind]}


def check_full(code, report):
    problems = []
    for r in report["requirements"]:
        if r["verdict"] == "not_applicable" and not r.get("reason"):
            problems.append(f"{r['id']}: not_applicable without a reason")
        elif r["verdict"] not in ("pass", "not_applicable"):
            problems.append(f"{r['id']}: {r['verdict']}: {r.get('reason', '')[:300]}")
    if report["unknown_requirements"]:
        problems.append(f"cases name unknown requirements: {report['unknown_requirements']}")
    if code != 0:
        problems.append(f"qftp-conformance exited {code}")
    return problems


def check_defect(code, report, defect, expectations):
    entry = expectations["defects"].get(defect)
    if entry is None:
        return [f"{defect} has no entry in the expectations file"]
    failed = {r["id"] for r in report["requirements"] if r["verdict"] == "fail"}
    errors = [f"{r['id']}: error: {r.get('reason', '')[:300]}" for r in report["requirements"] if r["verdict"] == "error"]
    expected = set(entry["fail"])
    problems = list(errors)
    for missing in sorted(expected - failed):
        problems.append(f"{missing} should fail with --defect {defect} but is "
                        f"{verdicts(report, 'requirements').get(missing, {}).get('verdict', 'not run')}")
    for extra in sorted(failed - expected):
        problems.append(f"{extra} fails with --defect {defect} although the defect should not break it: "
                        f"{verdicts(report, 'requirements')[extra].get('reason', '')[:300]}")
    wanted_code = 1 if expected else 0
    if code != wanted_code:
        problems.append(f"qftp-conformance exited {code}, expected {wanted_code}")
    return problems


def check_same(code, report, reference, not_here=None):
    """The verdicts of the reference run, except that the cases of the requirements in `not_here`
    (id: the reason's text) must be not_applicable with that reason: what this transport cannot do."""
    not_here = not_here or {}
    problems = check_full(code, report)
    mine = {n: c for n, c in verdicts(report, "cases").items()}
    theirs = {n: c["verdict"] for n, c in verdicts(reference, "cases").items()}
    for name in sorted(set(mine) | set(theirs)):
        case = mine.get(name, {})
        reasons = [why for req, why in not_here.items() if req in case.get("requirements", [])]
        if reasons:
            if case.get("verdict") != "not_applicable" or reasons[0] not in case.get("reason", ""):
                problems.append(f"{name}: {case.get('verdict')} ({case.get('reason', '')[:200]}) here, "
                                f"not not_applicable because {reasons[0]}")
        elif case.get("verdict") != theirs.get(name):
            problems.append(f"{name}: {case.get('verdict')} here, {theirs.get(name)} over the spawned emulator")
    return problems


def check_listed(emulator, expectations_path):
    """Every defect qftp-emu names has expectations, and no expectation names a defect it lacks."""
    out = subprocess.run([emulator, "--list-defects"], stdout=subprocess.PIPE, text=True, check=True, timeout=30)
    listed = {line.split("\t")[0] for line in out.stdout.splitlines() if line.strip()}
    with open(expectations_path) as f:
        known = set(json.load(f)["defects"])
    problems = [f"defect {d} has no expectations in {expectations_path}" for d in sorted(listed - known)]
    problems += [f"expectations name {d}, which qftp-emu --list-defects does not list" for d in sorted(known - listed)]
    for problem in problems:
        print("PROBLEM:", problem)
    print(f"{len(listed)} defects listed, {len(known)} with expectations")
    return 1 if problems else 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["full", "defect", "same", "listed", "expect"])
    p.add_argument("--binary")
    p.add_argument("--report-dir")
    p.add_argument("--emulator", help="qftp-emu, for listed")
    p.add_argument("--defect")
    p.add_argument("--expectations")
    p.add_argument("--reference", help="report.json of the run over the spawned emulator")
    p.add_argument("--expect-fail", action="append", default=[], help="expect: a requirement that must fail")
    p.add_argument("--expect-log", action="append", default=[], help="expect: text some case's log must hold")
    p.add_argument("--timeout", type=float, default=600)
    # Everything after "--" goes to qftp-conformance as it is.
    argv = sys.argv[1:]
    passthrough = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    a = p.parse_args(argv)
    if a.mode == "listed":
        sys.exit(check_listed(a.emulator, a.expectations))
    extra = list(passthrough)
    expectations = None
    if a.mode == "defect":
        with open(a.expectations) as f:
            expectations = json.load(f)
        extra += ["--emulator-defect", a.defect]
        profile = expectations["defects"].get(a.defect, {}).get("profile")
        if profile:
            extra += ["--profile", os.path.join(os.path.dirname(os.path.abspath(a.expectations)), "..", "profiles",
                                                profile)]
        for pattern in expectations["defects"].get(a.defect, {}).get("select", []):
            extra += ["--requirement", pattern]
    code, report = run_suite(a.binary, a.report_dir, extra, a.timeout)
    if a.mode == "full":
        problems = check_full(code, report)
    elif a.mode == "defect":
        problems = check_defect(code, report, a.defect, expectations)
    elif a.mode == "expect":
        problems = check_defect(code, report, "(given)", {"defects": {"(given)": {"fail": a.expect_fail}}})
        for text in a.expect_log:
            if not any(text in c["log"] for c in report["cases"]):
                problems.append(f"no case log holds \"{text}\"")
    else:
        with open(a.reference) as f:
            problems = check_same(code, report, json.load(f))
    s = report["summary"]
    print(f"summary: {s['total']} cases, {s['pass']} pass, {s['fail']} fail, {s['inconclusive']} inconclusive, "
          f"{s['not_applicable']} not_applicable, {s['error']} error, {s['duration_s']:.1f} s")
    for problem in problems:
        print("PROBLEM:", problem)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
