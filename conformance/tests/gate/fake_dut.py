# fake_dut.py: a scripted DUT on a loopback TCP port (a ser2net-style raw socket). It answers like a
# modem until a command line starts with its trigger ("" = the first line), then misbehaves as
# told; the gate tests run qftp-conformance against it as a real process.
import socket
import threading
import time

# What a fake misbehaves with, once triggered.
MODES = ('normal', 'silent', 'echo', 'late', 'ok_all', 'flood_lines', 'flood_bytes', 'garbage',
         'close', 'reset')


def modem_answer(line):
    """The canned answers of a modem that does everything right and quickly."""
    if line.startswith('AT+QFTPCLOSE'):
        return b'\r\nOK\r\n\r\n+QFTPCLOSE:0\r\n'
    if line.startswith('AT+QFTPCFG='):
        return b'\r\nOK\r\n\r\n+QFTPCFG:0\r\n' if ',' in line else b'\r\nOK\r\n\r\n+QFTPCFG:1\r\n'
    if line.startswith('AT+QFTPSTAT'):
        return b'\r\n+QFTPSTAT: IDLE\r\n\r\nOK\r\n'
    if line.startswith('ATI'):
        return b'\r\nFake_Ltd\r\nFake_DUT\r\nRevision: FAKE\r\n\r\nOK\r\n'
    return b'\r\nOK\r\n'


class FakeDut:
    def __init__(self, mode, trigger='', late_s=10.0):
        assert mode in MODES, mode
        self.mode, self.trigger, self.late_s = mode, trigger, late_s
        self.triggered = False
        self.connections = 0
        self.bytes_sent = 0
        self._stop = threading.Event()
        self._listener = socket.create_server(('127.0.0.1', 0))
        self._listener.settimeout(0.05)
        self.port = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def close(self):
        self._stop.set()
        self._thread.join(10)
        if self._listener is not None:
            self._listener.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _serve(self):
        while not self._stop.is_set() and self._listener is not None:
            try:
                conn, _ = self._listener.accept()
            except (socket.timeout, OSError):
                continue
            self.connections += 1
            with conn:
                go_on = self._serve_connection(conn)
            if not go_on:  # a closed port: nothing listens any more
                self._listener.close()
                self._listener = None

    def _send(self, conn, data):
        """All of `data`, unless the peer stops reading for good or the fake is stopped."""
        view = memoryview(data)
        while view and not self._stop.is_set():
            try:
                n = conn.send(view)
            except socket.timeout:
                continue
            except OSError:
                return False
            self.bytes_sent += n
            view = view[n:]
        return not view

    def _serve_connection(self, conn):
        conn.settimeout(0.05)
        line = b''
        while not self._stop.is_set():
            try:
                data = conn.recv(4096)
            except socket.timeout:
                continue
            except OSError:
                return True
            if not data:
                return True
            if self.triggered and self.mode == 'echo':
                if not self._send(conn, data):
                    return True
                continue
            for byte in data:
                if byte == 0x0a:
                    continue
                if byte != 0x0d:
                    line += bytes([byte])
                    continue
                cmd, line = line.decode('latin-1'), b''
                if not self.triggered and self.mode != 'normal' and cmd.startswith(self.trigger):
                    self.triggered = True
                    if self.mode == 'close':
                        return False
                    if self.mode == 'reset':
                        self.mode = 'normal'  # the line drops; the next connection is served
                        return True
                    if self.mode == 'flood_lines':
                        while self._send(conn, b'\r\n+QFTPSTAT: IDLE\r\n' * 4096):
                            pass
                        return True
                    if self.mode == 'flood_bytes':
                        while self._send(conn, b'x' * 65536):
                            pass
                        return True
                    if self.mode == 'echo':
                        if not self._send(conn, cmd.encode('latin-1') + b'\r'):
                            return True
                        continue
                if not self.triggered:
                    answer = modem_answer(cmd)
                elif self.mode == 'silent':
                    continue
                elif self.mode == 'garbage':
                    answer = b'\x00\xff\x1b[0m garbage ' + cmd.encode('latin-1') + b'\x7f'
                elif self.mode == 'ok_all':
                    answer = b'\r\nOK\r\n'
                elif self.mode == 'late':
                    if self._stop.wait(self.late_s):
                        return True
                    answer = modem_answer(cmd)
                else:
                    answer = modem_answer(cmd)
                if not self._send(conn, answer):
                    return True
        return True
