"""The recorded equivalent mutants (ci/mutation/equivalent-mutants.json): mutants no host can tell
from the reference modem, each with its identity and the argument why. A campaign skips them and
leaves them out of the score."""
from __future__ import annotations

import json
from pathlib import Path

EQUIVALENTS_FILE = Path(__file__).with_name("equivalent-mutants.json")


def load_equivalents(path: Path = EQUIVALENTS_FILE) -> dict[str, dict]:
    if not path.exists():
        return {}
    try:
        entries = json.loads(path.read_text())["equivalent"]
    except (json.JSONDecodeError, KeyError, OSError) as e:
        raise SystemExit(f"ci/mutate: cannot read {path}: {e}")
    out = {}
    for e in entries:
        missing = [k for k in ("identity", "file", "mutation", "line", "argument") if not e.get(k)]
        if missing:
            raise SystemExit(f"ci/mutate: {path}: entry {e.get('identity', '?')} lacks {', '.join(missing)}")
        out[e["identity"]] = e
    return out
