"""Lesson 04's conditional GAN: both players see the digit's label.  Taught in ``04_conditional_gan``."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from ..core.gan import GAN
from ..core.inference import predict


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
                    "build it with gan_lessons.conditional.build_cgan_generator / build_cgan_discriminator."
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
        return predict(self.generator, [noise, labels], batch_size=batch_size)
