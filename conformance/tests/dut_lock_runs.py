#!/usr/bin/python3
# dut_lock_runs.py: two qftp-conformance runs on one DUT, a serial device (a socat pty) and a TCP
# DUT: the second is refused at once, exit 3, naming the first as the holder. The DUT is a socket
# of this script that never answers, so the first run holds its lock until the script lets it go.
import argparse
import json
import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time

# The first run waits this long for the DUT's answer to its first AT, so it cannot end by itself
# while the second runs; the script ends it earlier by closing the DUT's side.
HOLD_MS = 120000


def read_until(sock, marker, deadline, what):
    """Bytes from `sock` until `marker` has arrived, or exit at `deadline`."""
    got = b""
    while marker not in got:
        ready, _, _ = select.select([sock], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            sys.exit(f"{what}: {marker!r} did not arrive in time (got {got!r})")
        chunk = sock.recv(4096)
        if not chunk:
            sys.exit(f"{what}: the connection closed before {marker!r} (got {got!r})")
        got += chunk
    return got


def accept(listener, deadline, what):
    ready, _, _ = select.select([listener], [], [], max(0.0, deadline - time.monotonic()))
    if not ready:
        sys.exit(f"{what}: nothing connected in time")
    return listener.accept()[0]


def check_refusal(binary, dut, profile, report_dir, holder, conn, what):
    """With `holder` holding `dut` (its first AT has reached `conn`), a second run is refused."""
    read_until(conn, b"AT", time.monotonic() + 30, f"{what}: the first run's AT")
    # The first run locks the DUT before it starts anything, so it holds the lock from here on.
    cmd = [binary, "--dut", dut, "--profile", profile, "--report-dir", os.path.join(report_dir, "second"),
           "--gtest_brief=1"]
    print("$", " ".join(cmd), flush=True)
    started = time.monotonic()
    second = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60)
    took = time.monotonic() - started
    print(second.stdout.strip())
    print(f"{what}: the second run ended with {second.returncode} after {took:.2f} s", flush=True)
    problems = []
    if second.returncode != 3:
        problems.append(f"{what}: the second run exited {second.returncode}, not 3")
    for part in ("DUT busy", f"pid {holder.pid} (", "qftp-conformance"):
        if part not in second.stdout:
            problems.append(f"{what}: the refusal does not name its holder ({part!r} missing)")
    # Refused at once: it ended while the first run still held the DUT.
    if holder.poll() is not None:
        problems.append(f"{what}: the first run ended ({holder.returncode}) before the second was refused")
    return problems


def end_holder(holder, conn, listener, what):
    """Closing the DUT's side breaks the first run's link, and no reconnect can reach it: the first
    run ends by itself, and lets go."""
    conn.close()
    listener.close()
    try:
        code = holder.wait(timeout=60)
    except subprocess.TimeoutExpired:
        return [f"{what}: the first run did not end once its DUT went away"]
    print(f"{what}: the first run ended with {code} once its DUT went away", flush=True)
    return []


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--binary", required=True)
    p.add_argument("--profile", required=True)
    p.add_argument("--report-dir", required=True)
    a = p.parse_args()

    work = tempfile.mkdtemp(prefix="qftp-dut-lock-")
    children = []
    problems = []
    try:
        with open(a.profile) as f:
            profile = json.load(f)
        profile["name"] = "dut-lock-hold"
        profile["pixit"]["command_timeout_ms"] = HOLD_MS
        held_profile = os.path.join(work, "profile.json")
        with open(held_profile, "w") as f:
            json.dump(profile, f)

        def listen():
            listener = socket.socket()
            listener.bind(("127.0.0.1", 0))
            listener.listen(2)
            return listener, listener.getsockname()[1]

        def start_holder(dut, name):
            out = open(os.path.join(work, f"{name}.out"), "wb")
            holder = subprocess.Popen([a.binary, "--dut", dut, "--profile", held_profile, "--report-dir",
                                       os.path.join(a.report_dir, name, "first"), "--gtest_brief=1"],
                                      stdout=out, stderr=subprocess.STDOUT)
            children.append(holder)
            return holder

        # A TCP DUT: the listener is the serial server's port.
        listener, port = listen()
        dut = f"tcp:127.0.0.1:{port}"
        holder = start_holder(dut, "tcp")
        conn = accept(listener, time.monotonic() + 30, "tcp: the first run")
        problems += check_refusal(a.binary, dut, held_profile, os.path.join(a.report_dir, "tcp"), holder, conn, "tcp")
        problems += end_holder(holder, conn, listener, "tcp")

        # A serial device: a pty whose other side socat carries to the listener.
        listener, port = listen()
        link = os.path.join(work, "modem")
        socat = subprocess.Popen(["socat", "-d", "-d", f"pty,raw,echo=0,link={link}", f"tcp:127.0.0.1:{port}"],
                                 stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "socat.err"), "wb"))
        children.append(socat)
        # socat connects as it starts, after its pty exists.
        conn = accept(listener, time.monotonic() + 30, "serial: socat")
        dut = f"serial:{link},baud=115200"
        holder = start_holder(dut, "serial")
        problems += check_refusal(a.binary, dut, held_profile, os.path.join(a.report_dir, "serial"), holder, conn,
                                  "serial")
        problems += end_holder(holder, conn, listener, "serial")
    finally:
        for child in reversed(children):
            if child.poll() is None:
                child.terminate()
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
        shutil.rmtree(work, ignore_errors=True)
    for problem in problems:
        print("PROBLEM:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
