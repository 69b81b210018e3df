"""Spot-the-bug drills: code that runs, each with one flaw.

Each :class:`Drill` has the flawed ``snippet`` (real code: :func:`buggy` runs it and returns what it defines), the
``task`` (what to write) and a ``check`` from :mod:`gan_lessons.interview.checks` that runs your fix:
``check(drill_id, your_fix)`` says "not attempted yet", "correct", or what is still wrong.  Reference fixes live in
:mod:`gan_lessons.interview.solutions`; the tests prove every check rejects its flawed snippet and accepts the
reference.
Taught in ``09_interview_prep``.
"""

from __future__ import annotations

import functools
import inspect
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from ..stylegan.checks import FlawedStyleBlock, check_style_block
from ..tools.exercise import CheckResult
from ..tools.notebook import show_markdown
from ..vanilla.checks import check_generator_loss
from ..wgan.checks import check_critic
from .checks import (
    check_digit_image,
    check_discriminator_loss,
    check_gan_losses,
    check_gradient_penalty_update,
    check_interpolation_weights,
    check_keras3_trainers,
    check_loss_report,
    check_precision_metric,
    check_strided_discriminator,
    check_upsampling_generator,
    check_weight_clipping,
)


@dataclass(frozen=True)
class Drill:
    id: str
    title: str
    lesson: str  # the lesson that teaches the fix
    snippet: str  # the flawed code; it defines ``name``
    name: str
    task: str
    check: Callable
    fix_name: str = ""  # what your fix defines, when it is not ``name``

    def __post_init__(self):
        if not self.fix_name:
            object.__setattr__(self, "fix_name", self.name)

    def markdown(self) -> str:
        return f"**{self.title}**\n\n```python\n{self.snippet.strip()}\n```\n\n**Your task.** {self.task}\n"


_KERAS2_FREEZE = """
def make_trainers(generator, discriminator):
    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    discriminator.compile(optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5), loss=bce)
    discriminator.trainable = False  # "freeze D inside the combined model"
    z = keras.Input(generator.input_shape[1:])
    combined = keras.Model(z, discriminator(generator(z)))
    combined.compile(optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5), loss=bce)

    def train_d(real, fake):
        x = np.concatenate([real, fake])
        y = np.concatenate([np.ones((len(real), 1)), np.zeros((len(fake), 1))])
        return discriminator.train_on_batch(x, y)

    def train_g(noise):
        return combined.train_on_batch(noise, np.ones((len(noise), 1)))

    return train_d, train_g
"""


_CLIP_GRADIENTS = """
def critic_update(critic, optimizer, real, fake, clip=0.01):
    with tf.GradientTape() as tape:
        loss = ops.mean(critic(fake)) - ops.mean(critic(real))
    grads = tape.gradient(loss, critic.trainable_variables)
    grads = [tf.clip_by_value(g, -clip, clip) for g in grads]  # "WGAN clipping"
    optimizer.apply(grads, critic.trainable_variables)
    return loss
"""


_SIGMOID_CRITIC = """
def critic(hidden=64):
    return keras.Sequential([
        keras.Input((2,)),
        keras.layers.Dense(hidden),
        keras.layers.LeakyReLU(0.2),
        keras.layers.Dense(1, activation="sigmoid"),  # "the critic's probability"
    ])
"""


_BATCH_NORM_CRITIC = """
def critic(hidden=64):
    return keras.Sequential([
        keras.Input((2,)),
        keras.layers.Dense(hidden),
        keras.layers.BatchNormalization(),  # "stabilises training"
        keras.layers.LeakyReLU(0.2),
        keras.layers.Dense(1),
    ])
"""


_EMPTY_SLICE = """
def digit_image(generated, i):
    return generated[i, :, :, :0]  # then plt.imshow(digit_image(generated, i), cmap="gray")
"""


_RMSE_LOSS = """
def generator_loss(fake_logits):
    # "the GAN loss": root mean squared error between D's output and the label 'real'
    return ops.sqrt(ops.mean(ops.square(fake_logits - 1.0)))
"""


_FORMAT_LIST = """
def report(history):
    return f"d_loss {history['d_loss']:.4f}  g_loss {history['g_loss']:.4f}"
"""


_GRADIENT_ASCENT = """
def generator_loss(fake_logits):
    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    # "the generator maximises the discriminator's loss": flip the labels, then ascend
    return -bce(ops.ones_like(fake_logits), fake_logits)
"""


_NORMAL_WEIGHTS = """
def interpolation_weights(batch_size, seed=0):
    return keras.random.normal((batch_size, 1, 1, 1), seed=seed)
"""


_SWAPPED_LABELS = """
def gan_losses(real_logits, fake_logits):
    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    d_loss = bce(ops.zeros_like(real_logits), real_logits) + bce(ops.ones_like(fake_logits), fake_logits)
    g_loss = bce(ops.ones_like(fake_logits), fake_logits)
    return d_loss, g_loss
"""


_MAX_POOL = """
def discriminator():
    return keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(64, 3, padding="same"), layers.LeakyReLU(0.2),
        layers.MaxPooling2D(2),  # "downsample to 14x14"
        layers.Conv2D(128, 3, padding="same"), layers.LeakyReLU(0.2),
        layers.MaxPooling2D(2),  # "downsample to 7x7"
        layers.Flatten(), layers.Dense(1),
    ])
"""


_UNIQUE_PRECISION = """
def precision(real, fake, k=3):
    # "precision: the proportion of unique generated images"
    return len(np.unique(fake.reshape(len(fake), -1), axis=0)) / len(fake)
"""


_SWAPPED_STRIDES = """
def generator(latent_dim=64):
    return keras.Sequential([
        keras.Input((latent_dim,)),
        layers.Dense(7 * 7 * 64), layers.Reshape((7, 7, 64)), layers.ReLU(),
        layers.Conv2D(32, 4, strides=2, padding="same"), layers.ReLU(),  # "upsample to 14x14"
        layers.Conv2D(1, 4, strides=2, padding="same", activation="tanh"),  # "upsample to 28x28"
    ])
"""


_CLIP_ONLY_GP = """
def critic_update(critic, optimizer, real, fake, gp_weight=10.0):  # "WGAN-GP"
    with tf.GradientTape() as tape:
        loss = ops.mean(critic(fake)) - ops.mean(critic(real))
    optimizer.apply(tape.gradient(loss, critic.trainable_variables), critic.trainable_variables)
    for weight in critic.trainable_variables:
        weight.assign(ops.clip(weight, -0.01, 0.01))  # "keeps the critic Lipschitz"
    return loss
"""


_FLIPPED_SIGN = """
def discriminator_loss(real_logits, fake_logits):
    d_real, d_fake = ops.sigmoid(real_logits), ops.sigmoid(fake_logits)
    return ops.mean(-ops.log(d_real) + ops.log(1.0 - d_fake))  # "-log D(x) + log(1 - D(G(z)))"
"""


DRILLS: tuple[Drill, ...] = (
    Drill(
        "keras3-freeze",
        "The Keras 2 freeze, run under Keras 3",
        "02_vanilla_gan",
        _KERAS2_FREEZE,
        "make_trainers",
        "Rewrite `make_trainers(generator, discriminator)` so that `train_d(real, fake)` trains the discriminator "
        "and `train_g(noise)` trains the generator only, under Keras 3.",
        check_keras3_trainers,
    ),
    Drill(
        "clip-gradients",
        "WGAN's clipping, applied to the wrong thing",
        "05_wgan_gp",
        _CLIP_GRADIENTS,
        "critic_update",
        "Fix `critic_update` so the critic stays in WGAN's weight box [-clip, clip] after every update.",
        check_weight_clipping,
    ),
    Drill(
        "sigmoid-critic",
        "A WGAN critic copied from a discriminator",
        "05_wgan_gp",
        _SIGMOID_CRITIC,
        "critic",
        "Fix `critic()` so it is a proper Wasserstein critic for points of shape (batch, 2).",
        functools.partial(check_critic, called="critic"),
    ),
    Drill(
        "batch-norm-critic",
        "Batch norm in a gradient-penalty critic",
        "05_wgan_gp",
        _BATCH_NORM_CRITIC,
        "critic",
        "Fix `critic()` so the per-sample gradient penalty constrains the right function.",
        functools.partial(check_critic, called="critic"),
    ),
    Drill(
        "zero-parameter-block",
        "A StyleGAN block with 0 parameters",
        "06_stylegan_block",
        inspect.getsource(FlawedStyleBlock),
        "FlawedStyleBlock",
        "Write a block `StyleBlock` (a `keras.layers.Layer` taking `filters`, called on `[x, w]`) whose "
        "convolution, style and noise strength are real, trainable weights and whose style is applied.",
        functools.partial(check_style_block, called="StyleBlock", per_channel_noise=False),
        "StyleBlock",
    ),
    Drill(
        "empty-slice",
        "An image slice with no channel left",
        "02_vanilla_gan",
        _EMPTY_SLICE,
        "digit_image",
        "Fix `digit_image(generated, i)` so `plt.imshow` can draw image `i` of a batch shaped (N, 28, 28, 1).",
        check_digit_image,
    ),
    Drill(
        "rmse-loss",
        "RMSE presented as the GAN loss",
        "02_vanilla_gan",
        _RMSE_LOSS,
        "generator_loss",
        "Write the generator loss the standard GAN trains with, the non-saturating one, from the discriminator's "
        "logits on fakes.",
        functools.partial(check_generator_loss, called="generator_loss"),
    ),
    Drill(
        "format-a-list",
        "A progress line that crashes after the first epoch",
        "03_dcgan",
        _FORMAT_LIST,
        "report",
        "Fix `report(history)` (a dict of per-epoch loss lists) to show the latest value of each loss, to 4 decimals.",
        check_loss_report,
    ),
    Drill(
        "gradient-ascent",
        "The generator 'maximises the discriminator's loss'",
        "01_theory",
        _GRADIENT_ASCENT,
        "generator_loss",
        "Fix `generator_loss(fake_logits)`: which way does this version push D(G(z)), and what should it minimise?",
        functools.partial(check_generator_loss, called="generator_loss"),
    ),
    Drill(
        "normal-interpolation",
        "WGAN-GP's interpolates, drawn from the wrong distribution",
        "05_wgan_gp",
        _NORMAL_WEIGHTS,
        "interpolation_weights",
        "Fix `interpolation_weights(batch_size, seed)` so every interpolate lies between its real and fake sample.",
        check_interpolation_weights,
    ),
    Drill(
        "swapped-labels",
        "The discriminator's real and fake labels swapped",
        "02_vanilla_gan",
        _SWAPPED_LABELS,
        "gan_losses",
        "Fix `gan_losses(real_logits, fake_logits)` so the two players play the GAN game.",
        check_gan_losses,
    ),
    Drill(
        "max-pool-discriminator",
        "Max-pooling in a DCGAN discriminator",
        "03_dcgan",
        _MAX_POOL,
        "discriminator",
        "Rewrite `discriminator()` (28×28×1 images to one logit) the DCGAN way.",
        check_strided_discriminator,
    ),
    Drill(
        "precision-unique",
        "Precision as 'the proportion of unique images'",
        "08_evaluating_gans",
        _UNIQUE_PRECISION,
        "precision",
        "Write `precision(real, fake, k=3)` for feature arrays `(N, d)`: what precision means for a generator.",
        check_precision_metric,
    ),
    Drill(
        "swapped-strides",
        "Strided and fractionally-strided convolutions swapped",
        "03_dcgan",
        _SWAPPED_STRIDES,
        "generator",
        "Fix `generator(latent_dim=64)` so it maps z to a 28×28×1 image in [-1, 1].",
        check_upsampling_generator,
    ),
    Drill(
        "clip-only-wgan-gp",
        "A 'WGAN-GP' that only clips weights",
        "05_wgan_gp",
        _CLIP_ONLY_GP,
        "critic_update",
        "Make `critic_update(critic, optimizer, real, fake, gp_weight=10.0)` a WGAN-GP step for points of shape "
        "(batch, 2); return the critic's loss.",
        check_gradient_penalty_update,
    ),
    Drill(
        "d-loss-sign",
        "The discriminator loss written -log D(x) + log(1 - D(G(z)))",
        "01_theory",
        _FLIPPED_SIGN,
        "discriminator_loss",
        "Fix `discriminator_loss(real_logits, fake_logits)`.",
        check_discriminator_loss,
    ),
)


def drill(drill_id: str) -> Drill:
    by_id = {d.id: d for d in DRILLS}
    if drill_id not in by_id:
        raise ValueError(f"No drill {drill_id!r}; choose one of {', '.join(by_id)}.")
    return by_id[drill_id]


def show(drill_id: str) -> None:
    """Display a drill's title, flawed code and task (Markdown in a notebook, text elsewhere)."""
    show_markdown(drill(drill_id).markdown())


def buggy(drill_id: str):
    """Run a drill's flawed snippet and return what it defines (to see the bug happen)."""
    import keras
    import numpy as np
    import tensorflow as tf
    from keras import layers, ops

    found = drill(drill_id)
    namespace = {"keras": keras, "layers": layers, "np": np, "ops": ops, "tf": tf}
    exec(textwrap.dedent(found.snippet), namespace)  # the snippet is the course's own code, shown to the reader
    return namespace[found.name]


def check(drill_id: str, fix) -> CheckResult:
    """Run ``fix`` through the drill's check: ``...`` (or ``None``) is "not attempted yet"."""
    return drill(drill_id).check(fix)
