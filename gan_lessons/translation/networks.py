"""Lesson 10's networks: the U-Net, the PatchGAN and its receptive field, and the sub-pixel
super-resolution generator.  Taught in ``10_image_translation``.
"""

from __future__ import annotations

import keras
from keras import layers

from ..core.validate import MNIST_SHAPE, check_image_shape, check_num_classes, check_positive_int


@keras.saving.register_keras_serializable(package="gan_lessons")
class PixelShuffle(layers.Layer):
    """Sub-pixel upsampling (Shi et al. 2016): ``(H, W, C * r²)`` -> ``(rH, rW, C)`` by moving channels into
    space.  A learned convolution before it makes the r² sub-pixels.  A k x k convolution followed by this shuffle
    equals a stride-r transposed convolution with a kr x kr kernel (Aitken et al. 2017): its kernels overlap, but
    evenly, so the uneven-overlap checkerboard of a stride-2 transposed convolution with kernel 3 cannot occur.  It
    still draws checkerboards at initialisation, because the r² sub-pixel kernels start different, unless they are
    initialised alike (ICNR, Aitken et al. 2017); :func:`build_sr_generator` keeps Keras' default initialisation.
    The inverse is :func:`space_to_depth`."""

    def __init__(self, block_size: int = 2, **kwargs):
        super().__init__(**kwargs)
        check_positive_int("block_size", block_size)
        self.block_size = block_size

    def call(self, x):
        import tensorflow as tf

        return tf.nn.depth_to_space(x, self.block_size)

    def compute_output_shape(self, input_shape):
        n, h, w, c = input_shape
        r = self.block_size
        return (n, None if h is None else h * r, None if w is None else w * r, c // (r * r))

    def get_config(self):
        return {**super().get_config(), "block_size": self.block_size}


def space_to_depth(x, block_size: int = 2):
    """``(H, W, C)`` -> ``(H/r, W/r, C r²)``: the inverse of :class:`PixelShuffle`."""
    import tensorflow as tf

    return tf.nn.space_to_depth(x, block_size)


def _down(x, filters: int, norm: bool = True):
    x = layers.Conv2D(filters, 4, strides=2, padding="same", use_bias=not norm)(x)
    if norm:
        x = layers.GroupNormalization(groups=-1)(x)  # instance norm: batch statistics would leak across samples
    return layers.LeakyReLU(0.2)(x)


def _up(x, skip, filters: int):
    x = layers.UpSampling2D(interpolation="nearest")(x)
    x = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
    x = layers.GroupNormalization(groups=-1)(x)
    x = layers.ReLU()(x)
    return layers.Concatenate()([x, skip])


def build_unet(input_shape=MNIST_SHAPE, base_filters: int = 32, name: str = "unet") -> keras.Model:
    """The pix2pix / CycleGAN generator at digit size: 28 -> 14 -> 7 and back, each level's features
    concatenated to the decoder at the same size (the skip connections carry the outline straight
    across, so the bottleneck only has to decide *what* goes where).  ``(N, 28, 28, C)`` -> tanh images."""
    shape = check_image_shape(input_shape)
    if shape[0] % 4 or shape[1] % 4:
        raise ValueError(f"the U-Net halves the image twice: height and width must be multiples of 4, got {shape}.")
    check_positive_int("base_filters", base_filters)
    images = keras.Input(shape, name="inputs")
    s1 = layers.LeakyReLU(0.2)(layers.Conv2D(base_filters, 3, padding="same")(images))  # 28
    s2 = _down(s1, base_filters * 2)  # 14
    bottom = _down(s2, base_filters * 4)  # 7
    bottom = layers.ReLU()(layers.Conv2D(base_filters * 4, 3, padding="same")(bottom))
    x = _up(bottom, s2, base_filters * 2)  # 14
    x = _up(x, s1, base_filters)  # 28
    out = layers.Conv2D(shape[-1], 3, padding="same", activation="tanh", dtype="float32")(x)
    return keras.Model(images, out, name=name)


PATCHGAN_LAYERS = ((4, 2), (4, 2), (3, 1))  # (kernel, stride) of the PatchGAN's convolutions: 18x18 patches


# CycleGAN's discriminators: one more stride-2 layer, a 4x4 grid of 38x38 patches, each the whole digit.  Between
# the two digit datasets the difference is in the strokes' shapes, not only in local texture.
WHOLE_DIGIT_LAYERS = ((4, 2), (4, 2), (4, 2), (3, 1))


def receptive_field(layer_specs=PATCHGAN_LAYERS) -> int:
    """The receptive field in input pixels of one output unit of a stack of ``(kernel, stride)`` convolutions:
    r = 1 + sum_i (k_i - 1) * prod_{j < i} s_j."""
    field, jump = 1, 1
    for kernel, stride in layer_specs:
        field += (kernel - 1) * jump
        jump *= stride
    return field


def build_patchgan(
    input_shape=MNIST_SHAPE,
    condition_channels: int = 0,
    base_filters: int = 32,
    name: str = "patchgan",
    layer_specs=PATCHGAN_LAYERS,
    num_classes: int = 0,
) -> keras.Model:
    """A PatchGAN: one logit per overlapping patch (:func:`receptive_field` pixels wide, 18 by default), a 7x7
    grid on a 28x28 image.  With ``condition_channels`` it judges pairs ``[condition, image]`` (pix2pix).
    ``layer_specs``: the ``(kernel, stride)`` of each convolution, the last one making the logits.  With
    ``num_classes`` it also says which class the image shows (an auxiliary classifier on the pooled features, as
    in AC-GAN): outputs ``[patch logits, class logits]``."""
    shape = check_image_shape(input_shape)
    check_num_classes(num_classes)
    specs = tuple(tuple(spec) for spec in layer_specs)
    if len(specs) < 2 or any(len(spec) != 2 or min(spec) < 1 for spec in specs):
        raise ValueError(f"layer_specs must be >= 2 pairs (kernel, stride) of positive integers, got {layer_specs!r}.")
    image = keras.Input(shape, name="images")
    inputs, x = [image], image
    if condition_channels:
        condition = keras.Input(shape[:2] + (condition_channels,), name="condition")
        inputs = [condition, image]
        x = layers.Concatenate()([condition, image])
    for i, (kernel, stride) in enumerate(specs[:-1]):
        x = layers.Conv2D(base_filters * 2**i, kernel, strides=stride, padding="same", use_bias=i == 0)(x)
        if i:
            x = layers.GroupNormalization(groups=-1)(x)
        x = layers.LeakyReLU(0.2)(x)
    kernel, stride = specs[-1]
    logits = layers.Conv2D(1, kernel, strides=stride, padding="same", dtype="float32")(x)
    outputs = logits
    if num_classes:
        outputs = [logits, layers.Dense(num_classes, dtype="float32")(layers.GlobalAveragePooling2D()(x))]
    return keras.Model(inputs if condition_channels else image, outputs, name=name)


def build_sr_generator(scale: int = 4, filters: int = 64, blocks: int = 4, name: str = "sr_generator") -> keras.Model:
    """SRGAN's generator at digit size: a ``(28 / scale)``-square image (7x7 at ``scale=4``), ``blocks`` residual
    blocks, then ``log2(scale)`` stages of convolution + :class:`PixelShuffle` (x2 each) + PReLU, tanh output
    ``(N, 28, 28, 1)``."""
    if scale not in (2, 4):
        raise ValueError(f"scale must be 2 or 4, got {scale!r}.")
    check_positive_int("filters", filters)
    low = keras.Input((28 // scale, 28 // scale, 1), name="low_resolution")
    x = first = layers.PReLU(shared_axes=[1, 2])(layers.Conv2D(filters, 5, padding="same")(low))
    for _ in range(blocks):
        y = layers.PReLU(shared_axes=[1, 2])(layers.Conv2D(filters, 3, padding="same")(x))
        x = layers.Add()([x, layers.Conv2D(filters, 3, padding="same")(y)])
    x = layers.Add()([x, first])
    for _ in range({2: 1, 4: 2}[scale]):
        x = layers.Conv2D(filters * 4, 3, padding="same")(x)
        x = layers.PReLU(shared_axes=[1, 2])(PixelShuffle(2)(x))
    out = layers.Conv2D(1, 5, padding="same", activation="tanh", dtype="float32")(x)
    return keras.Model(low, out, name=name)
