"""Tests of regkit.core.conversions: the course's lam in the units of Keras and scikit-learn.

Every conversion is compared with a computation that does not use it: Keras's own regularizers
and optimizer step, scikit-learn's solvers, and scipy's minimizers run on the other library's
objective.
"""

import math

import numpy as np
import pytest
from scipy.optimize import minimize
from scipy.stats import laplace, norm
from sklearn.linear_model import ElasticNet, Lasso, Ridge

import regkit
import regkit.checks.networks
import regkit.core.conversions
from regkit.backend import import_tensorflow

tf = import_tensorflow()
keras = tf.keras


LAMS = [0.003, 0.05, 0.4]


@pytest.fixture(scope="module")
def linear():
    X, y, _ = regkit.make_linear_problem(40, 5, n_informative=3, seed=7)
    return X, y


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


@pytest.mark.parametrize("momentum", [0.5, 0.9])
def test_sgd_weight_decay_with_momentum_makes_keras_converge_to_the_l2_minimizer(momentum):
    # A quadratic L(w) = 0.5 (w - c)^T A (w - c), driven by Keras's own optimizer to its fixed
    # point; the L2 minimizer of L + (lam/2)||w||^2 solves (A + lam I) w = A c.
    rng = np.random.default_rng(3)
    basis = np.linalg.qr(rng.standard_normal((4, 4)))[0]
    A, c, lam = basis @ np.diag([0.5, 1.0, 1.5, 2.0]) @ basis.T, rng.standard_normal(4), 0.3
    decay = regkit.sgd_weight_decay(lam, momentum=momentum)
    optimizer = keras.optimizers.SGD(0.1, momentum=momentum, weight_decay=decay)
    variable = keras.Variable(np.zeros(4))
    for _ in range(1500):
        gradient = A @ (variable.numpy() - c)
        optimizer.apply_gradients([(tf.constant(gradient), variable)])
    expected = np.linalg.solve(A + lam * np.eye(4), A @ c)
    np.testing.assert_allclose(variable.numpy(), expected, rtol=1e-6)


@pytest.mark.parametrize(
    ("momentum", "error"),
    [(1.0, ValueError), (-0.1, ValueError), (math.nan, ValueError), ("0.9", TypeError)],
)
def test_sgd_weight_decay_rejects_a_bad_momentum(momentum, error):
    with pytest.raises(error, match="momentum"):
        regkit.sgd_weight_decay(0.1, momentum=momentum)


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


def test_source_l2_is_course_lambda_0_002():
    # The source's l2(0.001) with cross-entropy: c = lam / 2.
    assert regkit.keras_l2_coefficient(0.002) == pytest.approx(0.001)


def test_adamw_decay_factor_values():
    assert regkit.adamw_decay_factor(0.01, 0.1) == pytest.approx(0.999)
    assert regkit.adamw_decay_factor(0.5, 0.0) == 1.0


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
    attempted, report = run_doctests(regkit.core.conversions)
    assert attempted >= 1
    assert report == ""


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


# the Bayesian reading: MAP estimates ---------------------------------------------------------


def negative_log_posterior(w, X, y, noise_std, prior_scale, prior):
    """-log p(w | y) up to a constant, from SciPy's densities (not from the course's formula)."""
    likelihood = norm.logpdf(y, loc=X @ w, scale=noise_std).sum()
    density = norm(scale=prior_scale) if prior == "gaussian" else laplace(scale=prior_scale)
    return -(likelihood + density.logpdf(w).sum())


@pytest.mark.parametrize(("noise_std", "prior_scale"), [(0.5, 0.3), (1.0, 2.0)])
def test_map_lambda_gaussian_gives_the_posterior_mode_and_mean(noise_std, prior_scale):
    X, y, _ = regkit.make_linear_problem(30, 5, seed=5)
    m = X.shape[0]
    lam = regkit.map_lambda(noise_std, prior_scale, m, "gaussian")
    mode = minimize(
        negative_log_posterior,
        np.zeros(5),
        args=(X, y, noise_std, prior_scale, "gaussian"),
        method="BFGS",
        options={"gtol": 1e-10},
    ).x
    np.testing.assert_allclose(regkit.ridge(X, y, lam), mode, atol=1e-6)
    # the Gaussian posterior is Gaussian: its mean is (X^T X / s^2 + I / t^2)^-1 X^T y / s^2
    precision = X.T @ X / noise_std**2 + np.eye(5) / prior_scale**2
    mean = np.linalg.solve(precision, X.T @ y / noise_std**2)
    np.testing.assert_allclose(regkit.ridge(X, y, lam), mean, rtol=1e-10)


@pytest.mark.parametrize(("noise_std", "prior_scale"), [(0.5, 0.05), (1.0, 0.2)])
def test_map_lambda_laplace_gives_the_posterior_mode(noise_std, prior_scale):
    X, y, _ = regkit.make_linear_problem(30, 5, n_informative=2, seed=6)
    m = X.shape[0]
    lam = regkit.map_lambda(noise_std, prior_scale, m, "laplace")
    exact = regkit.lasso(X, y, lam, tol=1e-12)
    assert np.sum(exact == 0) >= 1  # the prior is strong enough to set weights to zero

    def objective(w):
        return negative_log_posterior(w, X, y, noise_std, prior_scale, "laplace")

    mode = minimize(
        objective, np.zeros(5), method="Powell", options={"xtol": 1e-10, "ftol": 1e-14}
    ).x
    assert objective(exact) <= objective(mode) + 1e-9  # no general-purpose optimum is lower
    np.testing.assert_allclose(exact, mode, atol=1e-4)


@pytest.mark.parametrize(
    ("arguments", "error", "name"),
    [
        ((0.0, 1.0, 10, "gaussian"), ValueError, "noise_std"),
        ((1.0, -1.0, 10, "laplace"), ValueError, "prior_scale"),
        ((1.0, 1.0, 0, "gaussian"), ValueError, "m"),
        ((1.0, 1.0, 10, "cauchy"), ValueError, "prior"),
        (("1", 1.0, 10, "gaussian"), TypeError, "noise_std"),
    ],
)
def test_map_lambda_rejects_bad_input(arguments, error, name):
    with pytest.raises(error, match=name):
        regkit.map_lambda(*arguments)


# the elastic net in other libraries -----------------------------------------------------------


@pytest.mark.parametrize("rho", [0.0, 0.3, 1.0])
def test_sklearn_elastic_net_arguments_give_regkit_elastic_net(linear, rho):
    X, y = linear
    arguments = regkit.sklearn_elastic_net_arguments(0.2, rho)
    model = ElasticNet(**arguments, fit_intercept=False, tol=1e-14, max_iter=10**6).fit(X, y)
    np.testing.assert_allclose(
        model.coef_, regkit.elastic_net(X, y, 0.2, rho, tol=1e-12), atol=1e-8
    )


@pytest.mark.parametrize("rho", [0.0, 0.4, 1.0])
def test_keras_l1l2_arguments_give_the_course_penalty(rho):
    weights = np.random.default_rng(7).standard_normal((5, 3))
    regularizer = keras.regularizers.L1L2(**regkit.keras_l1l2_arguments(0.3, rho))
    expected = 0.3 / 2 * (rho * np.abs(weights).sum() + (1 - rho) * (weights**2).sum())
    assert float(regularizer(tf.constant(weights))) == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize(
    "function", [regkit.sklearn_elastic_net_arguments, regkit.keras_l1l2_arguments]
)
@pytest.mark.parametrize(
    ("l1_ratio", "error"), [(1.5, ValueError), (-0.5, ValueError), (None, TypeError)]
)
def test_elastic_net_arguments_reject_a_bad_l1_ratio(function, l1_ratio, error):
    with pytest.raises(error, match="l1_ratio"):
        function(0.1, l1_ratio)
