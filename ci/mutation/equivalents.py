"""The recorded equivalent mutants (ci/mutation/equivalent-mutants.json), each with its identity,
its kind and the argument why. A campaign skips them and leaves them out of the score.

Kinds:
  equivalent  no host can tell the mutant from the reference modem (the code is unreachable from
              the AT port, or the behaviour it changes is the same);
  conforming  a host can see the difference, but the spec as the rulings read it accepts both
              (ruling 2's spacing, a value the spec does not fix);
  bench       the difference shows only on a bench the campaign does not have: network
              conditions no bench of the kit can make (the DUT's own address, a server that breaks
              RFC 959's reply format, a TCP connect that hangs on loopback). A feature one profile
              lacks is no reason: the campaign judges under several profiles (--profiles), and
              code a field profile reaches (/RAM/, the field commands) is judged there."""
from __future__ import annotations

import json
from pathlib import Path

EQUIVALENTS_FILE = Path(__file__).with_name("equivalent-mutants.json")
KINDS = ("equivalent", "conforming", "bench")


def load_equivalents(path: Path = EQUIVALENTS_FILE) -> dict[str, dict]:
    if not path.exists():
        return {}
    try:
        entries = json.loads(path.read_text())["equivalent"]
    except (json.JSONDecodeError, KeyError, OSError) as e:
        raise SystemExit(f"ci/mutate: cannot read {path}: {e}")
    out = {}
    for e in entries:
        missing = [k for k in ("identity", "kind", "file", "mutation", "line", "argument") if not e.get(k)]
        if missing:
            raise SystemExit(f"ci/mutate: {path}: entry {e.get('identity', '?')} lacks {', '.join(missing)}")
        if e["kind"] not in KINDS:
            raise SystemExit(f"ci/mutate: {path}: entry {e['identity']}: kind {e['kind']!r} is not one of {', '.join(KINDS)}")
        out[e["identity"]] = e
    return out
