"""Checks of the arguments a user passes, written once for the whole package: each raises a
``ValueError`` that names the argument, what it must be, and what was given.
"""

from __future__ import annotations

import numpy as np

MNIST_SHAPE = (28, 28, 1)


def check_positive_int(name: str, value, what: str = "") -> int:
    """``value`` as an ``int`` if it is a whole number >= 1 (``what``: what it counts, for the message)."""
    if not isinstance(value, int | np.integer) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive whole number{what}, got {value!r}.")
    return int(value)


def check_weight(name: str, value, usual: str = "") -> float:
    """A loss weight: a number >= 0 (``usual``: what the paper used, for the message)."""
    if not isinstance(value, int | float) or isinstance(value, bool) or not value >= 0:
        raise ValueError(f"{name} must be a number >= 0{usual}, got {value!r}.")
    return float(value)


def check_num_classes(num_classes) -> None:
    """A discriminator's auxiliary classifier: 0 (none) or at least 2 classes."""
    if not isinstance(num_classes, int) or isinstance(num_classes, bool) or num_classes < 0 or num_classes == 1:
        raise ValueError(f"num_classes must be 0 (no classifier) or >= 2, got {num_classes!r}.")


def check_image_shape(image_shape) -> tuple[int, int, int]:
    """``(height, width, channels)`` of positive whole numbers."""
    shape = tuple(image_shape)
    if len(shape) != 3 or not all(isinstance(s, int) and s > 0 for s in shape):
        raise ValueError(
            f"image_shape must be (height, width, channels) of positive integers, got {image_shape!r}; "
            "for MNIST use (28, 28, 1)."
        )
    return shape
