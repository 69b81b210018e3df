"""Lesson 06's style-based generator: the synthesis network, the generator, style mixing and
truncation, what a trained one shows, and the generator as the CLI trains it.  Taught in ``06_stylegan_block``.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import layers

from ..core.device import DeviceSetup
from ..core.gan import GAN
from ..core.inference import predict
from ..core.plotting import interpolate
from ..core.recipe import Recipe, build_and_compile
from ..core.validate import check_positive_int
from ..dcgan.networks import build_dcgan_discriminator
from ..tools.classifier import features_and_probabilities
from .layers import AdaIN, ConstantInput, NoiseInjection, SelectStyle, StyledConv, build_mapping_network

N_STYLES = 6  # AdaIN layers of the synthesis network: 2 at 7x7, 2 at 14x14, 2 at 28x28


def build_synthesis_network(w_dim: int = 64, channels: int = 128, name: str = "synthesis") -> keras.Model:
    """Per-layer styles ``ws (batch, 6, w_dim)`` -> digits ``(batch, 28, 28, 1)`` in [-1, 1].

    Learned constant 7x7 -> noise -> AdaIN(ws[0]) -> StyledConv(ws[1]) -> up to 14x14: two StyledConvs
    (ws[2], ws[3]) -> up to 28x28: two StyledConvs (ws[4], ws[5]) -> 1x1 conv -> tanh.  Coarse layers
    (7x7) and the 14x14 ones share the digit's identity; lesson 06 counts how often each decides it."""
    w_dim, channels = check_positive_int("w_dim", w_dim), check_positive_int("channels", channels)
    if channels % 4:
        raise ValueError(f"channels must be divisible by 4 (halved twice), got {channels}.")
    ws = keras.Input((N_STYLES, w_dim), name="ws")
    style = [SelectStyle(i, name=f"style_{i}")(ws) for i in range(N_STYLES)]
    x = ConstantInput(7, channels, name="constant")(ws)
    x = NoiseInjection(name="noise_0")(x)
    x = AdaIN(name="adain_0")([x, style[0]])
    x = StyledConv(channels, name="block_7x7")([x, style[1]])
    x = StyledConv(channels // 2, upsample=True, name="block_14x14_a")([x, style[2]])
    x = StyledConv(channels // 2, name="block_14x14_b")([x, style[3]])
    x = StyledConv(channels // 4, upsample=True, name="block_28x28_a")([x, style[4]])
    x = StyledConv(channels // 4, name="block_28x28_b")([x, style[5]])
    images = layers.Conv2D(1, 1, activation="tanh", dtype="float32", name="to_image")(x)
    return keras.Model(ws, images, name=name)


def build_style_generator(
    latent_dim: int = 64,
    w_dim: int = 64,
    channels: int = 128,
    mapping_depth: int = 4,
    mapping_lr_multiplier: float = 0.01,
    name: str = "generator",
) -> keras.Model:
    """``z -> mapping -> w``, the same ``w`` for every AdaIN layer, ``-> synthesis -> image``: a generator
    the package's GAN trainer can train like any other.  Its layers ``mapping`` and ``synthesis`` are
    the two halves, for mixing and truncation.  ``mapping_lr_multiplier`` is StyleGAN's 0.01 by default;
    over lesson 06's 5,000 steps the mapping network barely moves (the lesson measures it)."""
    mapping = build_mapping_network(latent_dim, w_dim, mapping_depth, lr_multiplier=mapping_lr_multiplier)
    synthesis = build_synthesis_network(w_dim, channels)
    z = keras.Input((latent_dim,), name="z")
    ws = layers.RepeatVector(N_STYLES, name="broadcast_w")(mapping(z))
    return keras.Model(z, synthesis(ws), name=name)


def mix_styles(w_a, w_b, crossover: int) -> np.ndarray:
    """Per-layer styles taking layers ``0 .. crossover-1`` from ``w_a`` (coarse) and the rest from ``w_b``."""
    if not isinstance(crossover, int | np.integer) or not 0 <= crossover <= N_STYLES:
        raise ValueError(f"crossover must be a layer index from 0 to {N_STYLES}, got {crossover!r}.")
    w_a, w_b = np.asarray(w_a, np.float32), np.asarray(w_b, np.float32)
    if w_a.shape != w_b.shape or w_a.ndim != 2:
        raise ValueError(f"w_a and w_b must both be (batch, w_dim), got {w_a.shape} and {w_b.shape}.")
    ws = np.repeat(w_b[:, None, :], N_STYLES, axis=1)
    ws[:, :crossover] = w_a[:, None, :]
    return ws


def truncate(w, w_mean, psi: float) -> np.ndarray:
    """The truncation trick: ``w_mean + psi (w - w_mean)``; psi < 1 trades variety for typical samples."""
    return np.asarray(w_mean, np.float32) + float(psi) * (np.asarray(w, np.float32) - np.asarray(w_mean, np.float32))


def truncated_styles(w, w_mean, psi: float, cutoff: int = N_STYLES) -> np.ndarray:
    """Per-layer styles ``(batch, 6, w_dim)`` from ``w (batch, w_dim)``, truncated in the first ``cutoff``
    layers only (StyleGAN's ``truncation_cutoff``: the coarse layers) and left as they are in the others."""
    if not isinstance(cutoff, int | np.integer) or not 0 <= cutoff <= N_STYLES:
        raise ValueError(f"cutoff must be a layer index from 0 to {N_STYLES}, got {cutoff!r}.")
    w = np.asarray(w, np.float32)
    return mix_styles(truncate(w, w_mean, psi), w, int(cutoff))


def relative_change(trained, initial) -> float:
    """How far training moved a model (or a list of arrays): ``||trained - initial|| / ||initial||`` over
    all its weights together.  0.3 means the weights moved by 30 % of their size; a value near 0 means they barely
    moved (lesson 06 compares it with what float16 rounding alone does)."""

    def arrays(model_or_list):
        weights = model_or_list.get_weights() if hasattr(model_or_list, "get_weights") else model_or_list
        return [np.asarray(v, np.float64) for v in weights]

    after, before = arrays(trained), arrays(initial)
    if [a.shape for a in after] != [b.shape for b in before]:
        raise ValueError("trained and initial must have the same weights (the same architecture).")
    moved = np.sqrt(sum(np.sum((a - b) ** 2) for a, b in zip(after, before, strict=True)))
    return float(moved / np.sqrt(sum(np.sum(b**2) for b in before)))


def halves(generator) -> tuple[keras.Model, keras.Model]:
    """``(mapping, synthesis)`` of a generator made by :func:`build_style_generator`."""
    return generator.get_layer("mapping"), generator.get_layer("synthesis")


def mean_w(generator, n: int = 10_000, seed: int = 0) -> np.ndarray:
    """The average style ``w_mean`` over ``n`` random ``z``: the centre the truncation trick pulls towards."""
    mapping, _ = halves(generator)
    z = np.random.default_rng(seed).standard_normal((n, mapping.input_shape[-1])).astype(np.float32)
    return predict(mapping, z, batch_size=1000).mean(axis=0)


def mixing_grid(generator, z_coarse: np.ndarray, z_fine: np.ndarray, crossover: int) -> np.ndarray:
    """Images ``(len(z_coarse) * len(z_fine), 28, 28, 1)``: row i takes its first ``crossover`` styles
    (the coarse layers) from ``z_coarse[i]``, column j the others (the fine layers) from ``z_fine[j]``."""
    mapping, synthesis = halves(generator)
    w_coarse, w_fine = predict(mapping, z_coarse), predict(mapping, z_fine)
    rows, cols = len(w_coarse), len(w_fine)
    ws = mix_styles(np.repeat(w_coarse, cols, axis=0), np.tile(w_fine, (rows, 1)), crossover)
    return predict(synthesis, ws)


def reseed_noise(generator, seed: int) -> None:
    """Restart every :class:`NoiseInjection` of ``generator`` at ``seed``: the next call draws the same noise
    as any other call made after the same reseeding, whatever the generator drew before."""
    noise_layers = [layer for layer in generator._flatten_layers(recursive=True) if isinstance(layer, NoiseInjection)]
    for i, layer in enumerate(noise_layers):  # one stream per layer, as at construction
        state = layer.seed_generator.state
        state.assign(np.array([seed + 1000 * i, 0], dtype=state.dtype))


def digit_inheritance(
    generator, z_coarse: np.ndarray, z_fine: np.ndarray, crossover: int, noise_seed: int = 0
) -> dict[str, float]:
    """Style mixing, counted: in how many cells of :func:`mixing_grid` the classifier reads the digit of the
    row's own image (all styles from ``z_coarse[i]``) or of the column's own image (all from ``z_fine[j]``),
    over the cells whose two parents are different digits (elsewhere both shares would count the cell);
    and in how many of all cells the mixed image is nearer (in pixels) to its row's image than to its column's.
    The noise is restarted at ``noise_seed`` before each of the three predictions, so the same arguments give
    the same shares whatever the generator drew before."""

    def digits(images):
        return features_and_probabilities(images)[1].argmax(axis=1)

    def predicted(z):
        reseed_noise(generator, noise_seed)
        return predict(generator, np.asarray(z, np.float32))

    parents = [predicted(z) for z in (z_coarse, z_fine)]
    reseed_noise(generator, noise_seed)
    images = mixing_grid(generator, z_coarse, z_fine, crossover).reshape(len(z_coarse), len(z_fine), -1)
    rows, cols = (digits(p) for p in parents)
    mixed = digits(images.reshape(-1, *parents[0].shape[1:])).reshape(len(rows), len(cols))
    differ = rows[:, None] != cols[None, :]
    if not differ.any():
        raise ValueError("every row's digit equals every column's: draw more z_coarse and z_fine.")
    to_row = np.linalg.norm(images - parents[0].reshape(len(rows), 1, -1), axis=2)
    to_column = np.linalg.norm(images - parents[1].reshape(1, len(cols), -1), axis=2)
    return {
        "row": float(np.mean((mixed == rows[:, None])[differ])),
        "column": float(np.mean((mixed == cols[None, :])[differ])),
        "closer_to_row": float(np.mean(to_row < to_column)),
        "cells": int(differ.sum()),
    }


def interpolation_step_sizes(generator, z0: np.ndarray, z1: np.ndarray, n: int = 16) -> dict[str, float]:
    """How evenly the images change along a path from ``z0`` to ``z1``: mean and largest pixel distance
    between consecutive images, interpolating in ``z`` (spherically) or in ``w`` (linearly): a pixel-space
    cousin of the perceptual path length.  A smaller largest step is a smoother path."""

    mapping, synthesis = halves(generator)
    result = {}
    w_ends = predict(mapping, np.stack([z0, z1]).astype(np.float32))
    paths = {
        "z": np.repeat(predict(mapping, interpolate(z0, z1, n=n, kind="spherical"))[:, None], N_STYLES, 1),
        "w": np.repeat(interpolate(w_ends[0], w_ends[1], n=n, kind="linear")[:, None], N_STYLES, 1),
    }
    for space, ws in paths.items():
        images = predict(synthesis, ws.astype(np.float32)).reshape(n, -1)
        steps = np.linalg.norm(np.diff(images, axis=0), axis=1)
        result[f"{space}_mean_step"], result[f"{space}_largest_step"] = float(steps.mean()), float(steps.max())
    return result


def compiled_gan(seed: int = 0, setup: DeviceSetup | None = None, latent_dim: int = 64, w_dim: int = 64) -> GAN:
    """Lesson 06's small style-based generator (mapping network, learned constant, AdaIN, noise) against
    lesson 03's DCGAN discriminator, trained like DCGAN: Adam(2e-4, beta_1=0.5), non-saturating loss."""

    def players():
        return build_style_generator(latent_dim=latent_dim, w_dim=w_dim), build_dcgan_discriminator()

    return build_and_compile("stylegan", players, seed, setup, convolutional=True)


RECIPE = Recipe("stylegan", "mnist", compiled_gan, "small style-based generator on MNIST (lesson 06)")
