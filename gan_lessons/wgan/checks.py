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
    """A critic with a known gradient, f(x) = ||x||² / 2 (gradient x), and interpolates ``(2, 0)`` and
    ``(0, 0.25)``: norms 2 and 0.25, so the penalty is ((2 - 1)² + (0.25 - 1)²) / 2 = 0.78125."""
    import tensorflow as tf

    def critic(x):
        return 0.5 * tf.reduce_sum(tf.square(x), axis=1, keepdims=True)

    real = tf.constant([[3.0, 0.0], [0.0, 1.0]])
    fake = tf.constant([[1.0, 0.0], [0.0, 0.0]])
    weights = tf.constant([[0.5], [0.25]])
    return critic, real, fake, weights


def check_gradient_penalty(fn: Callable | None) -> CheckResult:
    """Lesson 05, exercise 1: ``my_gradient_penalty(critic, real, fake, weights)``, WGAN-GP's penalty."""
    name = "gradient penalty"
    if _not_attempted(fn):
        return _result(name, NOT_ATTEMPTED, "write my_gradient_penalty(critic, real, fake, weights).")
    value, early = _call(name, fn, "my_gradient_penalty(critic, real, fake, weights)", *_penalty_case())
    if early is not None:
        return early
    # The other way round, x̂ = (1 - w)·real + w·fake (the WGAN-GP authors' code): 1 - w is uniform too, so the
    # interpolates have the same distribution.  Here its norms are 2 and 0.75: ((2 - 1)² + (0.75 - 1)²) / 2.
    got, early = _numeric_answer(name, value, "")
    if early is None and abs(got - 0.53125) <= 1e-5 * 0.53125:
        return _result(
            name,
            CORRECT,
            "correct, with x̂ = (1 - w)·real + w·fake (as the WGAN-GP authors' code writes it): 1 - w is uniform "
            "too, so the interpolates have the same distribution.",
        )
    return _check_number(
        name,
        value,
        "my_gradient_penalty returned nothing: return the mean penalty.",
        0.78125,
        "correct: the two-sided penalty (||∇f(x̂)|| - 1)², per sample at its interpolate, averaged.",
        mistakes=[
            (0.5, "that is the one-sided penalty max(0, ||g|| - 1)²: WGAN-GP also penalises norms below 1."),
            (0.875, "you averaged |·|, not the square: the penalty is (||g|| - 1)²."),
            (0.125, "you averaged ||g|| - 1 without squaring it."),
            (2.0, "that is the penalty at the real points: it belongs at the interpolates."),
            (2.0 * 0.78125, "you summed over the batch: take the mean."),
            (
                (math.sqrt(4.0625) - 1) ** 2,
                "one norm for the whole batch: the norm is per sample, over that sample's features.",
            ),
            (4.939453125, "you used the squared norm ||g||²: the penalty is on the norm itself."),
        ],
        otherwise="{value} is not it: interpolate, take the gradient of the critic there, its norm per sample, "
        "then the mean of (norm - 1)².",
        rel=1e-5,
    )


def check_critic(builder: Callable | None, called: str = "fixed_critic") -> CheckResult:
    """Lesson 05, exercise 2: ``fixed_critic()`` returns the drill's critic made a proper WGAN-GP critic.
    ``called``: the function's name in the messages (lesson 09's drills call it ``critic``)."""
    import keras

    name = "critic"
    if _not_attempted(builder):
        return _result(name, NOT_ATTEMPTED, f"write {called}() returning a keras model (2,) -> (1,).")
    critic, early = _call(name, builder, f"{called}()")
    if early is not None:
        return early
    if not isinstance(critic, keras.Model) or tuple(critic.input_shape) != (None, 2):
        return _result(name, WRONG, "return a keras model taking points of shape (batch, 2).")
    kinds = {type(layer).__name__ for layer in critic.layers}
    if "BatchNormalization" in kinds:
        return _result(name, WRONG, "batch norm is still there: it mixes the samples of a batch (use layer norm).")
    last = critic.layers[-1]
    if getattr(last, "activation", None) in (keras.activations.sigmoid, keras.activations.tanh) or kinds & {
        "Activation"
    }:
        return _result(name, WRONG, "the output is still squashed: a critic's score must be unbounded (linear).")
    scores = np.asarray(critic(np.random.default_rng(0).standard_normal((8, 2)).astype("float32")))
    if scores.shape != (8, 1):
        return _result(name, WRONG, f"the critic must give one score per point, shape (batch, 1), got {scores.shape}.")
    return _result(name, CORRECT, "correct: a linear output and no batch statistics; the penalty can now do its job.")
