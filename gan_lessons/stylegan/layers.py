"""The parts of a StyleGAN generator, built small enough to train on a CPU (lesson 06).

- :class:`EqualizedDense` and :func:`build_mapping_network`: the MLP ``z -> w`` with the equalised
  learning rate and the learning-rate multiplier ``m`` (0.01 in StyleGAN) that slows the mapping network
  down: weights stored as N(0, 1/m^2) -- N(0, 1) at m = 1 -- and scaled at run time by
  ``m * gain / sqrt(fan_in)``;
- :class:`AdaIN`: instance-normalise each feature map, then scale and shift it per channel with an
  affine map of ``w`` -- the *style*;
- :class:`NoiseInjection`: per-pixel Gaussian noise with a learned per-channel strength;
- :class:`ConstantInput`: the synthesis starts from a learned 7x7 tensor, not from ``z``;
- :class:`StyledConv` and :func:`build_synthesis_network`: 28x28 digits from one ``w`` per AdaIN layer,
  so styles can be mixed at any layer (:func:`mix_styles`) and truncated (:func:`truncate`).

Every layer creates its weights in ``build`` (``summary()`` shows real parameter counts) and
serialises with ``get_config``.  Taught in ``06_stylegan_block``.
"""

from __future__ import annotations

import math

import keras
import numpy as np
from keras import layers, ops

from ..core.validate import check_positive_int as _check_positive_int

PACKAGE = "gan_lessons"


@keras.saving.register_keras_serializable(package=PACKAGE)
class EqualizedDense(layers.Layer):
    """Dense layer with the equalised learning rate (Karras et al., ProGAN/StyleGAN).

    The stored kernel is N(0, 1/lr_multiplier^2); at run time it is multiplied by
    ``lr_multiplier * gain / sqrt(fan_in)``.  Adam's steps are about the same size for every stored
    weight, so every layer learns at the same *effective* speed, and ``lr_multiplier`` scales that
    speed for the whole layer (0.01 in the mapping network)."""

    def __init__(self, units: int, lr_multiplier: float = 1.0, gain: float = math.sqrt(2.0), **kwargs):
        super().__init__(**kwargs)
        self.units = _check_positive_int("units", units)
        if not lr_multiplier > 0:
            raise ValueError(f"lr_multiplier must be positive, got {lr_multiplier!r}.")
        self.lr_multiplier, self.gain = float(lr_multiplier), float(gain)

    def build(self, input_shape):
        fan_in = int(input_shape[-1])
        self.kernel = self.add_weight(
            shape=(fan_in, self.units),
            initializer=keras.initializers.RandomNormal(0.0, 1.0 / self.lr_multiplier),
            name="kernel",
        )
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")
        self.runtime_scale = self.lr_multiplier * self.gain / math.sqrt(fan_in)

    def call(self, x):
        return ops.matmul(x, self.kernel * self.runtime_scale) + self.bias * self.lr_multiplier

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "lr_multiplier": self.lr_multiplier, "gain": self.gain}


@keras.saving.register_keras_serializable(package=PACKAGE)
class PixelNorm(layers.Layer):
    """Scale each vector to unit root-mean-square: ``z / sqrt(mean(z^2) + eps)``."""

    def call(self, x):
        return x * ops.rsqrt(ops.mean(ops.square(x), axis=-1, keepdims=True) + 1e-8)


def build_mapping_network(
    latent_dim: int = 64, w_dim: int = 64, depth: int = 4, lr_multiplier: float = 0.01, name: str = "mapping"
) -> keras.Model:
    """``z (batch, latent_dim) -> w (batch, w_dim)``: pixel norm, then ``depth`` equalised dense layers
    with LeakyReLU(0.2).  StyleGAN uses 8 layers of 512; 4 of 64 are enough for digits."""
    latent_dim, w_dim = _check_positive_int("latent_dim", latent_dim), _check_positive_int("w_dim", w_dim)
    depth = _check_positive_int("depth", depth)
    z = keras.Input((latent_dim,), name="z")
    x = PixelNorm()(z)
    for i in range(depth):
        x = layers.LeakyReLU(0.2)(EqualizedDense(w_dim, lr_multiplier=lr_multiplier, name=f"map_dense_{i}")(x))
    return keras.Model(z, x, name=name)


@keras.saving.register_keras_serializable(package=PACKAGE)
class AdaIN(layers.Layer):
    """Adaptive instance normalisation: ``scale(w) * (x - mean) / std + bias(w)``, per sample and channel.

    Inputs ``[x (batch, H, W, C), w (batch, w_dim)]``.  The affine map ``w -> (scale, bias)`` is this
    layer's own weights: scale starts at 1 and bias at 0 (StyleGAN's bias init of the style)."""

    def __init__(self, epsilon: float = 1e-8, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = float(epsilon)

    def build(self, input_shape):
        x_shape, w_shape = input_shape
        channels, w_dim = int(x_shape[-1]), int(w_shape[-1])
        self.channels = channels
        self.style_kernel = self.add_weight(
            shape=(w_dim, 2 * channels),
            initializer=keras.initializers.RandomNormal(0.0, 1.0 / math.sqrt(w_dim)),
            name="style_kernel",
        )
        self.style_bias = self.add_weight(
            shape=(2 * channels,),
            initializer=keras.initializers.Constant(np.concatenate([np.ones(channels), np.zeros(channels)])),
            name="style_bias",
        )

    def style(self, w):
        """``(scale, bias)``, each ``(batch, C)``: the style this layer derives from ``w``."""
        y = ops.matmul(w, self.style_kernel) + self.style_bias
        return y[:, : self.channels], y[:, self.channels :]

    def call(self, inputs):
        x, w = inputs
        mean = ops.mean(x, axis=(1, 2), keepdims=True)
        var = ops.mean(ops.square(x - mean), axis=(1, 2), keepdims=True)
        normalised = (x - mean) * ops.rsqrt(var + self.epsilon)
        scale, bias = self.style(ops.cast(w, x.dtype))
        return normalised * scale[:, None, None, :] + bias[:, None, None, :]

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        return {**super().get_config(), "epsilon": self.epsilon}


@keras.saving.register_keras_serializable(package=PACKAGE)
class NoiseInjection(layers.Layer):
    """``x + strength * noise``: one fresh N(0, 1) value per pixel (shared by the channels), scaled by a
    learned strength per channel that starts at ``initial_strength`` (0: the network learns how much
    stochastic detail each channel wants).  Pass ``[x, noise]`` to fix the noise."""

    def __init__(self, initial_strength: float = 0.0, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.initial_strength = float(initial_strength)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def build(self, input_shape):
        x_shape = self._x_shape(input_shape)
        self.strength = self.add_weight(
            shape=(int(x_shape[-1]),), initializer=keras.initializers.Constant(self.initial_strength), name="strength"
        )

    def call(self, inputs):
        if isinstance(inputs, list | tuple):
            x, noise = inputs
        else:
            x = inputs
            shape = ops.shape(x)
            noise = keras.random.normal((shape[0], shape[1], shape[2], 1), seed=self.seed_generator, dtype=x.dtype)
        return x + ops.cast(noise, x.dtype) * self.strength

    @staticmethod
    def _x_shape(input_shape):
        """The shape of ``x``, whether the layer gets ``x`` alone or ``[x, noise]``."""
        given_noise = isinstance(input_shape, list | tuple) and isinstance(input_shape[0], list | tuple)
        return input_shape[0] if given_noise else input_shape

    def compute_output_shape(self, input_shape):
        return self._x_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "initial_strength": self.initial_strength, "seed": self.seed}


@keras.saving.register_keras_serializable(package=PACKAGE)
class ConstantInput(layers.Layer):
    """A learned ``(size, size, channels)`` tensor, repeated for every sample of the batch given."""

    def __init__(self, size: int = 7, channels: int = 128, **kwargs):
        super().__init__(**kwargs)
        self.size, self.channels = _check_positive_int("size", size), _check_positive_int("channels", channels)

    def build(self, input_shape):
        self.constant = self.add_weight(
            shape=(1, self.size, self.size, self.channels), initializer="random_normal", name="constant"
        )

    def call(self, batch_like):
        batch = ops.shape(batch_like)[0]
        return ops.tile(self.constant, (batch, 1, 1, 1))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.size, self.size, self.channels)

    def get_config(self):
        return {**super().get_config(), "size": self.size, "channels": self.channels}


@keras.saving.register_keras_serializable(package=PACKAGE)
class StyledConv(layers.Layer):
    """One block of the synthesis network: [2x upsample] -> 3x3 conv -> noise -> LeakyReLU -> AdaIN(w).

    Inputs ``[x, w]``.  Its sub-layers are created in ``__init__`` and built in ``build``, so the block's
    parameters exist (and are counted) as soon as it is built -- unlike a block that makes its layers
    inside ``call``."""

    def __init__(self, filters: int, upsample: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.filters, self.upsample = _check_positive_int("filters", filters), bool(upsample)
        self.up = layers.UpSampling2D(2, interpolation="bilinear") if self.upsample else None
        self.conv = layers.Conv2D(self.filters, 3, padding="same", kernel_initializer="he_normal")
        self.noise = NoiseInjection()
        self.act = layers.LeakyReLU(0.2)
        self.adain = AdaIN()

    def build(self, input_shape):
        x_shape, w_shape = input_shape
        h, w, c = x_shape[1], x_shape[2], x_shape[3]
        if self.upsample:
            h, w = (None if h is None else 2 * h), (None if w is None else 2 * w)
        self.conv.build((None, h, w, c))
        out = (None, h, w, self.filters)
        self.noise.build(out)
        self.adain.build([out, w_shape])

    def call(self, inputs):
        x, w = inputs
        if self.up is not None:
            x = self.up(x)
        x = self.act(self.noise(self.conv(x)))
        return self.adain([x, w])

    def compute_output_shape(self, input_shape):
        x_shape = input_shape[0]
        factor = 2 if self.upsample else 1
        h, w = (None if d is None else d * factor for d in x_shape[1:3])
        return (x_shape[0], h, w, self.filters)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "upsample": self.upsample}


@keras.saving.register_keras_serializable(package=PACKAGE)
class SelectStyle(layers.Layer):
    """``ws[:, index]``: the ``w`` of one AdaIN layer from the per-layer styles ``(batch, n_styles, w_dim)``."""

    def __init__(self, index: int, **kwargs):
        super().__init__(**kwargs)
        self.index = int(index)

    def call(self, ws):
        return ws[:, self.index]

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[2])

    def get_config(self):
        return {**super().get_config(), "index": self.index}
