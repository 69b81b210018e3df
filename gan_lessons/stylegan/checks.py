"""Checks of lesson 06's exercises, and the flawed "StyleGAN block" they start from."""

from __future__ import annotations

import dataclasses
import functools
import warnings

import keras
import numpy as np

from ..tools.exercise import CORRECT, NOT_ATTEMPTED, WRONG, CheckResult, _check_number, _not_attempted, _result


class FlawedStyleBlock(keras.layers.Layer):
    """Spot the three bugs (lesson 06).  It runs, and its output has the right shape, but:

    1. its convolution and style layers are made *inside* ``call``: new, untrained weights on every call,
       never tracked, so ``summary()`` reports 0 parameters and no optimizer can train them;
    2. it computes a scale and bias from ``w`` and never applies them: the style is ignored;
    3. it adds unit-strength noise drawn separately per channel, with no learned strength (StyleGAN draws one
       noise image per layer, shared by the channels, scaled by a strength learned per channel).
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
_CONV, _CONV_BIAS, _ADAIN = 3 * 3 * 4 * 8, 8, 16 * 2 * 8 + 2 * 8  # the block's weights for 8 filters


def _varies(block, x, w) -> bool:
    """Whether two calls on the same inputs differ: the block adds noise."""
    first, second = (keras.ops.convert_to_numpy(block([x, w])) for _ in range(2))
    return not np.allclose(first, second, atol=1e-6)


def _noise_strengths(block, x, w) -> list:
    """The block's noise strengths, found by what they do: the weights that, set to 0, leave the block's output
    the same from call to call, and, set to 1, make it vary."""
    found = []
    for weight in block.weights:
        if "float" not in str(weight.dtype):
            continue  # a random generator's state
        saved = keras.ops.convert_to_numpy(weight)
        try:
            weight.assign(np.zeros_like(saved))
            quiet = not _varies(block, x, w)
            weight.assign(np.ones_like(saved))
            if quiet and _varies(block, x, w):
                found.append(weight)
        finally:
            weight.assign(saved)
    return found


def _same_statistics(out) -> bool:
    """Whether the two samples' maps have the same spatial means and stds, to within 2 % of their size (float16
    and bfloat16 compute them to about 1 %; without instance norm they differ by about 10 %)."""
    stats = np.stack([out.mean(axis=(1, 2)), out.std(axis=(1, 2))], axis=1).astype(np.float64)
    return bool(np.abs(stats[0] - stats[1]).max() <= 0.02 * max(1.0, np.abs(stats).max()))


def check_style_block(block_class, called: str = "MyStyleBlock", per_channel_noise: bool = True) -> CheckResult:
    """Lesson 06, exercise 1: a fixed ``FlawedStyleBlock`` -- ``block_class(filters)`` called on ``[x, w]``
    must convolve (3x3), add noise with a learned per-channel strength (``per_channel_noise=False``: or one
    strength for the layer), and apply AdaIN with ``w``.  ``called``: the class's name in the messages."""
    with warnings.catch_warnings():
        # Keras warns, in words meant for library authors, when a layer made in __init__ is never called or when
        # call raises before calling them; the check names the unused layer, or the error, in its own words.
        unbuilt = r"`build\(\)` was called on layer|Layer '.*' looks like it has unbuilt state"
        warnings.filterwarnings("ignore", message=unbuilt, category=UserWarning)
        trial = _try_style_block(block_class, called)
        result = trial if isinstance(trial, CheckResult) else _judge_style_block(trial, per_channel_noise)
    unused = [] if isinstance(trial, CheckResult) else _unused_layers(trial.block)
    if unused:
        names = " and ".join(f"self.{attribute}" for attribute in unused)
        result = _result(
            result.exercise,
            result.status,
            f"{result.message} ({names} {'is' if len(unused) == 1 else 'are'} made in __init__ but never called: "
            "a layer counts only where call uses it.)",
        )
    return result


def _unused_layers(block) -> list[str]:
    """Where ``block`` holds a layer its calls never built (made in __init__, never called): attribute names, with
    the index or key of a layer kept in a list, tuple or dict (``convs[1]``); each layer once.  The bookkeeping of
    Keras and TensorFlow, which holds the same layers again, is left out."""
    bookkeeping = _keras_layer_attributes()
    found, seen = [], set()

    def visit(where, value):
        if isinstance(value, keras.layers.Layer):
            if not value.built and id(value) not in seen:
                seen.add(id(value))
                found.append(where)
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                visit(f"{where}[{index}]", item)
        elif isinstance(value, dict):
            for key, item in value.items():
                visit(f"{where}[{key!r}]", item)

    for attribute, value in vars(block).items():
        if attribute not in bookkeeping and not attribute.startswith("_self_"):  # _self_*: TensorFlow's trackable
            visit(attribute, value)
    return found


@functools.cache
def _keras_layer_attributes() -> frozenset[str]:
    """The attributes every Keras layer has of its own; made once, from a layer named here, so that the check uses up
    none of the automatic names ("layer", "layer_1", ...) of the student's session."""
    return frozenset(vars(keras.layers.Layer(name="gan_lessons_attribute_probe")))


@dataclasses.dataclass
class _StyleBlockTrial:
    """A block the check made of the student's class and called without an error, with what the calls showed."""

    block: keras.layers.Layer
    inputs: tuple  # x, and the styles w_a, w_b and w_same (one style for two different x)
    out_a: np.ndarray  # the block's output on [x, w_a]
    varies: bool  # whether two calls on the same inputs differ
    strengths: list  # the weights found to scale the noise


_STYLE_BLOCK = "a StyleGAN block built right"


def _try_style_block(block_class, called: str) -> _StyleBlockTrial | CheckResult:
    """Make ``block_class(8)`` and call it; the verdict instead if the class is not written yet or calling it raises."""
    if _not_attempted(block_class):
        return _result(_STYLE_BLOCK, NOT_ATTEMPTED, f"write the class {called} and run the check again.")
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.standard_normal(STYLE_BLOCK_INPUT[0]).astype(np.float32)
    w_a, w_b = (rng.standard_normal(STYLE_BLOCK_INPUT[1]).astype(np.float32) for _ in range(2))
    w_same = np.repeat(w_a[:1], 2, axis=0)  # one style for two different x
    try:
        block = block_class(8)
        out_a = keras.ops.convert_to_numpy(block([x, w_a]))
        return _StyleBlockTrial(
            block, (x, w_a, w_b, w_same), out_a, _varies(block, x, w_a), _noise_strengths(block, x, w_a)
        )
    except NotImplementedError:
        return _result(_STYLE_BLOCK, NOT_ATTEMPTED, "the class still raises NotImplementedError.")
    except Exception as exc:
        return _result(_STYLE_BLOCK, WRONG, f"calling {called}(8) on [x, w] raised {exc!r}.")


def _judge_style_block(trial: _StyleBlockTrial, per_channel_noise: bool) -> CheckResult:
    """:func:`check_style_block`'s verdict on a block that ran."""
    name = _STYLE_BLOCK
    block, out_a, varies, strengths = trial.block, trial.out_a, trial.varies, trial.strengths
    x, w_a, w_b, w_same = trial.inputs
    if out_a.shape != (2, 7, 7, 8):
        return _result(name, WRONG, f"expected an output of shape (2, 7, 7, 8), got {out_a.shape}.")
    params = block.count_params()
    if params == 0:
        return _result(name, WRONG, "0 parameters: create the layers in __init__ (or build), not inside call.")
    learned = "a learned strength per channel" if per_channel_noise else "a learned strength"
    if not strengths and varies:
        return _result(
            name,
            WRONG,
            f"the noise is added at full strength, with no weight scaling it: give it {learned} "
            "(gl.stylegan.NoiseInjection).",
        )
    start = [keras.ops.convert_to_numpy(weight) for weight in strengths]
    try:
        for weight in strengths:  # no noise: the same input gives the same output
            weight.assign(np.zeros(weight.shape))
        quiet_a, quiet_b, same_style = (keras.ops.convert_to_numpy(block([x, w])) for w in (w_a, w_b, w_same))
        for weight in strengths:  # strong noise: AdaIN after it removes its effect on the maps' statistics
            weight.assign(np.full(weight.shape, 10.0))
        noisy = keras.ops.convert_to_numpy(block([x, w_same]))
    finally:
        for weight, value in zip(strengths, start, strict=True):
            weight.assign(value)
    if np.allclose(quiet_a, quiet_b):
        return _result(name, WRONG, "the output does not change with w: the style is ignored.")
    if not _same_statistics(same_style):
        return _result(
            name,
            WRONG,
            "two different x with the same w give maps of different means and spreads: AdaIN first normalises each "
            "map of each sample over its height and width (axes 1 and 2, not the channels), so that the style's scale "
            "and bias replace them.",
        )
    if not strengths:
        return _result(
            name,
            WRONG,
            "no noise strength found: no weight of the block, set to 1, makes its output vary from call to call. "
            f"Add fresh per-pixel noise times {learned} (gl.stylegan.NoiseInjection) to the convolution's output.",
        )
    if not all(weight.trainable for weight in strengths):
        return _result(
            name, WRONG, "the noise strength is a weight, but not a trainable one: the network must learn it."
        )
    count = sum(int(np.prod(weight.shape)) for weight in strengths)
    if count == 1 and per_channel_noise:
        return _result(
            name,
            WRONG,
            "one noise strength shared by every channel (StyleGAN2's design): this exercise asks for one per channel, "
            "as StyleGAN learns it (gl.stylegan.NoiseInjection).",
        )
    if count not in (1, 8):
        return _result(name, WRONG, f"{count} noise strengths: one per channel is 8 (or 1 for the whole layer).")
    others = params - count
    if others not in (_CONV + _ADAIN, _CONV + _CONV_BIAS + _ADAIN):
        return _result(
            name,
            WRONG,
            f"{others} parameters besides the noise strengths; a 3x3 conv ({_CONV}, and {_CONV_BIAS} for its bias, "
            f"which AdaIN cancels anyway) and AdaIN's affine map from w (16 x 16 + 16 = {_ADAIN}) have "
            f"{_CONV + _CONV_BIAS + _ADAIN} (or {_CONV + _ADAIN}).",
        )
    if not _same_statistics(noisy):
        return _result(
            name,
            WRONG,
            "the noise is added after AdaIN: add it to the convolution's output, before AdaIN, as StyleGAN does.",
        )
    note = " One strength for the whole layer, as in StyleGAN2 (StyleGAN learns one per channel)." if count == 1 else ""
    if any(np.any(value != 0) for value in start):
        note += " StyleGAN starts the noise strengths at 0, yours not: fine, they are learned either way."
    return _result(
        name, CORRECT, "tracked weights, a style that acts, and noise whose strength the network learns." + note
    )


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
            (
                5 - 2**0.5,
                "you divided by the sample std (n - 1 in the variance: sqrt(2)); instance norm uses the population "
                "std, the square root of the mean squared deviation: 1 here.",
            ),
        ],
        "{value} is not it: scale x (x - mean) / std + bias, per map.",
        rel=1e-4,  # 3.586 typed for 5 - sqrt(2)
    )


def check_truncated_w(value) -> CheckResult:
    """Lesson 06, exercise 3: truncation with w_mean = 1, w = 3 and psi = 0.5 (one coordinate)."""
    return _check_number(
        "the truncation trick",
        value,
        "set truncated_w to a number.",
        2.0,
        "1 + 0.5 x (3 - 1) = 2: halfway to the average style.",
        [
            (1.5, "that is psi x w; truncation shrinks towards w_mean, not towards 0."),
            (1.0, "that is psi x (w - w_mean), the shrunk offset alone: add it back to w_mean."),
        ],
        "{value} is not it: w_mean + psi x (w - w_mean).",
    )
