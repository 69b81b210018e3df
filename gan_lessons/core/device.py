"""The one device helper: which accelerator, precision and compilation a run uses.

Everything that differs between a student's CPU laptop and an instructor's
Colab GPU is decided here and nowhere else, and :meth:`DeviceSetup.describe`
says what was chosen and why:

* ``precision`` -- ``float32``, ``mixed_float16`` (float16 maths with loss
  scaling in the trainer; GPUs with tensor cores, compute capability 7.x) or
  ``mixed_bfloat16`` (no loss scaling needed; compute capability 8.0 or newer).  On a CPU the
  course stays in float32, the precision every lesson and record was made in: on a 2-core CPU
  bfloat16 ran the DCGAN step faster, but no lesson has been trained or checked in it (force it
  with ``GAN_LESSONS_DEVICE="precision=mixed_bfloat16"`` to try);
* ``jit_compile`` -- XLA compilation of the train step.  On a GPU always; on a
  CPU only for dense models on images: on a 2-core CPU XLA slowed the DCGAN step and sped up lesson 02's
  MLP step, and it slowed whole runs of lesson 11's lab, small networks on 2-D points
  (``data/cpu_device_choices.json``, written by ``scripts/measure_device_choices.py``,
  which ``tests/test_records.py`` holds these words to).  Lesson 01's and 09's small 1-D networks, and the
  Keras 2 recipe that lessons 02, 08 and 09 show as a pitfall, are compiled with Keras' own default, which is XLA
  on a GPU and not on a CPU: the same choice, except for the recipe's MLP on a CPU;
* ``steps_per_execution`` -- how many train steps run per call into the
  compiled graph (no Python round trip between them);
* the input pipeline -- :func:`gan_lessons.core.training.train` given arrays keeps
  the training images in device memory and sends only batch indices each step.

Each choice can be forced, so the GPU path is exercised on a CPU too (the tests do): by an argument of
:func:`configure_device`, or for a whole process -- a lesson's kernel, ``gan-lessons train``, a test run -- by
the environment variable ``GAN_LESSONS_DEVICE``, comma-separated ``key=value`` pairs::

    GAN_LESSONS_DEVICE="precision=mixed_bfloat16,xla=on,steps_per_execution=20"

with the keys ``precision`` (``float32``, ``mixed_float16``, ``mixed_bfloat16``), ``xla`` (``on`` or ``off``: XLA
for every model, dense and convolutional) and ``steps_per_execution`` (a positive integer); any key may also be
``auto``, and a key left out is not forced.  The variable fills only the arguments left at ``"auto"`` (an argument
the caller gives wins), and :meth:`DeviceSetup.describe` says which choice it forced.  ``gan-lessons doctor
--full`` and ``scripts/gpu_check.sh`` use it to run a lesson and the device tests on the GPU path's choices.
Multi-GPU: build and compile the GAN inside ``setup.strategy().scope()``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Literal

import keras

Auto = Literal["auto"]
PRECISIONS = ("float32", "mixed_float16", "mixed_bfloat16")
DEVICE_ENV = "GAN_LESSONS_DEVICE"
# GAN_LESSONS_DEVICE's keys and the configure_device argument each one fills
ENV_KEYS = {"precision": "mixed_precision", "xla": "jit_compile", "steps_per_execution": "steps_per_execution"}


@dataclass(frozen=True)
class DeviceSetup:
    """What :func:`configure_device` chose, and why."""

    device: str  # "GPU" or "CPU"
    gpus: tuple[str, ...]
    precision: str  # one of PRECISIONS
    jit_compile: bool  # XLA for dense (MLP) models on images
    jit_compile_conv: bool  # XLA for convolutional models
    jit_compile_small: bool  # XLA for small networks on 1-D and 2-D points (lesson 11's lab)
    steps_per_execution: int
    reasons: tuple[str, ...] = field(default=())
    forced_by_env: tuple[str, ...] = field(default=())  # the GAN_LESSONS_DEVICE keys that set a choice

    @property
    def mixed_precision(self) -> bool:
        return self.precision != "float32"

    def xla_for(self, convolutional: bool, small: bool = False) -> bool:
        """XLA for a convolutional model, a dense model on images, or (``small``) a small network on points."""
        if small:
            return self.jit_compile_small
        return self.jit_compile_conv if convolutional else self.jit_compile

    def compile_kwargs(self, convolutional: bool = False, small: bool = False) -> dict:
        """Keyword arguments for ``GAN.compile`` that apply this choice to a dense or a conv model, or (``small``)
        to a small network on 1-D or 2-D points."""
        return {"jit_compile": self.xla_for(convolutional, small), "steps_per_execution": self.steps_per_execution}

    def strategy(self):
        """``MirroredStrategy`` over all GPUs when there are several, else the default strategy."""
        import tensorflow as tf

        if len(self.gpus) > 1:
            return tf.distribute.MirroredStrategy()
        return tf.distribute.get_strategy()

    def describe(self) -> str:
        where = f"GPU ({', '.join(self.gpus)})" if self.gpus else "CPU (no GPU found)"
        on_off = {True: "on", False: "off"}

        def forced(key: str) -> str:
            return f" (forced by {DEVICE_ENV})" if key in self.forced_by_env else ""

        lines = [
            f"Device: {where}",
            f"  precision: {self.precision}"
            + (" (with loss scaling)" if self.precision == "mixed_float16" else "")
            + forced("precision"),
            f"  XLA jit_compile: {on_off[self.xla_for(False)]} for dense models on images, "
            f"{on_off[self.xla_for(True)]} for convolutional models, "
            f"{on_off[self.xla_for(False, small=True)]} for small networks on 1-D and 2-D points" + forced("xla"),
            f"  steps_per_execution: {self.steps_per_execution}" + forced("steps_per_execution"),
            "  input pipeline: train() given arrays keeps them in device memory and sends only batch indices per step",
        ]
        lines += [f"  - {r}" for r in self.reasons]
        return "\n".join(lines)


def _gpu_info() -> list[tuple[str, tuple[int, int] | None]]:
    """(name, compute capability) of each visible GPU; empty on a CPU machine."""
    import tensorflow as tf

    found = []
    for gpu in tf.config.list_physical_devices("GPU"):
        try:
            details = tf.config.experimental.get_device_details(gpu)
        except Exception:  # details are best effort; the device itself is what matters
            details = {}
        found.append((details.get("device_name", gpu.name), details.get("compute_capability")))
    return found


def _auto_precision(gpus, reasons: list[str]) -> str:
    capabilities = [cc for _, cc in gpus if cc is not None]
    if capabilities and min(capabilities) >= (8, 0):
        reasons.append("mixed_bfloat16: the GPU has bfloat16 tensor cores (Ampere or newer), no loss scaling needed")
        return "mixed_bfloat16"
    if capabilities and min(capabilities) >= (7, 0):
        reasons.append("mixed_float16: the GPU has float16 tensor cores; the trainer scales the losses")
        return "mixed_float16"
    reasons.append(
        "float32: no GPU with tensor cores; every lesson and record was made in float32"
        f" (to try bfloat16 on a CPU: {DEVICE_ENV}=precision=mixed_bfloat16)"
    )
    return "float32"


def _env_error(text: str, problem: str) -> ValueError:
    return ValueError(
        f"{DEVICE_ENV}={text!r}: {problem}. It takes comma-separated key=value pairs, e.g. "
        f'{DEVICE_ENV}="precision=mixed_bfloat16,xla=on,steps_per_execution=20", with the keys '
        f"precision ({', '.join(PRECISIONS)}), xla (on, off) and steps_per_execution (a positive integer), "
        "each also 'auto'; leave it unset (or empty) to force nothing."
    )


def forced_choices(text: str | None = None) -> dict:
    """What ``GAN_LESSONS_DEVICE`` forces, as :func:`configure_device` keyword arguments.

    ``text`` defaults to the variable's value.  Returns only the forced keys, e.g.
    ``{"mixed_precision": "mixed_bfloat16", "jit_compile": True}`` for ``"precision=mixed_bfloat16,xla=on"``;
    ``auto`` values and an unset or empty variable force nothing.  A malformed value is a ValueError naming
    the accepted keys and values."""
    if text is None:
        text = os.environ.get(DEVICE_ENV, "")
    forced: dict = {}
    seen: set[str] = set()
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        key, equals, value = (part.strip() for part in item.partition("="))
        key = key.lower()
        if not equals or not value:
            raise _env_error(text, f"{item!r} is not key=value")
        if key not in ENV_KEYS:
            raise _env_error(text, f"unknown key {key!r}")
        if key in seen:
            raise _env_error(text, f"{key!r} is given twice")
        seen.add(key)
        if value.lower() == "auto":
            continue
        if key == "precision":
            value = value.lower()
            if value not in PRECISIONS:
                raise _env_error(text, f"precision {value!r} is not one of {', '.join(PRECISIONS)}")
            forced[ENV_KEYS[key]] = value
        elif key == "xla":
            if value.lower() not in ("on", "off"):
                raise _env_error(text, f"xla {value!r} is not on or off")
            forced[ENV_KEYS[key]] = value.lower() == "on"
        else:
            if not (value.isascii() and value.isdigit()) or int(value) < 1:
                raise _env_error(text, f"steps_per_execution {value!r} is not a positive integer")
            forced[ENV_KEYS[key]] = int(value)
    return forced


def auto_steps_per_execution(n_gpus: int) -> int:
    """The ``steps_per_execution`` chosen for ``n_gpus`` GPUs: 4 on the CPU, 20 on one GPU, 1 across several
    (Keras cannot loop steps across replicas)."""
    return 20 if n_gpus == 1 else (1 if n_gpus else 4)


def configure_device(
    mixed_precision: bool | str | Auto = "auto",
    jit_compile: bool | Auto = "auto",
    steps_per_execution: int | Auto = "auto",
    verbose: bool = True,
) -> DeviceSetup:
    """Choose precision and compilation for this machine and set Keras' dtype policy.

    Call it before building models (the dtype policy applies to layers created
    afterwards).  ``"auto"`` picks what is fastest on the detected device; force a
    choice with ``mixed_precision=True`` (float16), ``"mixed_bfloat16"``, ``False``;
    ``jit_compile=True/False`` (for every model); ``steps_per_execution=N``.  An argument left at
    ``"auto"`` takes the value ``GAN_LESSONS_DEVICE`` forces, if any (the module docstring: its syntax).
    """
    env_text = os.environ.get(DEVICE_ENV, "")
    env_forced: list[str] = []
    env_ignored: list[str] = []
    given = {"mixed_precision": mixed_precision, "jit_compile": jit_compile, "steps_per_execution": steps_per_execution}
    forced = forced_choices(env_text)
    for key, argument in ENV_KEYS.items():
        if argument in forced:
            if isinstance(given[argument], str) and given[argument] == "auto":
                given[argument] = forced[argument]
                env_forced.append(key)
            else:
                env_ignored.append(key)
    mixed_precision = given["mixed_precision"]
    jit_compile = given["jit_compile"]
    steps_per_execution = given["steps_per_execution"]
    if mixed_precision is True:
        mixed_precision = "mixed_float16"
    elif mixed_precision is False:
        mixed_precision = "float32"
    if mixed_precision != "auto" and mixed_precision not in PRECISIONS:
        raise ValueError(
            f"mixed_precision must be True, False, 'auto' or one of {', '.join(PRECISIONS)}; got {mixed_precision!r}."
        )
    if jit_compile != "auto" and not isinstance(jit_compile, bool):
        raise ValueError(f"jit_compile must be True, False or 'auto', got {jit_compile!r}.")
    if steps_per_execution != "auto" and (
        not isinstance(steps_per_execution, int) or isinstance(steps_per_execution, bool) or steps_per_execution < 1
    ):
        raise ValueError(f"steps_per_execution must be a positive integer or 'auto', got {steps_per_execution!r}.")

    gpus = _gpu_info()
    reasons: list[str] = []
    if not gpus:
        reasons.append("no GPU: training runs on the CPU (in Colab: Runtime > Change runtime type > GPU)")
    elif len(gpus) > 1:
        reasons.append(f"{len(gpus)} GPUs: build the GAN inside setup.strategy().scope() to train on all of them")
    precision = _auto_precision(gpus, reasons) if mixed_precision == "auto" else mixed_precision
    jit_conv = jit_small = jit_compile
    if jit_compile == "auto":
        jit_compile = jit_conv = jit_small = True
        if not gpus:
            jit_conv = jit_small = False
            reasons.append(
                "XLA off for convolutions and for small networks on points on the CPU "
                "(on a 2-core CPU it slowed the DCGAN step and lesson 11's lab: data/cpu_device_choices.json)"
            )
    if steps_per_execution == "auto":
        steps_per_execution = auto_steps_per_execution(len(gpus))
        if len(gpus) > 1:
            reasons.append("steps_per_execution 1: Keras cannot loop steps across replicas (keras-team/keras#19246)")

    if env_forced:
        chosen = {
            "precision": precision,
            "xla": "on" if jit_compile else "off",
            "steps_per_execution": steps_per_execution,
        }
        reasons.append(
            f"forced by {DEVICE_ENV}={env_text.strip()!r}: "
            + ", ".join(f"{key}={chosen[key]}" for key in env_forced)
            + " (the caller's arguments were left at 'auto')"
        )
    if env_ignored:
        reasons.append(f"{DEVICE_ENV} not applied to {', '.join(env_ignored)}: the caller chose it explicitly")

    keras.mixed_precision.set_global_policy(precision)
    setup = DeviceSetup(
        device="GPU" if gpus else "CPU",
        gpus=tuple(name for name, _ in gpus),
        precision=precision,
        jit_compile=bool(jit_compile),
        jit_compile_conv=bool(jit_conv),
        jit_compile_small=bool(jit_small),
        steps_per_execution=int(steps_per_execution),
        reasons=tuple(reasons),
        forced_by_env=tuple(env_forced),
    )
    if verbose:
        print(setup.describe())
    return setup
