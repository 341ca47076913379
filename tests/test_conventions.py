"""Tests of regkit.conventions: the course's lam in every library's units, one check per row.

The conversions already tested in test_decay.py (Keras L2/L1 with cross-entropy, Keras mse + L2,
SGD weight decay, Ridge, Lasso) are not tested again here; the two new ones are compared with
computations that do not use them: a scipy minimization of Keras's own mse + L1 objective, and
one AdamW step against Adam's update rule written out in NumPy.
"""

import numpy as np
import pytest
from scipy.optimize import minimize

import regkit
import regkit.conventions
import regkit.decay
from regkit import CheckTable
from regkit._tf import import_tensorflow

tf = import_tensorflow()
keras = tf.keras


@pytest.fixture(scope="module")
def digits_slice():
    (x_train, y_train), _ = regkit.load_digits(seed=0)
    return x_train[:200], y_train[:200]


@pytest.fixture(scope="module")
def checks(digits_slice):
    return regkit.conventions_checks(*digits_slice)


# The table and its checks ---------------------------------------------------------------------


def test_one_passing_check_per_row(checks):
    rows = regkit.conventions_table(0.01, 200)
    assert isinstance(checks, CheckTable)
    assert len(checks) == len(rows) == 8
    assert checks.all_passed, [check.claim for check in checks.failures()]


def test_checks_follow_the_rows(checks):
    rows = regkit.conventions_table(0.01, 200)
    pairs = [
        ("L2(", "L2(c), cross-entropy"),
        ("L1(", "L1(c), cross-entropy"),
        ("mse + L2", "L2(c), loss='mse'"),
        ("mse + L1", "L1(c), loss='mse'"),
        ("SGD", "SGD(weight_decay"),
        ("AdamW", "AdamW("),
        ("Ridge", "Ridge("),
        ("Lasso", "Lasso("),
    ]
    for row, check, (in_claim, in_setting) in zip(rows, checks, pairs, strict=True):
        assert in_claim in check.claim
        assert in_setting in row.setting


def test_reused_rows_are_those_of_weight_decay_checks(checks, digits_slice):
    reference = set(regkit.weight_decay_checks(*digits_slice))
    reused = [check for check in checks if check in reference]
    assert len(reused) == 6


def test_table_values():
    lam, m = 0.002, 150
    values = [row.value for row in regkit.conventions_table(lam, m)]
    assert values == pytest.approx([0.001, 0.001, 0.002, 0.002, 0.002, None, 0.3, 0.001])
    assert values[5] is None  # AdamW: no exact equivalent
    table = regkit.conventions_html(lam, m)
    assert table.count("<tr>") == 9
    assert table.count("<td>") == 8 * 5
    assert "Σ|W|" in table


def test_source_l2_is_course_lambda_0_002():
    # The source's l2(0.001) with cross-entropy: c = lam / 2.
    assert regkit.keras_l2_coefficient(0.002) == pytest.approx(0.001)


# The two new conversions, each against an independent computation -----------------------------


@pytest.mark.parametrize("lam", [0.05, 0.4])
def test_mse_keras_l1_coefficient_has_the_course_minimizer(lam):
    X, y, _ = regkit.make_linear_problem(40, 5, n_informative=3, seed=7)
    m, n = X.shape
    regularizer = keras.regularizers.L1(regkit.mse_keras_l1_coefficient(lam))
    mse = keras.losses.MeanSquaredError(dtype="float64")

    # Keras's objective: its mse (value and gradient by TensorFlow, float64) plus its L1 term.
    # With w = p - q, p, q >= 0 and p * q = 0 at the optimum, L1(c)(w) = c * sum(p + q), where
    # c is read off Keras's regularizer itself; the problem is then smooth (bound-constrained).
    c = float(regularizer(tf.ones(1, tf.float64)))

    def value_and_gradient(z):
        variable = tf.Variable(z)
        with tf.GradientTape() as tape:
            w = variable[:n] - variable[n:]
            loss = mse(y[:, None], tf.linalg.matvec(X, w)[:, None]) + c * tf.reduce_sum(variable)
        return float(loss), tape.gradient(loss, variable).numpy()

    result = minimize(
        value_and_gradient, np.zeros(2 * n), jac=True, method="L-BFGS-B",
        bounds=[(0, None)] * (2 * n), options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10_000},
    )  # fmt: skip
    found = result.x[:n] - result.x[n:]
    assert regkit.relative_error(found, regkit.lasso(X, y, lam, tol=1e-12)) < 1e-4
    # c = lam/2, the cross-entropy rule, would solve the problem for lam/2 instead.
    assert regkit.mse_keras_l1_coefficient(lam) == pytest.approx(lam)
    assert m == X.shape[0]


def test_adamw_step_against_adams_rule_in_numpy():
    rng = np.random.default_rng(3)
    weights, gradient = rng.standard_normal(5), rng.standard_normal(5)
    lr, wd, eps = 0.01, 0.1, 1e-7
    variable = keras.Variable(weights.astype(np.float32))
    optimizer = keras.optimizers.AdamW(lr, weight_decay=wd, epsilon=eps)
    optimizer.apply_gradients([(tf.constant(gradient, tf.float32), variable)])
    # First Adam step: bias-corrected m = g, v = g^2; the decay is applied to the old weights.
    adam_step = lr * gradient / (np.abs(gradient) + eps)
    expected = regkit.adamw_decay_factor(lr, wd) * weights - adam_step
    np.testing.assert_allclose(variable.numpy(), expected, rtol=1e-5, atol=1e-6)
    # An L2 penalty lam*w in the gradient would be rescaled by Adam: a different step.
    penalized = weights - lr * (gradient + wd * weights) / (np.abs(gradient + wd * weights) + eps)
    assert np.max(np.abs(penalized - expected)) > 1e-4


def test_adamw_decay_factor_values():
    assert regkit.adamw_decay_factor(0.01, 0.1) == pytest.approx(0.999)
    assert regkit.adamw_decay_factor(0.5, 0.0) == 1.0


def test_doctests(run_doctests):
    attempted, report = run_doctests(regkit.conventions)
    assert attempted >= 2
    assert report == ""


# A wrong conversion makes its row fail ---------------------------------------------------------


def test_wrong_mse_l1_coefficient_fails(digits_slice, monkeypatch):
    monkeypatch.setattr(regkit.conventions, "mse_keras_l1_coefficient", lambda lam: lam / 2)
    table = regkit.conventions_checks(*digits_slice)
    assert [check.claim for check in table.failures()] == [table[3].claim]
    assert "mse + L1" in table[3].claim


def test_wrong_adamw_factor_fails(digits_slice, monkeypatch):
    monkeypatch.setattr(regkit.conventions, "adamw_decay_factor", lambda lr, wd: 1 - lr * wd / 2)
    table = regkit.conventions_checks(*digits_slice)
    assert [check.claim for check in table.failures()] == [table[5].claim]


def test_wrong_reused_conversion_fails(digits_slice, monkeypatch):
    monkeypatch.setattr(regkit.decay, "keras_l2_coefficient", lambda lam: lam)
    table = regkit.conventions_checks(*digits_slice)
    assert [check.claim for check in table.failures()] == [table[0].claim]


# Bad input --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lam", "m", "error", "match"),
    [
        (-0.1, 10, ValueError, "lam"),
        (float("nan"), 10, ValueError, "lam"),
        ("0.1", 10, TypeError, "lam"),
        (0.1, 0, ValueError, "m"),
        (0.1, 2.5, TypeError, "m"),
    ],
)
def test_table_rejects_bad_input(lam, m, error, match):
    with pytest.raises(error, match=match):
        regkit.conventions_table(lam, m)
    with pytest.raises(error, match=match):
        regkit.conventions_html(lam, m)


@pytest.mark.parametrize(
    ("function", "args", "error", "match"),
    [
        (regkit.mse_keras_l1_coefficient, (-1.0,), ValueError, "lam"),
        (regkit.mse_keras_l1_coefficient, (None,), TypeError, "lam"),
        (regkit.adamw_decay_factor, (0.0, 0.1), ValueError, "learning_rate"),
        (regkit.adamw_decay_factor, (0.1, -0.1), ValueError, "weight_decay"),
        (regkit.adamw_decay_factor, (0.1, [0.1]), TypeError, "weight_decay"),
    ],
)
def test_conversions_reject_bad_input(function, args, error, match):
    with pytest.raises(error, match=match):
        function(*args)


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        (dict(lam=0.0), ValueError, "lam"),
        (dict(learning_rate=-1.0), ValueError, "learning_rate"),
        (dict(steps=3), ValueError, "steps"),
        (dict(x=np.zeros(40)), ValueError, "x must"),
    ],
)
def test_checks_reject_bad_input(change, error, match):
    (x, y), _ = regkit.load_digits(seed=0)
    arguments = dict(x=x[:40], y=y[:40], lam=0.01) | change
    with pytest.raises(error, match=match):
        regkit.conventions_checks(arguments.pop("x"), arguments.pop("y"), **arguments)
