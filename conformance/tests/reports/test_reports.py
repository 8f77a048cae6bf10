# test_reports.py: the reports a release is decided from, with the real qftp-conformance against the
# spawned emulator and its --defect deviations: baselines (known deviations, regressions, fixed),
# compare, merge of shards, junit.xml against Jenkins xUnit's junit-10.xsd, the size of a report
# with a binary download, and the console's progress lines. Each test is a ctest of its own.
import json
import os
import subprocess

import pytest

BINARY = os.environ['QFTP_CONFORMANCE']
HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, '..', 'schema', 'junit-10.xsd')
with open(os.path.join(HERE, '..', 'defect_expectations.json')) as f:
    EXPECTATIONS = json.load(f)['defects']

# Three defects whose cases are few: a subset keeps each run to a second or two.
SELECT = ['--requirement', '2.2.10/*', '--requirement', '2.2.6/*', '--requirement', 'V/*']


def run(args, timeout=300):
    proc = subprocess.run([BINARY] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, errors='replace', timeout=timeout)
    return proc


def suite(tmp_path, name, args, timeout=300):
    report_dir = str(tmp_path / name)
    proc = run(['--quiet', '--report-dir', report_dir] + args, timeout)
    path = os.path.join(report_dir, 'report.json')
    report = json.load(open(path)) if os.path.exists(path) else None
    return proc, report, report_dir


def verdicts(report):
    return {r['id']: r['verdict'] for r in report['requirements']}


def with_verdict(report, verdict):
    return {i for i, v in verdicts(report).items() if v == verdict}


def defects(*names):
    return [a for n in names for a in ('--emulator-defect', n)]


def expected_fails(*names):
    return {r for n in names for r in EXPECTATIONS[n]['fail']}


def test_baseline_known_deviations_regressions_and_fixed(tmp_path):
    base = str(tmp_path / 'baseline.yaml')
    two = ('len-off-by-one', 'user-limit-31')
    proc, first, _ = suite(tmp_path, 'first', SELECT + defects(*two) + ['--write-baseline', base])
    assert proc.returncode == 1, proc.stdout
    assert with_verdict(first, 'fail') == expected_fails(*two)
    # The same firmware with the same defects: nothing regressed, both shown as known deviations.
    proc, again, _ = suite(tmp_path, 'again', SELECT + defects(*two) + ['--baseline', base])
    assert proc.returncode == 0, proc.stdout
    assert with_verdict(again, 'known_deviation') == expected_fails(*two)
    assert with_verdict(again, 'fail') == set()
    assert again['run']['headline'].startswith('PARTIAL RUN') and 'no regressions' in again['run']['headline']
    # A third defect: exit 1, and only its requirements are regressions.
    proc, third, _ = suite(tmp_path, 'third', SELECT + defects(*two, 'no-echo') + ['--baseline', base])
    assert proc.returncode == 1, proc.stdout
    assert with_verdict(third, 'fail') == expected_fails('no-echo')
    assert with_verdict(third, 'known_deviation') == expected_fails(*two)
    # No defect: the known deviations are flagged as fixed, and the run passes.
    proc, clean, _ = suite(tmp_path, 'clean', SELECT + ['--baseline', base])
    assert proc.returncode == 0, proc.stdout
    assert with_verdict(clean, 'fixed') == expected_fails(*two)
    assert 'fixed: 2.2.10/02 passes' in proc.stdout
    # The same in junit.xml: known deviations are skipped, not failed; the schema holds.
    junit = open(str(tmp_path / 'again' / 'junit.xml')).read()
    assert 'type="known_deviation"' in junit
    check = subprocess.run(['xmllint', '--noout', '--schema', SCHEMA, str(tmp_path / 'again' / 'junit.xml')],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert check.returncode == 0, check.stdout


def test_write_baseline_keeps_other_firmware_and_given_reasons(tmp_path):
    base = tmp_path / 'baseline.json'
    base.write_text(json.dumps({'firmware': [
        {'gmr': 'Revision: OTHER01', 'requirements': {'R/4': {'verdict': 'fail', 'reason': 'other fw'}}},
        {'gmr': 'Revision: M95FAR02A08', 'requirements': {
            '2.2.6/07': {'verdict': 'fail', 'reason': 'vendor keeps 31', 'ticket': 'FW-7'},
            '2.2.10/02': {'verdict': 'fail', 'reason': 'fixed since'}}}]}))
    proc, _, _ = suite(tmp_path, 'run', SELECT + defects('user-limit-31') + ['--write-baseline', str(base)])
    assert proc.returncode == 1, proc.stdout
    doc = json.loads(base.read_text())
    fw = {f['gmr']: f['requirements'] for f in doc['firmware']}
    assert fw['Revision: OTHER01'] == {'R/4': {'verdict': 'fail', 'reason': 'other fw'}}
    mine = fw['Revision: M95FAR02A08']
    assert mine['2.2.6/07'] == {'verdict': 'fail', 'reason': 'vendor keeps 31', 'ticket': 'FW-7'}
    assert '2.2.10/02' not in mine, 'a requirement that passes now leaves the baseline'
    assert set(mine) == expected_fails('user-limit-31')


@pytest.mark.parametrize('content,words', [
    ('firmware: [gmr: {', ['not YAML']),
    ('firmware:\n  - gmr: R1\n    requirements:\n      Z/99: {reason: x}\n', ['Z/99', 'no such requirement']),
    ('firmware:\n  - gmr: R1\n    requirements:\n      R/4: {verdict: pass, reason: x}\n', ['pass']),
    ('firmware:\n  - gmr: R1\n    requirements:\n      R/4: {verdict: fail}\n', ['reason']),
])
def test_bad_baseline_is_refused_before_anything_runs(tmp_path, content, words):
    base = tmp_path / 'baseline.yaml'
    base.write_text(content)
    for option in ('--baseline', '--write-baseline'):
        proc, report, _ = suite(tmp_path, 'run', SELECT + [option, str(base)])
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert report is None
        for w in words:
            assert w in proc.stderr, proc.stderr
        assert base.read_text() == content, 'a bad baseline is left as it is'
    proc, _, _ = suite(tmp_path, 'run', SELECT + ['--baseline', str(tmp_path / 'missing.yaml')])
    assert proc.returncode == 2 and 'cannot read the baseline' in proc.stderr


def test_compare_shows_exactly_the_defects_requirements(tmp_path):
    defect = 'len-off-by-one'
    select = [a for s in EXPECTATIONS[defect]['select'] for a in ('--requirement', s)]
    _, _, clean = suite(tmp_path, 'clean', select)
    _, _, bad = suite(tmp_path, 'bad', select + defects(defect))
    out = tmp_path / 'cmp'
    proc = run(['compare', clean, bad, '--out', str(out)])
    assert proc.returncode == 1, proc.stdout + proc.stderr
    md = (out / 'compare.md').read_text()
    rows = [line for line in md.splitlines() if line.startswith('| ') and not line.startswith('| requirement')]
    ids = {line.split()[1] for line in rows}
    assert ids == set(EXPECTATIONS[defect]['fail']), md
    assert all(line.rstrip().endswith('| regressed |') for line in rows), md
    # Each verdict links to the case log in its own run's report.html.
    html = (out / 'compare.html').read_text()
    assert '../bad/report.html#case-' in html and '../clean/report.html#case-' in html
    # Reversed, the same requirements read as fixed, and nothing regressed.
    proc = run(['compare', bad, clean, '--out', str(out)])
    assert proc.returncode == 0 and md.count('regressed') == (out / 'compare.md').read_text().count('fixed')
    # Bad usage.
    assert run(['compare', clean]).returncode == 2
    proc = run(['compare', clean, str(tmp_path / 'nowhere')])
    assert proc.returncode == 2 and 'cannot read' in proc.stderr


def test_merge_of_three_shards_counts_as_the_unsharded_run(tmp_path):
    select = ['--requirement', '2.2.8/*', '--requirement', '2.2.10/*', '--requirement', 'R/7']
    _, whole, _ = suite(tmp_path, 'whole', select + defects('resume-not-reset'))
    shards = str(tmp_path / 'sharded')
    procs = [subprocess.Popen([BINARY, '--quiet', '--report-dir', shards] + select + defects('resume-not-reset'),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=dict(os.environ, GTEST_TOTAL_SHARDS='3', GTEST_SHARD_INDEX=str(i)))
             for i in range(3)]
    for p in procs:
        assert p.wait(300) in (0, 1)
    out = str(tmp_path / 'merged')
    proc = run(['merge', shards, '--out', out])
    assert proc.returncode == 1, proc.stdout + proc.stderr  # the defect's failures, as unsharded
    merged = json.load(open(os.path.join(out, 'report.json')))
    assert verdicts(merged) == verdicts(whole)
    for key in ('total', 'pass', 'fail', 'inconclusive', 'not_applicable', 'error'):
        assert merged['requirements_summary'][key] == whole['requirements_summary'][key], key
        assert merged['summary'][key] == whole['summary'][key], key
    assert sorted(c['name'] for c in merged['cases']) == sorted(c['name'] for c in whole['cases'])
    assert {c['shard'] for c in merged['cases']} == {0, 1, 2}
    assert [p['index'] for p in merged['run']['merged_from']] == [0, 1, 2]
    naive = sum(json.load(open(os.path.join(shards, f'shard-{i}', 'report.json')))['requirements_summary']['total']
                for i in range(3))
    assert naive > merged['requirements_summary']['total'], 'shared requirements are counted once'
    check = subprocess.run(['xmllint', '--noout', '--schema', SCHEMA, os.path.join(out, 'junit.xml')],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert check.returncode == 0, check.stdout
    # A shard missing: the merged run says so and is no pass.
    proc = run(['merge', os.path.join(shards, 'shard-0'), os.path.join(shards, 'shard-2'),
                '--out', str(tmp_path / 'two')])
    partial = json.load(open(str(tmp_path / 'two' / 'report.json')))
    assert partial['run']['status'] == 'partial' and '2 of 3 shards' in partial['run']['headline']
    # Bad usage: nothing to merge, or merging into one of the inputs.
    assert run(['merge', str(tmp_path / 'nowhere')]).returncode == 2
    assert run(['merge', os.path.join(shards, 'shard-0'), '--out', os.path.join(shards, 'shard-0')]).returncode == 2


def test_junit_validates_and_keeps_inconclusive_and_not_applicable_apart(tmp_path):
    # Failures (a defect), not_applicable (no /SD/, /RAM/) and inconclusive (no DNS name).
    profile = tmp_path / 'profile.json'
    profile.write_text(json.dumps({'name': 'nodns', 'pixit': {'fixture_domain_name': None}}))
    proc, report, out = suite(tmp_path, 'run', ['--requirement', '2.2.1/*', '--requirement', '2.2.8/*',
                                                '--profile', str(profile)] + defects('port-zero-accepted'))
    assert proc.returncode == 1, proc.stdout
    assert with_verdict(report, 'inconclusive') and with_verdict(report, 'not_applicable')
    junit = os.path.join(out, 'junit.xml')
    check = subprocess.run(['xmllint', '--noout', '--schema', SCHEMA, junit],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert check.returncode == 0, check.stdout
    text = open(junit).read()
    start = text.index('<testsuite name="requirements"')
    reqs = text[start:]
    assert reqs.count('<testcase ') == len(report['requirements'])
    assert reqs.count('type="inconclusive"') == len(with_verdict(report, 'inconclusive'))
    assert reqs.count('type="not_applicable"') == len(with_verdict(report, 'not_applicable'))
    assert reqs.count('<failure ') == len(with_verdict(report, 'fail'))


def test_report_of_a_binary_download_stays_small(tmp_path):
    # A 200 KB download escaped midway, every byte value both ways, and a defect that makes the
    # download cases fail with the data in their messages.
    proc, report, out = suite(tmp_path, 'run', ['--requirement', 'R/31', '--requirement', 'R/6*',
                                                '--requirement', '2.2.4/*'] + defects('get-lose-byte'))
    assert proc.returncode == 1, proc.stdout
    for name in ('report.json', 'report.html', 'junit.xml'):
        size = os.path.getsize(os.path.join(out, name))
        assert size < 1 << 20, f'{name}: {size} bytes'
    for c in report['cases']:
        for line in c['log'].splitlines():
            if line.startswith(('note:', 'reason:')) or ': ' in line[:200] and 'wire' not in line:
                assert len(line) < 2048, (c['name'], len(line), line[:200])
    assert any('bytes, crc32 ' in c['log'] for c in report['cases']), 'long data is elided'


def test_console_shows_progress_and_quiet_only_what_did_not_pass(tmp_path):
    proc = run(['--report-dir', str(tmp_path / 'loud'), '--requirement', '2.2.6/*']
               + defects('user-limit-31'))
    lines = [line for line in proc.stdout.splitlines() if line.startswith('[')]
    total = len(json.load(open(str(tmp_path / 'loud' / 'report.json')))['cases'])
    assert len(lines) == total and lines[-1].startswith(f'[{total}/{total}]'), proc.stdout
    assert all(' left' in line for line in lines)
    assert '[ RUN      ]' not in proc.stdout
    failed = proc.stdout.split('] fail ')[1].splitlines()
    assert failed[1].startswith('    ') and 'expected ERROR' in failed[1], proc.stdout
    quiet = run(['--quiet', '--report-dir', str(tmp_path / 'quiet'), '--requirement', '2.2.6/*']
                + defects('user-limit-31'))
    qlines = [line for line in quiet.stdout.splitlines() if line.startswith('[')]
    # Quiet: exactly the cases that did not pass (two cases check the 30-character limit).
    failed_loud = [line for line in lines if ' fail ' in line]
    assert failed_loud and len(qlines) == len(failed_loud), quiet.stdout
    assert all(' fail ' in line for line in qlines), quiet.stdout
