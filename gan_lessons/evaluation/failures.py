"""Lesson 08's central table, computed: which metric moves for which failure.

Each flawed sample set is compared with held-out real digits.  A metric *moves* when it differs from the real set's
value by more than it differs between two disjoint sets of held-out real digits of the same size, times a margin: that
difference is what sampling alone does.  It moves to *worse* (FID up, recall down, ...) or to *better* -- the
dangerous case, a flaw the metric rewards.  Taught in ``08_evaluating_gans``.
"""

from __future__ import annotations

from ..tools.metrics import TABLE_COLUMNS, format_table

# +1: larger is better; -1: smaller is better; 0: closer to the real set's value is better (density: about 1).
BETTER = {
    "fid": -1,
    "kid": -1,
    "inception_score": +1,
    "precision": +1,
    "recall": +1,
    "density": 0,
    "coverage": +1,
    "classes_covered": +1,
    "memorised_fraction": -1,
}
# The least change that counts, whatever the two real sets say: more than one class, more than 5 % of samples copied.
FLOORS = {"classes_covered": 1.0, "memorised_fraction": 0.05}


def metric_moves(
    results: dict[str, dict], real: str = "held-out real", other_real: str = "more held-out real", margin: float = 3.0
) -> dict[str, dict[str, str]]:
    """For every set but the two real ones: each metric's verdict, ``"worse"``, ``"better"`` or ``"-"`` (within
    ``margin`` times the difference between the real sets ``real`` and ``other_real``, and at least ``FLOORS``)."""
    if real not in results or other_real not in results:
        raise ValueError(f"results need the two real sets {real!r} and {other_real!r}, got {sorted(results)}.")
    if margin <= 0:
        raise ValueError(f"margin must be > 0, got {margin!r}.")
    table = {}
    for name, scores in results.items():
        if name in (real, other_real):
            continue
        row = {}
        for metric, sign in BETTER.items():
            base, value = results[real][metric], scores[metric]
            tolerance = max(margin * abs(results[other_real][metric] - base), FLOORS.get(metric, 0.0))
            change = value - base
            if abs(change) <= tolerance:
                row[metric] = "-"
            elif sign == 0:
                row[metric] = "worse" if abs(value - 1.0) > abs(base - 1.0) else "better"
            else:
                row[metric] = "better" if change * sign > 0 else "worse"
        table[name] = row
    return table


def format_moves(moves: dict[str, dict[str, str]], columns=TABLE_COLUMNS) -> str:
    """:func:`metric_moves` as a plain-text table, one row per flawed set, laid out as the scores' table."""
    return format_table(moves, columns)
