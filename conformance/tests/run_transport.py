#!/usr/bin/python3
# run_transport.py: the suite over the other DUT transports, against qftp-emu started by hand: over
# tcp: (a ser2net-style raw socket: the emulator's own --tcp port) and over serial: (a socat pty
# wrapping that port). The verdicts must be those of the run over the spawned emulator.
import argparse
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_report  # noqa: E402


def read_line(proc_pipe, what, deadline):
    """One line from a child's pipe, or exit when `deadline` passes without one."""
    buf = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc_pipe], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        chunk = os.read(proc_pipe.fileno(), 1)
        if not chunk:
            break
        if chunk == b"\n":
            return buf.decode(errors="replace")
        buf += chunk
    sys.exit(f"{what}: no line in time (got {buf!r})")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--binary", required=True)
    p.add_argument("--emulator", required=True)
    p.add_argument("--profile", required=True)
    p.add_argument("--transport", choices=["tcp", "serial"], required=True)
    p.add_argument("--report-dir", required=True)
    p.add_argument("--reference", required=True)
    a = p.parse_args()

    work = tempfile.mkdtemp(prefix=f"qftp-{a.transport}-")
    children = []
    try:
        emu_profile = os.path.join(work, "emu.profile")
        subprocess.run([a.binary, "--profile", a.profile, "--write-emulator-profile", emu_profile], check=True)
        ufs = os.path.join(work, "ufs")
        os.mkdir(ufs)
        emu = subprocess.Popen([a.emulator, "--tcp", "127.0.0.1:0", "--control", "127.0.0.1:0", "--profile",
                                emu_profile, "--ufs-dir", ufs, "--log", os.path.join(work, "emu.log")],
                               stdout=subprocess.PIPE, stderr=open(os.path.join(work, "emu.stderr"), "wb"))
        children.append(emu)
        ready = read_line(emu.stdout, "qftp-emu READY", time.monotonic() + 10)
        # "READY tcp 127.0.0.1:PORT control=127.0.0.1:CPORT"
        parts = ready.split()
        port = parts[2].rsplit(":", 1)[1]
        control = parts[3].rsplit(":", 1)[1]
        if a.transport == "tcp":
            dut = f"tcp:127.0.0.1:{port}"
        else:
            link = os.path.join(work, "modem")
            socat = subprocess.Popen(["socat", "-d", "-d", f"pty,raw,echo=0,link={link}", f"tcp:127.0.0.1:{port}"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            children.append(socat)
            # socat logs "starting data transfer loop" once both ends are open.
            deadline = time.monotonic() + 10
            while "starting data transfer loop" not in read_line(socat.stderr, "socat", deadline):
                pass
            # Nobody reads socat's later notices; a full pipe must not stall it.
            threading.Thread(target=lambda: [None for _ in iter(lambda: os.read(socat.stderr.fileno(), 4096), b"")],
                             daemon=True).start()
            dut = f"serial:{link},baud=115200"
        code, report = check_report.run_suite(
            a.binary, a.report_dir, ["--dut", dut, "--profile", a.profile, "--emulator-control", control], 600)
        with open(a.reference) as f:
            problems = check_report.check_same(code, report, json.load(f))
        s = report["summary"]
        print(f"summary over {dut}: {s['total']} cases, {s['pass']} pass, {s['fail']} fail, "
              f"{s['not_applicable']} not_applicable, {s['error']} error, {s['duration_s']:.1f} s")
        for problem in problems:
            print("PROBLEM:", problem)
        return 1 if problems else 0
    finally:
        for child in reversed(children):
            child.terminate()
            try:
                child.wait(timeout=5)
            except subprocess.TimeoutExpired:
                child.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
