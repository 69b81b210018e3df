"""Named training recipes: the models, optimizers and data of each GAN the CLI trains.

A recipe is what ``gan-lessons train NAME`` and the lesson notebooks share, so
both train exactly the same thing.  Later lessons add their recipes here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported lazily below, so listing the recipes does not load TensorFlow
    from .device import DeviceSetup
    from .training import GAN


@dataclass(frozen=True)
class Recipe:
    name: str
    dataset: str  # a name accepted by gan_lessons.data.load_dataset
    build: Callable[..., GAN]  # (seed, device setup) -> compiled GAN
    summary: str
    conditional: bool = False  # trained on (images, labels); samples are drawn for given labels
    translation: bool = False  # an image-to-image task of gan_lessons.translation (dataset names the task)

    def training_data(self, gan: GAN, seed: int = 0, source: str = "auto"):
        """``(dataset, images, labels)``: what ``train(gan, images, labels=labels, ...)`` takes for this recipe
        (the digits for a conditional GAN; the paired inputs, or domain B and the classes, for a translation task),
        and the dataset they come from.  ``source`` picks the MNIST source (:func:`gan_lessons.data.load_mnist`)."""
        if self.translation:
            from .translation import load_task

            task = load_task(self.dataset, seed=seed)
            return task, task.train_images, task.labels_for(gan)
        from .data import load_dataset

        dataset = load_dataset(self.dataset, source=source)
        return dataset, dataset.images, (dataset.labels if self.conditional else None)


def _classic_gan(
    name: str,
    build_players: Callable,
    seed: int,
    setup: DeviceSetup | None,
    convolutional: bool,
    gan_class=None,
    learning_rate: float = 2e-4,
    betas: tuple[float, float] = (0.5, 0.999),
    **gan_kwargs,
) -> GAN:
    """Build ``(generator, discriminator)`` under the device's strategy and compile the GAN as DCGAN
    taught -- Adam(2e-4, beta_1=0.5) for each player and the non-saturating generator loss -- with the
    device's compile options.  WGAN-GP changes the class, its settings and Adam's rate and betas."""
    import keras
    import tensorflow as tf

    from .training import GAN

    keras.utils.set_random_seed(seed)
    with (setup.strategy() if setup is not None else tf.distribute.get_strategy()).scope():
        gan = (gan_class or GAN)(*build_players(), seed=seed, name=name, **gan_kwargs)
        gan.compile(
            *(keras.optimizers.Adam(learning_rate, beta_1=betas[0], beta_2=betas[1]) for _ in range(2)),
            **(setup.compile_kwargs(convolutional=convolutional) if setup is not None else {}),
        )
    return gan


def vanilla_gan(seed: int = 0, setup: DeviceSetup | None = None, latent_dim: int = 100) -> GAN:
    """The MLP GAN of lesson 02: classic generator/discriminator, Adam(2e-4, beta_1=0.5),
    non-saturating generator loss."""
    from .models import build_mlp_discriminator, build_mlp_generator

    def players():
        return build_mlp_generator(latent_dim=latent_dim), build_mlp_discriminator()

    return _classic_gan("vanilla_gan", players, seed, setup, convolutional=False)


def dcgan(
    seed: int = 0,
    setup: DeviceSetup | None = None,
    latent_dim: int = 100,
    base_filters: int = 128,
) -> GAN:
    """The DCGAN of lesson 03: strided convolutions, batch norm, ReLU in G and LeakyReLU in D,
    tanh output, N(0, 0.02) initialisation, Adam(2e-4, beta_1=0.5) for both players.

    The generator is twice as wide as the discriminator (``base_filters`` 128 vs 64): measured on the
    5,000 offline digits after 4,000 steps, FID 20.2 against 22.2 for 64 filters after 8,000."""
    from .models import build_dcgan_discriminator, build_dcgan_generator

    def players():
        return build_dcgan_generator(latent_dim=latent_dim, base_filters=base_filters), build_dcgan_discriminator()

    return _classic_gan("dcgan", players, seed, setup, convolutional=True)


def cgan(seed: int = 0, setup: DeviceSetup | None = None, latent_dim: int = 100, base_filters: int = 128) -> GAN:
    """The conditional GAN of lesson 04: lesson 03's DCGAN with the label embedded and concatenated to
    ``z`` in the generator, and a projection discriminator; the same optimizers and loss."""
    from .models import build_cgan_discriminator, build_cgan_generator
    from .training import ConditionalGAN

    def players():
        return build_cgan_generator(latent_dim=latent_dim, base_filters=base_filters), build_cgan_discriminator()

    return _classic_gan("cgan", players, seed, setup, convolutional=True, gan_class=ConditionalGAN)


def wgan_gp(seed: int = 0, setup: DeviceSetup | None = None, latent_dim: int = 100, base_filters: int = 128) -> GAN:
    """WGAN-GP on MNIST (lesson 05): lesson 03's generator, a layer-norm critic without sigmoid,
    5 critic updates per generator update, penalty weight 10, Adam(1e-4, beta_1=0, beta_2=0.9)."""
    from .models import build_dcgan_generator, build_wgan_critic
    from .training import WassersteinGAN

    def players():
        return build_dcgan_generator(latent_dim=latent_dim, base_filters=base_filters), build_wgan_critic()

    return _classic_gan(
        "wgan_gp",
        players,
        seed,
        setup,
        convolutional=True,
        gan_class=WassersteinGAN,
        learning_rate=1e-4,
        betas=(0.0, 0.9),
        n_critic=5,
        gp_weight=10.0,
    )


def stylegan(seed: int = 0, setup: DeviceSetup | None = None, latent_dim: int = 64, w_dim: int = 64) -> GAN:
    """Lesson 06's small style-based generator (mapping network, learned constant, AdaIN, noise) against
    lesson 03's DCGAN discriminator, trained like DCGAN: Adam(2e-4, beta_1=0.5), non-saturating loss."""
    from .models import build_dcgan_discriminator
    from .style import build_style_generator

    def players():
        return build_style_generator(latent_dim=latent_dim, w_dim=w_dim), build_dcgan_discriminator()

    return _classic_gan("stylegan", players, seed, setup, convolutional=True)


def pix2pix(seed: int = 0, setup: DeviceSetup | None = None, l1_weight: float = 100.0) -> GAN:
    """Lesson 10's pix2pix: a U-Net from edge maps to digits against a conditional PatchGAN, adversarial +
    100 x L1, Adam(2e-4, beta_1=0.5) as in the paper."""
    from .training import Pix2Pix
    from .translation import build_patchgan, build_unet

    def players():
        return build_unet(), build_patchgan(condition_channels=1)

    return _classic_gan("pix2pix", players, seed, setup, convolutional=True, gan_class=Pix2Pix, l1_weight=l1_weight)


def srgan(
    seed: int = 0,
    setup: DeviceSetup | None = None,
    content_weight: float = 10.0,
    num_classes: int = 0,
    class_weight: float = 1.0,
) -> GAN:
    """Lesson 10's SRGAN-style x4 upscaler: 7x7 -> 28x28 with pixel shuffle, against lesson 03's DCGAN
    discriminator; the content loss is measured in the digit classifier's 64 features (the offline stand-in
    for VGG) with weight 10 (measured at 3,000 steps: 94.0 % of digits read correctly, against 92.9 % at weight 1
    and 93.6 % at 30), plus pixel MSE and the adversarial loss.  ``num_classes=10``: class-aware, with an auxiliary
    classifier in the discriminator as lesson 10's CycleGAN has; measured at 12,000 steps it reads 94.6 % (class
    weight 1; 94.8 % at 9,000) and 94.1 % (weight 3), no better than the plain 94.2 %: the 7x7 inputs set the limit."""
    import keras

    from .classifier import FEATURES, load_classifier
    from .models import build_dcgan_discriminator
    from .training import SuperResolutionGAN
    from .translation import build_sr_generator

    classifier = load_classifier()
    features = keras.Model(classifier.input, classifier.get_layer(FEATURES).output, name="content_features")

    def players():
        return build_sr_generator(filters=32), build_dcgan_discriminator(num_classes=num_classes)

    return _classic_gan(
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
    )


def cyclegan(seed: int = 0, setup: DeviceSetup | None = None) -> GAN:
    """Lesson 10's CycleGAN between scikit-learn's blocky digits (A) and MNIST (B): two U-Nets, two discriminators
    with 38x38 patches (the whole digit) and an auxiliary classifier each (class-aware: both datasets have labels, still
    unpaired), least-squares adversarial losses, cycle weight 10, class weight 1, no identity loss, Adam(2e-4,
    beta_1=0.5).  Read correctly on the 500 held-out digits: the plain CycleGAN 79.8 % at 1,000 steps (FID 30; less
    after more steps), the class-aware one 93.0 % at 2,000 steps (FID 14)."""
    from .training import CycleGAN
    from .translation import WHOLE_DIGIT_LAYERS, build_patchgan, build_unet

    def players():
        return (
            build_unet(name="g_ab"),
            build_unet(name="g_ba"),
            build_patchgan(name="d_a", layer_specs=WHOLE_DIGIT_LAYERS, num_classes=10),
            build_patchgan(name="d_b", layer_specs=WHOLE_DIGIT_LAYERS, num_classes=10),
        )

    return _classic_gan(
        "cyclegan", players, seed, setup, convolutional=True, gan_class=CycleGAN, num_classes=10, identity_weight=0.0
    )


RECIPES: dict[str, Recipe] = {
    "vanilla": Recipe("vanilla", "mnist", vanilla_gan, "MLP GAN on MNIST (lesson 02)"),
    "dcgan": Recipe("dcgan", "mnist", dcgan, "DCGAN on MNIST (lesson 03)"),
    "wgan-gp": Recipe("wgan-gp", "mnist", wgan_gp, "WGAN-GP on MNIST (lesson 05)"),
    "stylegan": Recipe("stylegan", "mnist", stylegan, "small style-based generator on MNIST (lesson 06)"),
    "cgan": Recipe("cgan", "mnist", cgan, "conditional DCGAN on MNIST: digits on request (lesson 04)", True),
    "pix2pix": Recipe("pix2pix", "pix2pix", pix2pix, "edge maps -> digits, paired (lesson 10)", translation=True),
    "cyclegan": Recipe(
        "cyclegan", "cyclegan", cyclegan, "scikit-learn digits <-> MNIST, unpaired (lesson 10)", translation=True
    ),
    "srgan": Recipe("srgan", "srgan", srgan, "7x7 -> 28x28 super-resolution (lesson 10)", translation=True),
}


def get_recipe(name: str) -> Recipe:
    if name not in RECIPES:
        raise ValueError(f"Unknown model {name!r}; available: {', '.join(sorted(RECIPES))}.")
    return RECIPES[name]
