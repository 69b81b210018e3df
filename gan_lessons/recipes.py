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


def vanilla_gan(seed: int = 0, setup: DeviceSetup | None = None, latent_dim: int = 100) -> GAN:
    """The MLP GAN of lesson 02: classic generator/discriminator, Adam(2e-4, beta_1=0.5),
    non-saturating generator loss."""
    import keras

    from .models import build_mlp_discriminator, build_mlp_generator
    from .training import GAN

    keras.utils.set_random_seed(seed)
    gan = GAN(
        build_mlp_generator(latent_dim=latent_dim),
        build_mlp_discriminator(),
        seed=seed,
        name="vanilla_gan",
    )
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_loss="non_saturating",
        **(setup.compile_kwargs() if setup is not None else {}),
    )
    return gan


def dcgan(
    seed: int = 0,
    setup: DeviceSetup | None = None,
    latent_dim: int = 100,
    ema_decay: float | None = 0.999,
    augment_shift: int = 2,
) -> GAN:
    """The DCGAN of lesson 03: strided convolutions, batch norm, ReLU in G and LeakyReLU in D,
    tanh output, N(0, 0.02) initialisation, Adam(2e-4, beta_1=0.5) for both players; samples come
    from a moving average of the generator's weights (``ema_decay``)."""
    import keras

    from .models import build_dcgan_discriminator, build_dcgan_generator
    from .training import GAN

    keras.utils.set_random_seed(seed)
    with (setup.strategy() if setup is not None else _default_strategy()).scope():
        gan = GAN(
            build_dcgan_generator(latent_dim=latent_dim),
            build_dcgan_discriminator(),
            seed=seed,
            ema_decay=ema_decay,
            augment_shift=augment_shift,
            name="dcgan",
        )
        gan.compile(
            d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
            g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
            g_loss="non_saturating",
            **(setup.compile_kwargs(convolutional=True) if setup is not None else {}),
        )
    return gan


def _default_strategy():
    import tensorflow as tf

    return tf.distribute.get_strategy()


RECIPES: dict[str, Recipe] = {
    "vanilla": Recipe("vanilla", "mnist", vanilla_gan, "MLP GAN on MNIST (lesson 02)"),
    "dcgan": Recipe("dcgan", "mnist", dcgan, "DCGAN on MNIST (lesson 03)"),
}


def get_recipe(name: str) -> Recipe:
    if name not in RECIPES:
        raise ValueError(f"Unknown model {name!r}; available: {', '.join(sorted(RECIPES))}.")
    return RECIPES[name]
