"""Remake a shipped pretrained generator: data/NAME_generator.weights.h5 and its record.

    python scripts/make_pretrained.py dcgan [--out runs/pretrained-dcgan]

Runs `gan-lessons train NAME --out OUT --seed 0` at the full budget (resuming if OUT holds a
checkpoint), copies the generator's weights into data/, and writes data/NAME_generator.json:
the command, the SHA-256 that gan_lessons.pretrained checks before loading, the training
time and the scores of the run's samples.npz (gan_lessons.metrics.evaluate).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="recipe name, e.g. dcgan")
    parser.add_argument("--out", type=Path, help="run folder (default runs/pretrained-NAME)")
    args = parser.parse_args()
    out = args.out or Path("runs") / f"pretrained-{args.name}"
    command = ["gan-lessons", "train", args.name, "--out", str(out), "--seed", "0"]
    env = {**os.environ, "GAN_LESSONS_FAST": "0"}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "gan_lessons", *command[1:]], check=True, env=env)
    seconds = time.perf_counter() - started

    import keras
    import numpy as np

    from gan_lessons import metrics, pretrained
    from gan_lessons.cli import GENERATOR_NAME

    target = pretrained.weights_path(args.name)
    shutil.copyfile(out / GENERATOR_NAME, target)
    run = json.loads((out / "run.json").read_text())
    with np.load(out / "samples.npz") as f:
        scores = metrics.evaluate(f["images"])
    record = {
        "command": " ".join(command),
        "remade_by": f"python scripts/make_pretrained.py {args.name}",
        "sha256": pretrained.sha256(target),
        "bytes": target.stat().st_size,
        "steps": run["steps"],
        "batch_size": run["batch_size"],
        "data": run["data"],
        "seconds_last_run": round(seconds, 1),
        "keras": keras.__version__,
        "scores": {k: v for k, v in scores.items() if k != "class_histogram"},
    }
    pretrained.record_path(args.name).write_text(json.dumps(record, indent=2) + "\n")
    print(json.dumps(record, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
