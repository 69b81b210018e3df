"""Lesson 02, ``02_vanilla_gan``: a GAN of two multilayer perceptrons on MNIST (the trainer itself is
:mod:`gan_lessons.core.gan`).

Where the code is:
- ``networks``: the MLP generator and discriminator, and the vanilla GAN's recipe;
- ``pitfalls``: the Keras 2 recipe, run under Keras 3;
- ``checks``: the checks of the lesson's exercises (``solutions``: their reference answers).
"""

from . import checks, solutions
from .networks import (
    RECIPE,
    build_mlp_discriminator,
    build_mlp_generator,
    compiled_gan,
)
from .pitfalls import (
    Keras2RecipeResult,
    keras2_recipe,
)
