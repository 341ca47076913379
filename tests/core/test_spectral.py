"""Tests of regkit.core.spectral: ridge through the SVD (shrinkage factors, degrees of freedom,
condition number, bias and variance), and of the constrained minimizers of regkit.core.solvers.
"""

import numpy as np
import pytest
from problem_specs import PLANE_PROBLEMS, SPECTRAL_PROBLEMS, make

import regkit
import regkit.checks.solutions
import regkit.core.solvers
import regkit.core.spectral

PROBLEMS = SPECTRAL_PROBLEMS


def test_shrinkage_factors_lie_in_unit_interval_and_fall_with_lam():
    X, _, _ = make(PROBLEMS["ill-60x6-cond1e4"])
    lams = np.logspace(-10, 2, 50)
    factors = np.array([regkit.shrinkage_factors(X, lam) for lam in lams])
    assert np.all((factors >= 0) & (factors <= 1))
    assert np.all(np.diff(factors, axis=0) <= 0)
    assert np.all(regkit.shrinkage_factors(X, 0.0) == 1.0)
    # halfway where m lam = s_k**2
    s = np.linalg.svd(X, compute_uv=False)
    assert regkit.shrinkage_factors(X, s[2] ** 2 / X.shape[0])[2] == pytest.approx(0.5)


def test_shrinkage_factors_of_zero_singular_value_is_zero():
    X = np.array([[1.0, 1.0], [1.0, 1.0]])  # rank 1; SVD gives a second value near 1e-16
    factors = regkit.shrinkage_factors(X, 0.0)
    assert factors[0] == 1.0 and factors[1] == 0.0
    X, _, _ = make(PROBLEMS["tall-30x5"])
    X_dup = np.column_stack([X, X[:, 0]])  # rank 5 of 6
    assert regkit.effective_dof(X_dup, 0.0) == 5
    assert regkit.ridge_condition_number(X_dup, 0.0) == float("inf")


@pytest.mark.parametrize("spec", [PROBLEMS["tall-50x10"], dict(m=20, n=40, seed=2)])
def test_effective_dof_is_rank_at_zero_and_trace_of_hat_matrix(spec):
    X, _, _ = make(spec)
    m, n = X.shape
    assert regkit.effective_dof(X, 0.0) == pytest.approx(np.linalg.matrix_rank(X))
    for lam in (1e-3, 0.1, 10.0):
        hat = X @ np.linalg.solve(X.T @ X + m * lam * np.eye(n), X.T)
        assert regkit.effective_dof(X, lam) == pytest.approx(np.trace(hat), rel=1e-10)


def test_ridge_condition_number_matches_numpy_and_is_infinite_when_singular():
    X, _, _ = make(PROBLEMS["tall-30x5"])
    m, n = X.shape
    for lam in (0.0, 1e-2, 1.0):
        expected = np.linalg.cond(X.T @ X + m * lam * np.eye(n))
        assert regkit.ridge_condition_number(X, lam) == pytest.approx(expected, rel=1e-10)
    X_wide, _, _ = make(dict(m=5, n=8, seed=0))
    assert regkit.ridge_condition_number(X_wide, 0.0) == float("inf")
    assert np.isfinite(regkit.ridge_condition_number(X_wide, 0.1))


def test_ridge_bias_variance_monotone_in_lam():
    X, _, w_true = make(PROBLEMS["tall-50x10"])
    values = np.array([regkit.ridge_bias_variance(X, w_true, lam, 0.5) for lam in [0, 1e-3, 1]])
    assert values[0, 0] == pytest.approx(0.0, abs=1e-20)
    assert np.all(np.diff(values[:, 0]) > 0) and np.all(np.diff(values[:, 1]) < 0)
    assert regkit.ridge_bias_variance(X, w_true, 1e9, 0.5)[0] == pytest.approx(w_true @ w_true)


def test_ridge_bias_variance_rejects_bad_input():
    X, _, w_true = make(dict(m=5, n=8, seed=0))
    with pytest.raises(ValueError, match="rank"):
        regkit.ridge_bias_variance(X, w_true, 0.0, 0.1)
    with pytest.raises(ValueError, match="noise"):
        regkit.ridge_bias_variance(X, w_true, 0.1, -1.0)
    with pytest.raises(ValueError, match="w"):
        regkit.ridge_bias_variance(X, w_true[:3], 0.1, 0.1)


def test_refit_ridge_shape_and_reproducibility():
    X, _, w_true = make(PROBLEMS["tall-30x5"])
    first = regkit.refit_ridge(X, w_true, [0.0, 0.1], 0.2, draws=7, seed=3)
    again = regkit.refit_ridge(X, w_true, [0.0, 0.1], 0.2, draws=7, seed=3)
    assert first.shape == (2, 7, 5)
    np.testing.assert_array_equal(first, again)
    assert not np.allclose(first[0, 0], first[0, 1])  # a new noise draw per refit
    with pytest.raises(ValueError, match="draws"):
        regkit.refit_ridge(X, w_true, [0.1], 0.2, draws=1)
    with pytest.raises(ValueError, match="lam"):
        regkit.refit_ridge(X, w_true, [-0.1], 0.2)


def test_constrained_minimizer_inside_and_on_the_ball():
    X, y, _ = make(PROBLEMS["tall-30x5"])
    w_ls = regkit.ridge(X, y, 0.0)
    for kind, order in (("l2", 2), ("l1", 1)):
        big = 2 * np.linalg.norm(w_ls, order)
        w, lam = regkit.constrained_minimizer(X, y, big, kind)
        assert lam == 0.0 and np.allclose(w, w_ls)
        small = 0.3 * np.linalg.norm(w_ls, order)
        w, lam = regkit.constrained_minimizer(X, y, small, kind)
        assert lam > 0 and np.linalg.norm(w, order) == pytest.approx(small, rel=1e-9)


def test_constrained_minimizer_rejects_bad_input():
    X, y, _ = make(PROBLEMS["tall-30x5"])
    with pytest.raises(ValueError, match="budget"):
        regkit.constrained_minimizer(X, y, 0.0, "l2")
    with pytest.raises(ValueError, match="kind"):
        regkit.constrained_minimizer(X, y, 1.0, "l3")
    X_dup = np.column_stack([X, X[:, 0]])
    with pytest.raises(ValueError, match="rank"):
        regkit.constrained_minimizer(X_dup, y, 1.0, "l2")


def test_l1_constrained_minimizer_lands_on_a_corner_in_the_page_example():
    X, y, _ = make(PLANE_PROBLEMS["plane-50x2-seed7"])
    w_l1, _ = regkit.constrained_minimizer(X, y, 1.0, "l1")
    w_l2, _ = regkit.constrained_minimizer(X, y, 1.0, "l2")
    assert np.count_nonzero(w_l1 == 0) == 1
    assert np.count_nonzero(w_l2 == 0) == 0


def test_doctests(run_doctests):
    attempted, report = run_doctests(regkit.core.spectral)
    assert attempted >= 1
    assert report == ""


@pytest.mark.parametrize("steps", [1, 10, 200])
def test_early_stopping_factors_give_the_gradient_descent_iterate(steps):
    # Oracle: t steps of rk.gradient_descent from 0, against the SVD formula with the factors.
    X, y, _ = regkit.make_linear_problem(40, 6, seed=8)
    m = X.shape[0]
    learning_rate = 1 / regkit.lipschitz_constant(X)
    iterate = regkit.gradient_descent(
        lambda w: X.T @ (X @ w - y) / m, np.zeros(6), learning_rate, steps
    )[-1]
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    factors = regkit.early_stopping_factors(X, learning_rate, steps)
    np.testing.assert_allclose(iterate, Vt.T @ (factors * (U.T @ y) / s), rtol=1e-10, atol=1e-12)


def test_early_stopping_factors_rise_with_steps_toward_one():
    X, _, _ = regkit.make_linear_problem(40, 6, seed=8)
    lr = 1 / regkit.lipschitz_constant(X)
    few, many = (regkit.early_stopping_factors(X, lr, t) for t in (5, 5000))
    assert np.all((few >= 0) & (few <= many)) and few[-1] < many[-1] and np.allclose(many, 1)


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        (dict(learning_rate=0.0), ValueError, "learning_rate"),
        (dict(steps=-1), ValueError, "steps"),
    ],
)
def test_early_stopping_factors_reject_bad_input(kwargs, error, name):
    arguments = dict(X=np.eye(3), learning_rate=0.1, steps=3) | kwargs
    with pytest.raises(error, match=name):
        regkit.early_stopping_factors(**arguments)
