"""Checks of lesson 07's exercises."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..tools.exercise import CORRECT, NOT_ATTEMPTED, WRONG, CheckResult, _call, _check_number, _not_attempted, _result
from .baseline import bimodal_1d


def check_kde_density(fn: Callable | None) -> CheckResult:
    """Lesson 07, exercise 1: ``my_kde_density(x, points, bandwidth)``, a 1-D Gaussian KDE at ``x``."""
    from scipy.stats import norm

    name = "a Gaussian KDE by hand"
    if _not_attempted(fn):
        return _result(name, NOT_ATTEMPTED, "write my_kde_density(x, points, bandwidth) and run the check again.")
    points = np.array([-1.0, 0.0, 0.5, 3.0])
    for x, h in ((0.2, 0.5), (3.0, 1.0), (-2.0, 2.0)):
        got, early = _call(name, fn, f"my_kde_density({x}, points, {h})", x, points, h)
        if early is not None:
            return early
        try:
            got = float(got)
        except (TypeError, ValueError):
            return _result(name, WRONG, f"return one number (a density), got {got!r}.")
        expected = float(np.mean(norm.pdf(x, loc=points, scale=h)))
        if abs(got - expected) <= 1e-6 * max(1.0, expected):
            continue
        if abs(got - expected * len(points)) < 1e-6:
            return _result(name, WRONG, "you summed the kernels: average them (divide by n) so it integrates to 1.")
        if abs(got - expected * h * np.sqrt(2 * np.pi)) < 1e-6:
            return _result(name, WRONG, "each kernel needs its normalisation 1 / (h sqrt(2 pi)).")
        if abs(got - float(np.mean(norm.pdf(x, loc=points, scale=h**2)))) < 1e-6:
            return _result(name, WRONG, "the bandwidth h is the kernel's standard deviation, not its variance.")
        return _result(name, WRONG, f"at x = {x}, h = {h} the density is {expected:.5f}, you gave {got:.5f}.")
    return _result(name, CORRECT, "p(x) = mean over training points of N(x; x_i, h^2): as KernelDensity computes it.")


def check_pick_bandwidth(fn: Callable | None) -> CheckResult:
    """Lesson 07, exercise 2: ``my_pick_bandwidth(train, valid, grid)`` returns the grid value whose KDE,
    fitted on ``train``, gives ``valid`` the highest log-likelihood."""
    from sklearn.neighbors import KernelDensity

    name = "choosing a bandwidth"
    if _not_attempted(fn):
        return _result(name, NOT_ATTEMPTED, "write my_pick_bandwidth(train, valid, grid) and run the check again.")
    train, valid = bimodal_1d(300, seed=11), bimodal_1d(300, seed=12)
    grid = np.logspace(-2, 1, 13)
    got, early = _call(name, fn, "my_pick_bandwidth(train, valid, grid)", train, valid, grid)
    if early is not None:
        return early
    try:
        got = float(got)
    except (TypeError, ValueError):
        return _result(name, WRONG, f"return one bandwidth from the grid, got {got!r}.")
    valid_ll = [KernelDensity(bandwidth=h).fit(train).score(valid) for h in grid]
    train_ll = [KernelDensity(bandwidth=h).fit(train).score(train) for h in grid]
    best = float(grid[int(np.argmax(valid_ll))])
    if abs(got - best) < 1e-9 * best:
        return _result(name, CORRECT, f"h = {best:.3g}: held-out likelihood punishes both a spiky and a flat KDE.")
    if abs(got - float(grid[int(np.argmax(train_ll))])) < 1e-12:
        return _result(
            name, WRONG, "you scored the training points: their likelihood only grows as h shrinks. Score `valid`."
        )
    return _result(name, WRONG, f"{got:.3g} is not the grid value with the highest log-likelihood of `valid`.")


DIMENSION_EFFECT_CHOICES = {
    "a": "PCA with more components throws away more of each digit.",
    "b": "In more dimensions the training points are far apart and the kernels cover a vanishing share of the "
    "space: the density piles up around the training digits, which it scores well, and new digits fall between.",
    "c": "Cross-validation picks a larger bandwidth in more dimensions, which favours the training digits.",
    "d": "The digit classifier cannot read images made from many PCA components.",
}


def check_dimension_effect(choice) -> CheckResult:
    """Lesson 07, exercise 3: why the gap between training and held-out likelihood grows with the dimension."""
    name = "the dimension effect"
    options = ", ".join(DIMENSION_EFFECT_CHOICES)
    if _not_attempted(choice):
        return _result(name, NOT_ATTEMPTED, f"set dimension_answer to one of {options}.")
    key = str(choice).strip().lower()
    if key not in DIMENSION_EFFECT_CHOICES:
        return _result(name, WRONG, f"choose one of {options}.")
    if key == "b":
        return _result(name, CORRECT, "the curse of dimensionality: a KDE needs exponentially many points as d grows.")
    why = {
        "a": "more components keep *more* of each digit, not less.",
        "c": "look at the table: the chosen bandwidth does not grow steadily, and a larger h would favour new digits.",
        "d": "the gap is between two likelihoods; the classifier plays no part in it.",
    }
    return _result(name, WRONG, why[key])


def check_halving_factor(factor) -> CheckResult:
    """Lesson 07, exercise 4: the best bandwidth shrinks like n^(-1/(d+4)); by what factor must n grow to
    halve it in d = 30 dimensions?"""
    return _check_number(
        "data needed to halve the bandwidth",
        factor,
        "set halving_factor to a number.",
        2.0**34,
        "2^(d+4) = 2^34, about 17 billion times more digits; in 1-D, 2^5 = 32.",
        [
            (2.0**30, "the exponent is d + 4, not d."),
            (2.0**33, "that is 2^33: the exponent is d + 4 = 34."),
            (2.0**35, "that is 2^35: the exponent is d + 4 = 34."),
            (34.0, "34 is the exponent: the factor is 2^34."),
            (32.0, "that is the 1-D answer (2^(1+4)); here d = 30."),
        ],
        "{value} is not it: solve (k n)^(-1/(d+4)) = n^(-1/(d+4)) / 2 for k.",
        rel=0.02,  # 2^34 = 1.718e10: the rounded 17 billion (1.7e10) is 1.05 % off; 2^33 and 2^35 are a factor 2 away
    )
