"""Remake lesson 05's mode-collapse table: data/toy_lab.json.

    python scripts/make_toy_table.py [--seeds 0 1 2] [--steps N]

Runs every lab model (`gan_lessons.toy.TOY_MODELS`) on the ring and the grid for each seed at the
toy budget -- what `gan-lessons toy MODEL --dataset D --seed S` does -- and then the best model on
changed mixtures (more modes, wider spread).  Writes each run, the mean table and the command.
About 20 minutes on a 2-core CPU.
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

VARIANTS = [("ring", 12, None), ("ring", None, 0.02), ("grid", 49, None), ("grid", None, 0.1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--steps", type=int, help="generator updates per run (default: the toy budget)")
    parser.add_argument("--best", default="pacgan", help="the model also run on the changed mixtures")
    args = parser.parse_args()

    from gan_lessons import device, toy

    setup = device.configure_device(verbose=False)
    runs = []
    for model in toy.TOY_MODELS:
        for dataset in toy.DATASETS:
            for seed in args.seeds:
                result = toy.run_toy(model, dataset, steps=args.steps, seed=seed, setup=setup)
                runs.append(result)
                print(json.dumps({k: v for k, v in result.items() if k != "per_mode"}), flush=True)
    variants = []
    for dataset, modes, std in VARIANTS:
        for seed in args.seeds:
            result = toy.run_toy(args.best, dataset, modes=modes, std=std, steps=args.steps, seed=seed, setup=setup)
            variants.append(result)
            print(json.dumps({k: v for k, v in result.items() if k != "per_mode"}), flush=True)
    table = toy.lab_table(runs)
    record = {
        "command": "python scripts/make_toy_table.py " + " ".join(sys.argv[1:]),
        "table": table,
        "variants_of_" + args.best: variants,
        "runs": runs,
    }
    (ROOT / "data" / "toy_lab.json").write_text(json.dumps(record, indent=1) + "\n")
    print(toy.format_lab_table(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
