"""Runs mutants: each in a private copy of the source tree (never the working tree), built
incrementally (only qftp-emu, at -O0), judged by the whole conformance suite run from a snapshot
taken when the campaign starts (qftp-conformance, the fixture and the suite's data), so that
edits to the cases during a campaign do not change the judge."""
from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from collections import defaultdict
from pathlib import Path

from mutation.generate import Mutant


def tree_parts(repo: Path) -> list[str]:
    """The repository's top-level files and folders as git tracks them: what the private tree
    copies, so that a folder the build gains is never missing from it."""
    r = subprocess.run(["git", "-C", str(repo), "ls-files", "-z"], capture_output=True, check=True)
    return sorted({name.split("/", 1)[0] for name in r.stdout.decode().split("\0") if name})

IGNORE = shutil.ignore_patterns("build", "build-*", "__pycache__", "*.pyc")


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def file_hash(root: Path, rel: str) -> str:
    return sha((root / rel).read_bytes())


def sample(mutants: list[Mutant], n: int, seed: int) -> list[Mutant]:
    """n mutants spread over every file: each file with mutants gets one, the rest in proportion
    to the file's count (largest remainders), each file's picks drawn with `seed`."""
    by_file: dict[str, list[Mutant]] = defaultdict(list)
    for m in sorted(mutants, key=lambda m: m.identity):
        by_file[m.file].append(m)
    files = sorted(by_file)
    if n >= len(mutants):
        return list(mutants)
    n = max(n, len(files))
    quota = {f: 1 for f in files}
    rest = n - len(files)
    total = sum(len(by_file[f]) - 1 for f in files) or 1
    shares = {f: rest * (len(by_file[f]) - 1) / total for f in files}
    for f in files:
        quota[f] += int(shares[f])
    left = n - sum(quota.values())
    for f in sorted(files, key=lambda f: shares[f] - int(shares[f]), reverse=True)[:left]:
        quota[f] += 1
    rng = random.Random(seed)
    picked: list[Mutant] = []
    for f in files:
        picked.extend(rng.sample(by_file[f], min(quota[f], len(by_file[f]))))
    return picked


# Judges that only the mutants of some core files meet, after the campaign's profiles: a profile
# under which that code's behaviour has room to show, with the cases of the requirements it
# implements. (file prefix, profile, requirement patterns, why).
FOCUSED = (
    ("reference_impl/core/escape/", "realistic", ("R/6*",),
     "the escape's guard and gap: the fast profiles' 50 ms guard leaves no room between it and the "
     "20 ms gap for a case to tell them apart without racing the host's scheduler; realistic's "
     "500 ms guard does, and R/6.3's 300 ms spacing falls between the two"),
    ("reference_impl/core/modem/file_errors.h", "m95-field-40xx", ("F/*",),
     "the 40xx numbering of the FILE errors, which only a DUT declaring it answers with"),
)


class Judge:
    """One run of the suite: a profile, and the requirements whose cases run (all when empty)."""

    def __init__(self, profile: str, requirements: tuple[str, ...] = ()):
        self.profile, self.requirements = profile, tuple(requirements)

    @property
    def name(self) -> str:  # a folder name: the profile, and the requirements when they are chosen
        if not self.requirements:
            return self.profile
        return "-".join([self.profile] + [re.sub(r"[^A-Za-z0-9]+", "", r) for r in self.requirements])

    def describe(self) -> str:
        return self.profile if not self.requirements else f"{self.profile} ({' '.join(self.requirements)})"


class Suite:
    """A snapshot of the judge: qftp-conformance, the fixture and the data directory."""

    def __init__(self, repo: Path, suite_build: Path, work: Path, profiles: list[str], shards: int,
                 fail_fast: bool = False):
        self.fail_fast = fail_fast
        self.dir = work / "suite"
        if self.dir.exists():
            shutil.rmtree(self.dir)
        (self.dir / "bin").mkdir(parents=True)
        src_bin = suite_build / "bin" / "qftp-conformance"
        if not src_bin.exists():
            raise SystemExit(f"ci/mutate: {src_bin} missing: build qftp-conformance first "
                             f"(cmake --build {suite_build} --target qftp-conformance)")
        shutil.copy2(src_bin, self.dir / "bin" / "qftp-conformance")
        shutil.copytree(repo / "fixtures", self.dir / "fixtures", ignore=IGNORE)
        os.symlink("../fixtures/ftp_fixture.py", self.dir / "bin" / "qftp-fixture")
        data = self.dir / "share" / "qftp-kit"
        data.mkdir(parents=True)
        for name, src in [("requirements", "conformance/requirements"),
                          ("profiles", "conformance/profiles"),
                          ("transcripts", "conformance/transcripts"),
                          ("emulator-profiles", "reference_impl/profiles")]:
            shutil.copytree(repo / src, data / name)
        version = suite_build / "share" / "qftp-kit" / "VERSION"
        if version.exists():
            shutil.copy2(version, data / "VERSION")
        if not profiles:
            raise SystemExit("ci/mutate: no profile to judge with")
        for name in list(profiles) + [f[1] for f in FOCUSED]:
            if not (data / "profiles" / f"{name}.json").exists():
                raise SystemExit(f"ci/mutate: no conformance profile {name!r} "
                                 f"(conformance/profiles/{name}.json)")
        self.profiles, self.shards = list(profiles), shards
        h = hashlib.sha256((self.dir / "bin" / "qftp-conformance").read_bytes())
        for p in sorted(data.rglob("*")):
            if p.is_file():
                h.update(str(p.relative_to(data)).encode() + p.read_bytes())
        h.update(",".join(self.profiles).encode())
        h.update(repr([f[:3] for f in FOCUSED]).encode())
        self.hash = h.hexdigest()[:16]

    def judges(self, file: str | None) -> list[Judge]:
        """The runs that judge a mutant of `file`: the campaign's profiles, then the focused
        judges of that file. None (the unmutated modem) meets every focused judge."""
        return [Judge(p) for p in self.profiles] + [
            Judge(profile, reqs) for prefix, profile, reqs, _ in FOCUSED
            if file is None or file.startswith(prefix)]

    def report_files(self, report_dir: Path, file: str | None = None) -> list[Path]:
        """The report.json of every run (and every shard) under `report_dir`."""
        return [report_dir / j.name / ("report.json" if self.shards == 1 else f"shard-{i}/report.json")
                for j in self.judges(file) for i in range(1 if self.shards == 1 else self.shards)]

    def run(self, emulator: Path, report_dir: Path, limit_s: float, file: str | None = None) -> dict:
        """Judges `emulator` with the whole suite under each profile in turn (the emulator takes
        the device profile each conformance profile derives: the field profiles add /RAM/ and the
        field commands), then with the focused judges of the mutated `file`. Killed when any run
        fails; the next run starts only while the mutant has survived (or, without --fail-fast,
        always, to collect every failed requirement). `limit_s` bounds each run."""
        if report_dir.exists():
            shutil.rmtree(report_dir)
        runs = []
        for judge in self.judges(file):
            r = self._run_profile(judge, emulator, report_dir / judge.name, limit_s)
            r["profile"] = judge.describe()
            runs.append(r)
            if r["status"] in ("killed", "timeout", "crashed") and self.fail_fast:
                break
        # The worst verdict wins: killed (any run failed) over crashed over timeout over survived.
        rank = {"killed": 3, "crashed": 2, "timeout": 1, "survived": 0}
        worst = max(runs, key=lambda r: rank[r["status"]])
        out = {"status": worst["status"],
               "exit_codes": [c for r in runs for c in r["exit_codes"]],
               "cut_at_limit": any(r["cut_at_limit"] for r in runs),
               "stopped_at_first_failure": any(r["stopped_at_first_failure"] for r in runs),
               "failed_requirements": sorted({q for r in runs for q in r["failed_requirements"]}),
               "failed_cases": sorted({c for r in runs for c in r["failed_cases"]}),
               "suite_errors": [e for r in runs for e in r["suite_errors"]][:3],
               "suite_s": round(sum(r["suite_s"] for r in runs), 2),
               "profiles": {r["profile"]: {"status": r["status"], "suite_s": r["suite_s"]} for r in runs}}
        if out["status"] == "killed":
            out["killed_by_profiles"] = [r["profile"] for r in runs if r["status"] == "killed"]
        return out

    def _run_profile(self, judge: Judge, emulator: Path, report_dir: Path, limit_s: float) -> dict:
        """Runs the judge's cases under its profile in `shards` parallel shards; returns status
        (`survived`, `killed`, `timeout`, `crashed`), the failed requirements and cases, and the
        wall time."""
        report_dir.mkdir(parents=True)
        cmd = [str(self.dir / "bin" / "qftp-conformance"), "--emulator", str(emulator),
               "--profile", judge.profile, "--data-dir", str(self.dir / "share" / "qftp-kit"),
               "--report-dir", str(report_dir), "--quiet"]
        for pattern in judge.requirements:
            cmd += ["--requirement", pattern]
        procs = []
        start = time.monotonic()
        for i in range(self.shards):
            env = dict(os.environ)
            if self.shards > 1:
                env.update(GTEST_TOTAL_SHARDS=str(self.shards), GTEST_SHARD_INDEX=str(i))
            log = open(report_dir / f"console-{i}.log", "wb")
            procs.append((subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                           stdin=subprocess.DEVNULL, start_new_session=True), log))
        # The suite is stopped with SIGINT (it ends the running case as an error and writes the
        # report of what ran) at the time limit, or with --fail-fast at the first failed case;
        # SIGKILL to the process group if it has not ended 20 s later.
        timed_out = stopped_early = False
        interrupted_at = None
        while True:
            if all(p.poll() is not None for p, _ in procs):
                break
            now = time.monotonic()
            if interrupted_at is None:
                if now - start > limit_s:
                    timed_out = True
                elif self.fail_fast and _console_failed(report_dir, self.shards):
                    stopped_early = True
                if timed_out or stopped_early:
                    interrupted_at = now
                    for p, _ in procs:
                        if p.poll() is None:
                            p.send_signal(signal.SIGINT)
            elif now - interrupted_at > 20:
                for p, _ in procs:
                    if p.poll() is None:
                        try:
                            os.killpg(p.pid, signal.SIGKILL)
                        except ProcessLookupError:
                            pass
                        p.wait()
            time.sleep(0.2)
        codes = [p.returncode for p, _ in procs]
        for _, log in procs:
            log.close()
        wall = time.monotonic() - start
        failed_reqs, failed_cases, errors = set(), set(), []
        reports = ([report_dir / "report.json"] if self.shards == 1 else
                   [report_dir / f"shard-{i}" / "report.json" for i in range(self.shards)])
        for rp in reports:
            if not rp.exists():
                errors.append(f"{rp.relative_to(report_dir)} missing")
                continue
            doc = json.loads(rp.read_text())
            if doc["run"].get("setup_error"):
                errors.append(doc["run"]["setup_error"])
            # Stopped by SIGINT (time limit, --fail-fast), the case that was running is an error
            # of the campaign's making: only fails count then.
            bad = ("fail",) if interrupted_at is not None else ("fail", "error")
            for r in doc.get("requirements", []):
                if r.get("observed") in bad:
                    failed_reqs.add(r["id"])
            for c in doc.get("cases", []):
                if c.get("verdict") in bad:
                    failed_cases.add(c["name"])
        if timed_out:
            status = "killed" if failed_reqs or failed_cases else "timeout"
        elif any(c is not None and c < 0 for c in codes) and not stopped_early:
            status = "crashed"  # the judge died of a signal: a harness bug, not a detection
        elif stopped_early or any(c != 0 for c in codes):
            status = "killed"
        else:
            status = "survived"
        return {"status": status, "exit_codes": codes, "cut_at_limit": timed_out,
                "stopped_at_first_failure": stopped_early, "failed_requirements": sorted(failed_reqs),
                "failed_cases": sorted(failed_cases), "suite_errors": errors[:3],
                "suite_s": round(wall, 2)}


def _console_failed(report_dir: Path, shards: int) -> bool:
    """A case has failed, by the suite's console (one line per case: "[ n/N] fail  Name")."""
    for i in range(shards):
        try:
            text = (report_dir / f"console-{i}.log").read_text(errors="replace")
        except OSError:
            continue
        if re.search(r"^\[ *\d+/\d+\] (fail|error) ", text, re.M):
            return True
    return False


class Worker:
    """A private source tree with its own incremental build of qftp-emu."""

    def __init__(self, repo: Path, work: Path, index: int, log):
        self.repo, self.index, self.log = repo, index, log
        self.root = work / f"tree-{index}"
        self.build = self.root / "build-mutant"
        self.root.mkdir(parents=True, exist_ok=True)
        # Refresh the copy: only files that differ are rewritten, so the build stays incremental.
        for part in tree_parts(repo):
            src, dst = repo / part, self.root / part
            if src.is_dir():
                shutil.copytree(src, dst, ignore=IGNORE, dirs_exist_ok=True,
                                copy_function=_copy_if_changed)
            elif src.exists():
                _copy_if_changed(src, dst)
        self.dirty: str | None = None
        # The sources as the campaign began (the mutants were made from them): a mutant is applied
        # to its file's text from here, so editing the working tree during a campaign changes
        # nothing in it.
        self.pristine: dict[str, str] = {}
        if not (self.build / "build.ninja").exists():
            r = subprocess.run(["cmake", "-S", str(self.root), "-B", str(self.build), "-G", "Ninja",
                                "-DCMAKE_BUILD_TYPE=Debug", "-DCMAKE_CXX_FLAGS_DEBUG=-O0 -g0",
                                "-DQFTP_BUILD_TESTS=OFF", "-DCMAKE_CXX_COMPILER=g++"],
                               capture_output=True, text=True)
            if r.returncode != 0:
                raise SystemExit(f"ci/mutate: configuring {self.build} failed:\n{r.stdout}{r.stderr}")

    def emulator(self) -> Path:
        return self.build / "bin" / "qftp-emu"

    def compile(self, limit_s: float) -> tuple[bool, str, float]:
        start = time.monotonic()
        try:
            r = subprocess.run(["nice", "-n", "10", "ninja", "-C", str(self.build), "qftp-emu"],
                               capture_output=True, text=True, timeout=limit_s)
            ok, out = r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
        except subprocess.TimeoutExpired:
            ok, out = False, "build timed out"
        return ok, out, time.monotonic() - start

    def restore(self) -> None:
        if self.dirty:
            (self.root / self.dirty).write_text(self.pristine[self.dirty])
            self.dirty = None

    def apply(self, m: Mutant) -> None:
        if self.dirty and self.dirty != m.file:
            self.restore()
        if m.file not in self.pristine:  # read before this tree's copy is first mutated
            self.pristine[m.file] = (self.root / m.file).read_text()
        (self.root / m.file).write_text(m.apply(self.pristine[m.file]))
        self.dirty = m.file


def _copy_if_changed(src, dst, *, follow_symlinks=True):
    src, dst = Path(src), Path(dst)
    if dst.exists() and dst.read_bytes() == src.read_bytes():
        return str(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    return str(dst)


class Campaign:
    def __init__(self, repo, work, suite, store, equivalents, suite_limit_s, build_limit_s,
                 workers, recheck, log):
        self.repo, self.work, self.suite, self.store = repo, work, suite, store
        self.equivalents, self.suite_limit_s, self.build_limit_s = equivalents, suite_limit_s, build_limit_s
        self.n_workers, self.recheck, self.log = workers, recheck, log
        self.lock = threading.Lock()

    def baseline(self) -> dict:
        """The unmutated reference modem must pass the whole suite, or no verdict means anything."""
        w = Worker(self.repo, self.work, 0, self.log)
        w.restore()
        ok, out, build_s = w.compile(self.build_limit_s * 3)
        if not ok:
            raise SystemExit(f"ci/mutate: the unmutated qftp-emu does not build:\n{out}")
        base_dir = self.work / "reports" / "baseline"
        r = self.suite.run(w.emulator(), base_dir, self.suite_limit_s * 3)
        r["build_s"] = round(build_s, 2)
        r["reports"] = self.suite.report_files(base_dir)
        if r["status"] != "survived":
            raise SystemExit(f"ci/mutate: the unmutated reference modem does not pass the suite "
                             f"({r['status']}: {', '.join(r['failed_requirements'] or r['suite_errors'])}); "
                             f"reports in {self.work / 'reports' / 'baseline'}")
        return r

    def run(self, mutants: list[Mutant], deadline: float | None = None) -> dict[str, dict]:
        results: dict[str, dict] = {}
        todo: list[Mutant] = []
        hashes = {f: file_hash(self.repo, f) for f in {m.file for m in mutants}}
        for m in mutants:
            if m.identity in self.equivalents:
                results[m.identity] = {"status": "equivalent", "kind": self.equivalents[m.identity]["kind"],
                                       "argument": self.equivalents[m.identity]["argument"]}
                continue
            r = self.store.reusable(m.identity, hashes[m.file], self.suite.hash, self.recheck)
            if r is not None:
                results[m.identity] = dict(r, reused=True)
            else:
                todo.append(m)
        self.log(f"{len(mutants)} mutants: {len(todo)} to run, "
                 f"{sum(1 for r in results.values() if r.get('reused'))} reused, "
                 f"{sum(1 for r in results.values() if r['status'] == 'equivalent')} equivalent")
        # Mutants of one file go to one worker, in order, so that each file is rebuilt the
        # fewest times; files are dealt out to the workers largest first.
        by_file: dict[str, list[Mutant]] = defaultdict(list)
        for m in sorted(todo, key=lambda m: (m.file, m.line, m.identity)):
            by_file[m.file].append(m)
        queues: list[list[Mutant]] = [[] for _ in range(self.n_workers)]
        for f in sorted(by_file, key=lambda f: -len(by_file[f])):
            min(queues, key=len).extend(by_file[f])
        done = [0]
        total = len(todo)

        def record(m: Mutant, r: dict) -> None:
            r.update(file_hash=hashes[m.file], suite_hash=self.suite.hash,
                     finished_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
            with self.lock:
                self.store.put(m.identity, r)
                results[m.identity] = r
                done[0] += 1
                extra = (" " + ",".join(r.get("failed_requirements", [])[:6])) if r["status"] == "killed" else ""
                self.log(f"[{done[0]}/{total}] {r['status']:<12} {m.file}:{m.line} "
                         f"{m.describe()} (build {r['build_s']} s, suite {r.get('suite_s', 0)} s){extra}")

        def work(index: int, queue: list[Mutant]) -> None:
            # A pipeline: while the suite judges one mutant (mostly waiting on the DUT's guard
            # times and timeouts), the next one is built in the same tree. Each judged binary is
            # a copy, in one of two slots.
            w = Worker(self.repo, self.work, index, self.log)
            judge = ThreadPoolExecutor(max_workers=1)
            pending = None
            n = 0  # binaries judged so far: the slot of the next one is n % 2, never the one in use
            for m in queue:
                if deadline is not None and time.monotonic() > deadline:
                    break
                w.apply(m)
                ok, out, build_s = w.compile(self.build_limit_s)
                if not ok:
                    record(m, {"status": "uncompilable", "build_s": round(build_s, 2),
                               "build_log": out[-600:]})
                    continue
                slot = self.work / f"emu-{index}-{n % 2}"
                # Copied beside the slot and renamed onto it: a slot's earlier binary may still run.
                shutil.copy2(w.emulator(), slot.with_suffix(".new"))
                os.replace(slot.with_suffix(".new"), slot)
                if pending is not None:
                    pm, pb, fut = pending
                    record(pm, dict(fut.result(), build_s=pb))
                fut = judge.submit(self.suite.run, slot, self.work / "reports" / f"worker-{index}-{n % 2}",
                                   self.suite_limit_s, m.file)
                pending = (m, round(build_s, 2), fut)
                n += 1
            if pending is not None:
                pm, pb, fut = pending
                record(pm, dict(fut.result(), build_s=pb))
            judge.shutdown()
            w.restore()

        threads = [threading.Thread(target=work, args=(i, q)) for i, q in enumerate(queues) if q]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return results
