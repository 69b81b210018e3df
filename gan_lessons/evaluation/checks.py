"""Checks of lesson 08's exercises."""

from __future__ import annotations

from ..tools.exercise import (
    CORRECT,
    NOT_ATTEMPTED,
    WRONG,
    CheckResult,
    _check_number,
    _not_attempted,
    _numeric_answer,
    _result,
)
from ..tools.metrics import TABLE_COLUMNS


def check_fid_1d(value) -> CheckResult:
    """Lesson 08, exercise 1: the squared Fréchet distance (what FID reports) between N(0, 2²) and N(3, 1²)."""
    return _check_number(
        "squared Fréchet distance of two 1-D Gaussians",
        value,
        "set fid_answer to a number.",
        10.0,
        "(0 − 3)² + 2² + 1² − 2·√(2²·1²) = 9 + 1 = 10.",
        [(9.0, "that is only the means' part: the spreads differ too (σ = 2 vs 1).")],
        "{value} is not it: in 1-D the formula is (μ1 − μ2)² + (σ1 − σ2)².",
        rel=1e-6,
    )


def check_precision_toy(value) -> CheckResult:
    """Lesson 08, exercise 2: precision (k = 1) of fakes [0.5, 10] against reals [0, 1, 2, 3]."""
    name = "precision on a toy example"
    got, early = _numeric_answer(name, value, "set precision_answer to a number between 0 and 1.")
    if early is not None:
        return early
    if abs(got - 0.5) < 1e-9:
        return _result(name, CORRECT, "each real ball has radius 1; 0.5 is inside one, 10 in none: 1 of 2.")
    return _result(
        name,
        WRONG,
        f"{got} is not it: draw a ball of radius 1 (distance to the nearest other real "
        "point) around each real point and count the fakes inside any ball.",
    )


METRIC_NAMES = TABLE_COLUMNS  # the columns of lesson 08's table


def check_copy_detector(metric) -> CheckResult:
    """Lesson 08, exercise 3: which metric flags a generator that outputs training digits verbatim?"""
    name = "the metric that catches copies"
    if _not_attempted(metric):
        return _result(name, NOT_ATTEMPTED, f"set copy_metric to one of {', '.join(METRIC_NAMES)}.")
    metric = str(metric).strip().lower()
    if metric not in METRIC_NAMES:
        return _result(name, WRONG, f"choose one of {', '.join(METRIC_NAMES)}.")
    if metric == "memorised_fraction":
        return _result(
            name, CORRECT, "copies have perfect statistics (FID ~ real) but sit at distance 0 from a training digit."
        )
    return _result(name, WRONG, f"copies of real digits look perfect to {metric}: look at the 'copies' row.")
