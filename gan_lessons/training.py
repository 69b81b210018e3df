"""The one GAN trainer of the course, its callbacks, and resumable training.

:class:`GAN` is a ``keras.Model`` holding a generator and a discriminator.
``compile(d_optimizer=..., g_optimizer=...)`` then plain ``fit(dataset)``: Keras
supplies the progress bar, ``History``, TensorBoard and callbacks.  Variants of
later lessons (conditional, WGAN-GP, style-based) subclass it and override only
the loss or the step.  Taught in ``02_vanilla_gan``.
"""

from __future__ import annotations

import json
import math
import os
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from .errors import CheckpointError, TrainingDivergedError
from .losses import discriminator_loss, get_generator_loss


def _check_weight(name: str, value, usual: str = "") -> float:
    """A loss weight: a number >= 0 (``usual``: what the paper used, for the message)."""
    if not isinstance(value, int | float) or isinstance(value, bool) or not value >= 0:
        raise ValueError(f"{name} must be a number >= 0{usual}, got {value!r}.")
    return float(value)


class GAN(keras.Model):
    """Generator + discriminator trained adversarially by ``train_step``.

    ``generator``: noise ``(batch, latent_dim)`` -> images in [-1, 1];
    ``discriminator``: images -> one logit per image.  Batches from the dataset
    may be images or ``(images, labels)`` (labels are ignored here).
    """

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        latent_dim: int | None = None,
        seed: int = 0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        for role, net in (("generator", generator), ("discriminator", discriminator)):
            if not isinstance(net, keras.Model):
                raise TypeError(f"{role} must be a keras.Model, got {type(net).__name__}.")
        g_in, g_out = self._noise_shape(generator), generator.output_shape
        d_in = self._image_shape(discriminator)
        if latent_dim is None:
            latent_dim = g_in[-1]
        if g_in[-1] != latent_dim:
            raise ValueError(f"latent_dim={latent_dim} but the generator takes noise of shape {g_in}.")
        if tuple(g_out[1:]) != tuple(d_in[1:]):
            raise ValueError(
                f"The generator makes images of shape {g_out[1:]} but the discriminator "
                f"expects {d_in[1:]}: build both for the same image_shape."
            )
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = int(latent_dim)
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.step_counter = self.add_weight(
            shape=(), initializer="zeros", dtype="int64", trainable=False, name="step", aggregation="only_first_replica"
        )
        self._device_images = self._device_labels = None
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.d_real_tracker = keras.metrics.Mean(name="D_real")  # mean D(x) on real images
        self.d_fake_tracker = keras.metrics.Mean(name="D_fake")  # mean D(G(z))
        self.built = True

    # -- what the players take: overridden by the conditional GAN ------------------
    @staticmethod
    def _noise_shape(generator) -> tuple:
        return tuple(generator.input_shape)

    @staticmethod
    def _image_shape(discriminator) -> tuple:
        return tuple(discriminator.input_shape)

    def fake_condition(self, batch_size):
        """What the generator is asked for besides noise (nothing here; labels in a cGAN)."""
        return None

    def real_condition(self, labels):
        """The condition of the real images the discriminator sees (nothing here)."""
        return None

    def generate_images(self, z, condition, training: bool = False):
        return self.generator(z, training=training)

    def score(self, images, condition, training: bool = False):
        """The discriminator's logits for ``images`` (with their condition in a cGAN)."""
        return self.discriminator(images, training=training)

    def compile(
        self,
        d_optimizer: keras.optimizers.Optimizer,
        g_optimizer: keras.optimizers.Optimizer,
        g_loss: str | Callable = "non_saturating",
        **kwargs,
    ) -> None:
        """Set both optimizers and the generator loss; other kwargs go to ``keras.Model.compile``
        (``jit_compile``, ``steps_per_execution``, ``run_eagerly``).

        Under the ``mixed_float16`` policy each optimizer is wrapped in a
        ``LossScaleOptimizer`` so small float16 gradients do not underflow.
        """
        for role, opt in (("d_optimizer", d_optimizer), ("g_optimizer", g_optimizer)):
            if not isinstance(opt, keras.optimizers.Optimizer):
                raise TypeError(
                    f"{role} must be a keras optimizer instance such as "
                    f"keras.optimizers.Adam(2e-4, beta_1=0.5), got {opt!r}."
                )
        if d_optimizer is g_optimizer:
            raise ValueError("Give each player its own optimizer: they keep separate state.")
        super().compile(optimizer=None, **kwargs)
        if keras.mixed_precision.global_policy().name == "mixed_float16":
            LSO = keras.optimizers.LossScaleOptimizer
            d_optimizer = d_optimizer if isinstance(d_optimizer, LSO) else LSO(d_optimizer)
            g_optimizer = g_optimizer if isinstance(g_optimizer, LSO) else LSO(g_optimizer)
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.g_loss_fn = get_generator_loss(g_loss)
        # Build optimizer state now, so checkpoints can be restored before training.
        self.d_optimizer.build(self.discriminator_variables)
        self.g_optimizer.build(self.generator_variables)

    @property
    def generator_variables(self) -> list:
        """What ``g_optimizer`` updates (both generators in a CycleGAN)."""
        return self.generator.trainable_variables

    @property
    def discriminator_variables(self) -> list:
        """What ``d_optimizer`` updates (both discriminators in a CycleGAN)."""
        return self.discriminator.trainable_variables

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker, self.d_real_tracker, self.d_fake_tracker]

    @property
    def step(self) -> int:
        """Number of training steps done so far (kept in checkpoints)."""
        return int(self.step_counter.numpy())

    def call(self, z, training: bool = False):
        return self.generator(z, training=training)

    def sample_noise(self, batch_size):
        """Standard normal noise ``(batch_size, latent_dim)`` from the GAN's seeded generator.

        Under ``tf.distribute`` every replica holds the same generator state, so the replica's
        number is mixed into the seed: replicas draw different noise, reproducibly."""
        return tf.random.stateless_normal((batch_size, self.latent_dim), seed=self._replica_seed())

    def _replica_seed(self):
        """The next seed of the GAN's generator, with the replica's number mixed in under ``tf.distribute``."""
        seed = self.seed_generator.next()
        context = tf.distribute.get_replica_context()
        if context is not None and context.num_replicas_in_sync > 1:
            replica = tf.cast(context.replica_id_in_sync_group, seed.dtype)
            seed = seed + tf.stack([replica * 7919, tf.zeros_like(replica)])
        return seed

    def generate(self, noise: np.ndarray | int, batch_size: int = 500) -> np.ndarray:
        """Images (numpy, in [-1, 1]) for given noise ``(n, latent_dim)`` or ``n`` fresh draws."""
        return self.generator.predict(self._checked_noise(noise), batch_size=batch_size, verbose=0)

    def _checked_noise(self, noise: np.ndarray | int) -> np.ndarray:
        """``noise`` as float32 ``(n, latent_dim)``, or ``n`` fresh draws for a whole number."""
        if isinstance(noise, int | np.integer):
            noise = self.sample_noise(int(noise))
        noise = np.asarray(noise, dtype=np.float32)
        if noise.ndim != 2 or noise.shape[1] != self.latent_dim:
            raise ValueError(f"noise must have shape (n, {self.latent_dim}), got {noise.shape}.")
        return noise

    # -- the training step -------------------------------------------------
    def discriminator_loss(self, real_logits, fake_logits):
        return discriminator_loss(real_logits, fake_logits)

    def generator_loss(self, fake_logits):
        return self.g_loss_fn(fake_logits)

    def unpack_batch(self, data):
        """``(real images, labels or None)`` from what the dataset yields.

        A batch is images, ``(images, labels)``, or -- with :meth:`set_training_data` -- a
        vector of integer indices into the images kept on the device (then nothing but
        indices crosses from the host to the accelerator each step).
        """
        if isinstance(data, tuple | list):
            real, labels = data[0], (data[1] if len(data) > 1 else None)
        else:
            real, labels = data, None
        if self._device_images is not None and real.dtype.is_integer:
            indices = real
            real = tf.gather(self._device_images, indices)
            if self._device_labels is not None:
                labels = tf.nest.map_structure(lambda kept: tf.gather(kept, indices), self._device_labels)
        return real, labels

    def set_training_data(self, images: np.ndarray, labels=None) -> None:
        """Keep the whole training set on the device (GPU memory, or host memory on a CPU);
        batches of indices from :func:`gan_lessons.data.index_batches` then pick from it.  ``labels`` is an
        array with one entry per image, or a tuple of such arrays (each batch then holds a tuple)."""
        images = np.asarray(images, dtype=np.float32)
        expected = tuple(self._image_shape(self.discriminator)[1:])
        if images.shape[1:] != expected:
            raise ValueError(f"Training images have shape {images.shape[1:]} but the discriminator expects {expected}.")
        if labels is not None:
            labels = tf.nest.map_structure(np.asarray, tuple(labels) if isinstance(labels, list | tuple) else labels)
            for part in tf.nest.flatten(labels):
                if len(part) != len(images):
                    raise ValueError(f"{len(part)} labels for {len(images)} images: they must match.")

        def signature(structure):
            return tf.nest.map_structure(lambda a: (tuple(a.shape), tf.as_dtype(a.dtype)), structure)

        old_images, old_labels = self._device_images, self._device_labels
        if (
            old_images is not None
            and tuple(old_images.shape) == images.shape
            and (old_labels is None) == (labels is None)
            and (labels is None or signature(old_labels) == signature(labels))
        ):
            # Same shapes: overwrite in place, so the already compiled step reads the new data.
            old_images.assign(images)
            if labels is not None:
                tf.nest.map_structure(lambda kept, new: kept.assign(new), old_labels, labels)
            return
        with self.distribute_strategy.scope():
            # Plain tf.Variables: not model weights, so never written into checkpoints.
            self._device_images = tf.Variable(images, trainable=False, name="training_images")
            self._device_labels = (
                None
                if labels is None
                else tf.nest.map_structure(lambda a: tf.Variable(a, trainable=False, name="training_labels"), labels)
            )
        self.train_function = None  # the compiled step captured the old variables: rebuild it

    def _replicas(self) -> int:
        return tf.distribute.get_strategy().num_replicas_in_sync

    def train_step(self, data):
        real, labels = self.unpack_batch(data)
        real_condition = self.real_condition(labels)
        batch_size = tf.shape(real)[0]
        # Under tf.distribute each replica averages over its own slice of the batch and the
        # optimizer sums the replicas' gradients, so each replica's loss is divided by their number.
        share = 1.0 / self._replicas()

        # The generator runs once per step: its fakes train D, then (after D's update) G.
        z = self.sample_noise(batch_size)
        fake_condition = self.fake_condition(batch_size)
        with tf.GradientTape() as g_tape:
            fake = self.generate_images(z, fake_condition, training=True)
            with g_tape.stop_recording():
                # 1) Discriminator: push D(real) up and D(G(z)) down.
                with tf.GradientTape() as d_tape:
                    real_logits = self.score(real, real_condition, training=True)
                    fake_logits = self.score(fake, fake_condition, training=True)
                    d_loss = self.discriminator_loss(real_logits, fake_logits)
                    scaled = self.d_optimizer.scale_loss(d_loss * share)
                d_vars = self.discriminator.trainable_variables
                self.d_optimizer.apply(d_tape.gradient(scaled, d_vars), d_vars)
            # 2) Generator: make the updated D call the same fakes real.
            fake_logits_g = self.score(fake, fake_condition, training=True)
            g_loss = self.generator_loss(fake_logits_g)
            scaled = self.g_optimizer.scale_loss(g_loss * share)
        g_vars = self.generator.trainable_variables
        self.g_optimizer.apply(g_tape.gradient(scaled, g_vars), g_vars)

        self.step_counter.assign_add(1)
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        self.d_real_tracker.update_state(tf.sigmoid(tf.cast(real_logits, "float32")))
        self.d_fake_tracker.update_state(tf.sigmoid(tf.cast(fake_logits, "float32")))
        return {m.name: m.result() for m in self.metrics}

    # -- checkpoints ---------------------------------------------------------
    def _own_state(self):
        # Keras saves the sub-models and optimizers itself; the GAN's own state is
        # its step count and the noise generator's state (which Keras would skip),
        # so a resumed run draws exactly the noise an uninterrupted run would.
        return [self.step_counter, self.seed_generator.state]

    def save_own_variables(self, store):
        for i, variable in enumerate(self._own_state()):
            store[str(i)] = keras.ops.convert_to_numpy(variable)

    def load_own_variables(self, store):
        state = self._own_state()
        if len(store.keys()) != len(state):
            raise ValueError(f"expected {len(state)} GAN state variables, found {len(store.keys())}")
        for i, variable in enumerate(state):
            variable.assign(store[str(i)])

    def save_checkpoint(self, path: str | os.PathLike) -> Path:
        """Save weights of both players, optimizer state, noise state and step count to
        ``path`` (``*.weights.h5``), atomically: an interruption never leaves a broken file.
        Refuses to save weights that are not finite (keeps the last good checkpoint)."""
        path = Path(path)
        if not path.name.endswith(".weights.h5"):
            raise ValueError(f"Checkpoint file names end in .weights.h5, got {path.name!r}.")
        for v in self.generator.weights + self.discriminator.weights:
            if not np.all(np.isfinite(keras.ops.convert_to_numpy(v))):
                raise TrainingDivergedError(
                    f"Not saving a checkpoint: weight {v.path} is not finite. "
                    f"The previous checkpoint (if any) at {path} is kept."
                )
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name.replace(".weights.h5", ".tmp.weights.h5"))
        self.save_weights(tmp)
        os.replace(tmp, path)
        return path

    def load_checkpoint(self, path: str | os.PathLike) -> int:
        """Restore a checkpoint written by :meth:`save_checkpoint`; returns the step count.

        Call after ``compile`` (optimizer state is restored too)."""
        path = Path(path)
        if not path.exists():
            raise CheckpointError(f"No checkpoint at {path}. Train first, or check the path.")
        if not hasattr(self, "d_optimizer"):
            raise CheckpointError("Call compile(...) before load_checkpoint: optimizer state is restored too.")
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                self.load_weights(path)
            # Keras only warns when parts of the file do not match the model (and keeps
            # fresh weights there); a half-restored model is worse than an error.
            mismatches = [str(w.message) for w in caught if "saving" in str(w.filename)]
            if mismatches:
                raise ValueError(mismatches[0])
        except Exception as exc:
            raise CheckpointError(
                f"The checkpoint {path} is corrupt or was made for a different model ({exc}). "
                "Delete it (or train into another folder) to start over."
            ) from exc
        return self.step


# -- callbacks -----------------------------------------------------------------
class ConditionalGAN(GAN):
    """A GAN whose players both see the digit's label: ``G([z, y])`` and ``D([x, y])``.

    Only the conditions differ from :class:`GAN`: real images come with their labels, and the
    generator is asked for uniformly drawn labels.  The data must yield ``(images, labels)``
    (or pass ``labels=`` to :func:`train`).  Taught in ``04_conditional_gan``.
    """

    def __init__(self, generator, discriminator, num_classes: int = 10, latent_dim: int | None = None, **kwargs):
        for role, net, first in (("generator", generator, "noise"), ("discriminator", discriminator, "images")):
            if not isinstance(net, keras.Model) or len(net.inputs) != 2:
                raise ValueError(
                    f"A conditional {role} takes two inputs, [{first}, labels]; "
                    "build it with gan_lessons.models.build_cgan_generator / build_cgan_discriminator."
                )
        if not isinstance(num_classes, int) or num_classes < 2:
            raise ValueError(f"num_classes must be a whole number >= 2, got {num_classes!r}.")
        super().__init__(generator, discriminator, latent_dim=latent_dim, **kwargs)
        self.num_classes = num_classes

    @staticmethod
    def _noise_shape(generator) -> tuple:
        return tuple(generator.input_shape[0])

    @staticmethod
    def _image_shape(discriminator) -> tuple:
        return tuple(discriminator.input_shape[0])

    def fake_condition(self, batch_size):
        """Uniformly drawn labels for the fakes (seeded like the noise)."""
        return tf.random.stateless_uniform(
            (batch_size,), seed=self._replica_seed(), maxval=self.num_classes, dtype=tf.int32
        )

    def real_condition(self, labels):
        if labels is None:
            raise ValueError(
                "A conditional GAN needs the labels of the real images: train(gan, images, labels=labels) "
                "or a dataset of (images, labels)."
            )
        return tf.cast(tf.reshape(labels, [-1]), tf.int32)

    def generate_images(self, z, condition, training: bool = False):
        return self.generator([z, condition], training=training)

    def score(self, images, condition, training: bool = False):
        return self.discriminator([images, condition], training=training)

    def call(self, inputs, training: bool = False):
        z, labels = inputs
        return self.generate_images(z, labels, training=training)

    def check_labels(self, labels, n: int) -> np.ndarray:
        """``labels`` as int32 after checking them: whole numbers in 0..num_classes-1, one per noise row."""
        labels = np.asarray(labels)
        if labels.ndim == 0:
            labels = np.full(n, labels)
        if not np.issubdtype(labels.dtype, np.integer):
            raise ValueError(f"labels must be whole numbers (the digits to draw), got dtype {labels.dtype}.")
        if labels.shape != (n,):
            raise ValueError(f"give one label per noise vector: {n} noise vectors but labels of shape {labels.shape}.")
        if n and (labels.min() < 0 or labels.max() >= self.num_classes):
            low, high = labels.min(), labels.max()
            raise ValueError(f"labels must be between 0 and {self.num_classes - 1}, got {low}..{high}.")
        return labels.astype(np.int32)

    def generate(self, noise: np.ndarray | int, labels=None, batch_size: int = 500) -> np.ndarray:
        """Images for noise ``(n, latent_dim)`` (or ``n`` fresh draws) and one label per image;
        without labels, the digits 0, 1, ..., 9, 0, 1, ... in turn."""
        noise = self._checked_noise(noise)
        labels = np.arange(len(noise)) % self.num_classes if labels is None else labels
        labels = self.check_labels(labels, len(noise))
        return self.generator.predict([noise, labels], batch_size=batch_size, verbose=0)


class SelfConditionedGAN(ConditionalGAN):
    """A conditional GAN whose labels are *clusters of the data*, not human labels (a simplified
    self-conditioned GAN, Liu et al. 2020, who cluster the discriminator's features and re-cluster
    as training goes; here the data are clustered once).  Each cluster is a small, one-piece part of
    the data, so no single ``G(., c)`` has to stretch over a gap between modes, and every cluster, hence
    every mode, is asked for.  Fakes draw their cluster with the clusters' shares of the data; only
    that and :meth:`generate` differ from :class:`ConditionalGAN`.  Taught in ``05_wgan_gp``."""

    def __init__(self, generator, discriminator, cluster_shares, **kwargs):
        shares = np.asarray(cluster_shares, dtype=np.float64)
        if shares.ndim != 1 or len(shares) < 2 or np.any(shares < 0) or not np.isclose(shares.sum(), 1):
            raise ValueError("cluster_shares must be the clusters' shares of the data: >= 2 numbers >= 0 summing to 1.")
        super().__init__(generator, discriminator, num_classes=len(shares), **kwargs)
        self.cluster_shares = shares

    def fake_condition(self, batch_size):
        """Clusters drawn with their shares of the data (seeded like the noise)."""
        # Inverse CDF by comparisons (XLA compiles this; it has no kernel for tf.random.stateless_categorical).
        bounds = tf.constant(np.cumsum(self.cluster_shares)[:-1], tf.float32)
        u = tf.random.stateless_uniform((batch_size, 1), seed=self._replica_seed())
        return tf.reduce_sum(tf.cast(u >= bounds[None, :], tf.int32), axis=1)

    def generate(self, noise: np.ndarray | int, labels=None, batch_size: int = 500, seed: int = 0) -> np.ndarray:
        """Samples for noise ``(n, latent_dim)`` (or ``n`` fresh draws); without ``labels`` each sample's
        cluster is drawn with the clusters' shares (``seed``), so the samples follow the whole data."""
        noise = self._checked_noise(noise)
        if labels is None:
            labels = np.random.default_rng(seed).choice(self.num_classes, len(noise), p=self.cluster_shares)
        return super().generate(noise, labels, batch_size)


class PackedGAN(GAN):
    """PacGAN (Lin et al. 2018): the discriminator scores ``pack`` samples concatenated, all real or all
    fake, so a generator that repeats itself is easy to spot.  Only ``score`` differs from :class:`GAN`;
    the discriminator takes ``pack`` times the features of one sample.  Taught in ``05_wgan_gp``."""

    def __init__(self, generator, discriminator, pack: int = 4, **kwargs):
        if not isinstance(pack, int) or isinstance(pack, bool) or pack < 1:
            raise ValueError(f"pack must be a whole number >= 1 (samples judged together), got {pack!r}.")
        self.pack = pack
        super().__init__(generator, discriminator, **kwargs)

    def _image_shape(self, discriminator) -> tuple:
        shape = tuple(discriminator.input_shape)
        if len(shape) != 2 or shape[-1] % self.pack:
            raise ValueError(f"A packing discriminator takes flat vectors of pack x features, got input {shape}.")
        return (None, shape[-1] // self.pack)

    def score(self, images, condition, training: bool = False):
        features = self._image_shape(self.discriminator)[-1]
        return self.discriminator(ops.reshape(images, (-1, features * self.pack)), training=training)


class WassersteinGAN(GAN):
    """WGAN and WGAN-GP: a *critic* scores images (no sigmoid), ``n_critic`` critic updates per
    generator update, and the critic kept near 1-Lipschitz by a gradient penalty (``gp_weight``,
    WGAN-GP, Gulrajani et al. 2017) or by clipping its weights to ``[-clip_value, clip_value]``
    (WGAN, Arjovsky et al. 2017).  Only the step differs from :class:`GAN`.

    Every critic update draws fresh noise but sees the step's one real batch (as keras.io's
    WGAN-GP example does).  Tracks the critic's Wasserstein estimate ``E f(x) - E f(G(z))``.
    Taught in ``05_wgan_gp``.
    """

    def __init__(self, generator, critic, n_critic: int = 5, gp_weight: float = 10.0, clip_value=None, **kwargs):
        if not isinstance(n_critic, int) or isinstance(n_critic, bool) or n_critic < 1:
            raise ValueError(
                f"n_critic must be a whole number >= 1 (critic updates per generator update), got {n_critic!r}."
            )
        _check_weight("gp_weight", gp_weight, " (10 in WGAN-GP, 0 for plain WGAN)")
        if clip_value is not None and not (isinstance(clip_value, int | float) and clip_value > 0):
            raise ValueError(f"clip_value must be a positive number (0.01 in WGAN) or None, got {clip_value!r}.")
        if gp_weight == 0 and clip_value is None:
            raise ValueError("Without a gradient penalty or weight clipping the critic is unconstrained: set one.")
        last = getattr(critic, "layers", [None])[-1]
        if getattr(last, "activation", None) is keras.activations.sigmoid:
            raise ValueError("The critic ends in a sigmoid: a critic outputs an unbounded score, not a probability.")
        kinds = {type(layer).__name__ for layer in getattr(critic, "layers", [])}
        if gp_weight > 0 and "BatchNormalization" in kinds:
            raise ValueError(
                "Batch norm in a gradient-penalty critic: the penalty is per sample, but batch norm mixes the samples "
                "of a batch, so the gradient it penalises is not the critic's. Use LayerNormalization (or none)."
            )
        super().__init__(generator, critic, **kwargs)
        self.n_critic, self.gp_weight = n_critic, float(gp_weight)
        self.clip_value = None if clip_value is None else float(clip_value)
        self.wasserstein_tracker = keras.metrics.Mean(name="wasserstein")
        self.gp_tracker = keras.metrics.Mean(name="gp")

    @property
    def critic(self):
        return self.discriminator

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker, self.wasserstein_tracker, self.gp_tracker]

    def train_step(self, data):
        from .losses import critic_loss, gradient_penalty, interpolation_weights, wasserstein_generator_loss

        real, labels = self.unpack_batch(data)
        condition = self.real_condition(labels)
        batch_size = tf.shape(real)[0]
        share = 1.0 / self._replicas()
        critic_vars = self.discriminator.trainable_variables
        for _ in range(self.n_critic):
            fake_condition = self.fake_condition(batch_size)
            fake = self.generate_images(self.sample_noise(batch_size), fake_condition, training=True)
            with tf.GradientTape() as tape:
                real_scores = self.score(real, condition, training=True)
                fake_scores = self.score(fake, fake_condition, training=True)
                loss = critic_loss(real_scores, fake_scores)
                penalty = tf.constant(0.0)
                if self.gp_weight > 0:
                    weights = interpolation_weights(batch_size, len(real.shape), self.seed_generator)
                    penalty = gradient_penalty(lambda x: self.score(x, condition, training=True), real, fake, weights)
                    loss = loss + self.gp_weight * penalty
                scaled = self.d_optimizer.scale_loss(loss * share)
            self.d_optimizer.apply(tape.gradient(scaled, critic_vars), critic_vars)
            if self.clip_value is not None:
                for v in critic_vars:
                    v.assign(tf.clip_by_value(v, -self.clip_value, self.clip_value))
        fake_condition = self.fake_condition(batch_size)
        z = self.sample_noise(batch_size)
        with tf.GradientTape() as tape:
            fake = self.generate_images(z, fake_condition, training=True)
            g_loss = wasserstein_generator_loss(self.score(fake, fake_condition, training=True))
            scaled = self.g_optimizer.scale_loss(g_loss * share)
        g_vars = self.generator.trainable_variables
        self.g_optimizer.apply(tape.gradient(scaled, g_vars), g_vars)

        self.step_counter.assign_add(1)
        self.d_loss_tracker.update_state(loss)
        self.g_loss_tracker.update_state(g_loss)
        self.wasserstein_tracker.update_state(-critic_loss(real_scores, fake_scores))
        self.gp_tracker.update_state(penalty)
        return {m.name: m.result() for m in self.metrics}


class ImageToImageGAN(GAN):
    """A GAN whose generator turns an *input image* into an output image (pix2pix, super-resolution; CycleGAN
    keeps the inputs and the bookkeeping and replaces the step).

    Trained on pairs: ``train(gan, targets, labels=inputs, ...)`` (the inputs ride in the labels' slot, so the
    pairs stay together in every batch).  One step updates D on (real, fake) and G on the adversarial loss plus
    :meth:`reconstruction_loss`; subclasses change only that and :meth:`score`.  Taught in ``10_image_translation``.

    Class-aware (``num_classes`` > 0, a discriminator that also classifies: ``build_patchgan(num_classes=...)``
    or ``build_dcgan_discriminator(num_classes=...)``): where the training images have class labels, the
    discriminator also learns to classify the real images (an auxiliary classifier, as in AC-GAN), and the
    generator is also asked, with weight ``class_weight``, that its outputs be classified as the class of their
    input.  Train with ``labels=(inputs, classes)``.
    """

    reconstruction_name = "reconstruction"  # the history key of the non-adversarial loss
    class_arrays = 1  # class-aware: how many class arrays follow the partner images in the labels
    usage = "{name} trains on pairs: train(gan, targets, labels=inputs, ...)."
    class_usage = (
        "A class-aware {name} trains on pairs and their classes: train(gan, targets, labels=(inputs, classes), ...)."
    )

    def __init__(self, generator, discriminator, num_classes: int = 0, class_weight: float = 1.0, **kwargs):
        class_weight = _check_weight("class_weight", class_weight)
        self._check_classifies("discriminator", discriminator, num_classes)
        super().__init__(generator, discriminator, **kwargs)
        self.num_classes, self.class_weight = num_classes, class_weight
        self.reconstruction_tracker = keras.metrics.Mean(name=self.reconstruction_name)

    @staticmethod
    def _check_classifies(name: str, discriminator, num_classes: int) -> None:
        """``num_classes`` is valid and ``discriminator`` classifies that many classes (0: it does not classify)."""
        if not isinstance(num_classes, int) or isinstance(num_classes, bool) or num_classes < 0:
            raise ValueError(f"num_classes must be 0 (no class labels) or the number of classes, got {num_classes!r}.")
        classes = discriminator.outputs[1].shape[-1] if len(getattr(discriminator, "outputs", ())) == 2 else 0
        if classes != num_classes:
            raise ValueError(
                f"{name} classifies {classes} classes but num_classes={num_classes}: a class-aware model's "
                "discriminators also classify (build_patchgan(num_classes=...), build_dcgan_discriminator("
                "num_classes=...)), a plain one's do not."
            )

    def _split(self, out):
        """``(real/fake logits, class logits or None)`` from what a discriminator returns."""
        return (out[0], out[1]) if self.num_classes else (out, None)

    @staticmethod
    def class_loss(class_logits, classes):
        """Cross-entropy of the auxiliary classifier's logits against the classes (log(10) for a blind guess)."""
        return ops.mean(keras.losses.sparse_categorical_crossentropy(classes, class_logits, from_logits=True))

    @staticmethod
    def _noise_shape(generator) -> tuple:
        return tuple(generator.input_shape)

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker, self.reconstruction_tracker]

    def _checked_noise(self, noise) -> np.ndarray:
        inputs = np.asarray(noise, dtype=np.float32)
        expected = tuple(self.generator.input_shape[1:])
        if inputs.ndim != len(expected) + 1 or inputs.shape[1:] != expected:
            raise ValueError(
                f"{self.name} takes input images of shape (N, {', '.join(map(str, expected))}), got {inputs.shape}."
            )
        return inputs

    def _apply_both(self, d_tape, d_scaled, d_loss, g_tape, g_scaled, g_loss):
        """Update both players from one forward pass (their tapes and scaled losses) and count the step."""
        d_vars, g_vars = self.discriminator_variables, self.generator_variables
        self.d_optimizer.apply(d_tape.gradient(d_scaled, d_vars), d_vars)
        self.g_optimizer.apply(g_tape.gradient(g_scaled, g_vars), g_vars)
        self.step_counter.assign_add(1)
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)

    def reconstruction_loss(self, targets, fake):
        """The non-adversarial part of the generator's loss (already weighted)."""
        raise NotImplementedError

    def _unpack_pairs(self, data):
        """``(images, partners, *classes)`` of a batch: the targets and their paired inputs (CycleGAN: domains A
        and B), then ``class_arrays`` class vectors when class-aware (``None`` each otherwise)."""
        images, labels = self.unpack_batch(data)
        if self.num_classes:
            if not isinstance(labels, tuple) or len(labels) != 1 + self.class_arrays:
                raise ValueError(self.class_usage.format(name=self.name))
            return (images, labels[0], *(tf.cast(classes, tf.int32) for classes in labels[1:]))
        if labels is None or isinstance(labels, tuple):
            raise ValueError(self.usage.format(name=self.name))
        return (images, labels, *([None] * self.class_arrays))

    def train_step(self, data):
        targets, inputs, classes = self._unpack_pairs(data)
        targets, inputs = tf.cast(targets, tf.float32), tf.cast(inputs, tf.float32)
        share = 1.0 / self._replicas()
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            fake = self.generator(inputs, training=True)
            real_logits, real_classes = self._split(self.score(targets, inputs, training=True))
            fake_logits, fake_classes = self._split(self.score(fake, inputs, training=True))
            d_loss = self.discriminator_loss(real_logits, fake_logits)
            reconstruction = self.reconstruction_loss(targets, fake)
            g_loss = self.generator_loss(fake_logits) + reconstruction
            if self.num_classes:  # D learns the classes from real images; G's output must show its input's class
                d_loss += self.class_loss(real_classes, classes)
                g_loss += self.class_weight * self.class_loss(fake_classes, classes)
            d_scaled = self.d_optimizer.scale_loss(d_loss * share)
            g_scaled = self.g_optimizer.scale_loss(g_loss * share)
        self._apply_both(d_tape, d_scaled, d_loss, g_tape, g_scaled, g_loss)
        self.reconstruction_tracker.update_state(reconstruction)
        return {m.name: m.result() for m in self.metrics}


class Pix2Pix(ImageToImageGAN):
    """pix2pix (Isola et al. 2017): a conditional PatchGAN judges (input, output) pairs, and the generator also
    pays ``l1_weight`` (100 in the paper) times the mean absolute error to the paired target."""

    def __init__(self, generator, discriminator, l1_weight: float = 100.0, **kwargs):
        if not isinstance(discriminator, keras.Model) or len(discriminator.inputs) != 2:
            raise ValueError(
                "pix2pix's discriminator judges pairs [input, image]: build it with "
                "gan_lessons.translation.build_patchgan(condition_channels=1)."
            )
        self.l1_weight = _check_weight("l1_weight", l1_weight, " (100 in pix2pix)")
        super().__init__(generator, discriminator, **kwargs)

    @staticmethod
    def _image_shape(discriminator) -> tuple:
        return tuple(discriminator.input_shape[1])

    def score(self, images, condition, training: bool = False):
        return self.discriminator([condition, images], training=training)

    def reconstruction_loss(self, targets, fake):
        return self.l1_weight * ops.mean(ops.abs(targets - ops.cast(fake, "float32")))


class SuperResolutionGAN(ImageToImageGAN):
    """SRGAN (Ledig et al. 2017) at digit size: the discriminator judges high-resolution images alone; the
    generator's content loss is the squared distance in the feature space of a fixed network (VGG in the paper,
    the course's digit classifier here: ``feature_extractor``), weighted ``content_weight``, plus
    ``pixel_weight`` times the pixel MSE, plus the adversarial loss (weight 1; SRGAN uses 1e-3 against a VGG
    content loss of a much larger scale)."""

    def __init__(
        self,
        generator,
        discriminator,
        feature_extractor,
        content_weight: float = 1.0,
        pixel_weight: float = 1.0,
        **kwargs,
    ):
        self.content_weight = _check_weight("content_weight", content_weight)
        self.pixel_weight = _check_weight("pixel_weight", pixel_weight)
        if not isinstance(feature_extractor, keras.Model):
            raise TypeError("feature_extractor must be a keras.Model mapping images to features.")
        super().__init__(generator, discriminator, **kwargs)
        self.feature_extractor = feature_extractor
        self.feature_extractor.trainable = False

    def score(self, images, condition, training: bool = False):
        return self.discriminator(images, training=training)

    def reconstruction_loss(self, targets, fake):
        fake = ops.cast(fake, "float32")
        content = ops.mean(ops.square(self.feature_extractor(targets) - self.feature_extractor(fake)))
        return self.content_weight * content + self.pixel_weight * ops.mean(ops.square(targets - fake))


class CycleGAN(ImageToImageGAN):
    """CycleGAN (Zhu et al. 2017) between domains A and B, never paired: ``g_ab`` and ``g_ba`` translate,
    ``d_a`` and ``d_b`` judge each domain (least-squares losses), and the generators also pay
    ``cycle_weight`` x |a - g_ba(g_ab(a))| (and the same for b) plus ``identity_weight`` x |b - g_ab(b)| (and
    a). ``generator`` is ``g_ab`` and ``discriminator`` is ``d_b``; one optimizer per role updates both
    networks of that role.  Train with ``train(gan, images_a, labels=images_b, ...)`` (B drawn independently
    of A: shuffle it).

    Class-aware (``num_classes`` > 0, both discriminators built with ``build_patchgan(num_classes=...)``): where
    both datasets have class labels -- still unpaired -- each discriminator also learns to classify the real images
    of its domain (an auxiliary classifier, as in AC-GAN), and each generator is also asked, with weight
    ``class_weight``, that its translations be classified as the class of their input.  The cycle loss alone does
    not keep the class; this does.  Train with ``labels=(images_b, classes_a, classes_b)``.
    Taught in ``10_image_translation``."""

    reconstruction_name = "cycle"  # the history key of the cycle loss
    class_arrays = 2  # the classes of A and of B
    usage = "CycleGAN needs both domains: train(gan, images_a, labels=images_b, ...)."
    class_usage = (
        "A class-aware CycleGAN needs both domains and their classes: "
        "train(gan, images_a, labels=(images_b, classes_a, classes_b), ...)."
    )

    def __init__(
        self,
        g_ab,
        g_ba,
        d_a,
        d_b,
        cycle_weight: float = 10.0,
        identity_weight: float = 5.0,
        num_classes: int = 0,
        **kwargs,
    ):
        cycle_weight = _check_weight("cycle_weight", cycle_weight, " (10 in CycleGAN)")
        identity_weight = _check_weight("identity_weight", identity_weight, " (5 in CycleGAN; 0 leaves it out)")
        for name, net in (("g_ba", g_ba), ("d_a", d_a)):
            if not isinstance(net, keras.Model):
                raise TypeError(f"{name} must be a keras.Model, got {type(net).__name__}.")
        for name, net in (("d_a", d_a), ("d_b", d_b)):
            self._check_classifies(name, net, num_classes)
        super().__init__(g_ab, d_b, num_classes=num_classes, **kwargs)
        if tuple(g_ba.output_shape[1:]) != tuple(self._image_shape(d_a)[1:]):
            raise ValueError(f"g_ba makes {g_ba.output_shape[1:]} but d_a expects {self._image_shape(d_a)[1:]}.")
        self.generator_ba, self.discriminator_a = g_ba, d_a
        self.cycle_weight, self.identity_weight = cycle_weight, identity_weight

    def _judge(self, discriminator, images):
        """``(patch logits, class logits or None)``."""
        return self._split(discriminator(images, training=True))

    @property
    def generator_variables(self) -> list:
        return self.generator.trainable_variables + self.generator_ba.trainable_variables

    @property
    def discriminator_variables(self) -> list:
        return self.discriminator.trainable_variables + self.discriminator_a.trainable_variables

    def translate(self, images, direction: str = "ab", batch_size: int = 500) -> np.ndarray:
        """Translate images A -> B (``"ab"``) or B -> A (``"ba"``)."""
        if direction not in ("ab", "ba"):
            raise ValueError(f"direction must be 'ab' or 'ba', got {direction!r}.")
        net = self.generator if direction == "ab" else self.generator_ba
        return net.predict(self._checked_noise(images), batch_size=batch_size, verbose=0)

    def cycle_loss(self, real_a, real_b, fake_a=None, fake_b=None, training: bool = False):
        """Mean |a - g_ba(g_ab(a))| + mean |b - g_ab(g_ba(b))| (0 for identity generators)."""
        fake_b = self.generator(real_a, training=training) if fake_b is None else fake_b
        fake_a = self.generator_ba(real_b, training=training) if fake_a is None else fake_a
        back_a = ops.cast(self.generator_ba(fake_b, training=training), "float32")
        back_b = ops.cast(self.generator(fake_a, training=training), "float32")
        return ops.mean(ops.abs(real_a - back_a)) + ops.mean(ops.abs(real_b - back_b))

    def train_step(self, data):
        from .losses import least_squares_discriminator_loss, least_squares_generator_loss

        real_a, real_b, classes_a, classes_b = self._unpack_pairs(data)
        real_a, real_b = tf.cast(real_a, tf.float32), tf.cast(real_b, tf.float32)
        share = 1.0 / self._replicas()
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            fake_b = ops.cast(self.generator(real_a, training=True), "float32")
            fake_a = ops.cast(self.generator_ba(real_b, training=True), "float32")
            cycle = self.cycle_loss(real_a, real_b, fake_a, fake_b, training=True)
            identity = ops.mean(ops.abs(real_b - ops.cast(self.generator(real_b, training=True), "float32")))
            identity += ops.mean(ops.abs(real_a - ops.cast(self.generator_ba(real_a, training=True), "float32")))
            d_b, d_a = self.discriminator, self.discriminator_a
            fake_b_logits, fake_b_classes = self._judge(d_b, fake_b)
            fake_a_logits, fake_a_classes = self._judge(d_a, fake_a)
            adversarial = least_squares_generator_loss(fake_b_logits) + least_squares_generator_loss(fake_a_logits)
            g_loss = adversarial + self.cycle_weight * cycle + self.identity_weight * identity
            real_b_logits, real_b_classes = self._judge(d_b, real_b)
            real_a_logits, real_a_classes = self._judge(d_a, real_a)
            d_loss = least_squares_discriminator_loss(
                real_b_logits, self._judge(d_b, tf.stop_gradient(fake_b))[0]
            ) + least_squares_discriminator_loss(real_a_logits, self._judge(d_a, tf.stop_gradient(fake_a))[0])
            if self.num_classes:
                # Each discriminator learns its domain's classes from real images; a translation G(a) must be
                # classified as a's class in domain B (and F(b) as b's class in domain A).
                d_loss += self.class_loss(real_b_classes, classes_b) + self.class_loss(real_a_classes, classes_a)
                g_loss += self.class_weight * (
                    self.class_loss(fake_b_classes, classes_a) + self.class_loss(fake_a_classes, classes_b)
                )
            g_scaled = self.g_optimizer.scale_loss(g_loss * share)
            d_scaled = self.d_optimizer.scale_loss(d_loss * share)
        self._apply_both(d_tape, d_scaled, d_loss, g_tape, g_scaled, g_loss)
        self.reconstruction_tracker.update_state(cycle)
        return {m.name: m.result() for m in self.metrics}


class NaNGuard(keras.callbacks.Callback):
    """Stops training with an explanation as soon as a loss is NaN or infinite."""

    def on_train_batch_end(self, batch, logs=None):
        bad = {k: float(v) for k, v in (logs or {}).items() if not math.isfinite(float(v))}
        if bad:
            self.model.stop_training = True
            step = int(self.model.step_counter.numpy()) if hasattr(self.model, "step_counter") else batch
            raise TrainingDivergedError(
                f"Training diverged at step {step}: {bad}. This usually means a learning rate that "
                "is too high, real images outside [-1, 1] (check the data scaling), or a "
                "discriminator ending in a sigmoid while the loss expects logits. Try lower "
                "learning rates (2e-4 with beta_1=0.5 is the usual start) and check the inputs; "
                "the last checkpoint, if any, is from before the divergence and is kept."
            )


class SampleGrid(keras.callbacks.Callback):
    """Draws images from the same fixed noise every ``every`` epochs, so grids compare over time.

    ``frames`` collects ``(step, images)``.  With ``out_dir`` each grid is also
    written as ``samples_step{step}.png`` and all frames are kept in
    ``frames.npz`` there, so a resumed run (or a rerun notebook) still has the
    whole film.  ``show=True`` displays each grid inline.
    """

    def __init__(self, noise: np.ndarray, every: int = 1, out_dir=None, show: bool = False):
        super().__init__()
        if not isinstance(every, int) or every < 1:
            raise ValueError(f"every must be a positive integer, got {every!r}.")
        self.noise = np.asarray(noise, dtype=np.float32)
        self.every = every
        self.out_dir = Path(out_dir) if out_dir is not None else None
        self.show = show
        self.frames: list[tuple[int, np.ndarray]] = []
        if self.out_dir is not None and (self.out_dir / "frames.npz").exists():
            with np.load(self.out_dir / "frames.npz") as saved:
                if saved["noise"].shape == self.noise.shape and np.array_equal(saved["noise"], self.noise):
                    pairs = zip(saved["steps"], saved["images"], strict=True)
                    self.frames = [(int(step), images.astype(np.float32)) for step, images in pairs]

    def _record(self):
        step = self.model.step
        if self.frames and self.frames[-1][0] >= step:
            return
        images = self.model.generate(self.noise)
        self.frames.append((step, images))
        from . import plotting

        if self.out_dir is not None:
            plotting.save_grid(images, self.out_dir / f"samples_step{step:06d}.png", title=f"step {step}")
            np.savez_compressed(
                self.out_dir / "frames.npz",
                noise=self.noise,
                steps=np.array([s for s, _ in self.frames]),
                images=np.stack([im for _, im in self.frames]).astype(np.float16),
            )
        if self.show:
            plotting.show_grid(images, title=f"step {step}")

    def on_train_begin(self, logs=None):
        self._record()

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every == 0:
            self._record()


class QualityCurve(keras.callbacks.Callback):
    """Every ``every`` epochs, the classifier-feature FID of ``n`` samples from fixed noise, against the
    reference digits: a sample-quality curve to set beside the losses (lesson 05 compares it with the
    critic's Wasserstein estimate).  ``points`` holds ``(step, fid)`` pairs."""

    def __init__(self, every: int = 1, n: int = 500, seed: int = 0):
        super().__init__()
        if not isinstance(every, int) or every < 1:
            raise ValueError(f"every must be a positive whole number of epochs, got {every!r}.")
        self.every, self.n, self.seed = every, n, seed
        self.points: list[tuple[int, float]] = []
        self._epochs = 0

    def on_epoch_end(self, epoch, logs=None):
        self._epochs += 1
        if self._epochs % self.every:
            return
        from .classifier import features_and_probabilities, reference_features
        from .metrics import fid

        noise = np.random.default_rng(self.seed).standard_normal((self.n, self.model.latent_dim)).astype(np.float32)
        features, _ = features_and_probabilities(self.model.generate(noise))
        self.points.append((self.model.step, fid(features, reference_features())))


class CheckpointDir:
    """A folder of rotating checkpoints: ``step-00001000.weights.h5`` ..., the last ``keep`` kept.

    Each file is written atomically by :meth:`GAN.save_checkpoint`.  :meth:`restore` loads the
    newest one that is readable; a missing or corrupt newest file is reported and the previous
    good one is used instead, so a crash while writing (or a damaged Drive copy) costs at most
    one checkpoint interval.  The loss history of all runs is kept in ``history.json``.
    """

    PATTERN = "step-*.weights.h5"

    def __init__(self, path: str | os.PathLike, keep: int = 3):
        if not isinstance(keep, int) or isinstance(keep, bool) or keep < 1:
            raise ValueError(f"keep must be a positive integer, got {keep!r}.")
        self.path = Path(path)
        if self.path.name.endswith(".weights.h5"):
            raise ValueError(f"{self.path} is a file name; CheckpointDir wants a folder.")
        self.keep = keep
        self.history_path = self.path / "history.json"

    def files(self) -> list[Path]:
        """Checkpoint files, oldest first."""
        if not self.path.is_dir():
            return []
        return sorted(p for p in self.path.glob(self.PATTERN) if ".tmp." not in p.name)

    def save(self, gan: GAN) -> Path:
        written = gan.save_checkpoint(self.path / f"step-{gan.step:08d}.weights.h5")
        for old in self.files()[: -self.keep]:
            old.unlink(missing_ok=True)
        return written

    def restore(self, gan: GAN) -> int | None:
        """Load the newest good checkpoint into ``gan``; its step, or None if there is none."""
        files = self.files()
        failures = []
        for candidate in reversed(files):
            try:
                step = gan.load_checkpoint(candidate)
            except CheckpointError as exc:
                failures.append(str(exc))
                print(f"Warning: skipping {candidate.name}: it is unreadable ({exc}). Trying the previous one.")
                continue
            if failures:
                print(f"Fell back to {candidate.name} (step {step}).")
            return step
        if failures:
            raise CheckpointError(
                f"No readable checkpoint in {self.path}: all {len(files)} files are corrupt or from another model "
                f"(latest error: {failures[0]}). Delete the folder (or train into another) to start over."
            )
        return None


class CheckpointFile:
    """A single checkpoint file, overwritten each time (lesson 02's simple case)."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.history_path = history_path(self.path)

    def save(self, gan: GAN) -> Path:
        return gan.save_checkpoint(self.path)

    def restore(self, gan: GAN) -> int | None:
        return gan.load_checkpoint(self.path) if self.path.exists() else None


def checkpoint_store(checkpoint: str | os.PathLike | CheckpointDir | CheckpointFile):
    """A ``*.weights.h5`` path is one file; any other path is a :class:`CheckpointDir`."""
    if isinstance(checkpoint, CheckpointDir | CheckpointFile):
        return checkpoint
    if Path(checkpoint).name.endswith(".weights.h5"):
        return CheckpointFile(checkpoint)
    return CheckpointDir(checkpoint)


class Checkpoint(keras.callbacks.Callback):
    """Saves a checkpoint at the end of every epoch (every ``steps_per_epoch`` steps), and the
    loss history of all runs so far beside it, so a resumed run plots the whole curve.

    ``path``: a ``*.weights.h5`` file (overwritten) or a folder (rotating, see :class:`CheckpointDir`).
    """

    def __init__(self, path):
        super().__init__()
        self.store = checkpoint_store(path)
        self.path = self.store.path
        self.history_path = self.store.history_path
        self.history = _read_history(self.history_path)

    def on_epoch_end(self, epoch, logs=None):
        self.store.save(self.model)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(float(value))
        tmp = self.history_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.history))
        os.replace(tmp, self.history_path)


def history_path(checkpoint: str | os.PathLike) -> Path:
    checkpoint = Path(checkpoint)
    if not checkpoint.name.endswith(".weights.h5"):
        return checkpoint / "history.json"
    return checkpoint.with_name(checkpoint.name.replace(".weights.h5", ".history.json"))


def load_history(checkpoint: str | os.PathLike) -> dict[str, list[float]]:
    """The per-epoch losses saved beside a checkpoint file or in a checkpoint folder (empty if none)."""
    return _read_history(history_path(checkpoint))


def _read_history(path: Path) -> dict[str, list[float]]:
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text())
    except ValueError as exc:
        raise CheckpointError(f"{path} is corrupt ({exc}); delete it to keep training.") from exc


def train(
    gan: GAN,
    dataset,
    steps: int,
    steps_per_epoch: int | None = None,
    checkpoint: str | os.PathLike | CheckpointDir | None = None,
    callbacks: Sequence[keras.callbacks.Callback] = (),
    verbose="auto",
    batch_size: int | None = None,
    seed: int = 0,
    labels: np.ndarray | None = None,
) -> dict[str, list[float]]:
    """Train ``gan`` until it has done ``steps`` steps in all, resuming from ``checkpoint``.

    ``dataset`` is a ``tf.data`` pipeline of batches, or the training images themselves
    (numpy, with ``batch_size``, ``seed`` and optional ``labels``).  Given arrays, the images
    are kept on the device and each step's batch is a function of ``(seed, step)``
    (:func:`gan_lessons.data.index_batches`), so a resumed run is identical to an
    uninterrupted one.

    ``checkpoint`` is a ``*.weights.h5`` file or a folder of rotating checkpoints.  If one
    exists it is loaded first, so running again continues where the last run stopped.  A
    checkpoint is written every epoch and when training is interrupted (Ctrl-C / the stop
    button); a NaN loss stops training with an explanation.  Returns the per-epoch history:
    of every run into this checkpoint when one is given, else of this call.  ``steps_per_epoch``
    (progress lines, callbacks, checkpoints) defaults to 500, or ``steps`` if fewer.
    """
    if steps_per_epoch is None and isinstance(steps, int | np.integer) and not isinstance(steps, bool):
        steps_per_epoch = int(max(1, min(steps, 500)))
    for name, value in (("steps", steps), ("steps_per_epoch", steps_per_epoch)):
        if not isinstance(value, int | np.integer) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}.")
    store = checkpoint_store(checkpoint) if checkpoint is not None else None
    if store is not None:
        resumed = store.restore(gan)
        if resumed is not None:
            print(f"Resumed from {store.path} at step {resumed}.")
    done = gan.step
    batches = lambda: dataset  # noqa: E731
    if isinstance(dataset, np.ndarray):
        if batch_size is None:
            raise ValueError("Training on arrays needs batch_size=..., e.g. train(gan, images, ..., batch_size=64).")
        from .data import index_batches

        n_images = len(dataset)
        gan.set_training_data(dataset, labels)
        # Each fit() starts a fresh iterator, so the index pipeline starts at the current step.
        batches = lambda: index_batches(n_images, batch_size, seed=seed, start_step=gan.step)  # noqa: E731
    history: dict[str, list[float]] = {}
    saver = Checkpoint(store) if store is not None else None
    if done >= steps:
        print(f"Already trained for {done} steps (asked for {steps}); nothing to do.")
        return saver.history if saver else history
    all_callbacks = [NaNGuard(), *callbacks] + ([saver] if saver else [])
    k = max(1, int(getattr(gan, "steps_per_execution", 1) or 1))
    if k > 1 and gan.distribute_strategy.num_replicas_in_sync > 1:
        # Keras 3 fails to run several steps per execution across replicas (its multi-step
        # loop cannot hold the optimizer's cross-replica merge, keras-team/keras#19246).
        print(f"Training on {gan.distribute_strategy.num_replicas_in_sync} replicas: steps_per_execution 1, not {k}.")
        _set_steps_per_execution(gan, 1)
        k = 1
    try:
        for initial_epoch, epochs, n_steps, per_execution in _plan(done, steps, steps_per_epoch, k):
            _set_steps_per_execution(gan, per_execution)
            h = gan.fit(
                batches(),
                initial_epoch=initial_epoch,
                epochs=epochs,
                steps_per_epoch=n_steps,
                callbacks=all_callbacks,
                shuffle=False,  # the tf.data pipeline shuffles
                verbose=verbose,
            )
            for key, values in h.history.items():
                history.setdefault(key, []).extend(float(v) for v in values)
    except KeyboardInterrupt:
        if store is not None:
            written = store.save(gan)
            print(f"Interrupted at step {gan.step}; saved {written}. Run again to continue.")
        else:
            print(f"Interrupted at step {gan.step}; the model keeps what it has learned so far.")
        raise
    finally:
        _set_steps_per_execution(gan, k)
    return saver.history if saver else history


def _plan(done: int, steps: int, steps_per_epoch: int, k: int) -> list[tuple[int, int, int, int]]:
    """Calls of ``fit`` that do exactly ``steps - done`` steps: (initial_epoch, epochs, steps per epoch,
    steps_per_execution).

    Keras always runs whole executions of ``k = steps_per_execution`` steps, so every epoch is a
    multiple of k; a remainder smaller than one execution runs one step per execution.
    """
    per_epoch = max(k, steps_per_epoch // k * k)
    full_epochs, rest = divmod(steps - done, per_epoch)
    epoch = done // per_epoch
    runs = []
    if full_epochs:
        runs.append((epoch, epoch + full_epochs, per_epoch, k))
        epoch += full_epochs
    if rest >= k:
        runs.append((epoch, epoch + 1, rest // k * k, k))
        epoch += 1
    if rest % k:
        runs.append((epoch, epoch + 1, rest % k, 1))
    return runs


def _set_steps_per_execution(gan: GAN, k: int) -> None:
    if getattr(gan, "steps_per_execution", 1) != k:
        gan.steps_per_execution = k
        gan.train_function = None  # rebuilt by the next fit


def write_run_info(out_dir: Path, info: dict) -> None:
    """Record how a run was made (``run.json`` beside its checkpoint)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "run.json").write_text(json.dumps(info, indent=2, sort_keys=True) + "\n")
