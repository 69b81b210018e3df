"""Checks of lesson 10's exercises."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..tools.exercise import NOT_ATTEMPTED, CheckResult, _call, _check_number, _not_attempted, _result

PIX2PIX_PATCHGAN = ((4, 2), (4, 2), (4, 2), (4, 1), (4, 1))  # the paper's 70 x 70 PatchGAN


def check_receptive_field(value) -> CheckResult:
    """Lesson 10, exercise 1: the receptive field of the pix2pix paper's PatchGAN (kernels 4; strides 2, 2, 2, 1, 1)."""
    return _check_number(
        "PatchGAN receptive field",
        value,
        "give the receptive field in pixels as a number.",
        70.0,
        "correct: 1 + 3·(1 + 2 + 4 + 8 + 8) = 70, the paper's 70 x 70 PatchGAN.",
        mistakes=[
            (
                91.0,
                "a kernel grows the field by (k - 1) times the product of the strides before it, not its own.",
            ),
            (
                20.0,
                "adding the kernel sizes ignores the strides: after a stride-2 layer each step covers 2 input pixels.",
            ),
            (16.0, "the field is not the kernel times the number of layers: strides multiply the growth."),
        ],
        otherwise="{value} is not it: r = 1 + sum over layers of (k_i - 1) x (product of the earlier strides).",
    )


def check_cycle_loss(fn: Callable | None) -> CheckResult:
    """Lesson 10, exercise 2: ``my_cycle_loss(a, b, g, f)``: mean |f(g(a)) - a| + mean |g(f(b)) - b|."""
    name = "cycle loss"
    if _not_attempted(fn):
        return _result(name, NOT_ATTEMPTED, "write my_cycle_loss(a, b, g, f).")
    a = np.linspace(-1, 1, 32, dtype=np.float32).reshape(2, 4, 4, 1)
    b = a[::-1].copy()

    def g(x):
        return 2 * x + 0.1

    def f(x):
        return x / 2 + 0.1

    value, early = _call(name, fn, "my_cycle_loss(a, b, g, f)", a, b, g, f)
    if early is not None:
        return early
    return _check_number(
        name,
        value,
        "my_cycle_loss returned nothing: return the loss.",
        0.45,
        "correct: both cycles, A -> B -> A and B -> A -> B, each an L1 distance averaged over pixels.",
        mistakes=[
            (0.15, "only the A -> B -> A cycle: add the B -> A -> B one."),
            (0.3, "only the B -> A -> B cycle: add the A -> B -> A one."),
            (0.1125, "you squared the differences: CycleGAN's cycle loss is L1 (absolute values)."),
            (14.4, "you summed over the pixels: take the mean."),
        ],
        otherwise="{value} is not it: translate there and back, compare with the original (|.|), average, both ways.",
        rel=1e-5,
    )
