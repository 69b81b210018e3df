"""Lesson 09's debugging scenarios, reproduced with tiny runs.  Taught in ``09_interview_prep``."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ..core.errors import TrainingDivergedError
from ..core.training import train
from ..theory.experiments import discriminator_on_grid, gan_1d
from ..theory.maths import generator_gradient_magnitudes
from ..wgan.critic import train_critic_1d


def reproduce_d_wins(steps: int = 300, data_mean: float = 6.0, seed: int = 0) -> dict:
    """The discriminator wins at once: it learns 10 times faster than the generator (Adam 1e-3 against 1e-4) and the
    data, N(data_mean, 0.5), lie far from where the generator starts (about 0).  Trains the same 1-D GAN with the
    minimax and with the non-saturating generator loss for ``steps`` steps and returns, for each, the last
    discriminator loss, mean D(G(z)), the generator's gradient factor at that D(G(z)) and the mean of its samples."""

    real = np.random.default_rng(seed).normal(data_mean, 0.5, (4096, 1)).astype("float32")
    noise = np.random.default_rng(seed + 1).standard_normal((2000, 4)).astype("float32")
    out = {}
    for loss in ("minimax", "non_saturating"):
        gan = gan_1d(seed, loss, d_rate=1e-3, g_rate=1e-4)
        history = train(
            gan, real, steps=steps, steps_per_epoch=max(1, steps // 3), batch_size=128, seed=seed, verbose=0
        )
        samples = gan.generate(noise)
        d_fake = float(np.mean(discriminator_on_grid(gan.discriminator, samples[:, 0])))
        out[loss] = {
            "d_loss": history["d_loss"][-1],
            "d_of_fake": d_fake,
            "gradient": float(generator_gradient_magnitudes(d_fake)[loss]),
            "sample_mean": float(samples.mean()),
        }
    return out


def reproduce_checkerboard(size: int = 7) -> dict[str, np.ndarray]:
    """A stride-2 transposed convolution of a constant ``size`` x ``size`` image with an all-ones kernel of size 3 and
    of size 4: each output, ``2 * size`` pixels wide (14 by default), is cropped by 2 pixels at each border (to 10), and
    there the taps per pixel of kernel 3 alternate while those of kernel 4 are flat."""
    import keras

    flat = np.ones((1, size, size, 1), "float32")
    out = {}
    for kernel in (3, 4):
        layer = keras.layers.Conv2DTranspose(1, kernel, strides=2, padding="same", use_bias=False)
        layer.build(flat.shape)
        layer.kernel.assign(np.ones(layer.kernel.shape, "float32"))
        out[f"kernel {kernel}"] = keras.ops.convert_to_numpy(layer(flat))[0, 2:-2, 2:-2, 0]
    return out


def reproduce_unconstrained_critic(checkpoints: Iterable[int] = (100, 300, 900), seed: int = 0) -> dict:
    """A critic trained alone between N(0, 1) and N(2, 1) (W1 = 2), with the gradient penalty and with no
    constraint at all: its estimate after each number of steps in ``checkpoints``."""

    rng = np.random.default_rng(seed)
    real, fake = rng.normal(0, 1, 4000), rng.normal(2, 1, 4000)
    out: dict[str, list[float]] = {"steps": list(checkpoints), "gradient penalty": [], "no constraint": []}
    for steps in out["steps"]:
        out["gradient penalty"].append(train_critic_1d(real, fake, steps=steps, seed=seed)[1])
        out["no constraint"].append(train_critic_1d(real, fake, steps=steps, gp_weight=0.0, seed=seed)[1])
    return out


def reproduce_divergence(learning_rate: float = 50.0, steps: int = 200, seed: int = 0) -> str:
    """Plain SGD with a learning rate far too high on the 1-D GAN: returns the explanation the trainer stops with."""

    real = np.random.default_rng(seed).normal(2.0, 0.5, (4096, 1)).astype("float32")
    gan = gan_1d(seed, "non_saturating", learning_rate, learning_rate, optimizer="sgd")
    try:
        train(gan, real, steps=steps, steps_per_epoch=10, batch_size=128, seed=seed, verbose=0)
    except TrainingDivergedError as error:
        return str(error)
    return f"No divergence in {steps} steps at learning rate {learning_rate}."
