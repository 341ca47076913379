"""Tests of regkit.decay: weight decay versus an L2 penalty, and the course's lam elsewhere.

Every conversion is compared with a computation that does not use it: Keras's own regularizers
and optimizer step, scikit-learn's solvers, and scipy's minimizers run on the other library's
objective. The check suite must pass as it is and fail when a conversion is wrong.
"""

import math

import numpy as np
import pytest
from scipy.optimize import minimize
from sklearn.linear_model import Lasso, Ridge

import regkit
import regkit.decay
from regkit import CheckTable
from regkit._tf import import_tensorflow

tf = import_tensorflow()
keras = tf.keras

LAMS = [0.003, 0.05, 0.4]


@pytest.fixture(scope="module")
def digits_slice():
    (x_train, y_train), _ = regkit.load_digits(seed=0)
    return x_train[:200], y_train[:200]


@pytest.fixture(scope="module")
def checks(digits_slice):
    return regkit.weight_decay_checks(*digits_slice)


@pytest.fixture(scope="module")
def trajectories(digits_slice):
    x, y = digits_slice
    return regkit.decay_trajectories(
        x, y, lam=0.01, learning_rate=0.01, epochs=6, batch_size=32, seed=0
    )


@pytest.fixture(scope="module")
def linear():
    X, y, _ = regkit.make_linear_problem(40, 5, n_informative=3, seed=7)
    return X, y


def failing_claims(table):
    return [check.claim for check in table.failures()]


# Conversions, each against an independent computation ----------------------------------------


@pytest.mark.parametrize("lam", LAMS)
def test_keras_l2_coefficient_gives_the_course_penalty_and_gradient(lam):
    weights = np.random.default_rng(0).standard_normal((6, 3))
    variable = tf.Variable(weights, dtype=tf.float64)
    regularizer = keras.regularizers.L2(regkit.keras_l2_coefficient(lam))
    with tf.GradientTape() as tape:
        value = regularizer(variable)
    # Keras casts the Python float c to a tensor (float32) before casting it to the weights'
    # dtype (regularizers.py, L2.__call__), so even float64 penalties carry a float32 c.
    assert float(value) == pytest.approx(lam / 2 * np.sum(weights**2), rel=1e-7)
    # The course's penalty (lam/2) sum W^2 has gradient lam * W.
    np.testing.assert_allclose(tape.gradient(value, variable).numpy(), lam * weights, rtol=1e-7)
    assert regkit.keras_regularizer(lam, "l2").l2 == pytest.approx(
        regkit.keras_l2_coefficient(lam)
    )


@pytest.mark.parametrize("lam", LAMS)
def test_keras_l1_coefficient_gives_the_course_penalty(lam):
    weights = np.random.default_rng(1).standard_normal((6, 3))
    regularizer = keras.regularizers.L1(regkit.keras_l1_coefficient(lam))
    value = float(regularizer(tf.constant(weights)))
    assert value == pytest.approx(lam / 2 * np.sum(np.abs(weights)), rel=1e-7)


@pytest.mark.parametrize("lam", LAMS)
def test_sgd_weight_decay_makes_one_keras_step_an_l2_step(lam):
    rng = np.random.default_rng(2)
    weights, gradient = rng.standard_normal(5), rng.standard_normal(5)
    learning_rate = 0.1
    variable = keras.Variable(weights.astype(np.float32))
    optimizer = keras.optimizers.SGD(learning_rate, weight_decay=regkit.sgd_weight_decay(lam))
    optimizer.apply_gradients([(tf.constant(gradient, tf.float32), variable)])
    # Gradient step on L(w) + (lam/2)||w||^2, the gradient of L being `gradient`.
    expected = weights - learning_rate * (gradient + lam * weights)
    np.testing.assert_allclose(variable.numpy(), expected, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("lam", LAMS)
def test_ridge_alpha_matches_the_normal_equations(linear, lam):
    X, y = linear
    m, n = X.shape
    course = np.linalg.solve(X.T @ X + m * lam * np.eye(n), X.T @ y)
    alpha = regkit.ridge_alpha(lam, m)
    fitted = Ridge(alpha=alpha, fit_intercept=False, solver="cholesky").fit(X, y).coef_
    np.testing.assert_allclose(fitted, course, rtol=1e-10)
    wrong = Ridge(alpha=lam, fit_intercept=False, solver="cholesky").fit(X, y).coef_
    assert regkit.relative_error(wrong, course) > 1e-3


def _course_lasso_by_scipy(X, y, lam):
    """Minimize 1/(2m)||y - Xw||^2 + (lam/2)||w||_1 with w = p - q, p, q >= 0 (smooth)."""
    m, n = X.shape

    def value_and_gradient(z):
        p, q = z[:n], z[n:]
        residual = X @ (p - q) - y
        data_gradient = X.T @ residual / m
        value = residual @ residual / (2 * m) + lam / 2 * np.sum(z)
        return value, np.concatenate([data_gradient + lam / 2, -data_gradient + lam / 2])

    result = minimize(
        value_and_gradient,
        np.zeros(2 * n),
        jac=True,
        method="L-BFGS-B",
        bounds=[(0, None)] * (2 * n),
        options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10_000},
    )
    return result.x[:n] - result.x[n:]


@pytest.mark.parametrize("lam", LAMS)
def test_lasso_alpha_matches_a_scipy_minimization_of_the_course_objective(linear, lam):
    X, y = linear
    course = _course_lasso_by_scipy(X, y, lam)
    fit = Lasso(alpha=regkit.lasso_alpha(lam), fit_intercept=False, tol=1e-14, max_iter=10**6)
    np.testing.assert_allclose(fit.fit(X, y).coef_, course, atol=1e-6)
    wrong = Lasso(alpha=lam, fit_intercept=False, tol=1e-14, max_iter=10**6).fit(X, y).coef_
    assert np.max(np.abs(wrong - course)) > 1e-4


def _keras_mse_minimizer(X, y, coefficient):
    """Minimize Keras's own mse + L2(coefficient) of a linear model, in float64, with scipy."""
    regularizer = keras.regularizers.L2(coefficient)
    mse = keras.losses.MeanSquaredError(dtype="float64")

    def value(w):
        return float(mse(y[:, None], (X @ w)[:, None]) + regularizer(tf.constant(w)))

    result = minimize(value, np.zeros(X.shape[1]), method="BFGS", options={"gtol": 1e-10})
    return result.x


@pytest.mark.parametrize("lam", [0.05, 0.4])
def test_mse_keras_l2_coefficient_has_the_course_minimizer(linear, lam):
    X, y = linear
    prediction = X @ np.ones(X.shape[1])
    mse = keras.losses.MeanSquaredError(dtype="float64")
    keras_value = float(mse(y[:, None], prediction[:, None]))
    assert keras_value == pytest.approx(np.mean((y - prediction) ** 2), rel=1e-12), "no 1/2"
    found = _keras_mse_minimizer(X, y, regkit.mse_keras_l2_coefficient(lam))
    assert regkit.relative_error(found, regkit.ridge(X, y, lam)) < 1e-6
    # c = lam/2 would be the cross-entropy rule; with mse it solves the problem for lam/2.
    halved = _keras_mse_minimizer(X, y, lam / 2)
    assert regkit.relative_error(halved, regkit.ridge(X, y, lam / 2)) < 1e-6
    assert regkit.relative_error(halved, regkit.ridge(X, y, lam)) > 1e-3


@pytest.mark.parametrize(
    ("function", "factor"),
    [
        (regkit.keras_l2_coefficient, 0.5),
        (regkit.keras_l1_coefficient, 0.5),
        (regkit.sgd_weight_decay, 1.0),
        (regkit.lasso_alpha, 0.5),
        (regkit.mse_keras_l2_coefficient, 1.0),
    ],
)
def test_conversion_values_and_types(function, factor):
    assert function(0.3) == pytest.approx(0.3 * factor)
    assert function(0) == 0.0
    assert isinstance(function(np.float64(0.2)), float)
    assert regkit.ridge_alpha(0.3, 40) == pytest.approx(12.0)


def test_doctests(run_doctests):
    attempted, report = run_doctests(regkit.decay)
    assert attempted >= 1
    assert report == ""


# weight_decay_checks -------------------------------------------------------------------------


def test_weight_decay_checks_pass(checks):
    assert isinstance(checks, CheckTable)
    assert len(checks) == 10
    assert checks.all_passed, failing_claims(checks)


def test_weight_decay_checks_separate_equal_from_different(checks):
    by_claim = {check.claim: check.measured for check in checks}
    sgd = next(v for k, v in by_claim.items() if k.startswith("SGD, "))
    momentum = next(v for k, v in by_claim.items() if k.startswith("SGD momentum"))
    adam = next(v for k, v in by_claim.items() if k.startswith("Adam + L2"))
    assert sgd < 1e-5 and momentum > 100 * sgd and adam > 100 * sgd


def test_wrong_weight_decay_factor_fails(digits_slice, monkeypatch):
    monkeypatch.setattr(regkit.decay, "sgd_weight_decay", lambda lam: 2 * lam)
    table = regkit.weight_decay_checks(*digits_slice)
    assert table.all_passed is False
    assert any(claim.startswith("SGD, ") for claim in failing_claims(table))


def test_wrong_mse_coefficient_fails(digits_slice, monkeypatch):
    monkeypatch.setattr(regkit.decay, "mse_keras_l2_coefficient", lambda lam: lam / 2)
    table = regkit.weight_decay_checks(*digits_slice)
    assert table.all_passed is False
    assert [claim.startswith("Keras mse") for claim in failing_claims(table)] == [True]


# decay_trajectories --------------------------------------------------------------------------


def test_trajectories_shapes(trajectories):
    assert tuple(trajectories) == regkit.decay.TRAJECTORY_NAMES
    for record in trajectories.values():
        np.testing.assert_array_equal(record["epoch"], np.arange(7))
        for key in ("kernel_norm", "cross_entropy"):
            assert record[key].shape == (7,)
            assert np.all(np.isfinite(record[key])) and np.all(record[key] > 0)
    starts = {(r["kernel_norm"][0], r["cross_entropy"][0]) for r in trajectories.values()}
    assert len(starts) == 1, "all four runs start from the same weights"


def test_sgd_pair_coincides_at_every_epoch(trajectories):
    l2, decay = trajectories["SGD + L2"], trajectories["SGD + decay"]
    for key in ("kernel_norm", "cross_entropy"):
        np.testing.assert_allclose(decay[key], l2[key], rtol=1e-5)


def test_adam_pair_differs(trajectories):
    l2, adamw = trajectories["Adam + L2"], trajectories["AdamW"]
    gap = abs(adamw["kernel_norm"][-1] - l2["kernel_norm"][-1]) / l2["kernel_norm"][-1]
    assert gap > 1e-2
    assert not math.isclose(adamw["cross_entropy"][-1], l2["cross_entropy"][-1], rel_tol=1e-3)


# Bad input -----------------------------------------------------------------------------------

CONVERSIONS = [
    regkit.keras_l2_coefficient,
    regkit.keras_l1_coefficient,
    regkit.sgd_weight_decay,
    regkit.lasso_alpha,
    regkit.mse_keras_l2_coefficient,
    lambda lam: regkit.ridge_alpha(lam, 10),
]


@pytest.mark.parametrize("function", CONVERSIONS)
@pytest.mark.parametrize(
    ("lam", "error"),
    [(-0.1, ValueError), (math.nan, ValueError), (math.inf, ValueError), ("0.1", TypeError),
     (True, TypeError), (None, TypeError)],
)  # fmt: skip
def test_conversions_reject_bad_lam(function, lam, error):
    with pytest.raises(error, match="lam"):
        function(lam)


@pytest.mark.parametrize(("m", "error"), [(0, ValueError), (2.5, TypeError), ("3", TypeError)])
def test_ridge_alpha_rejects_bad_m(m, error):
    with pytest.raises(error, match="m must"):
        regkit.ridge_alpha(0.1, m)


def _digits(n=40):
    (x, y), _ = regkit.load_digits(seed=0)
    return x[:n], y[:n]


BAD_CALLS = [
    (dict(lam=0.0), ValueError, "lam"),
    (dict(lam=-1.0), ValueError, "lam"),
    (dict(learning_rate=0.0), ValueError, "learning_rate"),
    (dict(x=np.zeros(40)), ValueError, "x must"),
    (dict(y=np.zeros(40)), TypeError, "y must"),
    (dict(y=np.arange(39)), ValueError, "same number"),
    (dict(y=-np.ones(40, dtype=int)), ValueError, "y must"),
    (dict(x=np.full((40, 64), np.nan)), ValueError, "x must"),
    (dict(seed=-1), ValueError, "seed"),
]


@pytest.mark.parametrize(
    ("change", "error", "match"), [*BAD_CALLS, (dict(steps=5), ValueError, "steps")]
)
def test_weight_decay_checks_reject_bad_input(change, error, match):
    x, y = _digits()
    arguments = dict(x=x, y=y, lam=0.01, learning_rate=0.05, steps=20, seed=0) | change
    with pytest.raises(error, match=match):
        regkit.weight_decay_checks(arguments.pop("x"), arguments.pop("y"), **arguments)


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        *BAD_CALLS,
        (dict(epochs=0), ValueError, "epochs"),
        (dict(batch_size=1.5), TypeError, "batch"),
    ],
)
def test_decay_trajectories_reject_bad_input(change, error, match):
    x, y = _digits()
    arguments = dict(x=x, y=y, lam=0.01, learning_rate=0.05, epochs=1, batch_size=8) | change
    with pytest.raises(error, match=match):
        regkit.decay_trajectories(arguments.pop("x"), arguments.pop("y"), **arguments)


def test_decay_trajectories_requires_its_keywords():
    x, y = _digits()
    with pytest.raises(TypeError):
        regkit.decay_trajectories(x, y, lam=0.01, learning_rate=0.05, epochs=1)
