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


RECIPES: dict[str, Recipe] = {
    "vanilla": Recipe("vanilla", "mnist", vanilla_gan, "MLP GAN on MNIST (lesson 02)"),
}


def get_recipe(name: str) -> Recipe:
    if name not in RECIPES:
        raise ValueError(f"Unknown model {name!r}; available: {', '.join(sorted(RECIPES))}.")
    return RECIPES[name]
