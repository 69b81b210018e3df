"""Checks of lesson 05's exercises."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ..tools.exercise import (
    CORRECT,
    NOT_ATTEMPTED,
    WRONG,
    CheckResult,
    _call,
    _check_number,
    _not_attempted,
    _numeric_answer,
    _result,
)


def check_w1_shift(value) -> CheckResult:
    """Lesson 05, exercise 3: the earth mover's distance between N(0, 1) and N(3, 1)."""
    return _check_number(
        "W1 of a shift",
        value,
        "give W1(N(0, 1), N(3, 1)) as a number.",
        3.0,
        "correct: shifting a distribution by 3 moves every grain of sand 3, and nothing cheaper exists.",
        mistakes=[
            (math.log(2), "log 2 is where the Jensen-Shannon divergence saturates; W1 keeps growing with the shift."),
            (4.5, "4.5 is the KL divergence (shift² / 2); W1 grows linearly with the shift."),
            (9.0, "9 is the squared shift (W2²); W1 is the average distance moved, not its square."),
        ],
        otherwise="{value} is not it: how far does each point of N(0, 1) move to become N(3, 1)?",
    )


def _penalty_case():
    """A critic with a known gradient, f(x) = ||x||² / 2 (gradient x), and points whose per-sample and
    per-feature norms differ: interpolates (2.5, 1) and (0.5, 0.5), norms 2.69 and 0.71 (one above 1, one below)."""
    import tensorflow as tf

    def critic(x):
        return 0.5 * tf.reduce_sum(tf.square(x), axis=1, keepdims=True)

    real = tf.constant([[3.0, 1.0], [0.0, 1.0]])
    fake = tf.constant([[1.0, 1.0], [1.0, 0.0]])
    weights = tf.constant([[0.75], [0.5]])
    return critic, real, fake, weights


def _penalties(points) -> dict[str, float]:
    """The penalty of the critic ||x||² / 2 (gradient x) at ``points``, and what known slips make of it."""
    norms = np.linalg.norm(points, axis=1)
    return {
        "right": np.mean((norms - 1) ** 2),
        "one-sided": np.mean(np.maximum(norms - 1, 0) ** 2),
        "abs": np.mean(np.abs(norms - 1)),
        "unsquared": np.mean(norms - 1),
        "summed": np.sum((norms - 1) ** 2),
        "per feature": np.mean((np.linalg.norm(points, axis=0) - 1) ** 2),
        "whole batch": (np.linalg.norm(points) - 1) ** 2,
        "squared norm": np.mean((norms**2 - 1) ** 2),
    }


_PENALTY_SLIPS = {
    "one-sided": "that is the one-sided penalty max(0, ||g|| - 1)²: WGAN-GP also penalises norms below 1.",
    "abs": "you averaged |·|, not the square: the penalty is (||g|| - 1)².",
    "unsquared": "you averaged ||g|| - 1 without squaring it.",
    "summed": "you summed over the batch: take the mean.",
    "per feature": "that norm is per feature, across the batch (axis 0): the norm is per sample, over that sample's "
    "features (axis 1).",
    "whole batch": "one norm for the whole batch: the norm is per sample, over that sample's features.",
    "squared norm": "you used the squared norm ||g||²: the penalty is on the norm itself.",
}


def check_gradient_penalty(fn: Callable | None) -> CheckResult:
    """Lesson 05, exercise 1: ``my_gradient_penalty(critic, real, fake, weights)``, WGAN-GP's penalty."""
    name = "gradient penalty"
    if _not_attempted(fn):
        return _result(name, NOT_ATTEMPTED, "write my_gradient_penalty(critic, real, fake, weights).")
    case = _penalty_case()
    value, early = _call(name, fn, "my_gradient_penalty(critic, real, fake, weights)", *case)
    if early is not None:
        return early
    got, early = _numeric_answer(name, value, "my_gradient_penalty returned nothing: return the mean penalty.")
    if early is not None:
        return early
    real, fake, w = (np.asarray(t, np.float64) for t in case[1:])
    # The other way round, x̂ = (1 - w)·real + w·fake (the WGAN-GP authors' code): 1 - w is uniform too, so the
    # interpolates have the same distribution; its slips get the same messages.
    mixes = {"": w * real + (1 - w) * fake, "mirrored": (1 - w) * real + w * fake}
    values = {key: _penalties(points) for key, points in mixes.items()}

    def near(target: float) -> bool:
        return abs(got - target) <= 1e-5 * max(abs(target), 1.0)

    if near(values[""]["right"]):
        return _result(
            name, CORRECT, "correct: the two-sided penalty (||∇f(x̂)|| - 1)², per sample at its interpolate, averaged."
        )
    if near(values["mirrored"]["right"]):
        return _result(
            name,
            CORRECT,
            "correct, with x̂ = (1 - w)·real + w·fake (as the WGAN-GP authors' code writes it): 1 - w is uniform "
            "too, so the interpolates have the same distribution.",
        )
    for slip, why in _PENALTY_SLIPS.items():
        if any(near(v[slip]) for v in values.values()):
            return _result(name, WRONG, why)
    for where, points in (("real", real), ("fake", fake)):
        if near(_penalties(points)["right"]):
            return _result(
                name,
                WRONG,
                f"that is the penalty at the {where} points: it belongs at the interpolates x̂ = w·real + (1 - w)·fake.",
            )
    return _result(
        name,
        WRONG,
        f"{got:g} is not it: interpolate, take the gradient of the critic there, its norm "
        "per sample, then the mean of (norm - 1)².",
    )


def _flat_layers(model) -> list:
    """Every layer, nested models included."""
    found = []
    for layer in model.layers:
        found += _flat_layers(layer) if hasattr(layer, "layers") else [layer]
    return found


def _scores_when_scaled(critic, points) -> np.ndarray:
    """The critic's scores on ``points`` with its last linear map (the last layer with a kernel) scaled by
    +100, -100 and +1000 (small enough for float16): a linear output grows with the scale and changes sign with it;
    a squashed (bounded) or one-signed output does not.  Without such a layer, the inputs are scaled instead.
    Shape ``(3, batch)``."""
    last = [layer for layer in _flat_layers(critic) if hasattr(layer, "kernel") and layer.get_weights()]
    scores = []
    for scale in (100.0, -100.0, 1000.0):
        if last:
            saved = last[-1].get_weights()
            last[-1].set_weights([scale * w for w in saved])
            try:
                scores.append(np.asarray(critic(points), np.float64).reshape(-1))
            finally:
                last[-1].set_weights(saved)
        else:
            scores.append(np.asarray(critic(points * scale), np.float64).reshape(-1))
    return np.stack(scores)


def check_critic(builder: Callable | None, called: str = "fixed_critic") -> CheckResult:
    """Lesson 05, exercise 2: ``fixed_critic()`` returns the drill's critic made a proper WGAN-GP critic.
    ``called``: the function's name in the messages (lesson 09's drills call it ``critic``)."""
    import keras

    name = "critic"
    if _not_attempted(builder):
        return _result(name, NOT_ATTEMPTED, f"write {called}() returning a keras model (2,) -> (1,).")
    keras.utils.set_random_seed(0)
    critic, early = _call(name, builder, f"{called}()")
    if early is not None:
        return early
    if not isinstance(critic, keras.Model) or tuple(critic.input_shape) != (None, 2):
        return _result(name, WRONG, "return a keras model taking points of shape (batch, 2).")
    if any(type(layer).__name__ == "BatchNormalization" for layer in _flat_layers(critic)):
        return _result(name, WRONG, "batch norm is still there: it mixes the samples of a batch (use layer norm).")
    points = np.random.default_rng(0).standard_normal((32, 2)).astype("float32")
    try:
        shape = tuple(np.shape(critic(points)))
        scores = _scores_when_scaled(critic, points)
    except Exception as exc:
        return _result(name, WRONG, f"calling the critic on points of shape (32, 2) raised {exc!r}.")
    if shape != (32, 1):
        return _result(name, WRONG, f"the critic must give one score per point, shape (batch, 1), got {shape}.")
    if np.isnan(scores).any():
        return _result(name, WRONG, "the critic gives NaN scores when its last layer's weights are scaled up.")
    low, high = float(scores.min()), float(scores.max())
    if low >= 0 or high <= 0:
        return _result(
            name,
            WRONG,
            f"the scores stay on one side (all {'≥' if low >= 0 else '≤'} 0), even with the last layer's weights "
            "negated: a one-signed activation (relu, softplus, exponential, sigmoid...) shapes the output. A critic's "
            "score must be free to take any real value: end with a linear Dense(1), no activation.",
        )
    bounded = max(abs(low), abs(high)) <= 10 or np.abs(scores[2]).max() < 5 * np.abs(scores[0]).max()
    if bounded:
        return _result(
            name,
            WRONG,
            "the output is squashed: with the last layer's weights scaled up a hundredfold and a thousandfold, the "
            f"scores stay in [{low:.3g}, {high:.3g}]. A critic's score must be unbounded: end with a linear Dense(1), "
            "no activation.",
        )
    return _result(name, CORRECT, "correct: a linear output and no batch statistics; the penalty can now do its job.")
