"""The order in which pytest-xdist hands out the suite's work: longest first.

Under ``--dist loadscope`` each test module and each notebook is one unit of work, given whole to the next free
worker in the order the units were collected (pyproject.toml turns off xdist's own reordering, which puts the units
with the most tests first: test_exercises.py's 231 checks, 12 s in all, went out first and test_install.py's 4 tests,
27 s, last, running alone at the end).  Handing out the longest units first and the short ones last lets the workers
finish together, instead of one idling while the other runs a long unit it picked up at the end.  How long each unit
takes is read from ``tests/durations.json``, written by ``python -m pytest --record-durations``; a unit not in it (a
new test file) goes first.  The order changes only when tests run, never what they check.
"""

from __future__ import annotations

import json
from pathlib import Path

RECORD = Path(__file__).with_name("durations.json")
COMMAND = "python -m pytest --record-durations"


def scope(nodeid: str) -> str:
    """The unit of work a test belongs to, as ``--dist loadscope`` groups them: its module, class or notebook."""
    return nodeid.rsplit("::", 1)[0]


def read(record: Path = RECORD) -> dict[str, float]:
    """Seconds per unit of work from the record; empty if there is none or it cannot be read."""
    try:
        return {str(k): float(v) for k, v in json.loads(record.read_text())["seconds"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def longest_first(nodeids: list[str], seconds: dict[str, float]) -> list[int]:
    """Indices of ``nodeids`` reordered unit by unit, longest recorded unit first (units not recorded before all
    others); the tests of a unit keep their order, and equal units keep the order they were collected in."""
    units: dict[str, list[int]] = {}
    for i, nodeid in enumerate(nodeids):
        units.setdefault(scope(nodeid), []).append(i)
    ranked = sorted(units, key=lambda unit: -seconds.get(unit, float("inf")))  # sorted() is stable
    return [i for unit in ranked for i in units[unit]]


def write(measured: dict[str, float], record: Path = RECORD) -> None:
    """Merge the seconds ``measured`` into the record: units measured replace their entry, units not run keep
    theirs, and units whose file is gone are dropped."""
    root = record.parent.parent
    seconds = {k: v for k, v in read(record).items() if (root / k.split("::")[0]).is_file()}
    seconds.update({k: round(v, 1) for k, v in measured.items()})
    text = {
        "about": "seconds each unit of work took (a test module, class or notebook; setup, call and teardown "
        "summed), used only to hand out the longest first (tests/suite_order.py)",
        "command": COMMAND,
        "seconds": dict(sorted(seconds.items(), key=lambda kv: -kv[1])),
    }
    record.write_text(json.dumps(text, indent=1) + "\n")
