"""Reference answers of lesson 07's exercises."""

from __future__ import annotations

# Lesson 07
DIMENSION_EFFECT = "b"  # exercise 3


HALVING_FACTOR = 2**34  # exercise 4: (k n)^(-1/34) = n^(-1/34) / 2  =>  k = 2^34


def kde_density(x, points, bandwidth):
    """Lesson 07, exercise 1: the average of Gaussians of width ``bandwidth`` centred on the points."""
    import numpy as np

    points = np.asarray(points, dtype=np.float64)
    z = (x - points) / bandwidth
    return float(np.mean(np.exp(-0.5 * z**2)) / (bandwidth * np.sqrt(2 * np.pi)))


def pick_bandwidth(train, valid, grid):
    """Lesson 07, exercise 2: fit on ``train``, score ``valid``, keep the best grid value."""
    import numpy as np
    from sklearn.neighbors import KernelDensity

    scores = [KernelDensity(bandwidth=h).fit(train).score(valid) for h in grid]
    return float(grid[int(np.argmax(scores))])
