"""The campaign's reports: report.json and report.md (score, survivors with their diff and source
line, by file and by spec section)."""
from __future__ import annotations

import difflib
import json
import re
from collections import defaultdict
from pathlib import Path

from mutation.generate import Mutant

# Requirement IDs as the handlers cite them: 2.2.1/01, 2.2.1/01-12, R/4, V/11, 3/-5, 4.4/01.
_CITED = re.compile(r"\b(?:(\d(?:\.\d+)*)/[-\d]+|([RVP])/\d+)")


def spec_sections_cited(repo: Path, m: Mutant) -> list[str]:
    """The spec sections (or R, V, P) that the nearest requirement-citing comment above the mutant
    names: the requirements its handler implements."""
    lines = (repo / m.file).read_text().split("\n")[:m.line]
    for text in reversed(lines):
        if "//" not in text:
            continue
        found = _CITED.findall(text.split("//", 1)[1])
        if found:
            return sorted({a or b for a, b in found})
    return []


def diff_of(repo: Path, m: Mutant) -> str:
    original = (repo / m.file).read_text()
    if original[m.start:m.end] != m.original:
        return f"({m.file} changed since the campaign began: {m.describe()} on the line above)\n"
    mutated = m.apply(original)
    return "".join(difflib.unified_diff(original.splitlines(True), mutated.splitlines(True),
                                        f"a/{m.file}", f"b/{m.file}", n=2))


def score(counts: dict) -> float | None:
    judged = counts["killed"] + counts["survived"]
    return None if judged == 0 else round(100.0 * counts["killed"] / judged, 1)


def build_report(repo: Path, mutants: list[Mutant], results: dict[str, dict], meta: dict,
                 inventory: dict[str, str]) -> dict:
    statuses = ["killed", "survived", "timeout", "crashed", "uncompilable", "equivalent"]
    counts = {s: 0 for s in statuses}
    by_file = defaultdict(lambda: {s: 0 for s in statuses})
    by_section = defaultdict(lambda: {s: 0 for s in statuses})
    entries = []
    kinds: dict[str, int] = {}
    for m in sorted(mutants, key=lambda m: (m.file, m.line, m.identity)):
        r = results.get(m.identity)
        if r is None:
            continue
        st = r["status"]
        counts[st] += 1
        by_file[m.file][st] += 1
        if st == "killed":
            sections = sorted({inventory.get(q, q.split("/")[0]) for q in r.get("failed_requirements", [])})
        else:
            sections = spec_sections_cited(repo, m)
        for s in sections or ["(no section cited)"]:
            by_section[s][st] += 1
        if st == "equivalent":
            kinds[r.get("kind", "equivalent")] = kinds.get(r.get("kind", "equivalent"), 0) + 1
        e = {"identity": m.identity, "file": m.file, "line": m.line, "operator": m.operator,
             "mutation": m.describe(), "source_line": m.line_text, "status": st,
             "sections": sections}
        for k in ("failed_requirements", "failed_cases", "build_s", "suite_s", "reused",
                  "suite_errors", "kind", "argument"):
            if k in r:
                e[k] = r[k]
        if st in ("survived", "timeout", "crashed"):
            e["diff"] = diff_of(repo, m)
        entries.append(e)
    return {"meta": meta, "counts": counts, "equivalent_kinds": kinds, "score_percent": score(counts),
            "score_with_timeouts_percent": (None if counts["killed"] + counts["survived"] + counts["timeout"] == 0 else
                                            round(100.0 * (counts["killed"] + counts["timeout"]) /
                                                  (counts["killed"] + counts["survived"] + counts["timeout"]), 1)),
            "by_file": dict(sorted(by_file.items())), "by_section": dict(sorted(by_section.items())),
            "mutants": entries}


def markdown(rep: dict) -> str:
    c, meta = rep["counts"], rep["meta"]
    run_line = (f"Wall time: {meta['wall_s']:.0f} s ({meta['ran']} mutants run, {meta['reused']} reused)."
                if meta.get("ran") else "Results as stored by the campaigns that ran them (--report-only).")
    out = ["# Mutation campaign of reference_impl/core", "",
           f"Judge: the whole conformance suite (`qftp-conformance`, profile(s) `{meta['profile']}` (killed when any fails), "
           f"{meta['shards']} shard(s), suite hash `{meta['suite_hash']}`) against each mutant's "
           f"`qftp-emu`. Sample: {meta['selection']}. {run_line}", "",
           f"**Score: {rep['score_percent']} %** of the non-equivalent mutants that compiled and "
           f"finished were killed ({c['killed']} killed, {c['survived']} survived); "
           f"{c['timeout']} timed out (counted apart; {rep['score_with_timeouts_percent']} % with "
           f"them as detected), {c['crashed']} crashed the suite itself (a harness bug; counted apart), "
           f"{c['uncompilable']} did not compile (dropped), {c['equivalent']} "
           f"recorded as equivalent and skipped (by kind: "
           f"{', '.join(f'{k} {n}' for k, n in sorted(rep['equivalent_kinds'].items())) or 'none'}; "
           f"ci/mutation/equivalent-mutants.json); {meta.get('not_started', 0)} without a result.", ""]
    if meta.get("focused_judges"):
        out += ["Focused judges (after the profiles above, for the mutants of these files only):"] + [
            f"- `{j['files']}`: profile `{j['profile']}`, cases of {', '.join(j['requirements'])}: {j['why']}"
            for j in meta["focused_judges"]] + [""]
    if "requirements_tagged_by_one_case" in meta:
        single = meta["requirements_tagged_by_one_case"]
        out += [f"Requirements tagged by one case only (from the unmutated run): {len(single)}"
                + "".join(f"\n- {q}: {k}" for q, k in single.items()), ""]
    out += [
           "## By file", "", "| file | killed | survived | timeout | uncompilable | equivalent |",
           "|---|---|---|---|---|---|"]
    for f, k in rep["by_file"].items():
        out.append(f"| {f} | {k['killed']} | {k['survived']} | {k['timeout']} | {k['uncompilable']} | {k['equivalent']} |")
    out += ["", "## By spec section", "",
            "Killed mutants count under the sections of the requirements that failed; the others "
            "under the sections their handler's comment cites.", "",
            "| section | killed | survived | timeout | equivalent |", "|---|---|---|---|---|"]
    for s, k in rep["by_section"].items():
        out.append(f"| {s} | {k['killed']} | {k['survived']} | {k['timeout']} | {k['equivalent']} |")
    eq = [e for e in rep["mutants"] if e["status"] == "equivalent"]
    if eq:
        out += ["", f"## Recorded equivalents in this selection ({len(eq)})", "",
                "| mutant | file:line | mutation | kind | argument |", "|---|---|---|---|---|"]
        for e in eq:
            out.append(f"| `{e['identity']}` | {e['file']}:{e['line']} | {_cell(e['mutation'])} | "
                       f"{e.get('kind', '')} | {_cell(e.get('argument', ''))} |")
    for title, st in (("Survivors", "survived"), ("Timed out", "timeout"), ("Crashed the suite", "crashed")):
        items = [e for e in rep["mutants"] if e["status"] == st]
        out += ["", f"## {title} ({len(items)})", ""]
        for e in items:
            out += [f"### `{e['identity']}` {e['file']}:{e['line']} — {e['mutation']}", "",
                    f"Source line: `{e['source_line']}`", "", "```diff", e["diff"].rstrip(), "```", ""]
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def write_reports(out_dir: Path, rep: dict) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "report.json").write_text(json.dumps(rep, indent=2) + "\n")
    (out_dir / "report.md").write_text(markdown(rep))
