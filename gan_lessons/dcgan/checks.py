"""Checks of lesson 03's exercises."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..core.plotting import interpolate
from ..tools.exercise import CORRECT, NOT_ATTEMPTED, WRONG, CheckResult, _not_attempted, _numeric_answer, _result


def check_transposed_output_size(size) -> CheckResult:
    """Lesson 03, exercise 1: side of the map a Conv2DTranspose(kernel 4, stride 2, padding "same")
    makes from a 7x7 map."""
    name = "transposed convolution output size"
    value, early = _numeric_answer(name, size, "set upsampled_size to a whole number.")
    if early is not None:
        return early
    if value == 14:
        return _result(name, CORRECT, "with padding 'same' a transposed convolution multiplies the size by the stride.")
    if value == 16:
        return _result(name, WRONG, "that is padding 'valid' ((7 - 1) x 2 + 4 = 16); 'same' gives size x stride.")
    if value in (3, 4):
        return _result(
            name, WRONG, "a stride-2 *transposed* convolution upsamples; you computed a strided convolution."
        )
    return _result(name, WRONG, f"{value:g} is not it: with padding 'same' the output side is input side x stride.")


def check_slerp(fn: Callable | None) -> CheckResult:
    """Lesson 03, exercise 2: spherical interpolation ``slerp(z0, z1, t)`` of two noise vectors."""

    name = "spherical interpolation"
    if _not_attempted(fn):
        return _result(name, NOT_ATTEMPTED, "write my_slerp(z0, z1, t) and run the check again.")
    rng = np.random.default_rng(3)
    z0, z1 = rng.standard_normal(100).astype(np.float32), rng.standard_normal(100).astype(np.float32)
    expected = interpolate(z0, z1, n=5, kind="spherical")
    for i, t in enumerate(np.linspace(0.0, 1.0, 5)):
        try:
            got = np.asarray(fn(z0, z1, float(t)), dtype=np.float64)
        except NotImplementedError:
            return _result(name, NOT_ATTEMPTED, "the function still raises NotImplementedError.")
        except Exception as exc:
            return _result(name, WRONG, f"my_slerp(z0, z1, {t}) raised {exc!r}.")
        if got.shape != z0.shape:
            return _result(name, WRONG, f"return one vector of shape {z0.shape}, got {got.shape}.")
        if not np.allclose(got, expected[i], atol=1e-3):
            linear = (1 - t) * z0 + t * z1
            if np.allclose(got, linear, atol=1e-3):
                return _result(
                    name, WRONG, "that is linear interpolation: its midpoint has a smaller norm than z0, z1."
                )
            return _result(name, WRONG, f"at t = {t} the result differs from slerp; check sin((1-t)w) and sin(tw).")
    return _result(name, CORRECT, "the path follows the great circle, so its norm stays near sqrt(100) = 10.")


def check_checkerboard_kernels(kernels) -> CheckResult:
    """Lesson 03, exercise 3: which kernel sizes of a stride-2 transposed convolution overlap evenly
    (no built-in checkerboard), among 2, 3, 4, 5 and 6."""
    name = "kernels with even overlap"
    if _not_attempted(kernels):
        return _result(name, NOT_ATTEMPTED, "set even_kernels to a list of kernel sizes, e.g. [3, 5].")
    try:
        chosen = {int(k) for k in kernels}
    except (TypeError, ValueError):
        return _result(name, WRONG, f"give a list of whole numbers, got {kernels!r}.")
    if chosen == {2, 4, 6}:
        return _result(name, CORRECT, "a kernel divisible by the stride covers every output pixel equally often.")
    if chosen & {3, 5}:
        return _result(name, WRONG, "with kernel 3 or 5 and stride 2, every other pixel gets one more contribution.")
    return _result(name, WRONG, "count, for each output pixel, how many kernel taps land on it: which k make it even?")


def check_first_conv_params(n) -> CheckResult:
    """Lesson 03, exercise 4: parameters of the DCGAN discriminator's first convolution
    (4x4 kernel, 1 input channel, 64 filters, with bias)."""
    name = "parameters of the first convolution"
    value, early = _numeric_answer(name, n, "set first_conv_params to a whole number.")
    if early is not None:
        return early
    if value == 4 * 4 * 1 * 64 + 64:
        return _result(name, CORRECT, "4 x 4 x 1 x 64 weights + 64 biases: it does not depend on the image size.")
    if value == 4 * 4 * 1 * 64:
        return _result(name, WRONG, "you counted the weights; each filter also has a bias.")
    if value > 10_000:
        return _result(name, WRONG, "a convolution shares its kernel over the image: the image size does not enter.")
    return _result(name, WRONG, f"{value:g} is not it: kernel height x width x input channels x filters, plus biases.")
