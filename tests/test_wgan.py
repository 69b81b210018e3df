"""Lesson 05 on MNIST: the WGAN-GP critic and 'gan-lessons train wgan-gp'."""

import json

import keras
import numpy as np
import pytest

from gan_lessons import cli, wgan


def test_the_critic_has_no_sigmoid_and_no_batch_norm():
    critic = wgan.build_wgan_critic()
    kinds = {type(layer).__name__ for layer in critic.layers}
    assert "BatchNormalization" not in kinds and "LayerNormalization" in kinds
    assert critic.layers[-1].activation is keras.activations.linear
    gan = wgan.compiled_gan(seed=0)
    assert gan.n_critic == 5 and gan.gp_weight == 10.0 and gan.clip_value is None
    assert float(gan.d_optimizer.beta_1) == 0.0 and float(gan.d_optimizer.beta_2) == 0.9
    # One image's score does not depend on the rest of the batch (it would with batch norm).
    x = np.random.default_rng(0).uniform(-1, 1, (4, 28, 28, 1)).astype("float32")
    alone = critic(x[:1], training=True).numpy()
    together = critic(x, training=True).numpy()[:1]
    np.testing.assert_allclose(alone, together, rtol=1e-5, atol=1e-6)


def test_cli_trains_wgan_gp_and_writes_samples(tmp_path):
    out = tmp_path / "wgan"
    assert cli.main(["train", "wgan-gp", "--out", str(out), "--steps", "3", "--samples", "100"]) == 0
    with np.load(out / "samples.npz") as f:
        images = f["images"]
    assert images.shape == (100, 28, 28, 1) and np.all(np.abs(images) <= 1)
    assert json.loads((out / "run.json").read_text())["model"] == "wgan-gp"
    history = json.loads((out / "checkpoints" / "history.json").read_text())
    assert "wasserstein" in history and all(np.isfinite(history["wasserstein"]))


def test_quality_curve_and_wasserstein_plot(mnist_subset):
    from gan_lessons import training, wgan

    gan = wgan.compiled_gan(seed=0)
    curve = wgan.QualityCurve(every=1, n=100)
    history = training.train(
        gan, mnist_subset.images[:256], steps=2, steps_per_epoch=1, batch_size=32, callbacks=[curve], verbose=0
    )
    assert [step for step, _ in curve.points] == [1, 2] and all(fid > 0 for _, fid in curve.points)
    fig = wgan.wasserstein_curve(history, 1, curve.points)
    assert len(fig.axes) == 2  # the estimate and, on a twin axis, the FID
    with pytest.raises(ValueError, match="every must be"):
        wgan.QualityCurve(every=0)


class _SpyWGAN(wgan.WassersteinGAN):
    """Records every batch the critic scores (run eagerly), to see which real points each update saw."""

    seen: list

    def score(self, images, condition, training=False):
        self.seen.append(np.asarray(images).copy())
        return super().score(images, condition, training)


@pytest.mark.parametrize("fresh", [True, False])
def test_every_critic_update_sees_a_real_batch_of_its_own(fresh):
    """Algorithm 1 of WGAN-GP draws fresh reals for each of the n_critic updates; fresh_reals=False reuses one."""
    from gan_lessons import training

    points = np.stack([np.arange(200), -np.arange(200)], axis=1).astype("float32") / 200  # every point distinct
    gan = _SpyWGAN(wgan.build_toy_generator(), wgan.build_toy_discriminator(), n_critic=5, fresh_reals=fresh, seed=0)
    gan.seen = []
    gan.compile(keras.optimizers.Adam(1e-4), keras.optimizers.Adam(1e-4), run_eagerly=True)
    assert gan.real_batches_per_step == (5 if fresh else 1)
    training.train(gan, points, steps=1, batch_size=8, verbose=0)
    real = {tuple(p) for batch in gan.seen for p in batch if any(np.all(points == p, axis=1))}
    assert len(real) == (5 * 8 if fresh else 8)
    assert all(len(batch) == 8 for batch in gan.seen)  # each update, and the generator's, has one batch's worth


def test_a_batch_that_does_not_split_into_n_critic_parts_explains():
    gan = wgan.WassersteinGAN(wgan.build_toy_generator(), wgan.build_toy_discriminator(), n_critic=5)
    with pytest.raises(ValueError, match="divide into 5 equal parts"):
        gan.real_batches(np.zeros((12, 2), "float32"), None)
    with pytest.raises(ValueError, match="takes 5 batches of 64 real images, more than the 100"):
        from gan_lessons import training

        gan.compile(keras.optimizers.Adam(1e-4), keras.optimizers.Adam(1e-4))
        training.train(gan, np.zeros((100, 2), "float32"), steps=1, batch_size=64, verbose=0)
