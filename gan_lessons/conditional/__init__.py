"""Lesson 04, ``04_conditional_gan``: digits on request.

Where the code is:
- ``gan``: the conditional GAN trainer;
- ``networks``: the conditional generator, the projection discriminator, the recipe and the digit picker;
- ``checks``: the checks of the lesson's exercises (``solutions``: their reference answers).
"""

from . import checks, solutions
from .gan import (
    ConditionalGAN,
)
from .networks import (
    RECIPE,
    LabelProjection,
    build_cgan_discriminator,
    build_cgan_generator,
    compiled_gan,
    conditional_digit,
    digit_picker,
)
