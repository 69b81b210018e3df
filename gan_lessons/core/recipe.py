"""A recipe: the models, optimizers and data of a GAN the CLI trains, shared by
``gan-lessons train NAME`` and the lesson notebooks so both train exactly the same thing.  Each lesson
defines its recipes; :mod:`gan_lessons.recipes` lists them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import keras
import tensorflow as tf

from .data import load_dataset
from .device import DeviceSetup
from .gan import GAN


@dataclass(frozen=True)
class Recipe:
    name: str
    dataset: str  # a name accepted by gan_lessons.core.data.load_dataset
    build: Callable[..., GAN]  # (seed, device setup) -> compiled GAN
    summary: str
    conditional: bool = False  # trained on (images, labels); samples are drawn for given labels
    translation: bool = False  # an image-to-image task (``dataset`` names the task)
    # (gan, seed) -> (dataset, images, labels), for data other than a dataset of gan_lessons.core.data
    # (lesson 10's tasks)
    load_data: Callable | None = None

    def training_data(self, gan: GAN, seed: int = 0, source: str = "auto"):
        """``(dataset, images, labels)``: what ``train(gan, images, labels=labels, ...)`` takes for this recipe
        (the digits for a conditional GAN; the paired inputs, or domain B and the classes, for a translation task),
        and the dataset they come from.  ``source`` picks the MNIST source
        (:func:`gan_lessons.core.data.load_mnist`); recipes with their own ``load_data`` (lesson 10's tasks, on a
        fixed split of the offline digits) ignore it."""
        if self.load_data is not None:
            return self.load_data(gan, seed)
        dataset = load_dataset(self.dataset, source=source)
        return dataset, dataset.images, (dataset.labels if self.conditional else None)


def build_and_compile(
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
    keras.utils.set_random_seed(seed)
    with (setup.strategy() if setup is not None else tf.distribute.get_strategy()).scope():
        gan = (gan_class or GAN)(*build_players(), seed=seed, name=name, **gan_kwargs)
        gan.compile(
            *(keras.optimizers.Adam(learning_rate, beta_1=betas[0], beta_2=betas[1]) for _ in range(2)),
            **(setup.compile_kwargs(convolutional=convolutional) if setup is not None else {}),
        )
    return gan
