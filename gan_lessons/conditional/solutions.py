"""Reference answers of lesson 04's exercises."""

from __future__ import annotations

# Lesson 04
EMBEDDING_PARAMS = 10 * 50  # exercise 1: a lookup table of 10 vectors of 50 numbers


GAN_FAMILY = {  # exercise 3
    "the discriminator is given the label": "cGAN",
    "the discriminator predicts the label with an extra classifier head": "AC-GAN",
    "no labels: latent codes made informative by maximising mutual information": "InfoGAN",
}


PROJECTION_LOGIT = (0.5 * 1 - 1 * 2) + (2 * 1 + 0.5 * 2)  # exercise 4: w.phi + e_y.phi


def one_hot_condition(z, labels):
    """Lesson 04, exercise 2: z, then 10 one-hot columns for the labels."""
    import numpy as np

    return np.concatenate([z, np.eye(10, dtype=z.dtype)[labels]], axis=1)
