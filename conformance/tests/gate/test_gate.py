# test_gate.py: qftp-conformance as a CI gate on a real bench: a DUT that is silent, only echoes,
# answers late, answers OK to everything, floods, closes, or stops mid-run; signals; bad profiles,
# bad usage and empty selections. Each test runs the real binary as a process and checks its exit
# code, its wall time, its memory and what its reports say.
import json
import os
import re
import select
import signal
import subprocess
import tempfile
import time

import pytest

from fake_dut import FakeDut

BINARY = os.environ['QFTP_CONFORMANCE']

# Short deadlines: a misbehaving DUT costs the run a few of them.
FAST = {'name': 'gate', 'pixit': {'command_timeout_ms': 300, 'urc_timeout_ms': 400,
                                  'transfer_timeout_ms': 600, 'guard_ms': 50}}
# The cases of 2.2.10: the first one sends AT+QFTPLEN=?, the trigger of the mid-run tests.
FILTER = '--gtest_filter=S2_2_10_Len.*'
TRIGGER = 'AT+QFTPLEN'
FIRST_CASE = 'S2_2_10_Len.TestCommandAnswersOk'
# The console's line for a case that ended: "[ 3/176] pass  Suite.Name ...".
PROGRESS = re.compile(r'^\[\s*\d+/\d+\] ')


class Run:
    def __init__(self, code, wall_s, maxrss_mb, stdout, stderr, report_dir):
        self.code, self.wall_s, self.maxrss_mb = code, wall_s, maxrss_mb
        self.stdout, self.stderr, self.report_dir = stdout, stderr, report_dir
        path = os.path.join(report_dir, 'report.json')
        self.report = json.load(open(path)) if os.path.exists(path) else None

    def cases(self):
        return {c['name']: c for c in self.report['cases']}

    def __repr__(self):
        return f'exit {self.code} after {self.wall_s:.1f} s; stdout tail:\n{self.stdout[-1500:]}\nstderr tail:\n{self.stderr[-1500:]}'


def write_profile(tmp_path, profile):
    path = tmp_path / 'profile.json'
    path.write_text(profile if isinstance(profile, str) else json.dumps(profile))
    return str(path)


def run(tmp_path, args, profile=FAST, deadline_s=120, env=None, on_line=None):
    """Runs qftp-conformance to its end (killed past `deadline_s`); `on_line(proc, line)` sees each
    stdout line as it arrives."""
    report_dir = str(tmp_path / 'report')
    argv = [BINARY, '--report-dir', report_dir] + args
    if profile is not None:
        argv += ['--profile', write_profile(tmp_path, profile)]
    t0 = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=dict(os.environ, **(env or {})))
    out, err = b'', b''
    streams = {proc.stdout.fileno(): 'out', proc.stderr.fileno(): 'err'}
    pending = b''
    while streams:
        left = deadline_s - (time.monotonic() - t0)
        if left <= 0:
            proc.kill()
            proc.wait()
            pytest.fail(f'qftp-conformance did not end within {deadline_s} s:\n{out.decode(errors="replace")[-2000:]}')
        ready, _, _ = select.select(list(streams), [], [], left)
        for fd in ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                del streams[fd]
            elif streams[fd] == 'out':
                out += chunk
                pending += chunk
                while b'\n' in pending:
                    line, pending = pending.split(b'\n', 1)
                    if on_line:
                        on_line(proc, line.decode(errors='replace'))
            else:
                err += chunk
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(proc.returncode, time.monotonic() - t0, usage.ru_maxrss / 1024,
               out.decode(errors='replace'), err.decode(errors='replace'), report_dir)


def fake_run(tmp_path, dut, extra=(), **kw):
    return run(tmp_path, ['--dut', f'tcp:127.0.0.1:{dut.port}'] + list(extra), **kw)


# --- set-up failures: told once, within seconds, exit 3, a report whose headline says why ---------

@pytest.mark.parametrize('mode', ['silent', 'echo', 'close'])
def test_dut_that_never_answers_stops_the_run_at_setup(tmp_path, mode):
    with FakeDut(mode) as dut:
        r = fake_run(tmp_path, dut)
    assert r.code == 3, r
    assert r.wall_s < 30, r
    assert r.report['run']['status'] == 'setup_failed', r.report['run']
    assert 'SET-UP FAILED' in r.report['run']['headline']
    assert r.report['cases'] == []
    assert 'does not answer AT' in r.report['run']['setup_error'] or mode == 'close', r.report['run']
    assert r.stdout.count('\n') <= 3, r  # one clear line, not one per case
    assert 'SET-UP FAILED' in open(os.path.join(r.report_dir, 'summary.md')).readline()


def test_dut_whose_replies_come_10_s_late_stops_the_run_at_setup(tmp_path):
    profile = {'name': 'late', 'pixit': dict(FAST['pixit'], command_timeout_ms=2000)}
    with FakeDut('late', late_s=10) as dut:
        r = fake_run(tmp_path, dut, profile=profile)
    assert r.code == 3, r
    assert r.wall_s < 30, r
    assert 'within 2000 ms' in r.report['run']['setup_error'], r.report['run']


@pytest.mark.parametrize('mode', ['flood_lines', 'flood_bytes'])
def test_flooding_dut_ends_the_run_with_bounded_memory(tmp_path, mode):
    with FakeDut(mode) as dut:
        r = fake_run(tmp_path, dut)
    assert r.code == 3, r
    assert r.wall_s < 30, r
    assert 'flooded' in r.report['run']['setup_error'], r.report['run']
    # The harness stops reading at its cap: what the DUT managed to send is bounded too.
    assert dut.bytes_sent < 64 << 20, dut.bytes_sent
    assert r.maxrss_mb < MEMORY_LIMIT_MB, f'{r.maxrss_mb:.0f} MB'


def test_missing_serial_device_is_one_line_and_exit_3(tmp_path):
    r = run(tmp_path, ['--dut', 'serial:/dev/qftp-no-such-tty'])
    assert r.code == 3, r
    assert r.wall_s < 30, r
    assert r.stdout.count('\n') <= 3, r
    assert '/dev/qftp-no-such-tty' in r.report['run']['setup_error']


def test_refused_tcp_port_is_one_line_and_exit_3(tmp_path):
    with FakeDut('normal') as dut:
        port = dut.port
    r = run(tmp_path, ['--dut', f'tcp:127.0.0.1:{port}'])
    assert r.code == 3, r
    assert 'cannot reach the DUT' in r.report['run']['setup_error'], r.report['run']


# --- DUTs that answer wrongly fail; a DUT that stops answering fails its case and ends the run -----

def test_dut_answering_ok_to_everything_fails_and_never_passes(tmp_path):
    with FakeDut('ok_all') as dut:
        r = fake_run(tmp_path, dut, ['--gtest_filter=S2_2_1_Open.*:S2_2_10_Len.*'])
    assert r.code == 1, r
    assert r.wall_s < 60, r
    verdicts = [c['verdict'] for c in r.report['cases']]
    assert 'fail' in verdicts and 'pass' not in verdicts, verdicts
    assert r.report['summary']['fail'] >= 1


def test_dut_that_goes_silent_mid_run_fails_that_case_and_ends_the_run(tmp_path):
    with FakeDut('silent', TRIGGER) as dut:
        r = fake_run(tmp_path, dut, [FILTER])
    assert r.code == 1, r
    cases = r.cases()
    assert cases[FIRST_CASE]['verdict'] == 'fail', cases[FIRST_CASE]
    assert 'no final result code' in cases[FIRST_CASE]['reason']
    assert r.report['run']['status'] == 'ended_early', r.report['run']
    assert 'stopped answering' in r.report['run']['stop_reason']
    assert all(c['verdict'] != 'pass' for name, c in cases.items() if name != FIRST_CASE)


def test_dut_that_answers_garbage_fails_with_the_garbage_quoted(tmp_path):
    with FakeDut('garbage', TRIGGER) as dut:
        r = fake_run(tmp_path, dut, [FILTER])
    assert r.code == 1, r
    case = r.cases()[FIRST_CASE]
    assert case['verdict'] == 'fail' and 'garbage' in case['log'], case


def test_dut_flooding_mid_run_fails_that_case_and_the_run_goes_on(tmp_path):
    with FakeDut('flood_bytes', TRIGGER) as dut:
        r = fake_run(tmp_path, dut, [FILTER])
    assert r.code == 1, r
    cases = r.cases()
    assert cases[FIRST_CASE]['verdict'] == 'fail' and 'flooded' in cases[FIRST_CASE]['reason']
    assert len(cases) == 3, cases.keys()
    assert r.maxrss_mb < MEMORY_LIMIT_MB, f'{r.maxrss_mb:.0f} MB'


def test_link_that_closes_mid_run_is_an_error_not_a_dut_failure(tmp_path):
    with FakeDut('close', TRIGGER) as dut:
        r = fake_run(tmp_path, dut, [FILTER])
    assert r.code == 3, r
    case = r.cases()[FIRST_CASE]
    assert case['verdict'] == 'error', case
    assert r.report['run']['status'] == 'ended_early'
    assert 'link to the DUT is lost' in r.report['run']['stop_reason'], r.report['run']


def test_link_reset_mid_run_is_an_error_and_the_next_case_reconnects(tmp_path):
    with FakeDut('reset', TRIGGER) as dut:
        r = fake_run(tmp_path, dut, [FILTER])
        connections = dut.connections
    cases = r.cases()
    assert cases[FIRST_CASE]['verdict'] == 'error', cases[FIRST_CASE]
    assert connections >= 2
    others = [c for name, c in cases.items() if name != FIRST_CASE]
    assert others and all(c['verdict'] != 'error' for c in others), others
    assert 'reconnected' in others[0]['log']


def test_case_watchdog_ends_a_stuck_case_as_error(tmp_path):
    # Answers come 3 s late, inside the 5 s command deadline: only the 1 s watchdog ends the case.
    profile = {'name': 'watchdog', 'pixit': dict(FAST['pixit'], command_timeout_ms=5000,
                                                 case_timeout_ms=1000)}
    with FakeDut('late', TRIGGER, late_s=3) as dut:
        r = fake_run(tmp_path, dut, [FILTER], profile=profile)
    # Later, the reset's URC deadlines (400 ms) find the late DUT wanting: the run ends as a fail.
    assert r.code == 1, r
    case = r.cases()[FIRST_CASE]
    assert case['verdict'] == 'error', case
    assert 'watchdog' in case['reason'] and 'case_timeout_ms' in case['reason'], case['reason']
    assert case['duration_ms'] < 5000, case['duration_ms']


# --- interruption: the case in progress is an error, the report is written and marked -------------

@pytest.mark.parametrize('signo', [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_signal_writes_a_partial_report_and_leaves_no_work_dirs(tmp_path, signo):
    scratch = tmp_path / 'tmp'
    scratch.mkdir()
    started = []

    def on_line(proc, line):
        # The third case has ended (its progress line): the fixture and the emulator are up.
        if PROGRESS.match(line):
            started.append(line)
            if len(started) == 3:
                proc.send_signal(signo)

    r = run(tmp_path, [], profile=None, env={'TMPDIR': str(scratch)}, on_line=on_line)
    assert len(started) >= 3, r
    assert r.code == 3, r
    assert r.report is not None, r
    assert r.report['run']['status'] == 'interrupted', r.report['run']
    assert signal.Signals(signo).name in r.report['run']['headline']
    assert 1 <= len(r.report['cases']) < 20, len(r.report['cases'])
    assert open(os.path.join(r.report_dir, 'summary.md')).readline().startswith(
        '# qftp-conformance: INTERRUPTED')
    assert list(scratch.iterdir()) == [], list(scratch.iterdir())


def test_second_signal_exits_at_once(tmp_path):
    sent = []

    def on_line(proc, line):
        if PROGRESS.match(line) and not sent:
            sent.append(line)
            proc.send_signal(signal.SIGTERM)
            proc.send_signal(signal.SIGTERM)

    r = run(tmp_path, [], profile=None, on_line=on_line)
    assert sent and r.code == 3, r
    assert 'second signal' in r.stderr, r


# --- bad input: a clear message naming what is wrong, exit 2, nothing run -------------------------

@pytest.mark.parametrize('pixit,words', [
    ({'guard_ms': -50}, ['guard_ms', '-50', '0..60000']),
    ({'fixture_port': 70000}, ['fixture_port', '70000', '0..65535']),
    ({'command_timeout_ms': 2.5}, ['command_timeout_ms', 'whole number']),
    ({'command_timeout_ms': 0}, ['command_timeout_ms', 'out of range']),
    ({'user': 'u' * 31}, ['user', '1 to 30']),
    ({'guard_timeout': 5}, ['unknown key', 'guard_timeout']),
])
def test_bad_profile_value_is_refused_with_its_key(tmp_path, pixit, words):
    r = run(tmp_path, [], profile={'name': 'bad', 'pixit': pixit})
    assert r.code == 2, r
    for word in words:
        assert word in r.stderr, (word, r.stderr)
    assert r.report is None


def test_duplicate_profile_key_is_refused(tmp_path):
    r = run(tmp_path, [], profile='{"name": "dup", "pixit": {"guard_ms": 500, "guard_ms": 50}}')
    assert r.code == 2, r
    assert 'guard_ms' in r.stderr and 'twice' in r.stderr, r.stderr


@pytest.mark.parametrize('args', [['--max-failed-resets', '0'], ['--run-timeout', '-5'],
                                  ['--emulator-control', '70000'], ['--no-such-option'],
                                  ['--dut', 'tcp:127.0.0.1:12abc'],
                                  ['--dut', 'serial:/dev/ttyUSB0,baud=12345'],
                                  ['--dut', 'serial:/dev/ttyUSB0,baud=-9600']])
def test_bad_command_line_is_exit_2(tmp_path, args):
    r = run(tmp_path, args)
    assert r.code == 2, r
    assert r.report is None


def test_selection_that_selects_no_case_is_exit_2(tmp_path):
    r = run(tmp_path, ['--gtest_filter=NoSuch.*'], profile=None)
    assert r.code == 2, r
    assert 'selects no case' in r.stderr, r
    assert r.report is None


@pytest.mark.parametrize('args', [['--gtest_list_tests'], ['--list-requirements']])
def test_listing_writes_no_report(tmp_path, args):
    report_dir = tmp_path / 'report'
    report_dir.mkdir()
    (report_dir / 'summary.md').write_text('an earlier run\n')
    r = run(tmp_path, args, profile=None)
    assert r.code == 0, r
    assert (report_dir / 'summary.md').read_text() == 'an earlier run\n'
    assert sorted(os.listdir(report_dir)) == ['summary.md']
    assert len(r.stdout.splitlines()) > 100  # every case, or every requirement


def test_help_shows_the_suites_options_first(tmp_path):
    r = run(tmp_path, ['--help'], profile=None)
    assert r.code == 0, r
    assert r.stdout.startswith('qftp-conformance: conformance suite'), r.stdout[:200]
    assert '--gtest_filter' in r.stdout and '--dut' in r.stdout
    assert r.stdout.index('--dut') < r.stdout.index('--gtest_filter')


def test_partial_run_says_so_in_every_report(tmp_path):
    r = run(tmp_path, ['--requirement', '2.2.10/*'], profile=None)
    assert r.code == 0, r
    assert r.report['run']['status'] == 'partial'
    headline = r.report['run']['headline']
    assert headline.startswith('PARTIAL RUN (--requirement 2.2.10/*)'), headline
    assert open(os.path.join(r.report_dir, 'summary.md')).readline().startswith(
        '# qftp-conformance: PARTIAL RUN')
    assert 'PARTIAL RUN' in open(os.path.join(r.report_dir, 'report.html')).read()
    assert 'name="run_status" value="partial"' in open(os.path.join(r.report_dir, 'junit.xml')).read()


# --- a hand-started emulator: the profile it runs must be the one the suite is given ---------------

def start_emulator(tmp_path, profile_path):
    emu = subprocess.Popen([os.environ['QFTP_EMU'], '--tcp', '127.0.0.1:0', '--profile', profile_path],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    ready, _, _ = select.select([emu.stdout], [], [], 15)
    line = emu.stdout.readline().decode() if ready else ''
    if not line.startswith('READY tcp 127.0.0.1:'):
        emu.kill()
        pytest.fail(f'qftp-emu did not get ready: {line!r}')
    return emu, int(line.rsplit(':', 1)[1])


@pytest.mark.parametrize('written', [True, False])
def test_hand_started_emulator_on_another_profile_is_warned_about(tmp_path, written):
    emu_profile = tmp_path / 'emu.profile'
    if written:  # as the README says: the emulator's profile written from the suite's
        r = run(tmp_path, ['--write-emulator-profile', str(emu_profile)], profile=None)
        assert r.code == 0, r
    else:  # an M33 emulator in front of the default (M95) profile
        emu_profile.write_text('model = M33\nrevision = M33FAR01A05\nhas_sd = true\nhas_ram = true\n')
    emu, port = start_emulator(tmp_path, str(emu_profile))
    try:
        r = run(tmp_path, ['--dut', f'tcp:127.0.0.1:{port}', '--requirement', '2.2.10/*'], profile=None)
    finally:
        emu.terminate()
        emu.wait(10)
    assert r.code == 0 or not written, r  # an emulator on another profile may well fail cases
    warned = 'warning: the DUT looks like a qftp-emu running another profile' in r.stdout
    assert warned != written, r
    assert bool(r.report['run']['warnings']) != written, r.report['run']


# The suite's own memory against a flooding DUT. Sanitizer builds carry their shadow memory.
MEMORY_LIMIT_MB = 100 if not os.environ.get('QFTP_SANITIZED') else 400
