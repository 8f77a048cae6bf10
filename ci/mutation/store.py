"""The campaign's result store: one JSON file of results keyed by mutant identity, each with the
hash of the mutated file's original source and of the suite that judged it.

A result is reused when the mutant's file is unchanged (same source hash) and:
  - the suite is unchanged (same suite hash): any result;
  - the suite changed: `killed` and `uncompilable` only (cases are added, not weakened, so a
    kill stays a kill); survivors and time-outs run again. `--recheck` runs everything again.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

REUSABLE_ACROSS_SUITES = {"killed", "uncompilable"}


class ResultStore:
    def __init__(self, path: Path):
        self.path = path
        self.results: dict[str, dict] = {}
        if path.exists():
            try:
                self.results = json.loads(path.read_text()).get("results", {})
            except (json.JSONDecodeError, OSError) as e:
                raise SystemExit(f"ci/mutate: cannot read the result store {path}: {e}")

    def reusable(self, identity: str, file_hash: str, suite_hash: str, recheck: bool) -> dict | None:
        r = self.results.get(identity)
        if r is None or recheck or r.get("file_hash") != file_hash:
            return None
        if r.get("suite_hash") == suite_hash or r.get("status") in REUSABLE_ACROSS_SUITES:
            return r
        return None

    def put(self, identity: str, result: dict) -> None:
        self.results[identity] = result
        self.save()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"results": self.results}, indent=1, sort_keys=True) + "\n")
        os.replace(tmp, self.path)
