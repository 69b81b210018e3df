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


def check_unit_range(images, name: str = "images", digits: bool = False) -> np.ndarray:
    """``images`` as a float array if every value is finite and in [-1, 1] (the range of a tanh generator and of
    the course's data), else a ``ValueError`` naming the range found and how to rescale it.

    With ``digits=True`` (MNIST-like digits, whose background is -1) a set with no negative value is refused
    too: it is almost surely in [0, 1], which would pass the range check and silently score as grey digits."""
    arr = np.asarray(images, dtype=np.float32)
    if arr.size == 0:
        raise ValueError(f"{name} is empty.")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    lo, hi = float(arr.min()), float(arr.max())
    tol = 1e-3
    if lo < -1 - tol or hi > 1 + tol:
        if lo >= -tol and hi <= 255 + tol:
            hint = " They look like bytes from 0 to 255: pass images / 127.5 - 1."
        else:
            hint = " Scale them into [-1, 1] (a tanh generator's range)."
        raise ValueError(f"{name} range from {lo:.3g} to {hi:.3g}; they must be in [-1, 1].{hint}")
    if digits and lo >= -tol and arr.ndim >= 3:
        raise ValueError(
            f"{name} range from {lo:.3g} to {hi:.3g}, with no negative value; digits in [-1, 1] have a background of "
            "-1. If they are in [0, 1], pass images * 2 - 1."
        )
    return arr
