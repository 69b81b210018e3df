"""Reference answers of lesson 03's exercises."""

from __future__ import annotations

# Lesson 03
UPSAMPLED_SIZE = 7 * 2  # exercise 1: padding "same" multiplies the side by the stride


EVEN_KERNELS = [2, 4, 6]  # exercise 3: kernel sizes divisible by the stride 2


FIRST_CONV_PARAMS = 4 * 4 * 1 * 64 + 64  # exercise 4


def slerp(z0, z1, t):
    """Lesson 03, exercise 2: move along the great circle from z0 to z1."""
    import numpy as np

    cos = np.dot(z0, z1) / (np.linalg.norm(z0) * np.linalg.norm(z1))
    omega = np.arccos(np.clip(cos, -1.0, 1.0))
    return (np.sin((1 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(omega)
