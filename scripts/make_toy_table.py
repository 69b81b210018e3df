"""Remake lesson 11's mode-collapse table: data/toy_lab.json.

    python scripts/make_toy_table.py [--seeds 0 1 2] [--steps N] [--variant-seeds 0 1] [--best self-cond]
                                     [--log runs.jsonl]

Runs every lab model (`gan_lessons.wgan.TOY_MODELS`) on the ring and the grid for each seed at the
toy budget -- what `gan-lessons toy MODEL --dataset D --seed S` does -- and then the best model on
changed mixtures (more modes, wider spread).  Writes each run, the mean table and the command.
The record keeps each run's seconds (the 36 table runs of data/toy_lab.json took 39 minutes on a 2-core CPU).
With ``--log``, every run is appended to that file as it finishes and runs already there are not
repeated, so an interrupted remake continues.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ["GAN_LESSONS_FAST"] = "0"

from record_command import record_command  # noqa: E402  (scripts/, beside this file)

VARIANTS = [("ring", 12, None), ("ring", None, 0.02), ("grid", 49, None), ("grid", None, 0.1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--steps", type=int, help="discriminator updates per run (default: the toy budget)")
    parser.add_argument("--variant-seeds", type=int, nargs="+", default=[0, 1], help="seeds of the changed mixtures")
    parser.add_argument("--log", type=Path, help="JSON lines of finished runs: appended to, and reused")
    parser.add_argument("--best", default="self-cond", help="the model also run on the changed mixtures")
    args = parser.parse_args()

    from gan_lessons import device, wgan
    from gan_lessons.core.config import budget

    setup = device.configure_device(verbose=False)
    steps = budget("toy", steps=args.steps).steps
    done = [json.loads(line) for line in args.log.read_text().splitlines()] if args.log and args.log.exists() else []

    def run(model, dataset, seed, modes=None, std=None):
        mixture = wgan.toy_dataset(dataset, modes=modes, std=std)
        key = (model, dataset, mixture.modes, mixture.std, seed, steps)
        for r in done:
            if (r["model"], r["dataset"], r["modes_total"], r["std"], r["seed"], r["steps"]) == key:
                return r
        result = wgan.run_toy(model, dataset, modes, std, steps, seed, setup=setup)
        result.pop("per_mode")
        print(json.dumps(result), flush=True)
        if args.log:
            with args.log.open("a") as log:
                log.write(json.dumps(result) + "\n")
        return result

    runs = [run(m, d, s) for m in wgan.TOY_MODELS for d in wgan.DATASETS for s in args.seeds]
    variants = [run(args.best, d, s, modes, std) for d, modes, std in VARIANTS for s in args.variant_seeds]
    table = wgan.lab_table(runs)
    record = {
        "command": record_command(),
        "table": table,
        "variants_of_" + args.best: variants,
        "runs": runs,
    }
    (ROOT / "data" / "toy_lab.json").write_text(json.dumps(record, indent=1) + "\n")
    print(wgan.format_lab_table(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
