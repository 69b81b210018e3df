"""Remake a shipped pretrained generator: data/NAME_generator.weights.h5 and its record.

    python scripts/make_pretrained.py dcgan [--out runs/pretrained-dcgan]
    python scripts/make_pretrained.py pix2pix --rescore

Runs `gan-lessons train NAME --out OUT --seed 0` at the full budget (resuming if OUT holds a
checkpoint), stores the generator's weights in data/ as float16 (half the size), and writes data/NAME_generator.json:
the command, the SHA-256 that gan_lessons.pretrained checks before loading, the training time and the scores of what
ships -- the float16 weights' 1,000 samples from the noise `train` drew for samples.npz (for cgan the digits 0-9 in
turn; gan_lessons.tools.metrics.evaluate), or for a translation model its outputs on every held-out input beside the
do-nothing baseline (gan_lessons.translation.evaluate_outputs), with the run's validation curve.

With --rescore nothing is trained: the shipped weights are scored again and only the record's scores change (for
when a judge changes, as lesson 10's independent reader did; a record with a validation curve read by the old judge
is refused: remake it instead).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="recipe name, e.g. dcgan")
    parser.add_argument("--out", type=Path, help="run folder (default runs/pretrained-NAME)")
    parser.add_argument("--rescore", action="store_true", help="score the shipped weights again; train nothing")
    args = parser.parse_args()
    if args.rescore:
        return rescore(args.name)
    out = args.out or Path("runs") / f"pretrained-{args.name}"
    command = ["gan-lessons", "train", args.name, "--out", str(out), "--seed", "0"]
    env = {**os.environ, "GAN_LESSONS_FAST": "0"}
    subprocess.run([sys.executable, "-m", "gan_lessons", *command[1:]], check=True, env=env)

    import keras

    from gan_lessons import pretrained, shipped
    from gan_lessons.cli import GENERATOR_NAME
    from gan_lessons.recipes import get_recipe

    target = pretrained.weights_path(args.name)
    generator = get_recipe(args.name).build(seed=0).generator
    generator.load_weights(out / GENERATOR_NAME)
    shipped.save_float16(generator, target)
    run = json.loads((out / "run.json").read_text())
    # Score what ships: the float16 weights, on the noise `train` used for samples.npz.
    stored = get_recipe(args.name).build(seed=0).generator
    stored.load_weights(target)
    scores = score(args.name, stored)
    extra = {}
    ba = getattr(get_recipe(args.name).build(seed=0), "generator_ba", None)
    if ba is not None:  # a CycleGAN's second generator (B -> A) ships too, for the round trips of lesson 10
        from gan_lessons.cli import GENERATOR_BA_NAME

        ba.load_weights(out / GENERATOR_BA_NAME)
        target_ba = shipped.save_float16(ba, pretrained.weights_path(args.name, "generator_ba"))
        extra = {"sha256_generator_ba": pretrained.sha256(target_ba), "bytes_generator_ba": target_ba.stat().st_size}
    record = {
        "command": run["command"],
        "remade_by": f"python scripts/make_pretrained.py {args.name}",
        "sha256": pretrained.sha256(target),
        "bytes": target.stat().st_size,
        **extra,
        "stored_as": "float16",
        "steps": run["steps"],
        "batch_size": run["batch_size"],
        "data": run["data"],
        "train_seconds": run["train_seconds"],
        "keras": keras.__version__,
        "scores": scores,
    }
    if "validation" in run:  # a translation model: the share read correctly on its validation split, epoch by epoch
        record["validation"] = run["validation"]
    shipped.record_path(args.name).write_text(json.dumps(record, indent=2) + "\n")
    print(json.dumps(record, indent=2))
    return 0


def score(name: str, stored) -> dict:
    """The record's scores of the generator ``stored`` (the float16 weights that ship)."""
    import numpy as np

    from gan_lessons import metrics
    from gan_lessons.recipes import get_recipe

    recipe = get_recipe(name)
    if recipe.translation:  # held-out inputs, read for their true digit; and the do-nothing baseline beside it
        from gan_lessons import translation

        task = translation.load_task(name)
        scores = translation.evaluate_outputs(stored.predict(task.test_inputs, verbose=0), task.test_labels)
        scores["baseline"] = translation.evaluate_outputs(translation.do_nothing(task), task.test_labels)
    elif recipe.conditional:  # the digits 0-9 in turn, as `train` wrote samples.npz
        noise = np.random.default_rng(1).standard_normal((1000, stored.input_shape[0][-1])).astype("float32")
        requested = np.arange(1000) % 10
        scores = metrics.evaluate(stored.predict([noise, requested], verbose=0), labels=requested)
    else:
        noise = np.random.default_rng(1).standard_normal((1000, stored.input_shape[-1])).astype("float32")
        scores = metrics.evaluate(stored.predict(noise, verbose=0))
    return {k: v for k, v in scores.items() if k != "class_histogram"}


def rescore(name: str) -> int:
    from gan_lessons import pretrained, shipped

    record = shipped.record(name)
    if "validation" in record:
        raise SystemExit(f"{name}'s record holds a validation curve measured during training: remake it instead.")
    record["scores"] = score(name, pretrained.load_generator(name))
    shipped.record_path(name).write_text(json.dumps(record, indent=2) + "\n")
    print(json.dumps(record["scores"], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
