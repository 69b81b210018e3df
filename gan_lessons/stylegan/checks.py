"""Checks of lesson 06's exercises, and the flawed "StyleGAN block" they start from."""

from __future__ import annotations

import keras
import numpy as np

from ..tools.exercise import CORRECT, NOT_ATTEMPTED, WRONG, CheckResult, _check_number, _not_attempted, _result


class FlawedStyleBlock(keras.layers.Layer):
    """Spot the three bugs (lesson 06).  It runs, and its output has the right shape, but:

    1. its convolution and style layers are made *inside* ``call``: new, untrained weights on every call,
       never tracked, so ``summary()`` reports 0 parameters and no optimizer can train them;
    2. it computes a scale and bias from ``w`` and never applies them: the style is ignored;
    3. it adds unit noise with no learned strength: every channel gets the same, full-strength noise.
    """

    def __init__(self, filters: int, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters

    def call(self, inputs):
        from keras import layers, ops

        x, w = inputs
        x = keras.Sequential([layers.Conv2D(self.filters, 3, padding="same")])(x)  # bug 1
        x = x + keras.random.normal(ops.shape(x))  # bug 3
        mean = ops.mean(x, axis=(1, 2), keepdims=True)
        std = ops.std(x, axis=(1, 2), keepdims=True)
        x = (x - mean) / (std + 1e-8)
        style = layers.Dense(2 * self.filters)(w)  # bug 1 again
        scale, bias = style[:, : self.filters], style[:, self.filters :]  # noqa: F841 -- bug 2: never used
        return x


STYLE_BLOCK_INPUT = ((2, 7, 7, 4), (2, 16))  # x and w the check feeds to the student's block


def check_style_block(block_class, called: str = "MyStyleBlock") -> CheckResult:
    """Lesson 06, exercise 1: a fixed ``FlawedStyleBlock`` -- ``block_class(filters)`` called on ``[x, w]``
    must convolve (3x3), add noise with a learned per-channel strength, and apply AdaIN with ``w``.
    ``called``: the class's name in the messages."""
    import keras

    name = "a StyleGAN block built right"
    if _not_attempted(block_class):
        return _result(name, NOT_ATTEMPTED, f"write the class {called} and run the check again.")
    rng = np.random.default_rng(0)
    x = rng.standard_normal(STYLE_BLOCK_INPUT[0]).astype(np.float32)
    w_a, w_b = (rng.standard_normal(STYLE_BLOCK_INPUT[1]).astype(np.float32) for _ in range(2))
    try:
        block = block_class(8)
        out_a = keras.ops.convert_to_numpy(block([x, w_a]))
        out_b = keras.ops.convert_to_numpy(block([x, w_b]))
        out_a_again = keras.ops.convert_to_numpy(block([x, w_a]))
    except NotImplementedError:
        return _result(name, NOT_ATTEMPTED, "the class still raises NotImplementedError.")
    except Exception as exc:
        return _result(name, WRONG, f"calling {called}(8) on [x, w] raised {exc!r}.")
    if out_a.shape != (2, 7, 7, 8):
        return _result(name, WRONG, f"expected an output of shape (2, 7, 7, 8), got {out_a.shape}.")
    params = block.count_params()
    if params == 0:
        return _result(name, WRONG, "0 parameters: create the layers in __init__ (or build), not inside call.")
    conv, adain, noise = 9 * 4 * 8 + 8, 16 * 2 * 8 + 2 * 8, 8
    if params == conv + adain:
        return _result(name, WRONG, "the noise needs a learned strength per channel (8 more parameters).")
    if params != conv + adain + noise:
        return _result(
            name, WRONG, f"{params} parameters; a 3x3 conv + AdaIN + noise strengths have {conv + adain + noise}."
        )
    if np.allclose(out_a, out_b):
        return _result(name, WRONG, "the output does not change with w: the style is ignored.")
    if not np.allclose(out_a, out_a_again, atol=1e-5):
        return _result(
            name, WRONG, "with the noise strength at its start value 0, the same input must give the same output."
        )
    return _result(name, CORRECT, "tracked weights, a style that acts, and noise whose strength the network learns.")


def check_adain_output(value) -> CheckResult:
    """Lesson 06, exercise 2: AdaIN on the feature map [1, 3] with style scale 2 and bias 5: the first value."""
    return _check_number(
        "AdaIN by hand",
        value,
        "set adain_first_value to a number.",
        3.0,
        "mean 2, std 1: (1 - 2) / 1 = -1, then 2 x (-1) + 5 = 3.",
        [
            (7.0, "normalise first: subtract the map's mean (2) and divide by its std (1)."),
            (4.0, "the scale is missing: (x - mean) / std gives -1; multiply by the style scale 2, then add 5."),
            (8.0, "scale, then shift: 2 x (-1) + 5, not 2 x (-1 + 5)."),
            (-2.0, "the bias is missing: after scaling, add the style bias 5."),
        ],
        "{value} is not it: scale x (x - mean) / std + bias, per map.",
    )


def check_truncated_w(value) -> CheckResult:
    """Lesson 06, exercise 3: truncation with w_mean = 1, w = 3 and psi = 0.5 (one coordinate)."""
    return _check_number(
        "the truncation trick",
        value,
        "set truncated_w to a number.",
        2.0,
        "1 + 0.5 x (3 - 1) = 2: halfway to the average style.",
        [(1.5, "that is psi x w; truncation shrinks towards w_mean, not towards 0.")],
        "{value} is not it: w_mean + psi x (w - w_mean).",
    )
