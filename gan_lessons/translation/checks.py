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
            (
                16.0,
                "1 + Σ(k - 1) = 16 ignores the strides: each layer adds (k - 1) times the product of the strides "
                "before it.",
            ),
            (
                18.0,
                "18 is the course's 3-layer PatchGAN (what gl.translation.receptive_field() gives by default); pass "
                "the paper's five layers: kernels 4, strides 2, 2, 2, 1, 1.",
            ),
        ],
        otherwise="{value} is not it: r = 1 + sum over layers of (k_i - 1) x (product of the earlier strides).",
    )


def _cycle_case():
    """Inputs for the cycle-loss check: two "translators" whose round trips err by different amounts, with both
    signs, from pixel to pixel -- so a signed mean, an RMSE or a squared error cannot land on the L1 answer."""
    a = np.linspace(-1, 1, 32, dtype=np.float32).reshape(2, 4, 4, 1)
    b = np.cos(3 * a[::-1]).astype(np.float32)

    def g(x):
        return 2 * x + 0.1

    def f(x):
        return x / 2 + 0.3 * x**2 - 0.25

    return a, b, g, f


def check_cycle_loss(fn: Callable | None) -> CheckResult:
    """Lesson 10, exercise 2: ``my_cycle_loss(a, b, g, f)``: mean |f(g(a)) - a| + mean |g(f(b)) - b|."""
    name = "cycle loss"
    if _not_attempted(fn):
        return _result(name, NOT_ATTEMPTED, "write my_cycle_loss(a, b, g, f).")
    a, b, g, f = _cycle_case()
    value, early = _call(name, fn, "my_cycle_loss(a, b, g, f)", a, b, g, f)
    if early is not None:
        return early
    err_a, err_b = (f(g(a)) - a).astype(np.float64), (g(f(b)) - b).astype(np.float64)
    l1_a, l1_b = np.mean(np.abs(err_a)), np.mean(np.abs(err_b))
    # g(f(a)) for a's round trip: f takes B to A, so it cannot start from a
    swapped_a = np.mean(np.abs(g(f(a)).astype(np.float64) - a))
    swapped_b = np.mean(np.abs(f(g(b)).astype(np.float64) - b))
    order = (
        "the round trip of a is f(g(a)) (g takes A to B, then f brings it back) and of b is g(f(b)); you composed "
        "them the other way round."
    )
    return _check_number(
        name,
        value,
        "my_cycle_loss returned nothing: return the loss.",
        l1_a + l1_b,
        "correct: both cycles, A -> B -> A and B -> A -> B, each an L1 distance averaged over pixels.",
        mistakes=[
            (l1_a, "only the A -> B -> A cycle: add the B -> A -> B one."),
            (l1_b, "only the B -> A -> B cycle: add the A -> B -> A one."),
            (
                np.mean(err_a**2) + np.mean(err_b**2),
                "you squared the differences: CycleGAN's cycle loss is L1 (absolute values).",
            ),
            (
                np.sqrt(np.mean(err_a**2)) + np.sqrt(np.mean(err_b**2)),
                "that is an RMSE: the cycle loss is the mean absolute difference.",
            ),
            (
                np.mean(err_a) + np.mean(err_b),
                "you averaged the signed differences: errors of opposite sign cancel; take |.| first.",
            ),
            (abs(np.mean(err_a)) + abs(np.mean(err_b)), "|.| must come before the mean, pixel by pixel, not after it."),
            ((l1_a + l1_b) * err_a.size, "you summed over the pixels: take the mean."),
            ((l1_a + l1_b) / 2, "you averaged the two cycles: CycleGAN adds them."),
            (
                10 * (l1_a + l1_b),
                "you weighted it by 10 (CycleGAN's λ): return the loss itself; the trainer multiplies it by λ.",
            ),
            (swapped_a + swapped_b, order),
            (swapped_a + l1_b, order),
            (l1_a + swapped_b, order),
        ],
        otherwise="{value} is not it: translate there and back, compare with the original (|.|), average, both ways.",
        rel=1e-5,
    )
