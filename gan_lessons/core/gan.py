"""The one GAN trainer: a ``keras.Model`` holding a generator and a discriminator, trained by
``train_step`` with a tape per player.  Every GAN of the course subclasses it and overrides only what
differs (the conditions, the loss, or the step).  Taught in ``02_vanilla_gan``.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from .errors import CheckpointError, TrainingDivergedError
from .inference import predict
from .losses import get_discriminator_loss, get_generator_loss
from .validate import check_positive_int, check_unit_range

if keras.backend.backend() != "tensorflow":
    raise ImportError(
        f"GAN Lessons trains with TensorFlow, but Keras is set to the {keras.backend.backend()!r} backend. "
        "Unset KERAS_BACKEND (or set it to tensorflow; check ~/.keras/keras.json too) and restart the kernel."
    )


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
        self.d_real_tracker = keras.metrics.Mean(name="D_real")
        self.d_fake_tracker = keras.metrics.Mean(name="D_fake")
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
        d_loss: str | Callable = "bce",
        **kwargs,
    ) -> None:
        """Set both optimizers and both losses (by name, see :mod:`gan_lessons.core.losses`, or as functions
        of the logits); other kwargs go to ``keras.Model.compile`` (``jit_compile``, ``steps_per_execution``,
        ``run_eagerly``).  A subclass that writes its own step (WGAN, CycleGAN) uses its own losses.

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
        self.forget_train_functions()
        if keras.mixed_precision.global_policy().name == "mixed_float16":
            LSO = keras.optimizers.LossScaleOptimizer
            d_optimizer = d_optimizer if isinstance(d_optimizer, LSO) else LSO(d_optimizer)
            g_optimizer = g_optimizer if isinstance(g_optimizer, LSO) else LSO(g_optimizer)
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.g_loss_fn = get_generator_loss(g_loss)
        self.d_loss_fn = get_discriminator_loss(d_loss)
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
        return predict(self.generator, self._checked_noise(noise), batch_size=batch_size)

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
        return self.d_loss_fn(real_logits, fake_logits)

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
        batches of indices from :func:`gan_lessons.core.data.index_batches` then pick from it.  ``labels`` is an
        array with one entry per image, or a tuple of such arrays (each batch then holds a tuple)."""
        images = np.asarray(images, dtype=np.float32)
        expected = tuple(self._image_shape(self.discriminator)[1:])
        if images.shape[1:] != expected:
            raise ValueError(f"Training images have shape {images.shape[1:]} but the discriminator expects {expected}.")
        if images.ndim == 4:  # images (not the lab's 2-D points): in the generator's tanh range
            check_unit_range(images, "Training images")
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
        self.forget_train_functions()  # the compiled steps captured the old variables: rebuild them

    def set_steps_per_execution(self, k: int) -> None:
        """Run ``k`` training steps per call into the compiled graph.  Keras builds its train function for one
        value of ``steps_per_execution``, so a new value means a new function: traced again and, under XLA,
        compiled again (seconds each time for a dense model on a CPU, where the course compiles them with XLA).
        :func:`gan_lessons.core.training.train` runs an epoch's last few steps one per execution and then switches
        back, and lesson 11 trains its film of the ring in 8 parts, so the function built for each value is kept
        and put back -- until :meth:`compile` or training data of another shape make it stale
        (:meth:`forget_train_functions`)."""
        check_positive_int("steps_per_execution", k)
        current = getattr(self, "steps_per_execution", 1) or 1
        if current == k:
            return
        kept = self.__dict__.setdefault("_train_functions", {})  # not an attribute Keras tracks
        if self.train_function is not None:
            kept[current, bool(self.jit_compile)] = self.train_function
        self.steps_per_execution = k
        self.train_function = kept.get((k, bool(self.jit_compile)))

    def forget_train_functions(self) -> None:
        """Drop every compiled train function: the next ``fit`` builds one for the current settings."""
        self.__dict__["_train_functions"] = {}
        self.train_function = None

    # -- the pieces every training step shares -----------------------------------------
    def scaled_loss(self, optimizer, loss):
        """What a player's tape differentiates (call it inside the tape): under ``tf.distribute`` each
        replica averages over its own slice of the batch and the optimizer sums the replicas' gradients,
        so the loss is divided by their number; under mixed precision the optimizer scales it up."""
        return optimizer.scale_loss(loss * (1.0 / tf.distribute.get_strategy().num_replicas_in_sync))

    @staticmethod
    def apply_gradients(optimizer, tape, scaled_loss, variables) -> None:
        """One optimizer update of ``variables`` from ``tape`` and a loss from :meth:`scaled_loss`."""
        optimizer.apply(tape.gradient(scaled_loss, variables), variables)

    def finish_step(self, **values) -> dict:
        """Count the step, update the tracked metric of each name with its value, and return the logs."""
        trackers = {m.name: m for m in self.metrics}
        unknown = sorted(set(values) - set(trackers))
        if unknown:
            raise ValueError(f"{self.name} tracks no metric named {unknown}; it tracks {sorted(trackers)}.")
        self.step_counter.assign_add(1)
        for name, value in values.items():
            trackers[name].update_state(value)
        return {m.name: m.result() for m in self.metrics}

    def train_step(self, data):
        real, labels = self.unpack_batch(data)
        real_condition = self.real_condition(labels)
        batch_size = tf.shape(real)[0]

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
                    d_scaled = self.scaled_loss(self.d_optimizer, d_loss)
                self.apply_gradients(self.d_optimizer, d_tape, d_scaled, self.discriminator_variables)
            # 2) Generator: make the updated D call the same fakes real.
            g_loss = self.generator_loss(self.score(fake, fake_condition, training=True))
            g_scaled = self.scaled_loss(self.g_optimizer, g_loss)
        self.apply_gradients(self.g_optimizer, g_tape, g_scaled, self.generator_variables)
        return self.finish_step(
            d_loss=d_loss,
            g_loss=g_loss,
            D_real=tf.sigmoid(tf.cast(real_logits, "float32")),  # mean D(x) on real images
            D_fake=tf.sigmoid(tf.cast(fake_logits, "float32")),  # mean D(G(z))
        )

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
