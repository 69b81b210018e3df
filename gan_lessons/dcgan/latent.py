"""The latent space of a trained generator: main directions and attribute vectors.

* :func:`main_directions` -- the directions of ``z`` along which the images change most.
  It fits the best linear map from noise to images over many samples (least squares)
  and takes that map's top singular vectors: the principal directions of the
  linearised generator.  The latent explorer widget puts a slider on each.
* :func:`attribute_vector` -- "latent arithmetic": the mean ``z`` of samples that have an
  attribute a lot minus the mean ``z`` of those that have it little (by default :func:`ink`, the
  share of bright pixels: more ink, bolder strokes).  Adding it to a ``z`` adds the attribute, and
  it may change other things too, the digit itself among them (lesson 03 counts how often).

Taught in ``03_dcgan``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..core.inference import predict
from ..tools.notebook import with_static_view


def _generate(generator, z: np.ndarray) -> np.ndarray:
    return predict(generator, np.asarray(z, np.float32), batch_size=500)


def main_directions(generator, n: int = 4, n_samples: int = 2000, seed: int = 0) -> np.ndarray:
    """``(n, latent_dim)`` unit vectors of ``z``, most image-changing first."""
    latent_dim = generator.input_shape[-1]
    if not isinstance(n, int) or not 1 <= n <= latent_dim:
        raise ValueError(f"n must be a whole number from 1 to latent_dim={latent_dim}, got {n!r}.")
    if not isinstance(n_samples, int) or n_samples <= latent_dim:
        raise ValueError(f"n_samples must be more than latent_dim={latent_dim}, got {n_samples!r}.")
    z = np.random.default_rng(seed).standard_normal((n_samples, latent_dim)).astype(np.float32)
    images = _generate(generator, z).reshape(n_samples, -1)
    images -= images.mean(axis=0)
    linear_map, *_ = np.linalg.lstsq(z, images, rcond=None)  # (latent_dim, pixels)
    u, _, _ = np.linalg.svd(linear_map, full_matrices=False)
    directions = u[:, :n].T
    # Fix each sign so that +direction adds ink (easier to read on a slider).
    ink = (directions @ linear_map).sum(axis=1)
    return (directions * np.where(ink < 0, -1.0, 1.0)[:, None]).astype(np.float32)


def ink(images: np.ndarray) -> np.ndarray:
    """Stroke amount of each image in [-1, 1]: the share of pixels brighter than the middle."""
    images = np.asarray(images)
    return (images.reshape(len(images), -1) > 0.0).mean(axis=1)


def attribute_vector(
    generator,
    score: Callable[[np.ndarray], np.ndarray] = ink,
    n_samples: int = 2000,
    share: float = 0.25,
    seed: int = 0,
) -> np.ndarray:
    """Mean ``z`` of the ``share`` highest-scoring samples minus that of the lowest-scoring ones.

    ``score(images) -> (N,)``: the attribute, by default :func:`ink` (stroke thickness)."""
    if not 0.0 < share <= 0.5:
        raise ValueError(f"share must be in (0, 0.5], got {share!r}.")
    latent_dim = generator.input_shape[-1]
    z = np.random.default_rng(seed).standard_normal((n_samples, latent_dim)).astype(np.float32)
    scores = np.asarray(score(_generate(generator, z)))
    if scores.shape != (n_samples,):
        raise ValueError(f"score must return one number per image, got shape {scores.shape}.")
    order = np.argsort(scores)
    k = max(1, int(share * n_samples))
    return (z[order[-k:]].mean(axis=0) - z[order[:k]].mean(axis=0)).astype(np.float32)


def _digit_figure(image: np.ndarray):
    """One generated image, ``(28, 28, C)`` in [-1, 1], as a small Matplotlib figure."""
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=(2.5, 2.5))
    plt.imshow(image[..., 0] if image.shape[-1] == 1 else (image + 1) / 2, cmap="gray_r", vmin=-1, vmax=1)
    plt.axis("off")
    return figure


def latent_explorer(generator, n_directions: int = 4, seed: int = 0, span: float = 3.0):
    """Sliders over the main directions of ``z`` (:func:`gan_lessons.dcgan.main_directions`)
    and a starting point; the digit redraws as they move (lesson 03)."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    directions = main_directions(generator, n=n_directions, seed=seed)
    start = widgets.IntSlider(value=seed, min=0, max=99, description="start z")
    sliders = [
        widgets.FloatSlider(value=0.0, min=-span, max=span, step=0.25, description=f"direction {i + 1}")
        for i in range(n_directions)
    ]

    def image(start_seed, **amounts):
        z = np.random.default_rng(start_seed).standard_normal((1, generator.input_shape[-1])).astype(np.float32)
        z = z + sum(amounts[f"d{i}"] * directions[i] for i in range(n_directions))
        return predict(generator, z)[0]

    def draw(start_seed, **amounts):
        _digit_figure(image(start_seed, **amounts))
        plt.show()

    controls = {"start_seed": start, **{f"d{i}": s for i, s in enumerate(sliders)}}
    out = widgets.interactive_output(draw, controls)
    first = _digit_figure(image(start.value, **{f"d{i}": s.value for i, s in enumerate(sliders)}))
    return with_static_view(widgets.HBox([widgets.VBox([start, *sliders]), out]), figure=first)
