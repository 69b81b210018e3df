"""Is any SRGAN variant read more often than the pixel-loss network?  data/srgan_variants.json.

    python scripts/compare_upscalers.py [--seeds 0 1] [--steps 2000] [--log runs.jsonl]

Lesson 10 finds the upscaler trained on the pixel loss alone read as often as the SRGAN, or more.  This script asks
whether that is noise or a change of the recipe away: for each seed it trains the pixel-loss network and four variants
of the SRGAN recipe (`gan_lessons.translation.compiled_srgan`) for the same number of generator steps --

- the recipe itself (content weight 1, pixel weight 1);
- pixel weights 10 and 100, where the adversary counts less against the pixel loss;
- the recipe started from the pixel-loss network trained for half the steps, then trained as the recipe for the
  other half: Ledig et al. (2017) start their SRGAN from their network trained on the pixel MSE (SRResNet) --

and scores each on the validation split of `load_task("srgan")` (lesson 08's 1,000 reference digits, downsampled:
never trained on, and not the test digits the lesson reports) by the share read correctly by the independent reader
and by the course classifier.  The steps are a fraction of the shipped model's 12,000, as in
scripts/select_content_weight.py.  With ``--log``, each finished run is appended to that file and not repeated, so an
interrupted comparison continues.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
RECORD = ROOT / "data" / "srgan_variants.json"
from record_command import record_command  # noqa: E402  (scripts/, beside this file)
from run_log import keep, kept_runs  # noqa: E402

PIXEL_ONLY = "pixel loss only"
# name: (pixel_weight, started from the pixel-loss network at half the steps); None: no adversary at all
VARIANTS = {
    PIXEL_ONLY: None,
    "SRGAN (the recipe)": (1.0, False),
    "SRGAN, pixel weight 10": (10.0, False),
    "SRGAN, pixel weight 100": (100.0, False),
    "SRGAN started from the pixel-loss network": (1.0, True),
}


def upscaled(task, setup, variant: str, seed: int, steps: int):
    """The validation inputs upscaled by ``variant`` trained for ``steps`` generator steps in all."""
    from gan_lessons import translation
    from gan_lessons.core.training import train

    spec = VARIANTS[variant]
    if spec is None:
        net = translation.train_without_adversary(task, steps=steps, seed=seed)
        return net.predict(task.val_inputs, batch_size=500, verbose=0)
    pixel_weight, from_pixel_network = spec
    gan = translation.compiled_srgan(seed, setup, pixel_weight=pixel_weight)
    adversarial_steps = steps
    if from_pixel_network:
        start = translation.train_without_adversary(task, steps=steps // 2, seed=seed)
        gan.generator.set_weights(start.get_weights())
        adversarial_steps = steps - steps // 2
    labels = task.labels_for(gan)
    train(gan, task.train_images, labels=labels, steps=adversarial_steps, batch_size=32, seed=seed, verbose=0)
    return gan.generate(task.val_inputs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--log", type=Path, help="append each finished run here; runs already there are kept")
    args = parser.parse_args()
    os.environ["GAN_LESSONS_FAST"] = "0"  # here, not on import: the tests import upscaled() in fast mode

    import keras

    from gan_lessons import translation
    from gan_lessons.core.device import configure_device

    task = translation.load_task("srgan")
    setup = configure_device(verbose=False)
    done = kept_runs(args.log, key=lambda row: (row["variant"], row["seed"]))
    for seed in args.seeds:
        for variant in VARIANTS:
            if (variant, seed) in done:
                print(f"{variant}, seed {seed}: kept from {args.log}")
                continue
            print(f"{variant}, seed {seed}: {args.steps:,} steps", flush=True)
            started = time.perf_counter()
            outputs = upscaled(task, setup, variant, seed, args.steps)
            row = {
                "variant": variant,
                "seed": seed,
                **translation.validation_accuracy(task, outputs),
                "seconds": round(time.perf_counter() - started, 1),
            }
            done[(variant, seed)] = row
            keep(args.log, row)
    rows = [done[(variant, seed)] for seed in args.seeds for variant in VARIANTS]
    record = {
        "command": record_command(),
        "steps": args.steps,
        "batch_size": 32,
        "seeds": args.seeds,
        "validation": "lesson 08's 1,000 reference digits, downsampled to 7x7 (not the 1,000 test digits)",
        "variants": {
            name: None if spec is None else {"pixel_weight": spec[0], "started_from_pixel_network": spec[1]}
            for name, spec in VARIANTS.items()
        },
        "keras": keras.__version__,
        "runs": rows,
    }
    RECORD.write_text(json.dumps(record, indent=2) + "\n")
    for row in rows:
        print(
            f"{row['variant']:42s} seed {row['seed']}  independent {row['independent_accuracy']:.1%}"
            f"  course {row['accuracy']:.1%}  ({row['seconds']:.0f} s)"
        )
    print(f"wrote {RECORD}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
