"""Lesson 10's trainers: pix2pix, SRGAN-style super-resolution and CycleGAN, on a shared
image-to-image GAN.  Taught in ``10_image_translation``.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from ..core.gan import GAN
from ..core.inference import predict
from ..core.losses import least_squares_discriminator_loss, least_squares_generator_loss
from ..core.validate import check_weight


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
        class_weight = check_weight("class_weight", class_weight)
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
            d_scaled = self.scaled_loss(self.d_optimizer, d_loss)
            g_scaled = self.scaled_loss(self.g_optimizer, g_loss)
        self.apply_gradients(self.d_optimizer, d_tape, d_scaled, self.discriminator_variables)
        self.apply_gradients(self.g_optimizer, g_tape, g_scaled, self.generator_variables)
        return self.finish_step(d_loss=d_loss, g_loss=g_loss, **{self.reconstruction_name: reconstruction})


class Pix2Pix(ImageToImageGAN):
    """pix2pix (Isola et al. 2017): a conditional PatchGAN judges (input, output) pairs, and the generator also
    pays ``l1_weight`` (100 in the paper) times the mean absolute error to the paired target."""

    def __init__(self, generator, discriminator, l1_weight: float = 100.0, **kwargs):
        if not isinstance(discriminator, keras.Model) or len(discriminator.inputs) != 2:
            raise ValueError(
                "pix2pix's discriminator judges pairs [input, image]: build it with "
                "gan_lessons.translation.build_patchgan(condition_channels=1)."
            )
        self.l1_weight = check_weight("l1_weight", l1_weight, " (100 in pix2pix)")
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
        self.content_weight = check_weight("content_weight", content_weight)
        self.pixel_weight = check_weight("pixel_weight", pixel_weight)
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
        cycle_weight = check_weight("cycle_weight", cycle_weight, " (10 in CycleGAN)")
        identity_weight = check_weight("identity_weight", identity_weight, " (5 in CycleGAN; 0 leaves it out)")
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
        return predict(net, self._checked_noise(images), batch_size=batch_size)

    def cycle_loss(self, real_a, real_b, fake_a=None, fake_b=None, training: bool = False):
        """Mean |a - g_ba(g_ab(a))| + mean |b - g_ab(g_ba(b))| (0 for identity generators)."""
        fake_b = self.generator(real_a, training=training) if fake_b is None else fake_b
        fake_a = self.generator_ba(real_b, training=training) if fake_a is None else fake_a
        back_a = ops.cast(self.generator_ba(fake_b, training=training), "float32")
        back_b = ops.cast(self.generator(fake_a, training=training), "float32")
        return ops.mean(ops.abs(real_a - back_a)) + ops.mean(ops.abs(real_b - back_b))

    def train_step(self, data):

        real_a, real_b, classes_a, classes_b = self._unpack_pairs(data)
        real_a, real_b = tf.cast(real_a, tf.float32), tf.cast(real_b, tf.float32)
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
            g_scaled = self.scaled_loss(self.g_optimizer, g_loss)
            d_scaled = self.scaled_loss(self.d_optimizer, d_loss)
        self.apply_gradients(self.d_optimizer, d_tape, d_scaled, self.discriminator_variables)
        self.apply_gradients(self.g_optimizer, g_tape, g_scaled, self.generator_variables)
        return self.finish_step(d_loss=d_loss, g_loss=g_loss, cycle=cycle)
