import json

import numpy as np
import pytest

from gan_lessons import classifier, evaluation, metrics


def gaussian(n, mean, cov, seed):
    return np.random.default_rng(seed).multivariate_normal(mean, cov, n)


def test_fid_of_a_set_with_itself_is_zero_and_fid_is_symmetric():
    a, b = gaussian(500, [0, 0, 0], np.eye(3), 0), gaussian(500, [1, 0, 0], np.diag([1, 2, 3]), 1)
    assert metrics.fid(a, a) == pytest.approx(0.0, abs=1e-6)
    assert metrics.fid(a, b) == pytest.approx(metrics.fid(b, a), rel=1e-6)


def test_fid_matches_the_closed_form_for_fitted_gaussians():
    a, b = gaussian(400, [0, 1], [[1, 0.5], [0.5, 2]], 0), gaussian(400, [2, -1], [[3, 0], [0, 0.5]], 1)
    mu1, mu2, s1, s2 = a.mean(0), b.mean(0), np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    # For 2x2 matrices: Tr sqrt(M) = sqrt(Tr M + 2 sqrt(det M)) for M = S1 S2 (positive eigenvalues).
    m = s1 @ s2
    tr_sqrt = np.sqrt(np.trace(m) + 2 * np.sqrt(np.linalg.det(m)))
    expected = np.sum((mu1 - mu2) ** 2) + np.trace(s1) + np.trace(s2) - 2 * tr_sqrt
    assert metrics.fid(a, b) == pytest.approx(expected, rel=1e-8)
    # 1-D: (mu1 - mu2)^2 + (sigma1 - sigma2)^2.
    assert metrics.frechet_distance([0.0], [[4.0]], [3.0], [[1.0]]) == pytest.approx(9 + 1)


def test_nearest_neighbour_distances_are_exact():
    """The fast path (matrix products, then the few candidates measured exactly) gives what measuring every pair
    exactly gives, to the last bit: copies at 0, near ties and duplicates included."""
    from scipy.spatial.distance import cdist

    rng = np.random.default_rng(0)
    train = np.tanh(rng.standard_normal((700, 28, 28, 1)))
    train[1] = train[0]  # a duplicated training digit: two nearest at the same distance
    near = train[:300] + 1e-7 * rng.standard_normal((300, 28, 28, 1))  # within the expansion's rounding of a copy
    repeated = np.repeat(near[:61], 100, axis=0)  # 6,100 rows: more than one chunk against 700 training digits
    for samples in (train[:300], near, np.tanh(rng.standard_normal((600, 28, 28, 1))), train[:1], repeated):
        exact = cdist(samples.reshape(len(samples), -1), train.reshape(len(train), -1)).min(axis=1)
        np.testing.assert_array_equal(metrics.nearest_neighbour_distances(samples, train), exact)
    assert np.all(metrics.nearest_neighbour_distances(train[:300], train) == 0)  # copies at exactly 0


def test_kid_is_unbiased():
    same = [
        metrics.kid(
            gaussian(200, np.zeros(4), np.eye(4), s),
            gaussian(200, np.zeros(4), np.eye(4), 100 + s),
            subsets=5,
            subset_size=200,
        )
        for s in range(20)
    ]
    shifted = metrics.kid(gaussian(200, np.zeros(4), np.eye(4), 0), gaussian(200, np.ones(4), np.eye(4), 1))
    # Zero in expectation for one distribution: the mean over 20 pairs is within its standard error of 0.
    assert abs(np.mean(same)) < 3 * np.std(same) / np.sqrt(len(same))
    assert min(same) < 0 < max(same)  # unbiased estimates scatter on both sides (a biased one stays > 0)
    assert shifted > 10 * np.std(same)


def test_precision_recall_density_coverage_on_2d_manifolds():
    rng = np.random.default_rng(0)
    real = rng.uniform(-1, 1, (600, 2))
    good = rng.uniform(-1, 1, (600, 2))
    left_half = np.column_stack([rng.uniform(-1, 0, 600), rng.uniform(-1, 1, 600)])
    far = rng.uniform(5, 6, (600, 2))
    pr_good, pr_half, pr_far = (metrics.precision_recall(real, x) for x in (good, left_half, far))
    assert pr_good["precision"] > 0.9 and pr_good["recall"] > 0.9
    assert pr_half["precision"] > 0.9 and 0.4 < pr_half["recall"] < 0.65  # realistic but half the data missing
    assert pr_far == {"precision": 0.0, "recall": 0.0}
    dc_good = metrics.density_coverage(real, good)
    assert 0.8 < dc_good["density"] < 1.2 and dc_good["coverage"] > 0.9
    assert metrics.density_coverage(real, far) == {"density": 0.0, "coverage": 0.0}


def test_density_tracks_realism_and_coverage_tracks_diversity():
    rng = np.random.default_rng(1)
    real = rng.normal(0, 1, (800, 2))
    matching = metrics.density_coverage(real, rng.normal(0, 1, (800, 2)))
    central = metrics.density_coverage(real, rng.normal(0, 0.3, (800, 2)))  # realistic, not diverse
    half_astray = rng.normal(0, 1, (800, 2))
    half_astray[:400] = rng.uniform(4, 5, (400, 2))
    astray = metrics.density_coverage(real, half_astray)  # diverse, half unrealistic
    assert 0.8 < matching["density"] < 1.2 and matching["coverage"] > 0.9
    assert 0.8 < central["density"] < 1.2 and central["coverage"] < 0.5
    assert 0.4 < astray["density"] < 0.6 and astray["coverage"] > 0.8


def test_inception_score_and_classes():
    one_hot = np.eye(10)[np.arange(1000) % 10]
    assert metrics.inception_score(one_hot) == pytest.approx(10.0, rel=1e-6)
    assert metrics.inception_score(np.eye(10)[np.zeros(1000, int)]) == pytest.approx(1.0, rel=1e-6)
    hist = metrics.class_histogram(one_hot)
    assert hist.tolist() == [0.1] * 10 and metrics.classes_covered(hist) == 10


@pytest.mark.parametrize(
    "images, message",
    [
        (np.zeros((5, 28, 28, 3)), "shape \\(N, 28, 28, 1\\)"),
        (np.full((5, 28, 28), 300.0), "range from 300 to 300; they must be in \\[-1, 1\\]. Scale them"),
        (np.full((5, 28, 28), -5.0), "range from -5 to -5; they must be in \\[-1, 1\\]"),
        (np.full((5, 28, 28), np.nan), "NaN"),
        (np.zeros((0, 28, 28)), "empty"),
    ],
)
def test_bad_images_explain(images, message):
    with pytest.raises(ValueError, match=message):
        metrics.as_unit_images(images)


def test_digits_in_another_range_are_refused_with_the_line_that_rescales_them():
    """Issue 23: no guessing. [0, 255] and [0, 1] digits are refused, each with its rescaling; [-1, 1] passes."""
    digits = classifier.digit_splits().test[0][:5]
    np.testing.assert_allclose(metrics.as_unit_images(digits), digits)
    np.testing.assert_allclose(metrics.as_unit_images(digits[..., 0]), digits)
    with pytest.raises(ValueError, match="from 0 to 255: pass images / 127.5 - 1"):
        metrics.as_unit_images((digits + 1) * 127.5)
    with pytest.raises(ValueError, match="no negative value.*If they are in \\[0, 1\\], pass images \\* 2 - 1"):
        metrics.as_unit_images((digits + 1) / 2)
    with pytest.raises(ValueError, match="must be in \\[-1, 1\\]"):
        metrics.evaluate((digits + 1) * 127.5)


def test_training_and_translation_images_outside_the_tanh_range_are_refused():
    from gan_lessons import dcgan, translation

    digits = classifier.digit_splits().test[0][:8]
    gan = dcgan.compiled_gan(seed=0)
    with pytest.raises(ValueError, match="Training images range from 0 to 255; they must be in \\[-1, 1\\]"):
        gan.set_training_data((digits + 1) * 127.5)
    gan.set_training_data(digits)  # in range: accepted
    with pytest.raises(ValueError, match="images range from 0 to 255"):
        translation.edge_map((digits + 1) * 127.5)


def test_too_few_samples_explain():
    with pytest.raises(ValueError, match="at least 100 samples"):
        metrics.evaluate(classifier.digit_splits().test[0][:50])
    with pytest.raises(ValueError, match="at least 4 samples"):
        metrics.precision_recall(np.zeros((3, 2)), np.zeros((10, 2)))


def test_shipped_classifier_is_small_and_accurate():
    assert classifier.WEIGHTS.stat().st_size < 1_000_000
    report = classifier.report()
    assert report["test_accuracy"] >= 0.96 and report["command"] == "python scripts/make_classifier.py"
    test_images, test_labels = classifier.digit_splits().test
    # The shipped weights really have the accuracy the report claims (to rounding).
    assert classifier.accuracy(classifier.load_classifier(), test_images, test_labels) == pytest.approx(
        report["test_accuracy"], abs=1e-3
    )


def test_the_independent_reader_ships_reads_what_its_record_says_and_refuses_a_damaged_file(tmp_path, monkeypatch):
    from gan_lessons.tools import shipped

    report = classifier.independent_report()
    assert report["command"] == "python scripts/make_classifier.py --independent"
    reader = classifier.independent_classifier()
    assert reader is classifier.independent_classifier()  # loaded once per process
    assert "conv" not in " ".join(layer.name for layer in reader.layers)  # an MLP: nothing shared with the CNN
    for split in ("test", "reference"):
        images, labels = getattr(classifier.digit_splits(), split)
        assert classifier.accuracy(reader, images, labels) == pytest.approx(report[f"{split}_accuracy"], abs=1e-3)
    # It must read real digits well, or what it cannot read in a model's outputs may be its own fault.
    assert report["test_accuracy"] >= 0.96
    damaged = tmp_path / classifier.INDEPENDENT_WEIGHTS.name
    damaged.write_bytes(classifier.INDEPENDENT_WEIGHTS.read_bytes()[:-100])
    monkeypatch.setattr(classifier, "INDEPENDENT_WEIGHTS", damaged)
    monkeypatch.setattr(classifier, "_CACHE", {})
    with pytest.raises(shipped.PretrainedError, match="recorded SHA-256.*make_classifier.py --indep"):
        classifier.independent_classifier()
    damaged.unlink()
    with pytest.raises(shipped.PretrainedError, match="is missing: restore it"):
        classifier.independent_classifier()
    monkeypatch.setattr(classifier, "INDEPENDENT_REPORT", tmp_path / "independent_reader.json")
    with pytest.raises(shipped.PretrainedError, match="independent_reader.json is missing.*--independent"):
        classifier.independent_classifier()


def test_the_independent_readers_training_runs_and_learns_in_one_epoch():
    # What `scripts/make_classifier.py --independent` runs, at 1 epoch of its 100: the network it trains is the one the
    # shipped weights load into, and the augmentation layers stay out of it.
    model, test_accuracy = classifier.train_independent_reader(epochs=1)
    assert [w.shape for w in model.weights] == [w.shape for w in classifier.independent_classifier().weights]
    assert test_accuracy > 0.5  # one epoch on 3,000 digits already reads most of them (chance: 0.1)


def test_splits_are_disjoint_and_balanced():
    s = classifier.digit_splits()
    for _, labels in (s.train, s.reference, s.test):
        assert np.all(np.bincount(labels, minlength=10) == len(labels) // 10)
    flat = {name: {img.tobytes() for img in getattr(s, name)[0]} for name in ("train", "reference", "test")}
    assert not (flat["train"] & flat["reference"]) and not (flat["train"] & flat["test"])
    # Computed once and shared by every caller, so nobody may change it in place.
    assert classifier.digit_splits() is s
    with pytest.raises(ValueError, match="read-only"):
        s.test[0][0, 0, 0, 0] = 1.0


@pytest.fixture(scope="module")
def controlled():
    s = classifier.digit_splits()
    test, labels = s.test
    sets = {
        "heldout": test,
        "kde": evaluation.kde_style(s.train[0], 1000),
        "collapsed": evaluation.collapsed(test),
        "dropped": evaluation.dropped_classes(test, labels),
        "copies": evaluation.copies(s.train[0], 1000),
    }
    return {name: metrics.evaluate(images) for name, images in sets.items()}


def test_controlled_sets_rank_as_expected(controlled):
    c = controlled
    assert c["heldout"]["fid"] * 5 < c["kde"]["fid"] < c["collapsed"]["fid"]
    assert c["collapsed"]["recall"] < c["kde"]["recall"] < c["heldout"]["recall"]
    assert c["collapsed"]["coverage"] < 0.2 < 0.9 < c["heldout"]["coverage"]
    assert c["dropped"]["classes_covered"] == 5 and c["heldout"]["classes_covered"] == 10
    # Copies of training digits fool FID but not the memorisation check.
    assert c["copies"]["fid"] < 5 and c["copies"]["memorised_fraction"] == 1.0
    assert c["heldout"]["memorised_fraction"] <= 0.05


def test_evaluate_cli_prints_one_json_line(tmp_path, here):
    """`gan-lessons evaluate` through the CLI's entry function, in this process (test_install runs the command itself,
    from the installed package)."""
    s = classifier.digit_splits()
    np.savez(tmp_path / "samples.npz", images=s.test[0][:200], labels=s.test[1][:200])
    result = json.loads(here("evaluate", str(tmp_path / "samples.npz")).stdout.strip().splitlines()[-1])
    for key in (
        "fid",
        "kid",
        "precision",
        "recall",
        "density",
        "coverage",
        "classes_covered",
        "class_histogram",
        "label_accuracy",
        "memorised_fraction",
    ):
        assert key in result
    assert result["label_accuracy"] > 0.9
    np.savez(tmp_path / "bad.npz", pictures=np.zeros(3))
    bad = here("evaluate", str(tmp_path / "bad.npz"), check=False)
    assert bad.returncode == 1 and "has no `images` array (it has: pictures)" in bad.stderr
    np.savez(tmp_path / "bytes.npz", images=(s.test[0][:50] + 1) * 127.5)  # the same digits in [0, 255]
    wrong_range = here("evaluate", str(tmp_path / "bytes.npz"), check=False)
    assert wrong_range.returncode == 1 and "range from 0 to 255; they must be in [-1, 1]" in wrong_range.stderr
    assert "images / 127.5 - 1" in wrong_range.stderr


def test_exercise_references_agree_with_the_package():
    from gan_lessons import evaluation

    assert metrics.frechet_distance([0.0], [[4.0]], [3.0], [[1.0]]) == pytest.approx(evaluation.solutions.FID_1D)
    toy = metrics.precision_recall(np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([[0.5], [10.0]]), k=1)
    assert toy["precision"] == evaluation.solutions.PRECISION_TOY


def _scores(**changes):
    base = dict(fid=2.0, kid=0.0, inception_score=9.4, precision=0.90, recall=0.87, density=1.04, coverage=0.98)
    return {**base, "classes_covered": 10, "memorised_fraction": 0.01, **changes}


def test_metric_moves_compares_each_flaw_with_what_sampling_alone_does():
    results = {
        "held-out real": _scores(),
        "more held-out real": _scores(fid=2.3, recall=0.89, memorised_fraction=0.02),  # what sampling alone does
        "copies": _scores(fid=2.2, memorised_fraction=1.0),  # real digits too: only copying moves
        "collapsed": _scores(fid=120.0, precision=1.0, recall=0.0, density=1.4, classes_covered=7),
        "slightly off": _scores(fid=2.8, recall=0.85),  # within 3x the real-vs-real change: not a move
    }
    moves = evaluation.metric_moves(results)
    assert set(moves) == {"copies", "collapsed", "slightly off"}
    assert {m: v for m, v in moves["copies"].items() if v != "-"} == {"memorised_fraction": "worse"}
    collapsed = moves["collapsed"]
    assert collapsed["fid"] == collapsed["recall"] == collapsed["classes_covered"] == "worse"
    assert collapsed["precision"] == "better"  # the flaw precision rewards
    assert collapsed["density"] == "worse"  # density is best near 1: 1.4 is further than 1.04
    assert set(moves["slightly off"].values()) == {"-"}
    assert evaluation.metric_moves(results, margin=0.5)["slightly off"]["fid"] == "worse"
    table = evaluation.format_moves(moves).splitlines()
    assert table[0].split()[0] == "set" and table[2].split()[:3] == ["collapsed", "worse", "-"]


def test_metric_moves_needs_both_real_sets():
    with pytest.raises(ValueError, match="two real sets 'held-out real' and 'more held-out real'"):
        evaluation.metric_moves({"held-out real": _scores(), "copies": _scores()})
    with pytest.raises(ValueError, match="margin must be > 0"):
        evaluation.metric_moves({"held-out real": _scores(), "more held-out real": _scores()}, margin=0)
