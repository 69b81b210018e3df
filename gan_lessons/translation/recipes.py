"""Lesson 10's models as the CLI trains them, a pixel-loss network for comparison, and the
shipped (or freshly trained) models the lesson uses.  Taught in ``10_image_translation``.
"""

from __future__ import annotations

import keras

from ..core.config import budget
from ..core.device import DeviceSetup
from ..core.gan import GAN
from ..core.recipe import Recipe, build_and_compile
from ..core.training import train as train_gan
from ..core.validate import check_positive_int
from ..dcgan.networks import build_dcgan_discriminator
from ..tools.classifier import FEATURES, load_classifier
from ..tools.shipped import load_weights
from .models import CycleGAN, Pix2Pix, SuperResolutionGAN
from .networks import WHOLE_DIGIT_LAYERS, build_patchgan, build_sr_generator, build_unet
from .tasks import TASKS, TranslationTask, load_task


def compiled_pix2pix(seed: int = 0, setup: DeviceSetup | None = None, l1_weight: float = 100.0) -> GAN:
    """Lesson 10's pix2pix: a U-Net from edge maps to digits against a conditional PatchGAN, adversarial +
    100 x L1, Adam(2e-4, beta_1=0.5) as in the paper."""

    def players():
        return build_unet(), build_patchgan(condition_channels=1)

    return build_and_compile(
        "pix2pix", players, seed, setup, convolutional=True, gan_class=Pix2Pix, l1_weight=l1_weight
    )


def compiled_srgan(
    seed: int = 0,
    setup: DeviceSetup | None = None,
    content_weight: float = 1.0,
    num_classes: int = 0,
    class_weight: float = 1.0,
    pixel_weight: float = 1.0,
) -> GAN:
    """Lesson 10's SRGAN-style x4 upscaler: 7x7 -> 28x28 with pixel shuffle, against lesson 03's DCGAN
    discriminator; the content loss is measured in the digit classifier's 64 features (the offline stand-in
    for VGG) with weight 1, plus pixel MSE and the adversarial loss.  The weight was chosen on the task's
    validation split by ``scripts/select_content_weight.py`` (``data/srgan_content_weight.json``: weights 1, 10 and
    100 at 2,000 steps, read by the independent reader, within 1.5 standard errors of one another), never on the 1,000
    test digits the lesson reports; the shipped model's scores are in ``data/srgan_generator.json``.
    ``num_classes=10``: class-aware, with an auxiliary classifier in the discriminator as lesson 10's CycleGAN has
    (the shipped model does not use it).  ``pixel_weight`` scales the pixel MSE (1; ``scripts/compare_upscalers.py``
    tries 10 and 100, where the adversary counts less)."""
    classifier = load_classifier()
    features = keras.Model(classifier.input, classifier.get_layer(FEATURES).output, name="content_features")

    def players():
        return build_sr_generator(filters=32), build_dcgan_discriminator(num_classes=num_classes)

    return build_and_compile(
        "srgan",
        players,
        seed,
        setup,
        convolutional=True,
        gan_class=SuperResolutionGAN,
        feature_extractor=features,
        content_weight=content_weight,
        num_classes=num_classes,
        class_weight=class_weight,
        pixel_weight=pixel_weight,
    )


def compiled_cyclegan(seed: int = 0, setup: DeviceSetup | None = None) -> GAN:
    """Lesson 10's CycleGAN between scikit-learn's blocky digits (A) and MNIST (B): two U-Nets, two discriminators
    with 38x38 patches (the whole digit) and an auxiliary classifier each (class-aware: both datasets have labels, still
    unpaired), least-squares adversarial losses, cycle weight 10, class weight 1, no identity loss, Adam(2e-4,
    beta_1=0.5).  The shipped model is ``data/cyclegan_generator.json``: its number of steps, capped at 3,000 for
    time, was checked on the task's validation split, never on the 500 test digits its scores are measured on.  By both
    readers the share read correctly rose until about 2,500 steps, then moved within the noise (the curve is the
    record's ``validation``)."""

    def players():
        return (
            build_unet(name="g_ab"),
            build_unet(name="g_ba"),
            build_patchgan(name="d_a", layer_specs=WHOLE_DIGIT_LAYERS, num_classes=10),
            build_patchgan(name="d_b", layer_specs=WHOLE_DIGIT_LAYERS, num_classes=10),
        )

    return build_and_compile(
        "cyclegan", players, seed, setup, convolutional=True, gan_class=CycleGAN, num_classes=10, identity_weight=0.0
    )


def train_without_adversary(task: TranslationTask, steps: int, batch_size: int = 32, seed: int = 0):
    """The task's generator trained on its pixel loss alone, no discriminator: for ``pix2pix`` the U-Net on
    L1 (pix2pix's lambda -> infinity), for ``srgan`` the upscaler on the pixel MSE (the "L2 network" of the
    super-resolution trade-off).  Returns the trained generator."""
    import tensorflow as tf

    check_positive_int("steps", steps)
    check_positive_int("batch_size", batch_size)
    if task.name not in ("pix2pix", "srgan"):
        raise ValueError(f"only the paired tasks (pix2pix, srgan) have a pixel loss, got {task.name!r}.")
    keras.utils.set_random_seed(seed)
    generator = build_unet() if task.name == "pix2pix" else build_sr_generator(filters=32)
    loss = "mae" if task.name == "pix2pix" else "mse"
    generator.compile(optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5), loss=loss)
    pairs = tf.data.Dataset.from_tensor_slices((task.train_inputs, task.train_images))
    batches = pairs.shuffle(len(task.train_images), seed=seed).repeat().batch(batch_size, drop_remainder=True)
    generator.fit(batches, steps_per_epoch=steps, epochs=1, shuffle=False, verbose=0)
    return generator


def trained_model(name: str, train: bool = False, checkpoint=None, setup=None, seed: int = 0, callbacks=()):
    """Lesson 10's model ``name`` (``pix2pix``, ``srgan`` or ``cyclegan``), ready to translate.

    ``train=True``: trained here at its budget (:func:`gan_lessons.core.config.budget`, small in fast mode), resuming
    from ``checkpoint`` (a folder) if it holds one.  Otherwise the recipe's model with the shipped generator
    weights from ``data/`` (both generators of the CycleGAN), checked by SHA-256."""

    if name not in TASKS:
        raise ValueError(f"Unknown translation model {name!r}; choose one of {', '.join(TASKS)}.")
    recipe = RECIPES[TASKS.index(name)]
    gan = recipe.build(seed, setup)
    if not train:
        load_weights(name, gan.generator)
        if hasattr(gan, "generator_ba"):  # a CycleGAN: its way back ships too
            load_weights(name, gan.generator_ba, part="generator_ba")
        return gan
    _, images, labels = recipe.training_data(gan, seed)  # what `gan-lessons train NAME` trains on
    plan = budget(name)
    train_gan(
        gan,
        images,
        labels=labels,
        steps=plan.steps,
        batch_size=plan.batch_size,
        steps_per_epoch=plan.steps_per_epoch,
        seed=seed,
        checkpoint=checkpoint,
        callbacks=callbacks,
        verbose=2,
    )
    return gan


def _task_data(name: str):
    """What a translation recipe trains on: ``(gan, seed) -> (task, images, labels)``."""

    def load(gan: GAN, seed: int = 0):
        task = load_task(name, seed=seed)
        return task, task.train_images, task.labels_for(gan)

    return load


RECIPES = tuple(  # in the order of TASKS
    Recipe(name, name, build, summary, translation=True, load_data=_task_data(name))
    for name, build, summary in (
        ("pix2pix", compiled_pix2pix, "edge maps -> digits, paired (lesson 10)"),
        ("cyclegan", compiled_cyclegan, "scikit-learn digits <-> MNIST, unpaired (lesson 10)"),
        ("srgan", compiled_srgan, "7x7 -> 28x28 super-resolution (lesson 10)"),
    )
)
