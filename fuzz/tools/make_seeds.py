#!/usr/bin/python3
# Writes the committed seed corpora of every fuzz target (fuzz/corpus/<target>/) from the spec's
# examples, the reference transcripts and the host habits of docs/field-facts.md §2, and the session
# fuzzer's reproducers (fuzz/regressions/session_fuzzer/) in its current input format. Re-run after
# changing them. Transcripts are read by session_seed_writer, the one parser of their format.
"""usage: make_seeds.py --session-writer PATH   (PATH: build-*/bin/session_seed_writer)"""

import argparse
import hashlib
import pathlib
import re
import shutil
import struct
import subprocess

FUZZ = pathlib.Path(__file__).resolve().parent.parent
ROOT = FUZZ.parent
TRANSCRIPTS = ROOT / "reference_impl" / "tests" / "transcripts"
CHAPTER4 = ROOT / "conformance" / "transcripts"
REGRESSIONS = FUZZ / "regressions" / "session_fuzzer"
WRITER = None  # session_seed_writer, which reads transcripts with the kit's one parser


def host_lines(path):
    """The host's bytes of a transcript, a line at a time (its >raw lines, or its > command lines)."""
    out = subprocess.run([WRITER, "--host-bytes", str(path)], check=True, capture_output=True, text=True)
    return [bytes.fromhex(h) for h in out.stdout.split()]


def transcript_inputs():
    """(name, host bytes) of every exact-byte transcript, and each of its command lines on its own."""
    for path in sorted(TRANSCRIPTS.glob("*.txt")):
        lines = host_lines(path)
        yield path.stem, b"".join(lines), lines


def spec_lines():
    """The spec's command lines, each once: its chapter-4 examples' (the suite's transcripts), then
    chapter 2's."""
    seen = []
    for path in sorted(CHAPTER4.glob("*.txt")):
        seen += host_lines(path)
    seen += CHAPTER2_LINES
    return list(dict.fromkeys(seen))


# The spec's chapter 2 command lines (with its own spacing and misspellings, ruling 1).
CHAPTER2_LINES = [
    b'AT+QFTPUSE="quectel"\r', b'AT+QFTPOPEN=?\r', b'AT+QFTPOPEN?\r', b'AT+QFTPCLOSE=?\r',
    b'AT+QFTPPUT=?\r', b'AT+QFTPGET=?\r',
    b'AT+QFTPPATH=?\r', b'AT+QFTPPATH?\r', b'AT+QFTPUSER=?\r', b'AT+QFTPUSER?\r', b'AT+QFTPPASS=?\r',
    b'AT+QFTPPASS?\r', b'AT+QFTPCFG=?\r', b'AT+QFTPSTAT=?\r', b'AT+QFTPSTAT\r', b'AT+QFTPLEN=?\r',
    b'AT+QFTPLEN\r', b'AT+QFTPFCFG=1,1\r', b'AT+QFTPCFG=4,"/SD/"\r', b'AT+QFTPCFG=4,"/RAM/"\r',
    b'AT+IFC=2,2\r', b'AT+IFC=2, 2\r', b'AT+QIREGAPP\r', b'AT+QIACT\r', b'AT+CPIN?\r', b'AT+CREG?\r',
    b'AT+CGATT?\r', b'AT+CSQ\r', b'ATI\r', b'AT+GMR\r',
]
# docs/field-facts.md §2's habits.
HABITS = {
    "junk_space": b" AT+QFTPSTAT\r",
    "junk_esc": b"\x1bAT+QFTPSTAT\r",
    "junk_crlf": b"\r\nAT+QFTPSTAT\r",
    "lf_only": b"AT+QFTPSTAT\n",
    "crlf": b"AT+QFTPSTAT\r\n",
    "quoted_port": b'AT+QFTPOPEN="host","21"\r',
    "plus_ath": b"+++ATH\r",
    "pipelined": b'AT+QFTPUSER="u"\rAT+QFTPPASS="p"\rAT+QFTPOPEN="h",21\rAT+QFTPSTAT\r',
    "polling": b"AT+QFTPSTAT\r" * 8,
    "lowercase": b'at+qftpuser="Bob"\r',
    "multi": b'AT+QFTPSTAT;+QFTPLEN;+QFTPCFG=1\r',
    "repeat": b"AT+QFTPSTAT\rA/",
    "backspace": b"AT+QFTPSTAX\x08T\rAT+QFTPLEX\x7fN\r",
    "long_line": b"AT" + b" " * 260 + b"+QFTPLEN\r",
    "numeric": b"ATV0\rAT+QFTPSTAT\rATV1Q1\rAT+NOPE\rATQ0\r",
    "s3": b"ATS3=64\rAT@ATS3=13@",
    "get_then_at": b'AT+QFTPGET="sscom.ini"\rAT\r',
}


def write(target: str, name: str, data: bytes):
    d = FUZZ / "corpus" / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)


def body_of(line: bytes):
    """The command line body after "AT", without the terminator, as the framer passes it on."""
    m = re.search(rb"(AT|at)(.*?)[\r\n]", line, re.S)
    return m.group(2) if m else None


def at_line():
    bodies = set()
    for _, _, lines in transcript_inputs():
        for line in lines:
            b = body_of(line)
            if b is not None:
                bodies.add(b)
    for line in spec_lines() + list(HABITS.values()):
        b = body_of(line)
        if b is not None:
            bodies.add(b)
    bodies |= {b'+QFTPOPEN="h",,', b'+QFTPCFG=3,123456789012345678901234567890', b'E0V1Q0S3=13S4=10',
               b'&F;Z;S03?', b'+QFTPUSER="a;b, c";+QFTPPASS="p"', b'+X=1,', b';;+QFTPLEN;', b'S3=',
               b'+QFTPUSER="unterminated'}
    for b in sorted(bodies):
        write("at_line_fuzzer", "line_" + hashlib.sha1(b).hexdigest()[:12], b)


def at_stream():
    # [mode][chunk count][chunk sizes][stream]; mode bits 0-1: fresh, upload, download, opened.
    def stream(name, mode, data, chunks=()):
        write("at_stream_fuzzer", name, bytes([mode, len(chunks)]) + bytes(c - 1 for c in chunks) + data)

    for name, whole, _ in transcript_inputs():
        stream(f"transcript_{name}", 0x00, whole)
        stream(f"transcript_{name}_chunked", 0x00, whole, (1, 3, 17, 64))
    for i, line in enumerate(spec_lines()):
        stream(f"spec_line_{i:02d}", 0x00, line)
    for name, data in HABITS.items():
        stream(f"habit_{name}", 0x00, data, (2, 5))
        stream(f"habit_{name}_opened", 0x03, data, (3,))
    # Data mode: an upload of 10 bytes then commands (ruling 5), "+++ATH" inside the data.
    stream("upload_then_commands", 0x41, b"0123456789AT+QFTPSTAT\r", (4, 9))
    stream("upload_plus_ath", 0x41, b"+++ATH\r+++AT\rAT+QFTPLEN\r", (1,))
    stream("upload_crlf_split", 0x01, b"\r\nAT\r\n", (1, 1))
    stream("download_typed_at", 0x02, b"+++AT+QFTPSTAT\r", (2,))
    stream("s3_s5_settings", 0x2c, b"ATS5=120\rATxxS\r@AT\r", (3,))


def at_escape():
    # [guard][gap][start][unused][tail lo][tail hi] + records [delay lo][delay hi][byte].
    def esc(name, records, guard=0, gap=0, start=0, tail=600):
        data = bytes([guard, gap, start, 0]) + struct.pack("<H", tail)
        for delay, byte in records:
            data += struct.pack("<H", delay) + bytes([byte])
        write("escape_fuzzer", name, data)

    plus = ord("+")
    esc("clean_escape", [(600, plus), (5, plus), (5, plus)])
    esc("escape_then_data", [(600, plus), (5, plus), (5, plus), (600, ord("x")), (1, ord("y"))])
    esc("plus_ath_no_pause", [(0, c) for c in b"+++ATH\r"])
    esc("data_plus_ath", [(0, c) for c in b"data+++ATH\r"], tail=0)
    esc("guard_minus_one_before", [(499, plus), (1, plus), (1, plus)])
    esc("guard_exact_before", [(500, plus), (1, plus), (1, plus)], tail=500)
    esc("guard_minus_one_after", [(500, plus), (1, plus), (1, plus)], tail=499)
    esc("gap_exact", [(500, plus), (20, plus), (19, plus)])
    esc("four_pluses", [(600, plus), (1, plus), (1, plus), (1, plus)])
    esc("two_escapes", [(600, plus), (1, plus), (1, plus), (600, plus), (1, plus), (1, plus)])
    esc("byte_inside_guard_after", [(600, plus), (1, plus), (1, plus), (499, ord("z"))])
    esc("no_guard_defect", [(0, plus), (0, plus), (0, plus), (0, plus)], guard=1)
    esc("end_of_time", [(0, plus), (1, plus), (1, plus)], start=3, tail=65535)
    esc("binary_data", [(1, b) for b in range(256)], tail=1000)


def ftp_reply():
    # [segment size][port hi][port lo] + the bytes.
    def reply(name, data, segment=0, port=21):
        write("ftp_reply_fuzzer", name, bytes([segment]) + struct.pack(">H", port) + data)

    reply("greeting", b"220 scripted FTP server ready\r\n")
    reply("login", b"331 password please\r\n230 logged in\r\n257 \"/\" is the current directory\r\n", 5)
    reply("multiline", b"230-Welcome\r\n230-second line\r\n plain line\r\n230 Logged in\r\n", 3)
    reply("lf_only", b"220 ready\n331 pass\n", 2)
    reply("pasv", b"227 Entering Passive Mode (127,0,0,1,156,64)\r\n")
    reply("pasv_no_parens", b"227 Entering Passive Mode 10,0,0,2,4,1\r\n")
    reply("pasv_version_first", b"227 Version 1.2.3 ready (10,0,0,2,4,1)\r\n")
    reply("pasv_zero", b"227 Entering Passive Mode (0,0,0,0,156,64)\r\n")
    reply("epsv", b"229 Entering Extended Passive Mode (|||40000|)\r\n")
    reply("epsv_other_delimiter", b"229 Entering Extended Passive Mode (!!!40001!)\r\n")
    reply("transfer", b"150 Opening BINARY mode data connection\r\n226 Transfer complete\r\n", 7)
    reply("abort", b"426 Connection closed; transfer aborted.\r\n226 Abort successful\r\n")
    reply("idle_421", b"421 Timeout.\r\n")
    reply("garbage", b"hello\r\n")
    reply("bare_code", b"200\r\n")
    reply("port_ipv4", b"192.168.1.2", 0, 40000)
    reply("port_mapped", b"::ffff:10.0.0.1", 0, 513)
    reply("port_zero", b"127.0.0.1", 0, 0)
    for code in (421, 425, 426, 450, 452, 500, 501, 502, 530, 532, 550, 551, 552, 553):
        reply(f"chapter3_{code}", f"{code} error text\r\n".encode())


def session():
    out = FUZZ / "corpus" / "session_fuzzer"
    subprocess.run([WRITER, str(out), str(CHAPTER4), str(REGRESSIONS)], check=True)


def file_commands():
    """file_commands_fuzzer's steps (fuzz/file_commands_fuzzer.cpp): open, write, seek, read, cut
    and close a handle; a write's timeout and escape; checked uploads and downloads; a copy and a
    move; a long read with a line typed meanwhile (ruling 17)."""
    verbs = ["+QFOPEN", "+QFREAD", "+QFWRITE", "+QFSEEK", "+QFPOSITION", "+QFCLOSE", "+QFFLUSH",
             "+QFTUCAT", "+QFLST", "+QFDEL", "+QFLDS", "+QFDWL", "+QFUPL", "+QFMOV", "+CMEE"]
    names = ["a", "b.bin", "RAM:a", "RAM:b", "SD:a", "*", "RAM:*", "SD:*", "RAM:", "a/b", "..",
             "RAM:x y", ""]

    def cmd(verb, params):  # ('n', name), ('h', handle index), ('s', small), ('w', 16 bits)
        out = [0, verbs.index(verb), 3 + 8 * (len(params) - 1)]
        for kind, v in params:
            out += {"n": lambda: [1, names.index(v)], "h": lambda: [0, 1, v],
                    "s": lambda: [0, 0, v], "w": lambda: [0, 2, v & 0xFF, v >> 8]}[kind]()
        return out

    def data(b): return [2, len(b)] + list(b)
    def wait(ms): return [3, ms & 0xFF, ms >> 8]
    def upload(ram, name, b): return [5, ram, name, len(b)] + list(b)
    def download(ram, idx): return [6, ram, idx]
    esc = [4]
    seeds = {
        "open_write_seek_read_ram": [0] + cmd("+QFOPEN", [("n", "RAM:a"), ("s", 1)])
        + cmd("+QFWRITE", [("h", 0), ("s", 5)]) + data(b"hello") + cmd("+QFSEEK", [("h", 0), ("s", 1)])
        + cmd("+QFREAD", [("h", 0), ("s", 3)]) + cmd("+QFPOSITION", [("h", 0)])
        + cmd("+QFTUCAT", [("h", 0)]) + cmd("+QFCLOSE", [("h", 0)]),
        "write_timeout_ufs": [0] + cmd("+QFOPEN", [("n", "b.bin"), ("s", 0)])
        + cmd("+QFWRITE", [("h", 0), ("w", 300), ("s", 1)]) + data(b"abc") + wait(1500)
        + cmd("+QFLST", [("n", "*")]),
        "write_escape": [1] + cmd("+QFOPEN", [("n", "a"), ("s", 1)]) + cmd("+QFWRITE", [("h", 0)])
        + data(b"data+") + esc + cmd("+QFDWL", [("n", "a")]),
        "upload_download_checked": [0] + upload(1, 0, b"0123456789abcdef\r\n+x") + download(1, 0)
        + upload(0, 1, b"") + download(0, 0),
        "upload_ack_escape": [0] + cmd("+QFUPL", [("n", "RAM:b"), ("w", 2500), ("s", 5), ("s", 1)])
        + data(bytes(range(60))) + esc + cmd("+QFLDS", [("n", "RAM:")]),
        "move_copy": [1] + upload(0, 2, b"move me") + cmd("+QFMOV", [("n", "b.bin"), ("n", "a"), ("s", 1), ("s", 1)])
        + cmd("+QFMOV", [("n", "a"), ("n", "RAM:a"), ("s", 0), ("s", 0)]) + cmd("+CMEE", [("s", 2)])
        + cmd("+QFDEL", [("n", "*")]),
        "long_read_typed_ahead": [0] + cmd("+QFOPEN", [("n", "a"), ("s", 1)]) + cmd("+QFWRITE", [("h", 0), ("w", 2900)])
        + [2, 0x80 | 45, ord("r")] + cmd("+QFSEEK", [("h", 0), ("s", 0)]) + cmd("+QFREAD", [("h", 0)])
        + data(b"AT+QFPOSITION=12451840\r") + wait(3000),
        "long_download_escaped": [0] + cmd("+QFUPL", [("n", "b.bin"), ("w", 5000)]) + [2, 0x80 | 79, ord("d")]
        + cmd("+QFDWL", [("n", "b.bin")]) + esc + download(0, 0),
    }
    for name, steps in seeds.items():
        write("file_commands_fuzzer", name, bytes(x & 0xFF for x in steps))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--session-writer", required=True, help="path to session_seed_writer")
    args = parser.parse_args()
    global WRITER
    WRITER = args.session_writer
    for target in ("at_line_fuzzer", "at_stream_fuzzer", "escape_fuzzer", "ftp_reply_fuzzer", "session_fuzzer",
                   "file_commands_fuzzer"):
        shutil.rmtree(FUZZ / "corpus" / target, ignore_errors=True)
    at_line()
    at_stream()
    at_escape()
    ftp_reply()
    session()
    file_commands()


if __name__ == "__main__":
    main()
