"""Tests of regkit.solvers: ridge, lasso, the proximal step and gradient descent.

Oracles: numpy.linalg (solve, lstsq, eigvalsh), scikit-learn's Ridge and Lasso, closed forms.
"""

import math

import numpy as np
import pytest
from sklearn.linear_model import Lasso, Ridge

import regkit
import regkit.core.solvers

RIDGE_RTOL = 1e-10
ILL_RTOL = 1e-6
LASSO_WEIGHT_ATOL = 1e-6
LASSO_EXCESS_RTOL = 1e-10
LSTSQ_ATOL = 1e-6
GD_ATOL = 1e-12


def rel_error(approx, exact):
    return np.linalg.norm(approx - exact) / np.linalg.norm(exact)


def l1_objective(w, X, y, lam):
    return np.sum((y - X @ w) ** 2) / (2 * X.shape[0]) + lam / 2 * np.sum(np.abs(w))


def sklearn_lasso(X, y, lam):
    model = Lasso(alpha=lam / 2, fit_intercept=False, tol=1e-14, max_iter=10**6)
    return model.fit(X, y).coef_


def lasso_threshold_by_hand(X, y):
    return 2 * np.max(np.abs(X.T @ y)) / X.shape[0]


@pytest.mark.parametrize("lam", [0.01, 0.1, 1.0])
def test_ridge_agrees_with_sklearn_and_normal_equations(problem, lam):
    X, y, m, n = problem.X, problem.y, problem.m, problem.n
    ours = regkit.ridge(X, y, lam)
    normal = np.linalg.solve(X.T @ X + m * lam * np.eye(n), X.T @ y)
    sklearn = Ridge(alpha=m * lam, fit_intercept=False).fit(X, y).coef_
    assert ours.shape == (n,)
    assert rel_error(ours, normal) <= RIDGE_RTOL
    assert rel_error(ours, sklearn) <= RIDGE_RTOL


@pytest.mark.parametrize("lam", [0.01, 1.0])
def test_ridge_gradient_vanishes_at_the_solution(any_problem, lam):
    X, y, m = any_problem.X, any_problem.y, any_problem.m
    w = regkit.ridge(X, y, lam)
    gradient = X.T @ (X @ w - y) / m + lam * w
    assert np.linalg.norm(gradient) <= 1e-12 * np.linalg.norm(X.T @ y) / m


def test_ridge_with_zero_lam_is_least_squares(tall_problem):
    X, y = tall_problem.X, tall_problem.y
    expected = np.linalg.lstsq(X, y, rcond=None)[0]
    assert rel_error(regkit.ridge(X, y, 0.0), expected) <= RIDGE_RTOL


def test_ridge_with_zero_lam_rejects_duplicate_column(tall_problem):
    X = np.column_stack([tall_problem.X, tall_problem.X[:, 0]])
    with pytest.raises(ValueError, match="rank"):
        regkit.ridge(X, tall_problem.y, 0.0)


def test_ridge_with_zero_lam_rejects_more_features_than_examples(wide_problem):
    with pytest.raises(ValueError, match="rank"):
        regkit.ridge(wide_problem.X, wide_problem.y, 0)


def test_ridge_with_zero_lam_rejects_all_zero_design():
    with pytest.raises(ValueError, match="rank 0"):
        regkit.ridge(np.zeros((4, 2)), np.ones(4), 0.0)


def test_ridge_with_positive_lam_handles_rank_deficient_design(wide_problem):
    X, y, m, n = wide_problem.X, wide_problem.y, wide_problem.m, wide_problem.n
    expected = np.linalg.solve(X.T @ X + m * 0.5 * np.eye(n), X.T @ y)
    assert rel_error(regkit.ridge(X, y, 0.5), expected) <= RIDGE_RTOL


@pytest.mark.parametrize("lam", [1e3, 1e5, 1e7])
def test_ridge_shrinks_like_one_over_m_lam_for_large_lam(problem, lam):
    X, y, m = problem.X, problem.y, problem.m
    w = regkit.ridge(X, y, lam)
    ratio = np.linalg.norm(w) * m * lam / np.linalg.norm(X.T @ y)
    top_eigenvalue = np.linalg.eigvalsh(X.T @ X / m).max()
    assert abs(ratio - 1) <= 2 * top_eigenvalue / lam


@pytest.mark.parametrize("lam", [1e-8, 1e-4, 1e-1])
def test_ridge_on_ill_conditioned_problem_agrees_with_svd_solvers(ill_problem, lam):
    X, y, m, n = ill_problem.X, ill_problem.y, ill_problem.m, ill_problem.n
    ours = regkit.ridge(X, y, lam)
    sklearn = Ridge(alpha=m * lam, fit_intercept=False, solver="svd").fit(X, y).coef_
    augmented = np.vstack([X, math.sqrt(m * lam) * np.eye(n)])
    lstsq = np.linalg.lstsq(augmented, np.concatenate([y, np.zeros(n)]), rcond=None)[0]
    assert rel_error(ours, sklearn) <= ILL_RTOL
    assert rel_error(ours, lstsq) <= ILL_RTOL


def test_ridge_on_orthonormal_design_by_hand():
    X, y, lam = np.eye(2), np.array([2.0, 4.0]), 0.5
    m = 2
    np.testing.assert_allclose(regkit.ridge(X, y, lam), y / (1 + m * lam), rtol=1e-15)


def test_lipschitz_constant_is_the_top_eigenvalue_of_the_hessian(any_problem):
    X, m = any_problem.X, any_problem.m
    expected = np.linalg.eigvalsh(X.T @ X / m).max()
    assert regkit.lipschitz_constant(X) == pytest.approx(expected, rel=1e-12)


def lasso_lams(problem):
    return [0.1, 0.3 * lasso_threshold_by_hand(problem.X, problem.y)]


@pytest.mark.parametrize("method", ["fista", "ista"])
@pytest.mark.parametrize("lam_index", [0, 1])
def test_lasso_agrees_with_sklearn(any_problem, method, lam_index):
    X, y = any_problem.X, any_problem.y
    lam = lasso_lams(any_problem)[lam_index]
    ours = regkit.lasso(X, y, lam, method=method)
    theirs = sklearn_lasso(X, y, lam)
    assert np.max(np.abs(ours - theirs)) <= LASSO_WEIGHT_ATOL
    value_ours, value_theirs = l1_objective(ours, X, y, lam), l1_objective(theirs, X, y, lam)
    assert (value_ours - value_theirs) / value_theirs <= LASSO_EXCESS_RTOL


@pytest.mark.parametrize("method", ["fista", "ista"])
@pytest.mark.parametrize("tol", [1e-6, 1e-9, 1e-12])
def test_lasso_meets_its_optimality_tolerance(any_problem, method, tol):
    X, y = any_problem.X, any_problem.y
    w = regkit.lasso(X, y, 0.1, method=method, tol=tol, max_iter=10**6)
    assert regkit.l1_optimality_violation(w, X, y, 0.1) <= tol


def test_lasso_gives_exact_zeros_on_sparse_problem(sparse_problem):
    X, y = sparse_problem.X, sparse_problem.y
    w = regkit.lasso(X, y, 0.1)
    zeros = w == 0
    assert zeros.sum() >= sparse_problem.n - 2 * np.count_nonzero(sparse_problem.w_true)
    np.testing.assert_array_equal(zeros, sklearn_lasso(X, y, 0.1) == 0)
    assert np.all(w[sparse_problem.w_true != 0] != 0)


@pytest.mark.parametrize("factor", [1.0, 1.5, 100.0])
def test_lasso_is_zero_at_and_above_the_threshold(any_problem, factor):
    X, y = any_problem.X, any_problem.y
    threshold = regkit.lasso_threshold(X, y)
    assert threshold == pytest.approx(lasso_threshold_by_hand(X, y), rel=1e-15)
    assert np.all(regkit.lasso(X, y, factor * threshold) == 0)


def test_lasso_is_not_zero_just_below_the_threshold(any_problem):
    X, y = any_problem.X, any_problem.y
    w = regkit.lasso(X, y, 0.99 * regkit.lasso_threshold(X, y))
    assert np.count_nonzero(w) >= 1


def test_lasso_on_all_zero_design_returns_zeros():
    w = regkit.lasso(np.zeros((5, 3)), np.arange(5.0), 0.1)
    np.testing.assert_array_equal(w, np.zeros(3))


def test_lasso_warns_when_max_iter_is_too_small(ill_problem):
    with pytest.warns(regkit.ConvergenceWarning, match="max_iter=1"):
        regkit.lasso(ill_problem.X, ill_problem.y, 1e-6, max_iter=1)


def test_convergence_warning_is_a_runtime_warning():
    assert issubclass(regkit.ConvergenceWarning, RuntimeWarning)


@pytest.mark.parametrize("method", ["fista", "ista"])
def test_lasso_with_zero_lam_is_least_squares(tall_problem, method):
    X, y = tall_problem.X, tall_problem.y
    expected = np.linalg.lstsq(X, y, rcond=None)[0]
    assert np.max(np.abs(regkit.lasso(X, y, 0.0, method=method) - expected)) <= LSTSQ_ATOL


def test_lasso_rejects_unknown_method(problem):
    with pytest.raises(ValueError, match="method must be one of"):
        regkit.lasso(problem.X, problem.y, 0.1, method="cd")


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"tol": 0.0}, ValueError, "tol"),
        ({"tol": -1e-9}, ValueError, "tol"),
        ({"tol": math.nan}, ValueError, "tol"),
        ({"max_iter": 0}, ValueError, "max_iter"),
        ({"max_iter": 10.0}, TypeError, "max_iter"),
    ],
)
def test_lasso_rejects_bad_options(problem, kwargs, error, match):
    with pytest.raises(error, match=match):
        regkit.lasso(problem.X, problem.y, 0.1, **kwargs)


def test_l1_optimality_violation_at_zero_has_closed_form(any_problem):
    X, y, m = any_problem.X, any_problem.y, any_problem.m
    lam = 0.1
    expected = max(np.max(np.abs(X.T @ y)) / m - lam / 2, 0.0)
    violation = regkit.l1_optimality_violation(np.zeros(any_problem.n), X, y, lam)
    assert violation == pytest.approx(expected, rel=1e-12)


def test_l1_optimality_violation_is_small_at_sklearns_solution_only(sparse_problem):
    X, y = sparse_problem.X, sparse_problem.y
    w = sklearn_lasso(X, y, 0.1)
    assert regkit.l1_optimality_violation(w, X, y, 0.1) <= 1e-8
    moved = w.copy()
    moved[0] += 1e-3
    assert regkit.l1_optimality_violation(moved, X, y, 0.1) >= 1e-5


def test_l1_prox_soft_thresholds_at_lr_times_lam_over_two():
    prox = regkit.l1_prox(2.0)
    np.testing.assert_array_equal(prox(np.array([3.0, -0.5, -1.5]), 0.5), [2.5, 0.0, -1.0])


def test_gradient_descent_returns_all_iterates_starting_at_w0():
    w0 = np.array([1.0, -2.0, 3.0])
    path = regkit.gradient_descent(lambda w: w, w0, lr=0.1, steps=7)
    assert path.shape == (8, 3)
    np.testing.assert_array_equal(path[0], w0)
    np.testing.assert_array_equal(w0, [1.0, -2.0, 3.0])


def test_gradient_descent_with_zero_steps_returns_w0_only():
    path = regkit.gradient_descent(lambda w: w, [4.0, 5.0], lr=0.1, steps=0)
    np.testing.assert_array_equal(path, [[4.0, 5.0]])


def test_gradient_descent_accepts_two_dimensional_weights():
    W0 = np.ones((2, 3))
    path = regkit.gradient_descent(lambda W: 2 * W, W0, lr=0.25, steps=3)
    assert path.shape == (4, 2, 3)
    np.testing.assert_allclose(path[:, 0, 0], [1.0, 0.5, 0.25, 0.125], rtol=0, atol=GD_ATOL)


@pytest.mark.parametrize("seed", [0, 1])
def test_gradient_descent_on_quadratic_matches_closed_form(seed):
    rng = np.random.default_rng(seed)
    B = rng.standard_normal((4, 4))
    A = B @ B.T / 4 + 0.1 * np.eye(4)
    w0 = rng.standard_normal(4)
    lr = 1 / np.linalg.eigvalsh(A).max()
    path = regkit.gradient_descent(lambda w: A @ w, w0, lr, steps=25)
    step_matrix = np.eye(4) - lr * A
    for t in (1, 5, 25):
        expected = np.linalg.matrix_power(step_matrix, t) @ w0
        assert np.max(np.abs(path[t] - expected)) <= GD_ATOL


def test_proximal_gradient_descent_converges_to_lasso(tall_problem):
    X, y, lam = tall_problem.X, tall_problem.y, 0.3
    lr = 1 / np.linalg.eigvalsh(X.T @ X / tall_problem.m).max()
    path = regkit.gradient_descent(
        lambda w: regkit.data_loss_grad(w, X, y),
        np.zeros(tall_problem.n),
        lr,
        steps=2000,
        prox=regkit.l1_prox(lam),
    )
    assert np.max(np.abs(path[-1] - regkit.lasso(X, y, lam, tol=1e-12))) <= 1e-9
    assert np.max(np.abs(path[-1] - sklearn_lasso(X, y, lam))) <= LASSO_WEIGHT_ATOL


def test_gradient_descent_raises_when_it_diverges():
    A = np.diag([1.0, 2.0])
    with pytest.raises(FloatingPointError, match="diverged"):
        regkit.gradient_descent(lambda w: A @ w, [1.0, 1.0], lr=5.0, steps=2000)


def test_gradient_descent_rejects_grad_of_wrong_shape():
    with pytest.raises(ValueError, match=r"grad must return shape \(3,\); got \(2,\)"):
        regkit.gradient_descent(lambda w: w[:2], np.ones(3), lr=0.1, steps=2)


def test_gradient_descent_rejects_prox_of_wrong_shape():
    with pytest.raises(ValueError, match="prox must return shape"):
        regkit.gradient_descent(lambda w: w, np.ones(3), 0.1, 2, prox=lambda z, lr: z.sum())


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"lr": 0.0}, ValueError, "lr"),
        ({"lr": -0.1}, ValueError, "lr"),
        ({"lr": math.nan}, ValueError, "lr"),
        ({"lr": math.inf}, ValueError, "lr"),
        ({"lr": "0.1"}, TypeError, "lr"),
        ({"steps": -1}, ValueError, "steps"),
        ({"steps": 2.0}, TypeError, "steps"),
        ({"steps": True}, TypeError, "steps"),
        ({"grad": None}, TypeError, "grad must be callable"),
        ({"grad": np.ones(2)}, TypeError, "grad must be callable"),
        ({"prox": 1.0}, TypeError, "prox must be callable"),
        ({"w0": []}, ValueError, "w0"),
        ({"w0": [1.0, math.nan]}, ValueError, "w0"),
    ],
)
def test_gradient_descent_rejects_bad_arguments(kwargs, error, match):
    arguments = {"grad": lambda w: w, "w0": np.ones(2), "lr": 0.1, "steps": 3, **kwargs}
    with pytest.raises(error, match=match):
        regkit.gradient_descent(**arguments)


def test_solvers_docstring_examples(run_doctests):
    attempted, report = run_doctests(regkit.core.solvers)
    assert attempted > 0
    assert report == ""


def test_steps_to_converge_rejects_a_step_that_does_not_contract(problem):
    lipschitz = regkit.lipschitz_constant(problem.X)
    with pytest.raises(ValueError, match="does not contract"):
        regkit.steps_to_converge(problem.X, 0.1, 2.5 / (lipschitz + 0.1))


@pytest.mark.parametrize("reduction", [1e-3, 1e-6])
@pytest.mark.parametrize("lam", [0.01, 0.1])
def test_steps_to_converge_is_enough_steps(tall_problem, reduction, lam):
    X, y, m, n = tall_problem.X, tall_problem.y, tall_problem.m, tall_problem.n
    lr = 1 / (np.linalg.eigvalsh(X.T @ X / m).max() + lam)
    steps = regkit.steps_to_converge(X, lam, lr, reduction=reduction)
    exact = np.linalg.solve(X.T @ X + m * lam * np.eye(n), X.T @ y)
    path = regkit.gradient_descent(
        lambda w: X.T @ (X @ w - y) / m + lam * w, np.zeros(n), lr, steps
    )
    assert np.linalg.norm(path[-1] - exact) <= reduction * np.linalg.norm(exact)


def test_steps_to_converge_when_one_step_is_exact():
    assert regkit.steps_to_converge(np.eye(3), 0.0, 3.0) == 1
