#!/usr/bin/python3
# run_transport.py: the suite over the other DUT transports, against qftp-emu started by hand: over
# tcp: (a ser2net-style raw socket: the emulator's own --tcp port), over serial: (a socat pty
# wrapping that port), and over ser2net itself (on the emulator's pty: its raw port, then its
# telnet(rfc2217) port). The verdicts must be those of the run over the spawned emulator, except
# where a transport cannot do what a case needs (a pty cannot drop DTR), and says so.
import argparse
import json
import os
import select
import shutil
import socket
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


def free_loopback_ports(count):
    """Ports free on 127.0.0.1 now, for a child that binds them itself (ser2net takes no port 0)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def drain(pipe):
    """Reads a child's pipe to its end on a thread: nobody reads its later output, and a full pipe
    must not stall it."""
    threading.Thread(target=lambda: [None for _ in iter(lambda: os.read(pipe.fileno(), 4096), b"")],
                     daemon=True).start()


def start_ser2net(work, device, children):
    """ser2net 4.x in the foreground on `device`: a raw port and a telnet(rfc2217) port, both on
    loopback. Returns their numbers once it says Ready (it prints that after its ports listen)."""
    if shutil.which("ser2net") is None:
        sys.exit("ser2net is not installed (Debian package ser2net; ci/setup installs it)")
    raw, telnet = free_loopback_ports(2)
    config = os.path.join(work, "ser2net.yaml")
    with open(config, "w") as f:
        f.write(f"""%YAML 1.1
---
connection: &raw
  accepter: tcp,127.0.0.1,{raw}
  enable: on
  connector: serialdev,{device},115200n81,local

connection: &telnet
  accepter: telnet(rfc2217),tcp,127.0.0.1,{telnet}
  enable: on
  connector: serialdev,{device},115200n81,local
""")
    # -n: foreground, a child of ours; -r: print Ready; -u: no UUCP lock files in /var/lock.
    ser2net = subprocess.Popen(["ser2net", "-n", "-r", "-u", "-c", config, "-P", os.path.join(work, "ser2net.pid")],
                               stdout=subprocess.PIPE, stderr=open(os.path.join(work, "ser2net.stderr"), "wb"))
    children.append(ser2net)
    line = read_line(ser2net.stdout, "ser2net Ready", time.monotonic() + 10)
    if line.strip() != "Ready":
        sys.exit(f"ser2net said {line!r} instead of Ready")
    drain(ser2net.stdout)
    return raw, telnet


def start_emulator(a, work, name, children):
    """A fresh qftp-emu (the suite reads the FTP service's first state, so each run needs its own)
    with its network control; its READY line's endpoint and control port."""
    emu_profile = os.path.join(work, "emu.profile")
    if not os.path.exists(emu_profile):
        subprocess.run([a.binary, "--profile", a.profile, "--write-emulator-profile", emu_profile], check=True)
    ufs = os.path.join(work, f"ufs-{name}")
    os.mkdir(ufs)
    # ser2net serves a serial device: the emulator's pty, by a link that names each emulator's in
    # turn. The others wrap its TCP port.
    host_side = ["--pty", "--link", os.path.join(work, "modem")] if a.transport == "ser2net" else \
        ["--tcp", "127.0.0.1:0"]
    emu = subprocess.Popen([a.emulator] + host_side + ["--control", "127.0.0.1:0", "--profile", emu_profile,
                            "--ufs-dir", ufs, "--log", os.path.join(work, f"emu-{name}.log")],
                           stdout=subprocess.PIPE, stderr=open(os.path.join(work, f"emu-{name}.stderr"), "wb"))
    children.append(emu)
    ready = read_line(emu.stdout, "qftp-emu READY", time.monotonic() + 10)
    # "READY tcp 127.0.0.1:PORT control=127.0.0.1:CPORT" or "READY pty /dev/pts/N control=..."
    parts = ready.split()
    return emu, parts[2], parts[3].rsplit(":", 1)[1]


def stop(child):
    child.terminate()
    try:
        child.wait(timeout=5)
    except subprocess.TimeoutExpired:
        child.kill()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--binary", required=True)
    p.add_argument("--emulator", required=True)
    p.add_argument("--profile", required=True)
    p.add_argument("--transport", choices=["tcp", "serial", "ser2net"], required=True)
    p.add_argument("--report-dir", required=True)
    p.add_argument("--reference", required=True)
    a = p.parse_args()

    work = tempfile.mkdtemp(prefix=f"qftp-{a.transport}-")
    children = []
    try:
        if a.transport == "ser2net":
            # ser2net opens the device as a client connects, so one ser2net serves both emulators.
            raw, telnet = start_ser2net(work, os.path.join(work, "modem"), children)
            # The raw port as it is; the telnet port with the line set through RFC 2217.
            duts = [("raw", f"tcp:127.0.0.1:{raw}"), ("telnet", f"tcp:127.0.0.1:{telnet},telnet,baud=115200,rtscts")]
        else:
            duts = [(None, None)]
        with open(a.reference) as f:
            reference = json.load(f)
        problems = []
        for name, dut in duts:
            emu, endpoint, control = start_emulator(a, work, name or a.transport, children)
            if a.transport == "tcp":
                dut = f"tcp:{endpoint}"
            elif a.transport == "serial":
                link = os.path.join(work, "modem")
                socat = subprocess.Popen(["socat", "-d", "-d", f"pty,raw,echo=0,link={link}", f"tcp:{endpoint}"],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                children.append(socat)
                # socat logs "starting data transfer loop" once both ends are open.
                deadline = time.monotonic() + 10
                while "starting data transfer loop" not in read_line(socat.stderr, "socat", deadline):
                    pass
                drain(socat.stderr)
                dut = f"serial:{link},baud=115200"
            report_dir = os.path.join(a.report_dir, name) if name else a.report_dir
            code, report = check_report.run_suite(
                a.binary, report_dir, ["--dut", dut, "--profile", a.profile, "--emulator-control", control], 600)
            # A pty has no modem-control lines: over serial: the socat pty cannot drop DTR, so the
            # cases that end the host link (R/44, R/45) are not applicable there, and say why.
            # ser2net closes the emulator's pty when its client leaves, tcp: closes the emulator's
            # connection: both end the host link as qftp-emu's DTR drop (docs/rulings.md ruling 15).
            not_here = {req: "cannot drop DTR" for req in ("R/44", "R/45")} if a.transport == "serial" else {}
            found = check_report.check_same(code, report, reference, not_here)
            s = report["summary"]
            print(f"summary over {dut}: {s['total']} cases, {s['pass']} pass, {s['fail']} fail, "
                  f"{s['inconclusive']} inconclusive, {s['not_applicable']} not_applicable, {s['error']} error, "
                  f"{s['duration_s']:.1f} s", flush=True)
            problems += [f"over {dut}: {p}" for p in found]
            stop(emu)
        if a.transport == "ser2net":
            # The telnet port spoken to as if it were raw: ser2net takes 0xFF for telnet's IAC, so
            # the binary transfers (R/31) must fail, as they would for a modem behind that port.
            emu, _, control = start_emulator(a, work, "telnet-as-raw", children)
            dut = f"tcp:127.0.0.1:{telnet}"
            code, report = check_report.run_suite(
                a.binary, os.path.join(a.report_dir, "telnet-as-raw"),
                ["--dut", dut, "--profile", a.profile, "--emulator-control", control, "--requirement", "R/31"], 300)
            verdicts = {r["id"]: r["verdict"] for r in report["requirements"]}
            print(f"R/31 over {dut} without ,telnet: {verdicts.get('R/31')} (exit {code})", flush=True)
            if code != 1 or verdicts.get("R/31") != "fail":
                problems.append(f"over {dut} without ,telnet: R/31 is {verdicts.get('R/31')} (exit {code}), "
                                "not the fail that telnet's escaping of 0xFF must cause")
            stop(emu)
        for problem in problems:
            print("PROBLEM:", problem)
        return 1 if problems else 0
    finally:
        for child in reversed(children):
            stop(child)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
