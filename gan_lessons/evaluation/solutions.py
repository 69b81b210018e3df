"""Reference answers of lesson 08's exercises."""

from __future__ import annotations

# Lesson 08
FID_1D = (0 - 3) ** 2 + (2 - 1) ** 2  # exercise 1: (mu1 - mu2)^2 + (sigma1 - sigma2)^2


PRECISION_TOY = 0.5  # exercise 2


COPY_METRIC = "memorised_fraction"  # exercise 3
