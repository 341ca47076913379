"""Tests of regkit.checks.gradients: the gradient and descent check suites.

The suites must pass on correct code and fail when a formula they check is broken, shown by
monkeypatching the names that the module imported.
"""

import math

import numpy as np
import pytest

import regkit
import regkit.checks.gradients
import regkit.checks.solutions
from regkit import CheckTable

GRADIENTS = regkit.checks.gradients
SOLUTIONS = regkit.checks.solutions


def failing_claims(table):
    return [check.claim for check in table.failures()]


@pytest.mark.parametrize("kind", ["l1", "l2"])
@pytest.mark.parametrize("lam", [0.01, 0.5])
def test_gradient_checks_pass(any_problem, weights_away_from_zero, kind, lam):
    p = any_problem
    table = regkit.gradient_checks(weights_away_from_zero(p.n), p.X, p.y, lam, kind)
    assert isinstance(table, CheckTable)
    assert len(table) == 3
    assert table.all_passed, failing_claims(table)


@pytest.mark.parametrize("lam", [0.03, 0.1])
def test_descent_checks_pass(any_problem, lam):
    table = regkit.descent_checks(any_problem.X, any_problem.y, lam)
    assert isinstance(table, CheckTable)
    assert table.all_passed, failing_claims(table)


def test_gradient_checks_reject_l1_weight_at_zero(problem, weights_away_from_zero):
    w = weights_away_from_zero(problem.n)
    w[1] = 0.0
    with pytest.raises(ValueError, match="w must keep every weight"):
        regkit.gradient_checks(w, problem.X, problem.y, 0.1, "l1")


def test_gradient_checks_allow_l2_weight_at_zero(problem, weights_away_from_zero):
    w = weights_away_from_zero(problem.n)
    w[1] = 0.0
    assert regkit.gradient_checks(w, problem.X, problem.y, 0.1, "l2").all_passed


@pytest.mark.parametrize("name", ["descent_checks", "ridge_checks", "lasso_checks"])
def test_checks_that_need_positive_lam_reject_zero(problem, name):
    with pytest.raises(ValueError, match="lam must be > 0"):
        getattr(regkit, name)(problem.X, problem.y, 0.0)


@pytest.mark.parametrize("kind", ["l1", "l2"])
def test_gradient_checks_fail_for_a_wrong_gradient(
    monkeypatch, problem, weights_away_from_zero, kind
):
    true_grad = GRADIENTS.objective_grad
    monkeypatch.setattr(GRADIENTS, "objective_grad", lambda *args: 1.01 * true_grad(*args))
    table = regkit.gradient_checks(
        weights_away_from_zero(problem.n), problem.X, problem.y, 0.1, kind
    )
    assert not table.all_passed
    assert len(table.failures()) == 2


def test_gradient_checks_fail_if_the_source_gradient_were_right(
    monkeypatch, problem, weights_away_from_zero
):
    monkeypatch.setattr(GRADIENTS, "source_gradient", regkit.objective_grad)
    table = regkit.gradient_checks(
        weights_away_from_zero(problem.n), problem.X, problem.y, 0.1, "l2"
    )
    assert [check.relation for check in table.failures()] == [">="]


def test_descent_checks_fail_for_a_wrong_ridge(monkeypatch, problem):
    true_ridge = GRADIENTS.ridge
    monkeypatch.setattr(GRADIENTS, "ridge", lambda *args: true_ridge(*args) * (1 + 1e-4))
    assert not regkit.descent_checks(problem.X, problem.y, 0.1).all_passed


def test_descent_checks_on_orthonormal_design():
    assert regkit.descent_checks(np.eye(3), np.array([1.0, 2.0, 3.0]), 0.1).all_passed


def test_descent_checks_are_invariant_to_the_scale_of_y(problem):
    assert regkit.descent_checks(problem.X, 1e6 * problem.y, 0.1).all_passed


@pytest.mark.parametrize("tol", [-1e-6, math.nan, "1e-6"])
@pytest.mark.parametrize("suite", ["gradient_checks", "penalty_grad_check"])
def test_check_tolerance_is_validated(sparse_problem, weights_away_from_zero, suite, tol):
    p = sparse_problem
    w = weights_away_from_zero(p.n)
    with pytest.raises((ValueError, TypeError), match="tol"):
        if suite == "gradient_checks":
            regkit.gradient_checks(w, p.X, p.y, 0.1, "l2", tol=tol)
        else:
            regkit.penalty_grad_check(w, 0.1, "l2", tol=tol)


# The references: central differences and TensorFlow autodiff ---------------------------------

QUADRATIC_ATOL = 1e-8
AUTODIFF_RTOL = 1e-12


def quadratic(seed, n=5):
    rng = np.random.default_rng(seed)
    B = rng.standard_normal((n, n))
    A = B @ B.T + n * np.eye(n)
    b = rng.standard_normal(n)
    return A, b, rng.standard_normal(n)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_numerical_gradient_is_exact_on_quadratics(seed):
    A, b, w = quadratic(seed)
    approx = regkit.numerical_gradient(lambda v: 0.5 * v @ A @ v + b @ v, w)
    assert np.max(np.abs(approx - (A @ w + b))) <= QUADRATIC_ATOL


def test_numerical_gradient_on_two_dimensional_array():
    W = np.arange(1.0, 7.0).reshape(2, 3)
    C = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, -1.0]])
    approx = regkit.numerical_gradient(lambda V: float(np.sum(V**2) + np.sum(C * V)), W)
    assert approx.shape == (2, 3)
    assert np.max(np.abs(approx - (2 * W + C))) <= QUADRATIC_ATOL


def test_numerical_gradient_with_a_custom_step():
    approx = regkit.numerical_gradient(lambda v: float(np.sum(np.sin(v))), [0.3, 1.2], h=1e-4)
    np.testing.assert_allclose(approx, np.cos([0.3, 1.2]), rtol=1e-8)


def test_numerical_gradient_does_not_modify_its_input():
    w = np.array([1.0, 2.0])
    regkit.numerical_gradient(lambda v: float(v @ v), w)
    np.testing.assert_array_equal(w, [1.0, 2.0])


def test_numerical_gradient_rejects_non_callable():
    with pytest.raises(TypeError, match="f must be callable"):
        regkit.numerical_gradient(3.0, [1.0])


@pytest.mark.parametrize("h", [0.0, -1e-6, math.nan, math.inf])
def test_numerical_gradient_rejects_bad_step(h):
    with pytest.raises(ValueError, match="h must be"):
        regkit.numerical_gradient(lambda v: float(v @ v), [1.0], h=h)


def test_numerical_gradient_rejects_vector_valued_f():
    with pytest.raises(TypeError, match="real scalar"):
        regkit.numerical_gradient(lambda v: 2 * v, [1.0, 2.0])


def test_numerical_gradient_rejects_non_numeric_f():
    with pytest.raises(TypeError, match="real scalar"):
        regkit.numerical_gradient(lambda v: "oops", [1.0])


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_numerical_gradient_rejects_non_finite_f(bad):
    with pytest.raises(ValueError, match="non-finite"):
        regkit.numerical_gradient(lambda v: bad, [1.0])


@pytest.mark.parametrize("kind", ["l1", "l2"])
def test_autodiff_gradient_equals_closed_form(any_problem, weights_away_from_zero, kind):
    p = any_problem
    w = weights_away_from_zero(p.n, seed=11)
    lam = 0.4
    penalty_grad = lam / 2 * np.sign(w) if kind == "l1" else lam * w
    expected = p.X.T @ (p.X @ w - p.y) / p.m + penalty_grad
    autodiff = regkit.autodiff_objective_grad(w, p.X, p.y, lam, kind)
    assert autodiff.shape == (p.n,)
    assert autodiff.dtype == np.float64
    assert np.linalg.norm(autodiff - expected) / np.linalg.norm(expected) <= AUTODIFF_RTOL


def test_docstring_examples(run_doctests):
    attempted, report = run_doctests(regkit.checks.gradients)
    assert attempted > 0
    assert report == "", report
