"""The command line a record in data/ keeps: how to remake it, as it was typed.

The scripts that write records import it (``python scripts/NAME.py`` puts this folder on the import path).
``--log FILE`` is left out: where finished runs were kept does not change the results.
"""

from __future__ import annotations

import sys
from pathlib import Path


def record_command(argv: list[str] | None = None) -> str:
    """``python scripts/NAME.py ARGS`` for the running script (``sys.argv`` by default), without ``--log FILE``."""
    argv = sys.argv if argv is None else argv
    kept, skip = [], False
    for arg in argv[1:]:
        if skip or arg == "--log" or arg.startswith("--log="):
            skip = arg == "--log"
            continue
        kept.append(arg)
    return " ".join([f"python scripts/{Path(argv[0]).name}", *kept])
