"""Choose lesson 10's SRGAN content weight on the validation split: data/srgan_content_weight.json.

    python scripts/select_content_weight.py [--weights 1 10 100] [--class-aware 10] [--steps 2000] [--log runs.jsonl]

Trains the SRGAN recipe (`gan_lessons.translation.compiled_srgan`) once per content weight for ``--steps`` steps,
the class-aware variant (``num_classes=10``: an auxiliary classifier in the discriminator) at the ``--class-aware``
weights, and the pixel-loss network (no adversary) for the same steps, and scores each on the validation split of
`load_task("srgan")` -- lesson 08's 1,000 reference digits, never trained on and not the test digits the lesson
reports -- by the share of upscaled digits read correctly.  The weight with the best share by the independent reader
(the judge the content loss was not trained against) is chosen.  The steps are a fraction of the shipped model's
12,000 to keep the search short on a 2-core CPU (data/srgan_content_weight.json keeps each run's seconds): a
short-budget search, as hyper-parameters are usually chosen.  With ``--log``, each finished run is appended to that
file and not repeated, so an interrupted search continues.
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
os.environ["GAN_LESSONS_FAST"] = "0"
RECORD = ROOT / "data" / "srgan_content_weight.json"
from record_command import record_command  # noqa: E402  (scripts/, beside this file)
from run_log import keep, kept_runs  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", type=float, nargs="+", default=[1.0, 10.0, 100.0])
    parser.add_argument("--class-aware", type=float, nargs="*", default=[10.0], help="weights of class-aware runs")
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--log", type=Path, help="append each finished run here; runs already there are kept")
    args = parser.parse_args()

    import keras

    from gan_lessons import translation
    from gan_lessons.core.device import configure_device
    from gan_lessons.core.training import train

    task = translation.load_task("srgan", seed=args.seed)
    done = kept_runs(args.log, key=lambda row: row["run"])
    setup = configure_device(verbose=False)
    plan = [(f"content_weight={w:g}", w, 0) for w in args.weights]
    plan += [(f"class-aware, content_weight={w:g}", w, 10) for w in args.class_aware]
    plan += [("pixel loss only", None, 0)]
    runs = [name for name, _, _ in plan]
    for name, weight, num_classes in plan:
        if name in done:
            print(f"{name}: kept from {args.log}")
            continue
        print(f"{name}: {args.steps:,} steps", flush=True)
        started = time.perf_counter()
        if weight is None:
            net = translation.train_without_adversary(task, steps=args.steps, seed=args.seed)
            outputs = net.predict(task.val_inputs, batch_size=500, verbose=0)
            history = [{"step": args.steps, **translation.validation_accuracy(task, outputs)}]
        else:
            gan = translation.compiled_srgan(args.seed, setup, content_weight=weight, num_classes=num_classes)
            scores = translation.ValidationScores(task)
            train(
                gan,
                task.train_images,
                labels=task.labels_for(gan),
                steps=args.steps,
                batch_size=32,
                steps_per_epoch=500,
                seed=args.seed,
                callbacks=[scores],
                verbose=0,
            )
            history = scores.history
        row = {
            "run": name,
            "content_weight": weight,
            "num_classes": num_classes,
            "seconds": round(time.perf_counter() - started, 1),
            "validation": history,
        }
        done[name] = row
        keep(args.log, row)
    rows = [done[name] for name in runs]

    def rank(row):  # the independent reader's share at the last step; ties: the smaller weight
        return row["validation"][-1]["independent_accuracy"], -row["content_weight"]

    chosen = max((row for row in rows if row["content_weight"] is not None and not row["num_classes"]), key=rank)
    best = max((row for row in rows if row["content_weight"] is not None), key=rank)
    record = {
        "command": record_command(),
        "steps": args.steps,
        "batch_size": 32,
        "seed": args.seed,
        "validation": "lesson 08's 1,000 reference digits, downsampled to 7x7 (not the 1,000 test digits)",
        "chosen_by": "the share read correctly by the independent reader at the last step (ties: the smaller weight)",
        "chosen_content_weight": chosen["content_weight"],
        "best_run": best["run"],
        "keras": keras.__version__,
        "runs": rows,
    }
    RECORD.write_text(json.dumps(record, indent=2) + "\n")
    for row in rows:
        last = row["validation"][-1]
        print(
            f"{row['run']:20s} course {last['accuracy']:.1%}  independent {last['independent_accuracy']:.1%}"
            f"  ({row['seconds']:.0f} s)"
        )
    print(f"chosen: content weight {chosen['content_weight']:g}; best run: {best['run']}; wrote {RECORD}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
