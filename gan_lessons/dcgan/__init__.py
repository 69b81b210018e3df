"""Lesson 03, ``03_dcgan``: the convolutional GAN, its latent space and its speed.

Where the code is:
- ``networks``: the DCGAN generator and discriminator, and the recipe;
- ``latent``: walking the latent space, attribute vectors, the latent explorer;
- ``bench``: our training step timed against the TensorFlow tutorial's;
- ``checks``: the checks of the lesson's exercises (``solutions``: their reference answers).
"""

from . import checks, solutions
from .bench import (
    BATCH_SIZE,
    LATENT_DIM,
    package_trainer,
    reference_trainer,
    speed,
    tutorial_discriminator,
    tutorial_generator,
)
from .latent import (
    attribute_vector,
    ink,
    latent_explorer,
    main_directions,
)
from .networks import (
    RECIPE,
    build_dcgan_discriminator,
    build_dcgan_generator,
    compiled_gan,
    dcgan_init,
)
