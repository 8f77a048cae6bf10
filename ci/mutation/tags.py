"""How many cases tag each requirement, from a suite run's report.json (requirements[].cases): a
requirement tagged by one case rests on that case alone."""
from __future__ import annotations

import json
from pathlib import Path


def single_case_requirements(reports: list[Path]) -> dict[str, str]:
    """{requirement: its one case} for every requirement that one case alone tags, over the
    reports of a run's shards (applicable requirements only)."""
    cases: dict[str, set[str]] = {}
    for report_json in reports:
        for r in json.loads(report_json.read_text()).get("requirements", []):
            if r.get("observed") != "not_applicable":
                cases.setdefault(r["id"], set()).update(r.get("cases", []))
    return {q: next(iter(c)) for q, c in sorted(cases.items()) if len(c) == 1}
