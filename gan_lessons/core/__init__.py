"""The core of the course: what every lesson trains with, and which never imports a lesson.

- ``gan``: the one GAN trainer (a ``keras.Model``; every lesson's GAN subclasses it);
- ``training``: ``train`` -- fit for a number of steps in all, resuming from a checkpoint;
- ``checkpoints`` and ``callbacks``: checkpoints that survive interruptions, the divergence guard, the sample grid;
- ``losses``: the GAN losses, from logits;
- ``recipe``: what a recipe is (each lesson defines its own);
- ``data``, ``device``, ``config``, ``errors``, ``validate``, ``plotting``: MNIST offline or online, the device
  choices, budgets and fast mode, the course's exceptions, argument checks, image grids and loss curves;
- ``inference``: a model's outputs on arrays, as ``model.predict`` gives them, without its cost per call.

Submodules load on first use, so importing ``gan_lessons.core.config`` does not load TensorFlow.
"""

import os

if os.environ.get("KERAS_BACKEND", "tensorflow") != "tensorflow":
    raise ImportError(
        f"GAN Lessons trains with TensorFlow, but KERAS_BACKEND={os.environ['KERAS_BACKEND']!r}. "
        "Unset it (or set KERAS_BACKEND=tensorflow) and restart the kernel."
    )
