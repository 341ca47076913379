"""Tests of regkit.solvers: ridge, lasso, the elastic net, the norm-ball projections and the
constrained problem, the proximal step and gradient descent.

Oracles: numpy.linalg (solve, lstsq, eigvalsh), scikit-learn's Ridge, Lasso and ElasticNet,
SciPy's SLSQP, a bisection for the L1 projection's threshold, closed forms.
"""

import math

import numpy as np
import pytest
from scipy.optimize import minimize
from sklearn.linear_model import ElasticNet, Lasso, Ridge

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


# elastic net ------------------------------------------------------------------------------------


def sklearn_elastic_net(X, y, lam, rho):
    # sklearn: 1/(2m)||r||^2 + alpha*l1_ratio*|w|_1 + alpha*(1 - l1_ratio)/2*||w||^2; matching
    # the course's (lam/2)(rho |w|_1 + (1 - rho)||w||^2) gives these two values.
    alpha, l1_ratio = lam * (1 - rho / 2), rho / (2 - rho)
    model = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, fit_intercept=False, tol=1e-14)
    return model.set_params(max_iter=10**6).fit(X, y).coef_


@pytest.mark.parametrize("rho", [0.0, 0.25, 0.5, 0.9, 1.0])
@pytest.mark.parametrize("lam", [0.05, 0.5])
def test_elastic_net_agrees_with_sklearn(any_problem, rho, lam):
    w = regkit.elastic_net(any_problem.X, any_problem.y, lam, rho, tol=1e-11)
    exact = sklearn_elastic_net(any_problem.X, any_problem.y, lam, rho)
    np.testing.assert_allclose(w, exact, atol=LASSO_WEIGHT_ATOL)


def test_elastic_net_at_the_ends_is_the_lasso_and_ridge(tall_problem):
    X, y = tall_problem.X, tall_problem.y
    np.testing.assert_allclose(
        regkit.elastic_net(X, y, 0.3, 1.0, tol=1e-12),
        regkit.lasso(X, y, 0.3, tol=1e-12),
        atol=1e-9,
    )
    ridge = regkit.ridge(X, y, 0.3)
    assert rel_error(regkit.elastic_net(X, y, 0.3, 0.0, tol=1e-12), ridge) < 1e-9


def test_elastic_net_gives_exact_zeros_on_sparse_problem(sparse_problem):
    X, y = sparse_problem.X, sparse_problem.y
    w = regkit.elastic_net(X, y, 0.5 * regkit.lasso_threshold(X, y), 0.5)
    exact = sklearn_elastic_net(X, y, 0.5 * regkit.lasso_threshold(X, y), 0.5)
    assert np.sum(w == 0) >= 1
    assert np.array_equal(w == 0, np.abs(exact) < 1e-12)


def test_elastic_net_splits_a_duplicated_column_equally_where_the_lasso_cannot_tell():
    # Zou & Hastie (2005), the grouping effect: with two identical columns, moving weight from
    # one copy to the other leaves the lasso objective unchanged (every split of the same sum is
    # a minimizer), while the elastic net's ridge part makes the equal split the only one.
    rng = np.random.default_rng(4)
    base = rng.standard_normal((60, 4))
    X = np.column_stack([base, base[:, 0]])
    y = base @ np.array([2.0, -1.0, 0.0, 0.5]) + 0.1 * rng.standard_normal(60)
    w = regkit.elastic_net(X, y, 0.1, 0.5, tol=1e-12)
    assert w[0] == pytest.approx(w[4], abs=1e-9) and abs(w[0]) > 0.1
    lasso = regkit.lasso(X, y, 0.1, tol=1e-12)
    lopsided = lasso.copy()
    lopsided[0], lopsided[4] = lasso[0] + lasso[4], 0.0
    l1 = regkit.objective(lasso, X, y, 0.1, "l1")
    assert regkit.objective(lopsided, X, y, 0.1, "l1") == pytest.approx(l1, abs=1e-14)

    def elastic_objective(v):
        penalty = 0.5 * np.sum(np.abs(v)) + 0.5 * np.sum(v**2)
        return np.sum((y - X @ v) ** 2) / (2 * len(y)) + 0.1 / 2 * penalty

    unequal = w.copy()
    unequal[0], unequal[4] = w[0] + w[4], 0.0
    assert elastic_objective(unequal) > elastic_objective(w) + 1e-4


def test_elastic_net_warns_when_max_iter_is_too_small(ill_problem):
    with pytest.warns(regkit.ConvergenceWarning, match="elastic_net"):
        regkit.elastic_net(ill_problem.X, ill_problem.y, 1e-6, 0.5, max_iter=3)


# projections onto the balls --------------------------------------------------------------------


def l1_threshold_by_bisection(v, radius):
    """The theta with sum(max(|v| - theta, 0)) = radius, found by bisection."""
    low, high = 0.0, float(np.max(np.abs(v)))
    for _ in range(200):
        middle = (low + high) / 2
        if np.sum(np.maximum(np.abs(v) - middle, 0)) > radius:
            low = middle
        else:
            high = middle
    return (low + high) / 2


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("radius", [0.1, 1.0, 3.0])
def test_project_l1_ball_agrees_with_a_bisection_on_the_threshold(seed, radius):
    v = np.random.default_rng(seed).standard_normal(12) * 2
    theta = l1_threshold_by_bisection(v, radius)
    expected = np.sign(v) * np.maximum(np.abs(v) - theta, 0)
    projected = regkit.project_l1_ball(v, radius)
    np.testing.assert_allclose(projected, expected, atol=1e-12)
    assert np.abs(projected).sum() == pytest.approx(radius, rel=1e-12)


@pytest.mark.parametrize("project", [regkit.project_l1_ball, regkit.project_l2_ball])
@pytest.mark.parametrize("seed", range(3))
def test_projections_satisfy_the_obtuse_angle_condition(project, seed):
    # p is the projection of v onto a convex set C iff (v - p) . (q - p) <= 0 for all q in C.
    rng = np.random.default_rng(seed)
    v, radius = 3 * rng.standard_normal(8), 1.5
    p = project(v, radius)
    order = 1 if project is regkit.project_l1_ball else 2
    for _ in range(200):
        q = rng.standard_normal(8)
        q *= rng.uniform(0, radius) / np.linalg.norm(q, order)  # a point of the ball
        assert (v - p) @ (q - p) <= 1e-12


def test_project_l2_ball_scales_to_the_sphere_and_keeps_inner_points():
    v = np.array([3.0, -4.0, 12.0])
    np.testing.assert_allclose(regkit.project_l2_ball(v, 2.6), v * 2.6 / 13, rtol=1e-15)
    np.testing.assert_array_equal(regkit.project_l2_ball(v, 13.0), v)
    np.testing.assert_array_equal(regkit.project_l1_ball(v, 19.0), v)
    np.testing.assert_array_equal(regkit.project_l1_ball(v, 0.0), np.zeros(3))


def test_project_l1_ball_handles_ties_and_a_single_entry():
    np.testing.assert_allclose(regkit.project_l1_ball(np.array([2.0, -2.0, 2.0]), 3.0), [1, -1, 1])
    np.testing.assert_allclose(regkit.project_l1_ball(np.array([-5.0]), 2.0), [-2.0])


# constrained least squares ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["l1", "l2"])
@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9])
def test_constrained_least_squares_agrees_with_the_penalized_path(tall_problem, kind, fraction):
    X, y = tall_problem.X, tall_problem.y
    order = 1 if kind == "l1" else 2
    radius = fraction * np.linalg.norm(regkit.ridge(X, y, 0.0), order)
    w = regkit.constrained_least_squares(X, y, radius, kind, tol=1e-12)
    by_path, lam = regkit.constrained_minimizer(X, y, radius, kind)
    np.testing.assert_allclose(w, by_path, atol=1e-8)
    assert np.linalg.norm(w, order) == pytest.approx(radius, rel=1e-8)
    assert lam > 0


@pytest.mark.parametrize("radius", [0.3, 1.0])
def test_constrained_least_squares_l2_agrees_with_slsqp(tall_problem, radius):
    X, y = tall_problem.X, tall_problem.y
    m = X.shape[0]
    result = minimize(
        lambda w: np.sum((y - X @ w) ** 2) / (2 * m),
        np.zeros(X.shape[1]),
        jac=lambda w: X.T @ (X @ w - y) / m,
        constraints=[{"type": "ineq", "fun": lambda w: radius**2 - w @ w}],
        method="SLSQP",
        options={"ftol": 1e-14, "maxiter": 1000},
    )
    w = regkit.constrained_least_squares(X, y, radius, "l2")
    np.testing.assert_allclose(w, result.x, atol=1e-6)


def test_constrained_least_squares_inside_the_ball_is_least_squares(tall_problem):
    X, y = tall_problem.X, tall_problem.y
    least_squares = regkit.ridge(X, y, 0.0)
    for kind, order in (("l1", 1), ("l2", 2)):
        big = 2 * np.linalg.norm(least_squares, order)
        w = regkit.constrained_least_squares(X, y, big, kind, tol=1e-12)
        np.testing.assert_allclose(w, least_squares, atol=1e-8)


def test_constrained_least_squares_with_radius_zero_is_zero(problem):
    assert not np.any(regkit.constrained_least_squares(problem.X, problem.y, 0.0, "l1"))


def test_constrained_least_squares_warns_when_max_iter_is_too_small(ill_problem):
    with pytest.warns(regkit.ConvergenceWarning, match="constrained_least_squares"):
        regkit.constrained_least_squares(ill_problem.X, ill_problem.y, 0.5, "l2", max_iter=1)
