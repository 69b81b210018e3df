"""Checks of lesson 02's exercises."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..tools.exercise import CORRECT, NOT_ATTEMPTED, WRONG, CheckResult, _not_attempted, _numeric_answer, _result


def check_generator_loss(fn: Callable | None, called: str = "my_generator_loss") -> CheckResult:
    """Lesson 02, exercise 1: the non-saturating generator loss from logits, ``-mean(log D(G(z)))``.
    ``called``: the function's name in the messages."""
    name = "non-saturating generator loss"
    if _not_attempted(fn):
        return _result(name, NOT_ATTEMPTED, f"write {called}(fake_logits) and run the check again.")
    cases = [
        np.array([[-8.0], [3.0], [0.5]], np.float32),  # first: here the minimax loss and -(the right loss) differ
        np.array([[0.0], [0.0]], np.float32),
        np.linspace(-30, 30, 61, dtype=np.float32)[:, None],
        np.array([[-200.0], [-100.0], [40.0]], np.float32),  # a very confident D: log(sigmoid) underflows
    ]
    for logits in cases:
        expected = float(np.mean(np.logaddexp(0.0, -logits.astype(np.float64))))
        try:
            got = float(np.asarray(fn(logits)))
        except NotImplementedError:
            return _result(name, NOT_ATTEMPTED, "the function still raises NotImplementedError.")
        except Exception as exc:
            return _result(name, WRONG, f"calling it on logits of shape {logits.shape} raised {exc!r}.")
        if not np.isfinite(got):
            return _result(
                name,
                WRONG,
                f"it returned {got} for logits from {logits.min()} to {logits.max()}: "
                "compute -log(sigmoid(l)) as softplus(-l) to stay finite.",
            )
        if abs(got - expected) > 1e-4 * max(1.0, abs(expected)):
            hint = ""
            if abs(got + float(np.mean(np.logaddexp(0.0, logits.astype(np.float64))))) < 1e-3:
                hint = " That is the minimax (saturating) loss log(1 - D); the exercise asks for -log D."
            elif abs(got + expected) < 1e-4 * max(1.0, abs(expected)):
                hint = " That is -(the right loss): minimising it pushes D(G(z)) down, helping the discriminator."
            return _result(
                name, WRONG, f"for logits {logits.ravel()[:3]}... expected {expected:.5f}, got {got:.5f}.{hint}"
            )
    return _result(name, CORRECT, "it matches -mean(log sigmoid(logits)) and stays finite for confident D.")


def check_first_layer_params(n) -> CheckResult:
    """Lesson 02, exercise 2: trainable parameters of the generator's first Dense layer
    (latent_dim = 100, 256 units)."""
    name = "parameters of the first Dense layer"
    if _not_attempted(n):
        return _result(name, NOT_ATTEMPTED, "set first_layer_params to a whole number.")
    expected = 100 * 256 + 256
    if not isinstance(n, int | np.integer):
        return _result(name, WRONG, f"give a whole number, got {n!r}.")
    if n == expected:
        return _result(name, CORRECT, "100 x 256 weights plus 256 biases.")
    if n == 100 * 256:
        return _result(name, WRONG, "you counted the weights; a Dense layer also has one bias per unit.")
    return _result(name, WRONG, f"{n} is not it: a Dense layer has inputs x units weights plus units biases.")


def check_equilibrium_output(p) -> CheckResult:
    """Lesson 02, exercise 3: what the optimal D outputs on every x once p_g = p_data."""
    name = "D at the equilibrium"
    value, early = _numeric_answer(name, p, "set d_at_equilibrium to a number.")
    if early is not None:
        return early
    if abs(value - 0.5) < 1e-6:
        return _result(name, CORRECT, "D*(x) = p_data / (p_data + p_g) = 1/2: it can only guess.")
    if value in (0.0, 1.0):
        return _result(name, WRONG, "a perfect generator cannot be told apart, so D cannot be certain either way.")
    return _result(name, WRONG, f"{value} is not it: use D*(x) = p_data(x) / (p_data(x) + p_g(x)) with p_g = p_data.")
