"""The one device helper: which accelerator, precision and compilation a run uses.

Everything that differs between a student's CPU laptop and an instructor's
Colab GPU is decided here and nowhere else:

* ``mixed_precision`` -- the ``mixed_float16`` dtype policy (float16 maths,
  float32 weights) with loss scaling in the trainer; on by default only on a
  GPU that has tensor cores (compute capability 7.0 or newer);
* ``jit_compile`` -- XLA compilation of the train step;
* ``steps_per_execution`` -- how many train steps run per call into the
  compiled graph (fewer Python round trips).

Each can be forced, so the GPU path is exercised on a CPU too (the tests do).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import keras

Auto = Literal["auto"]


@dataclass(frozen=True)
class DeviceSetup:
    """What :func:`configure_device` chose, and why."""

    device: str  # "GPU" or "CPU"
    gpus: tuple[str, ...]
    mixed_precision: bool
    jit_compile: bool
    steps_per_execution: int
    reasons: tuple[str, ...] = field(default=())

    def compile_kwargs(self) -> dict:
        """Keyword arguments for ``GAN.compile`` that apply this choice."""
        return {"jit_compile": self.jit_compile, "steps_per_execution": self.steps_per_execution}

    def describe(self) -> str:
        where = f"GPU ({', '.join(self.gpus)})" if self.gpus else "CPU (no GPU found)"
        lines = [
            f"Device: {where}",
            f"  mixed precision: {'on (mixed_float16)' if self.mixed_precision else 'off (float32)'}",
            f"  XLA jit_compile: {'on' if self.jit_compile else 'off'}",
            f"  steps_per_execution: {self.steps_per_execution}",
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


def configure_device(
    mixed_precision: bool | Auto = "auto",
    jit_compile: bool | Auto = "auto",
    steps_per_execution: int | Auto = "auto",
    verbose: bool = True,
) -> DeviceSetup:
    """Choose precision and compilation for this machine and set Keras' dtype policy.

    Call it before building models (the dtype policy applies to layers created
    afterwards).  ``"auto"`` picks what is fastest on the detected device; pass
    ``True``/``False``/an integer to force a choice.
    """
    for name, value in (("mixed_precision", mixed_precision), ("jit_compile", jit_compile)):
        if value != "auto" and not isinstance(value, bool):
            raise ValueError(f"{name} must be True, False or 'auto', got {value!r}.")
    if steps_per_execution != "auto" and (
        not isinstance(steps_per_execution, int) or isinstance(steps_per_execution, bool) or steps_per_execution < 1
    ):
        raise ValueError(f"steps_per_execution must be a positive integer or 'auto', got {steps_per_execution!r}.")

    gpus = _gpu_info()
    reasons: list[str] = []
    if not gpus:
        reasons.append("no GPU: training runs on the CPU (in Colab: Runtime > Change runtime type > GPU)")
    if mixed_precision == "auto":
        tensor_cores = any(cc is not None and cc >= (7, 0) for _, cc in gpus)
        mixed_precision = tensor_cores
        reasons.append(
            "mixed precision on: the GPU has tensor cores"
            if tensor_cores
            else "mixed precision off: it only pays on a GPU with tensor cores"
        )
    if jit_compile == "auto":
        # XLA fuses the small ops of a GAN step; measured faster on CPU and GPU alike.
        jit_compile = True
    if steps_per_execution == "auto":
        steps_per_execution = 20 if gpus else 4

    keras.mixed_precision.set_global_policy("mixed_float16" if mixed_precision else "float32")
    setup = DeviceSetup(
        device="GPU" if gpus else "CPU",
        gpus=tuple(name for name, _ in gpus),
        mixed_precision=bool(mixed_precision),
        jit_compile=bool(jit_compile),
        steps_per_execution=int(steps_per_execution),
        reasons=tuple(reasons),
    )
    if verbose:
        print(setup.describe())
    return setup
