"""``--log FILE`` of the scripts that train many runs: each finished run is one JSON line, so an interrupted script
continues where it stopped.  The scripts import it (``python scripts/NAME.py`` puts this folder on the import path)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path


def kept_runs(log: Path | None, key: Callable[[dict], object]) -> dict:
    """The runs ``log`` already holds, by ``key(run)``; none without a log or before its first run."""
    if log is None or not log.exists():
        return {}
    runs = (json.loads(line) for line in log.read_text().splitlines())
    return {key(run): run for run in runs}


def keep(log: Path | None, run: dict) -> None:
    """Append the finished ``run`` to ``log`` (nothing without a log)."""
    if log is not None:
        with log.open("a") as f:
            f.write(json.dumps(run) + "\n")
