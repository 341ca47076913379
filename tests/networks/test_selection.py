"""Tests of regkit.selection: the one-standard-error rule, cross_validate, and mlp_logits.

The rule is checked on hand-made tables whose answers are worked out in the comments.
cross_validate runs on a small problem (400 digits, 4 strengths, 3 folds, 5 epochs) and every
number it reports is recomputed independently: the table with NumPy from the per-model
curves, the refit with Keras's own training (``train_alone``), the test metrics with a Keras
model's ``predict``. Tolerances are for float32 (see tests/networks/test_engine.py).
"""

import itertools
import math

import numpy as np
import pytest
from keras_reference import train_alone

import regkit

FLOAT32_TOL = 1e-5


# 1. one_standard_error_choice on hand-made tables --------------------------------------------


def test_best_is_the_lowest_mean_and_one_se_the_largest_lam_within_one_se():
    # Best: 0.01 (0.40). SE = 0.1 / sqrt(4) = 0.05, threshold 0.45: 0.1 (0.43) is within,
    # 0 (0.50) and 1 (0.60) are not.
    lams = [0.0, 0.01, 0.1, 1.0]
    means = [0.50, 0.40, 0.43, 0.60]
    assert regkit.one_standard_error_choice(lams, means, [0.1] * 4, 4) == (0.01, 0.1)


@pytest.mark.parametrize(
    ("folds", "one_se"),
    # SE = 0.1 / sqrt(folds) above the best mean 0.40: folds=2 -> 0.471 (0.43 in, 0.48 out),
    # folds=4 -> 0.45 (0.43 in, 0.48 out), folds=16 -> 0.425 (0.43 out). Dividing by folds
    # instead would give 0.425 for folds=4; not dividing at all, 0.50 (0.48 in).
    [(2, 0.01), (4, 0.01), (16, 0.0)],
)
def test_standard_error_is_std_over_sqrt_folds(folds, one_se):
    lams = [0.0, 0.01, 0.1, 1.0]
    means = [0.40, 0.43, 0.48, 0.60]
    assert regkit.one_standard_error_choice(lams, means, [0.1] * 4, folds) == (0.0, one_se)


def test_mean_exactly_at_the_threshold_is_within_one_se():
    # 0.25 + 0.25 / sqrt(4) = 0.375 exactly in binary floating point.
    lams = [0.0, 0.1, 1.0]
    means = [0.25, 0.375, 0.5]
    assert regkit.one_standard_error_choice(lams, means, [0.25, 0.3, 0.3], 4) == (0.0, 0.1)


def test_tied_means_give_the_largest_tied_lam_as_one_se():
    lams = [0.0, 0.01, 0.1, 1.0]
    means = [0.5, 0.3, 0.3, 0.9]
    best, one_se = regkit.one_standard_error_choice(lams, means, [0.0] * 4, 5)
    assert best in (0.01, 0.1)
    assert one_se == 0.1


def test_zero_spread_picks_the_best():
    lams = [0.0, 0.01, 0.1]
    assert regkit.one_standard_error_choice(lams, [0.5, 0.4, 0.41], [0.0] * 3, 5) == (0.01, 0.01)


def test_one_se_is_the_largest_lam_whatever_the_order_of_the_grid():
    lams = [1.0, 0.1, 0.01, 0.0]
    means = [0.60, 0.43, 0.40, 0.50]
    assert regkit.one_standard_error_choice(lams, means, [0.1] * 4, 4) == (0.01, 0.1)


BAD_TABLES = [
    ("shapes", ([0.0, 1.0], [1.0, 1.1, 1.2], [0.1, 0.1]), r"same shape; got \(2,\), \(3,\)"),
    ("NaN mean", ([0.0, 1.0], [math.nan, 1.1], [0.1, 0.1]), "means must contain only finite"),
    ("inf std", ([0.0, 1.0], [1.0, 1.1], [math.inf, 0.1]), "stds must contain only finite"),
    ("empty", ([], [], []), "lams must not be empty"),
    ("2-D means", ([0.0, 1.0], [[1.0, 1.1]], [0.1, 0.1]), "means must be a vector"),
]


@pytest.mark.parametrize(
    ("table", "pattern"), [b[1:] for b in BAD_TABLES], ids=[b[0] for b in BAD_TABLES]
)
def test_one_standard_error_choice_rejects_bad_tables(table, pattern):
    with pytest.raises(ValueError, match=pattern):
        regkit.one_standard_error_choice(*table, 3)


def test_one_standard_error_choice_rejects_zero_folds():
    with pytest.raises(ValueError, match="folds"):
        regkit.one_standard_error_choice([0.0, 1.0], [1.0, 2.0], [0.1, 0.1], 0)


def test_one_standard_error_choice_rejects_negative_stds():
    with pytest.raises(ValueError, match="stds"):
        regkit.one_standard_error_choice([0.0, 1.0], [1.0, 1.1], [-0.1, 0.1], 3)


# 2. cross_validate ---------------------------------------------------------------------------

GRID = (0.0, 1e-3, 1e-2, 0.3)
K = 3
SEED = 3
HIDDEN = (16,)
TRAINING = regkit.Training(learning_rate=1e-2, epochs=5, batch_size=32)


@pytest.fixture(scope="module")
def digits():
    (x, y), (x_test, y_test) = regkit.load_digits(seed=0)
    return x[:400], y[:400], x_test[:200], y_test[:200]


@pytest.fixture(scope="module")
def validated(digits):
    x, y, x_test, y_test = digits
    return regkit.cross_validate(
        x, y, GRID, K, test_data=(x_test, y_test), hidden=HIDDEN, seed=SEED, training=TRAINING
    )


@pytest.fixture(scope="module")
def validated_best(digits):
    """The same run with rule="best" and no test set."""
    x, y, _, _ = digits
    return regkit.cross_validate(
        x, y, GRID, K, rule="best", hidden=HIDDEN, seed=SEED, training=TRAINING
    )


def keras_logits(weights, x):
    model = regkit.build_mlp(x.shape[1], hidden=HIDDEN, num_classes=10)
    model.set_weights(weights)
    return model.predict(x, verbose=0)


def test_table_equals_a_recomputation_from_the_sweep(validated):
    result = validated.sweep
    np.testing.assert_array_equal(validated.lams, GRID)
    for i, lam in enumerate(GRID):
        mine = result.lams == lam
        np.testing.assert_array_equal(np.sort(result.folds[mine]), np.arange(K))
        cross_entropy = result.val_cross_entropy[mine, -1].astype(np.float64)
        accuracy = result.val_accuracy[mine, -1].astype(np.float64)
        assert validated.mean_cross_entropy[i] == pytest.approx(cross_entropy.mean(), rel=1e-6)
        assert validated.std_cross_entropy[i] == pytest.approx(cross_entropy.std(ddof=1), rel=1e-6)
        assert validated.mean_accuracy[i] == pytest.approx(accuracy.mean(), rel=1e-6)
        assert validated.std_accuracy[i] == pytest.approx(accuracy.std(ddof=1), rel=1e-6)
    assert validated.sweep_seconds > 0


def test_best_and_one_se_follow_the_rule(validated):
    means, stds = validated.mean_cross_entropy, validated.std_cross_entropy
    best = int(np.argmin(means))
    threshold = means[best] + stds[best] / math.sqrt(K)
    assert validated.best_lam == GRID[best]
    assert validated.one_se_lam == max(
        lam for lam, m in zip(GRID, means, strict=True) if m <= threshold
    )
    # Not vacuous: on this problem the rule moves to a larger lam, and the largest is too
    # strong (its cross-entropy is near log(10), the uninformed guess).
    assert validated.one_se_lam > validated.best_lam
    assert validated.one_se_lam < GRID[-1]


def test_chosen_lam_follows_the_rule(validated, validated_best):
    assert validated.chosen_lam == validated.one_se_lam
    assert validated_best.chosen_lam == validated_best.best_lam
    # Same data and seed: the same sweep, so the two rules choose from the same table.
    np.testing.assert_array_equal(validated_best.mean_cross_entropy, validated.mean_cross_entropy)
    assert validated_best.chosen_lam != validated.chosen_lam


def test_refit_equals_keras_trained_alone_on_all_rows(validated, digits):
    # The refit is one model on every row: initial weights of seed SEED (initial_weights with
    # the bare seed, the same stream as [SEED, 0]), batches of model index 0.
    x, y, _, _ = digits
    init = regkit.initial_weights(64, HIDDEN, 10, SEED)
    weights, _ = train_alone(
        x, y, np.arange(len(x)), validated.chosen_lam, init, seed=[SEED, 0], training=TRAINING
    )
    assert [w.shape for w in validated.weights] == [w.shape for w in weights]
    gap = max(
        float(np.max(np.abs(a - b))) for a, b in zip(validated.weights, weights, strict=True)
    )
    assert gap <= FLOAT32_TOL
    moved = min(float(np.max(np.abs(a - b))) for a, b in zip(weights, init, strict=True))
    assert moved > 1e-3


def test_test_metrics_equal_a_keras_evaluation_of_the_refit(validated, digits):
    _, _, x_test, y_test = digits
    logits = keras_logits(validated.weights, x_test)
    expected = regkit.softmax_cross_entropy(logits, y_test)
    assert validated.test_cross_entropy == pytest.approx(expected, rel=FLOAT32_TOL)
    # Float32 (Keras) against float64 (mlp_logits) could flip a near-tie: at most one row.
    accuracy = float(np.mean(np.argmax(logits, axis=1) == y_test))
    assert abs(validated.test_accuracy - accuracy) <= 1 / len(y_test) + 1e-12


def test_without_test_data_the_test_metrics_are_nan(validated_best):
    assert math.isnan(validated_best.test_cross_entropy)
    assert math.isnan(validated_best.test_accuracy)


def test_unknown_rule_raises(digits):
    x, y, _, _ = digits
    with pytest.raises(ValueError, match=r"rule must be one of .*'minimum'"):
        regkit.cross_validate(x, y, GRID, K, rule="minimum", hidden=HIDDEN)


# 3. mlp_logits -------------------------------------------------------------------------------


def random_weights(sizes, seed=0):
    """Kernels and non-zero biases, so that the bias of every layer shows in the logits."""
    rng = np.random.default_rng(seed)
    weights = []
    for fan_in, fan_out in itertools.pairwise(sizes):
        weights.append(rng.normal(0, 1 / math.sqrt(fan_in), (fan_in, fan_out)).astype(np.float32))
        weights.append(rng.normal(0, 0.5, fan_out).astype(np.float32))
    return weights


@pytest.mark.parametrize("hidden", [(), (16,), (16, 8)])
def test_mlp_logits_equal_keras_predict(digits, hidden):
    x = digits[0][:50]
    weights = random_weights([64, *hidden, 10], seed=len(hidden))
    model = regkit.build_mlp(64, hidden=hidden, num_classes=10)
    model.set_weights(weights)
    expected = model.predict(x, verbose=0)
    logits = regkit.mlp_logits(weights, x)
    assert logits.shape == (50, 10)
    assert logits.dtype == np.float64
    # Keras works in float32: relative rounding ~1e-7 per operation, logits of order 1-10.
    np.testing.assert_allclose(logits, expected, rtol=FLOAT32_TOL, atol=FLOAT32_TOL)


MALFORMED = [
    ("empty", lambda w: [], "alternate kernels and biases"),
    ("odd count", lambda w: w[:3], "alternate kernels and biases"),
    ("kernel does not fit x", lambda w: [w[0][:10], *w[1:]], r"layer 0: kernel shape \(10, 16\)"),
    ("kernels do not chain", lambda w: [*w[:2], w[2][:8], w[3]], r"layer 1: .*\(8, 10\)"),
    ("1-D kernel", lambda w: [w[0][0], *w[1:]], r"layer 0: kernel shape \(16,\)"),
    ("bias of wrong length", lambda w: [w[0], w[1][:3], *w[2:]], "bias shape"),
]


@pytest.mark.parametrize(
    ("change", "pattern"), [b[1:] for b in MALFORMED], ids=[b[0] for b in MALFORMED]
)
def test_mlp_logits_rejects_malformed_weights(digits, change, pattern):
    weights = random_weights([64, 16, 10])
    with pytest.raises(ValueError, match=pattern):
        regkit.mlp_logits(change(weights), digits[0][:5])


def test_mlp_logits_rejects_a_1d_x(digits):
    with pytest.raises(ValueError, match="x must be a matrix"):
        regkit.mlp_logits(random_weights([64, 16, 10]), digits[0][0])


def test_mlp_logits_rejects_a_bias_of_length_one(digits):
    weights = random_weights([64, 16, 10])
    with pytest.raises(ValueError, match="bias"):
        regkit.mlp_logits([weights[0], weights[1][:1], *weights[2:]], digits[0][:5])
