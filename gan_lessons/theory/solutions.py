"""Reference answers of lesson 01's exercises (the tests feed them to the checks)."""

from __future__ import annotations

import math

# Lesson 01
D_STAR = (5 / 7, 1 / 2, 2 / 7)  # exercise 1: p_data / (p_data + p_g) for (0.5, 0.3, 0.2) vs (0.2, 0.3, 0.5)


# Exercise 2: V = Σ p_data log D* + Σ p_g log(1 − D*). The pair is a mirror image (1 − D* reverses D*),
# so both sums are equal: V = 2 (0.5 log 5/7 + 0.3 log 1/2 + 0.2 log 2/7).
VALUE_AT_OPTIMUM = 2 * (0.5 * math.log(5 / 7) + 0.3 * math.log(1 / 2) + 0.2 * math.log(2 / 7))


GRADIENT_RATIO = 0.95 / 0.05  # exercise 3: (1 − D) / D at D = 0.05
