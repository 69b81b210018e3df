"""Checks of lesson 11's exercises."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..tools.exercise import CORRECT, WRONG, CheckResult, _attempt, _call, _result
from ..wgan.mixtures import count_modes, ring


def _hand_made_case():
    """Four modes at (1, 0), (0, 1), (-1, 0), (0, -1) with std 0.1 (3 std = 0.3), and five points: (1, 0) and
    (1.25, 0) lie within 0.3 of mode 0; (0, 1.35) is 0.35 from mode 1, (-0.75, 0.25) 0.354 from mode 2 (but within
    0.3 of it along each axis), (0.6, 0.4) 0.57 from mode 0.  Right: 1 mode captured, 2 of 5 high quality."""
    means = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])
    points = np.array([[1.0, 0.0], [1.25, 0.0], [0.0, 1.35], [-0.75, 0.25], [0.6, 0.4]])
    return points, means, 0.1


# (modes, share) that a known slip gives on the hand-made case, and what went wrong.
_MISTAKES = {
    (3, 0.4): "a mode is captured only by a *high-quality* sample nearest to it, not by any sample nearest to it.",
    (2, 0.6): "you tested each axis within 3 std (a square); the protocol takes the distance to the mean (a disc).",
    (3, 0.8): "you compared the squared distance with 3 std: compare the distance itself.",
    (1, 40.0): "the high-quality share is a fraction between 0 and 1, not a percentage.",
    (1, 2.0): "return the *share* of high-quality samples (their count divided by the number of samples).",
    (1, 0.25): "the high-quality share is over the samples, not over the modes.",
}


# The threshold a slip used, told by the probe case (points 0.005 to 0.25 from a mode of std 0.1), and what went
# wrong: the protocol's threshold is 3 std.
_PROBE = np.array([0.005, 0.02, 0.04, 0.08, 0.15, 0.25])
_THRESHOLDS = {
    1: "the threshold is 3 standard deviations from the nearest mean, not std².",
    2: "the threshold is 3 standard deviations from the nearest mean, not 3 x std² (3 times the variance).",
    4: "the threshold is 3 standard deviations from the nearest mean, not 1.",
    5: "the threshold is 3 standard deviations from the nearest mean, not 2.",
}


def _threshold_slip(fn: Callable) -> str:
    """What a counter that passes too few of the hand-made points got wrong, from how many probe points it passes."""
    means = _hand_made_case()[1]
    points = means[0] + np.stack([_PROBE, np.zeros_like(_PROBE)], axis=1)
    value, early = _call("mode counter", fn, "", points, means, 0.1)
    got = _pair(value) if early is None else None
    inside = None if got is None else got[1] * len(_PROBE)
    if inside is not None and np.isclose(inside, round(inside)) and round(inside) in _THRESHOLDS:
        return _THRESHOLDS[round(inside)]
    return "the threshold is 3 standard deviations from the nearest mean, not another multiple of std (or of std²)."


def _pair(value) -> tuple[float, float] | None:
    try:
        modes, share = value
        return float(modes), float(share)
    except (TypeError, ValueError):
        return None


def check_mode_count(fn: Callable | None) -> CheckResult:
    """Lesson 11, exercise 1: ``my_count_modes(points, means, std)`` returns ``(modes_captured, high_quality_share)``
    by the PacGAN / VEEGAN protocol."""
    name = "mode counter"
    call = "my_count_modes(points, means, std)"
    value, early = _attempt(name, fn, "write my_count_modes(points, means, std).", call, *_hand_made_case())
    if early is not None:
        return early
    got = _pair(value)
    if got is None:
        return _result(name, WRONG, f"return a pair (modes_captured, high_quality_share), got {value!r}.")
    if np.isclose(got[0], 0.4) and np.isclose(got[1], 1.0):
        return _result(name, WRONG, "the pair is the wrong way round: (modes_captured, high_quality_share).")
    if got[0] != 1 or not np.isclose(got[1], 0.4):
        if got[0] == 1 and np.isclose(got[1], 0.2):  # only the point on the mode: too small a threshold
            return _result(name, WRONG, _threshold_slip(fn))
        for (modes, share), why in _MISTAKES.items():
            if got[0] == modes and np.isclose(got[1], share):
                return _result(name, WRONG, why)
        return _result(
            name,
            WRONG,
            f"on four modes with std 0.1 and five points, you found {got[0]:g} modes and a share of "
            f"{got[1]:g}: each point belongs to its nearest mean; it is high quality within 3 std of it.",
        )
    mixture = ring()  # a second case: real ring samples with scattered points among them
    rng = np.random.default_rng(0)
    points = np.concatenate([mixture.sample(300, seed=1), rng.uniform(-1.2, 1.2, (200, 2))])
    expected = count_modes(points, mixture)
    value, early = _call(name, fn, call, points, mixture.means, mixture.std)
    if early is not None:
        return early
    got = _pair(value)
    if got is None or got[0] != expected["modes_captured"] or not np.isclose(got[1], expected["high_quality_share"]):
        return _result(
            name,
            WRONG,
            f"right on the small case, but on 500 points around the ring {value!r} instead of "
            f"({expected['modes_captured']}, {expected['high_quality_share']:g}): does it work for any N and K?",
        )
    return _result(name, CORRECT, "correct: nearest mean, within 3 std, then count the modes that got such a sample.")
