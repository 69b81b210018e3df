"""Checks of lesson 01's exercises."""

from __future__ import annotations

import numpy as np

from ..tools.exercise import CORRECT, NOT_ATTEMPTED, WRONG, CheckResult, _not_attempted, _numeric_answer, _result
from . import maths

EXERCISE_P_DATA = (0.5, 0.3, 0.2)  # the pair of distributions of lesson 01's exercises


EXERCISE_P_G = (0.2, 0.3, 0.5)


def check_optimal_discriminator(d) -> CheckResult:
    """Lesson 01, exercise 1: D* for ``EXERCISE_P_DATA`` and ``EXERCISE_P_G``, one value per outcome."""

    name = "optimal discriminator"
    if _not_attempted(d):
        return _result(name, NOT_ATTEMPTED, "set d_star_answer to a list of three numbers.")
    expected = maths.optimal_discriminator(EXERCISE_P_DATA, EXERCISE_P_G)
    try:
        got = np.asarray(d, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        return _result(name, WRONG, f"give three numbers, got {d!r}.")
    if got.shape != expected.shape:
        return _result(name, WRONG, f"give one value per outcome (3), got {got.size}.")
    # Within 1e-3: exact values and values rounded to three decimals, e.g. (0.714, 0.5, 0.286), are accepted.
    if np.allclose(got, expected, rtol=0, atol=1e-3):
        return _result(name, CORRECT, "D*(x) = p_data / (p_data + p_g) = (5/7, 1/2, 2/7).")
    if np.allclose(got, 1 - expected, rtol=0, atol=1e-3):
        return _result(name, WRONG, "you computed p_g / (p_data + p_g): D* is the probability of 'real'.")
    if np.allclose(got, np.asarray(EXERCISE_P_DATA) / np.asarray(EXERCISE_P_G), rtol=0, atol=1e-3):
        return _result(name, WRONG, "that is the ratio p_data / p_g; D* divides p_data by the sum p_data + p_g.")
    return _result(name, WRONG, f"expected three numbers near {np.round(expected, 3).tolist()}, got {got.tolist()}.")


def check_value_at_optimum(v) -> CheckResult:
    """Lesson 01, exercise 2: V(G, D*) for the same pair, in nats."""

    name = "V(G, D*)"
    got, early = _numeric_answer(name, v, "set value_answer to a number.")
    if early is not None:
        return early
    expected = -2 * maths.LOG2 + 2 * maths.js_divergence(EXERCISE_P_DATA, EXERCISE_P_G)
    p_data, p_g = np.asarray(EXERCISE_P_DATA), np.asarray(EXERCISE_P_G)
    d_star = maths.optimal_discriminator(p_data, p_g)
    jsd = maths.js_divergence(p_data, p_g)
    mistakes = (  # (wrong value, why), each further than 1e-3 from the answer and from one another
        (expected / np.log(2), "that is in bits: the course uses natural logarithms (nats)."),
        (-expected, "the sign is flipped: V is a sum of p log D terms with D < 1, so it is negative."),
        (-2 * maths.LOG2, "that is -2 log 2, the value at p_g = p_data; this pair is not equal yet."),
        (-2 * maths.LOG2 - 2 * jsd, "the JSD term enters with a plus: V(G, D*) = -2 log 2 + 2 JSD."),
        (float(np.sum(p_data * np.log(d_star))), "that is only the first sum; add Σ p_g log(1 − D*)."),
        (
            float(np.sum(p_data * np.log(1 - d_star)) + np.sum(p_g * np.log(d_star))),
            "you used 1 − D* where D* belongs: D* = p_data / (p_data + p_g) is the probability of 'real'.",
        ),
    )
    # Within 1e-3: the exact value and the value rounded to three decimals (-1.253) are accepted.
    if abs(got - expected) <= 1e-3:
        return _result(name, CORRECT, f"{expected:.4f} = -2 log 2 + 2 JSD: the pair is not yet equal.")
    for wrong, why in mistakes:
        if abs(got - wrong) <= 1e-3:
            return _result(name, WRONG, why)
    return _result(name, WRONG, f"{got:.4f} is not it: plug D* into Σ p_data log D + Σ p_g log(1 − D).")


def check_gradient_ratio(r) -> CheckResult:
    """Lesson 01, exercise 3: at D(G(z)) = 0.05, how many times larger is the non-saturating gradient
    (with respect to the logit) than the minimax one?"""
    name = "non-saturating vs minimax gradient"
    got, early = _numeric_answer(name, r, "set ratio_answer to a number.")
    if early is not None:
        return early
    if abs(got - 19.0) < 1e-3:
        return _result(
            name, CORRECT, "(1 − D) / D = 0.95 / 0.05 = 19: where G is bad it gets a 19 times larger logit gradient."
        )
    if abs(got - 1 / 19) < 1e-3:
        return _result(name, WRONG, "that is the inverse ratio (minimax over non-saturating).")
    return _result(name, WRONG, f"{got} is not it: the gradients are D for minimax and 1 − D for non-saturating.")
