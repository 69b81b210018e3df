"""Lesson 06's StyleGAN parts: each layer does what it claims, builds, counts and reloads."""

import keras
import numpy as np
import pytest

from gan_lessons import stylegan


def test_adain_gives_each_map_the_mean_and_std_of_its_style():
    rng = np.random.default_rng(0)
    x = rng.normal(3.0, 2.0, (4, 7, 7, 8)).astype("float32")
    w = rng.standard_normal((4, 16)).astype("float32")
    adain = stylegan.AdaIN()
    out = keras.ops.convert_to_numpy(adain([x, w]))
    scale, bias = (keras.ops.convert_to_numpy(t) for t in adain.style(w))
    np.testing.assert_allclose(out.mean(axis=(1, 2)), bias, atol=1e-4)
    np.testing.assert_allclose(out.std(axis=(1, 2)), np.abs(scale), atol=1e-4)
    assert adain.count_params() == 16 * 2 * 8 + 2 * 8  # the affine map w -> (scale, bias)
    # At initialisation the style is scale 1, bias 0 plus a w-dependent part: different w, different style.
    assert not np.allclose(scale[0], scale[1])


def test_noise_strength_starts_at_its_initial_value_and_trains():
    layer = stylegan.NoiseInjection(initial_strength=0.25)
    x = np.zeros((2, 5, 5, 3), "float32")
    noise = np.ones((2, 5, 5, 1), "float32")
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer([x, noise])), 0.25)
    assert layer.strength.trainable and layer.count_params() == 3
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer.strength), [0.25, 0.25, 0.25])
    import tensorflow as tf

    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer([x, noise]))
    assert np.all(tape.gradient(loss, layer.strength).numpy() != 0)  # the optimizer can change it
    fresh = keras.ops.convert_to_numpy(stylegan.NoiseInjection(initial_strength=1.0, seed=1)(x))
    assert fresh.std() > 0.5 and np.allclose(fresh[..., 0], fresh[..., 2])  # one noise image, all channels


def test_parameter_counts_are_real_and_as_expected():
    synthesis = stylegan.build_synthesis_network(w_dim=16, channels=32)
    c = 32
    adain = lambda ch: 16 * 2 * ch + 2 * ch  # noqa: E731
    conv = lambda cin, cout: 9 * cin * cout + cout  # noqa: E731
    expected = (
        7 * 7 * c  # constant
        + c
        + adain(c)  # noise_0, adain_0
        + conv(c, c)
        + c
        + adain(c)  # 7x7 block
        + conv(c, c // 2)
        + c // 2
        + adain(c // 2)
        + conv(c // 2, c // 2)
        + c // 2
        + adain(c // 2)
        + conv(c // 2, c // 4)
        + c // 4
        + adain(c // 4)
        + conv(c // 4, c // 4)
        + c // 4
        + adain(c // 4)
        + (c // 4 + 1)  # to_image
    )
    assert synthesis.count_params() == expected
    assert all(layer.count_params() > 0 for layer in synthesis.layers if isinstance(layer, stylegan.StyledConv))
    mapping = stylegan.build_mapping_network(latent_dim=8, w_dim=16, depth=2)
    assert mapping.count_params() == (8 * 16 + 16) + (16 * 16 + 16)


def test_equalized_dense_scales_at_run_time():
    layer = stylegan.EqualizedDense(4, lr_multiplier=0.01)
    x = np.ones((1, 9), "float32")
    out = keras.ops.convert_to_numpy(layer(x))
    kernel = keras.ops.convert_to_numpy(layer.kernel)
    assert 50 < kernel.std() < 150  # stored as N(0, 1 / 0.01^2)
    np.testing.assert_allclose(out, x @ kernel * 0.01 * np.sqrt(2) / 3, rtol=1e-5)


def test_mixing_switches_styles_at_exactly_the_requested_layer():
    synthesis = stylegan.build_synthesis_network(w_dim=16, channels=32)
    names = ("adain_0", "block_7x7", "block_14x14_a", "block_14x14_b", "block_28x28_a")  # AdaIN 0 .. 4 end here
    probe = keras.Model(synthesis.input, [synthesis.get_layer(n).output for n in names])
    rng = np.random.default_rng(0)
    w_a, w_b = rng.standard_normal((2, 16)).astype("float32"), rng.standard_normal((2, 16)).astype("float32")
    for crossover in (1, 2, 3):
        ws = stylegan.mix_styles(w_a, w_b, crossover)
        assert np.array_equal(ws[:, :crossover], np.repeat(w_a[:, None], crossover, axis=1))
        assert np.array_equal(ws[:, crossover:], np.repeat(w_b[:, None], stylegan.N_STYLES - crossover, axis=1))
        mixed = probe.predict(ws, verbose=0)
        pure_a = probe.predict(stylegan.mix_styles(w_a, w_b, stylegan.N_STYLES), verbose=0)
        for i in range(crossover):  # noise starts at strength 0, so the runs are deterministic
            np.testing.assert_allclose(mixed[i], pure_a[i], atol=1e-5)
        assert np.abs(mixed[crossover] - pure_a[crossover]).max() > 1e-3  # the switch happens here
    with pytest.raises(ValueError, match="crossover must be"):
        stylegan.mix_styles(w_a, w_b, 7)


def test_truncation_moves_towards_the_mean():
    w, mean = np.array([[2.0, -2.0]]), np.array([1.0, 0.0])
    np.testing.assert_allclose(stylegan.truncate(w, mean, 0.5), [[1.5, -1.0]])
    np.testing.assert_allclose(stylegan.truncate(w, mean, 0.0), [[1.0, 0.0]])


def test_style_generator_saves_and_reloads(tmp_path):
    generator = stylegan.build_style_generator(latent_dim=8, w_dim=16, channels=16)
    z = np.random.default_rng(0).standard_normal((3, 8)).astype("float32")
    before = generator.predict(z, verbose=0)
    assert before.shape == (3, 28, 28, 1) and np.all(np.abs(before) <= 1)
    generator.save(tmp_path / "g.keras")
    again = keras.models.load_model(tmp_path / "g.keras")
    np.testing.assert_allclose(again.predict(z, verbose=0), before, atol=1e-5)  # noise strength is 0 at first
    assert again.count_params() == generator.count_params() > 0


def test_the_flawed_block_of_the_drill_really_has_its_bugs():
    from gan_lessons import stylegan

    block = stylegan.checks.FlawedStyleBlock(8)
    inputs = [keras.Input((7, 7, 4)), keras.Input((16,))]
    flawed = keras.Model(inputs, block(inputs))
    assert flawed.count_params() == 0  # bug 1: nothing tracked, nothing trained
    x = np.random.default_rng(0).standard_normal((2, 7, 7, 4)).astype("float32")
    with pytest.raises(ValueError, match="singleton tf.Variables"):  # ... and compiled, its first call fails
        flawed.predict(x=[x, x[:, 0, 0, :].repeat(4, axis=1)], verbose=0)
    for seed in (1, 2):  # bug 2: whatever w is, every map comes out with mean 0 and std 1
        w = np.random.default_rng(seed).standard_normal((2, 16)).astype("float32") * 10
        out = keras.ops.convert_to_numpy(block([x, w]))
        np.testing.assert_allclose(out.mean(axis=(1, 2)), 0, atol=1e-3)
        np.testing.assert_allclose(out.std(axis=(1, 2)), 1, atol=1e-3)


def test_cli_trains_the_style_based_generator(tmp_path):
    import json

    from gan_lessons import cli

    out = tmp_path / "style"
    assert cli.main(["train", "stylegan", "--out", str(out), "--steps", "2", "--samples", "100"]) == 0
    with np.load(out / "samples.npz") as f:
        images = f["images"]
    assert images.shape == (100, 28, 28, 1) and np.all(np.abs(images) <= 1)
    assert json.loads((out / "run.json").read_text())["model"] == "stylegan"


def test_the_shipped_style_based_generator_draws_all_ten_digits_legibly():
    from gan_lessons import metrics, pretrained
    from gan_lessons.tools.classifier import features_and_probabilities

    generator = pretrained.load_generator("stylegan")  # SHA-256 checked first
    z = np.random.default_rng(7).standard_normal((500, 64)).astype("float32")
    probabilities = features_and_probabilities(generator.predict(z, verbose=0))[1]
    assert metrics.confident_share(probabilities) >= 0.7
    assert metrics.classes_covered(metrics.class_histogram(probabilities)) == 10
    assert pretrained.record("stylegan")["scores"]["fid"] < pretrained.record("dcgan")["scores"]["fid"]


def test_truncating_only_the_coarse_layers_leaves_the_others_untouched():
    w, mean = np.array([[2.0, -2.0], [4.0, 0.0]]), np.array([1.0, 0.0])
    ws = stylegan.truncated_styles(w, mean, 0.5, cutoff=2)
    assert ws.shape == (2, stylegan.N_STYLES, 2)
    np.testing.assert_allclose(ws[:, :2], np.repeat(stylegan.truncate(w, mean, 0.5)[:, None], 2, axis=1))
    np.testing.assert_allclose(ws[:, 2:], np.repeat(w[:, None], stylegan.N_STYLES - 2, axis=1))
    np.testing.assert_allclose(stylegan.truncated_styles(w, mean, 0.0)[:, -1], [[1.0, 0.0]] * 2)  # default: every layer
    with pytest.raises(ValueError, match="cutoff must be"):
        stylegan.truncated_styles(w, mean, 0.5, cutoff=7)


def test_relative_change_measures_how_far_weights_moved():
    before = [np.ones((3, 4)), np.zeros(4)]
    assert stylegan.relative_change(before, before) == 0.0
    after = [np.full((3, 4), 1.5), np.zeros(4)]  # every weight moved by half its size
    assert stylegan.relative_change(after, before) == pytest.approx(0.5)
    mapping = stylegan.build_mapping_network(depth=1)
    assert stylegan.relative_change(mapping, mapping) == 0.0
    with pytest.raises(ValueError, match="same architecture"):
        stylegan.relative_change([np.ones(3)], before)


def test_a_slow_mapping_network_barely_moves_where_a_full_speed_one_does():
    """Lesson 06's finding in miniature: with StyleGAN's learning-rate multiplier 0.01 the same Adam steps move
    the mapping network's weights a hundred times less (relative to their size) than at multiplier 1."""
    moved = {}
    z = np.random.default_rng(0).standard_normal((16, 8)).astype("float32")
    target = np.random.default_rng(1).standard_normal((16, 8)).astype("float32")
    for multiplier in (0.01, 1.0):
        keras.utils.set_random_seed(0)
        mapping = stylegan.build_mapping_network(latent_dim=8, w_dim=8, depth=2, lr_multiplier=multiplier)
        start = [v.copy() for v in mapping.get_weights()]
        mapping.compile(keras.optimizers.Adam(1e-3), "mse")
        mapping.fit(z, target, epochs=20, verbose=0)
        moved[multiplier] = stylegan.relative_change(mapping, start)
    assert moved[1.0] > 30 * moved[0.01] > 0


def test_digit_inheritance_counts_each_parent_on_cells_whose_parents_differ():
    keras.utils.set_random_seed(0)  # an untrained generator (noise strength 0): its classes differ between these z
    generator = stylegan.build_style_generator(latent_dim=8, w_dim=8, channels=8)
    z_rows, z_columns = (np.random.default_rng(s).standard_normal((6, 8)).astype("float32") for s in (0, 1))
    every_style_from_the_row = stylegan.digit_inheritance(generator, z_rows, z_columns, crossover=stylegan.N_STYLES)
    cells = every_style_from_the_row.pop("cells")
    assert every_style_from_the_row == {"row": 1.0, "column": 0.0, "closer_to_row": 1.0} and 1 <= cells <= 36
    every_style_from_the_column = stylegan.digit_inheritance(generator, z_rows, z_columns, crossover=0)
    assert every_style_from_the_column == {"row": 0.0, "column": 1.0, "closer_to_row": 0.0, "cells": cells}
    with pytest.raises(ValueError, match="every row's digit equals every column's"):
        stylegan.digit_inheritance(generator, z_rows[:1], z_rows[:1], crossover=2)


def test_reseeded_noise_repeats_whatever_was_drawn_before():
    keras.utils.set_random_seed(0)
    generator = stylegan.build_style_generator(latent_dim=8, w_dim=8, channels=8)
    for layer in generator.get_layer("synthesis")._flatten_layers():
        if isinstance(layer, stylegan.NoiseInjection):
            layer.strength.assign(np.full_like(layer.strength.numpy(), 0.05))  # noise that shows in the image
    z = np.random.default_rng(0).standard_normal((4, 8)).astype("float32")
    first, redrawn = (generator.predict(z, verbose=0) for _ in range(2))
    assert not np.allclose(first, redrawn, atol=1e-5)  # without reseeding, each call draws new noise
    stylegan.reseed_noise(generator, 3)
    again = generator.predict(z, verbose=0)
    generator.predict(z, verbose=0)  # more draws in between
    stylegan.reseed_noise(generator, 3)
    np.testing.assert_array_equal(generator.predict(z, verbose=0), again)
    stylegan.reseed_noise(generator, 4)
    assert not np.allclose(generator.predict(z, verbose=0), again, atol=1e-5)
    z_rows, z_columns = (np.random.default_rng(s).standard_normal((6, 8)).astype("float32") for s in (0, 1))
    shares = stylegan.digit_inheritance(generator, z_rows, z_columns, crossover=2)
    generator.predict(z, verbose=0)
    assert stylegan.digit_inheritance(generator, z_rows, z_columns, crossover=2) == shares


def test_show_maps_draws_each_map_and_names_a_wrong_shape():
    import matplotlib

    matplotlib.use("Agg")
    from gan_lessons.core.plotting import show_maps

    fig = show_maps({"mean": np.zeros((28, 28, 1)), "std": np.ones((28, 28))})
    assert len(fig.axes) == 4  # two maps, two colour bars
    with pytest.raises(ValueError, match="must be \\(H, W\\)"):
        show_maps({"batch": np.zeros((2, 28, 28, 1))})
    with pytest.raises(ValueError, match="maps is empty"):
        show_maps({})
