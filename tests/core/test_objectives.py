"""Tests of regkit.objectives: the regularized objective, its gradient and the source's gradient.

The references are numpy expressions written here, central differences and TensorFlow autodiff.
"""

import numpy as np
import pytest

import regkit

KINDS = ["l1", "l2"]
LAMS = [0.05, 0.7]
VALUE_RTOL = 1e-12
FD_RTOL = 1e-6
AUTODIFF_RTOL = 1e-12
IDENTITY_TOL = 1e-12
SOURCE_MIN_ERROR = 0.1


def rel_error(approx, exact):
    return np.linalg.norm(approx - exact) / np.linalg.norm(exact)


def numpy_objective(w, X, y, lam, kind):
    m = X.shape[0]
    data = np.sum((y - X @ w) ** 2) / (2 * m)
    reg = lam / 2 * (np.sum(np.abs(w)) if kind == "l1" else np.sum(w**2))
    return data + reg


def numpy_data_grad(w, X, y):
    return X.T @ (X @ w - y) / X.shape[0]


def central_difference(f, w, h=1e-6):
    eye = np.eye(w.size)
    return np.array([(f(w + h * e) - f(w - h * e)) / (2 * h) for e in eye])


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lam", LAMS)
def test_objective_equals_numpy_expression(any_problem, weights_away_from_zero, lam, kind):
    p = any_problem
    w = weights_away_from_zero(p.n)
    expected = numpy_objective(w, p.X, p.y, lam, kind)
    assert regkit.objective(w, p.X, p.y, lam, kind) == pytest.approx(expected, rel=VALUE_RTOL)


def test_objective_on_hand_computed_example():
    X = [[1.0, 0.0], [0.0, 2.0]]
    residual_sq = 0.0**2 + (1.0 - 2.0) ** 2
    expected = residual_sq / (2 * 2) + 0.2 / 2 * (1.0 + 1.0)
    assert regkit.objective([1.0, 1.0], X, [1.0, 1.0], 0.2, "l2") == pytest.approx(expected)


def test_data_loss_and_its_gradient_equal_numpy_expressions(any_problem, weights_away_from_zero):
    p = any_problem
    w = weights_away_from_zero(p.n, seed=3)
    assert regkit.data_loss(w, p.X, p.y) == pytest.approx(
        numpy_objective(w, p.X, p.y, 0.0, "l2"), rel=VALUE_RTOL
    )
    assert rel_error(regkit.data_loss_grad(w, p.X, p.y), numpy_data_grad(w, p.X, p.y)) <= (
        VALUE_RTOL
    )


@pytest.mark.parametrize("kind", KINDS)
def test_objective_is_data_loss_plus_penalty(problem, weights_away_from_zero, kind):
    p = problem
    w = weights_away_from_zero(p.n, seed=4)
    total = regkit.data_loss(w, p.X, p.y) + regkit.penalty(w, 0.3, kind)
    assert regkit.objective(w, p.X, p.y, 0.3, kind) == pytest.approx(total, rel=VALUE_RTOL)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lam", LAMS)
def test_objective_grad_matches_finite_differences(any_problem, weights_away_from_zero, lam, kind):
    p = any_problem
    w = weights_away_from_zero(p.n, seed=1)
    analytic = regkit.objective_grad(w, p.X, p.y, lam, kind)
    ours = central_difference(lambda v: numpy_objective(v, p.X, p.y, lam, kind), w)
    theirs = regkit.numerical_gradient(lambda v: regkit.objective(v, p.X, p.y, lam, kind), w)
    assert rel_error(analytic, ours) <= FD_RTOL
    assert rel_error(analytic, theirs) <= FD_RTOL


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lam", LAMS)
def test_objective_grad_matches_tensorflow_autodiff(
    any_problem, weights_away_from_zero, lam, kind
):
    p = any_problem
    w = weights_away_from_zero(p.n, seed=2)
    analytic = regkit.objective_grad(w, p.X, p.y, lam, kind)
    autodiff = regkit.autodiff_objective_grad(w, p.X, p.y, lam, kind)
    assert rel_error(analytic, autodiff) <= AUTODIFF_RTOL


def test_objective_grad_l1_uses_zero_subgradient_at_zero_weights(problem):
    p = problem
    w = np.zeros(p.n)
    grad = regkit.objective_grad(w, p.X, p.y, 5.0, "l1")
    assert rel_error(grad, numpy_data_grad(w, p.X, p.y)) <= VALUE_RTOL


@pytest.mark.parametrize("kind", KINDS)
def test_source_gradient_data_term_is_the_negative_of_the_true_one(
    any_problem, weights_away_from_zero, kind
):
    p = any_problem
    w = weights_away_from_zero(p.n, seed=5)
    source_data_term = regkit.source_gradient(w, p.X, p.y, 0.0, kind)
    true_data_term = numpy_data_grad(w, p.X, p.y)
    assert rel_error(source_data_term, -true_data_term) <= IDENTITY_TOL


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lam", LAMS)
def test_source_gradient_penalty_term_is_twice_the_true_one(
    any_problem, weights_away_from_zero, lam, kind
):
    p = any_problem
    w = weights_away_from_zero(p.n, seed=6)
    source_penalty_term = regkit.source_gradient(w, p.X, p.y, lam, kind) - regkit.source_gradient(
        w, p.X, p.y, 0.0, kind
    )
    true_penalty_term = (lam / 2 * np.sign(w)) if kind == "l1" else lam * w
    scale = np.linalg.norm(regkit.source_gradient(w, p.X, p.y, lam, kind))
    assert np.linalg.norm(source_penalty_term - 2 * true_penalty_term) <= IDENTITY_TOL * scale


@pytest.mark.parametrize("kind", KINDS)
def test_source_gradient_is_exactly_penalty_when_data_vanishes(kind):
    w = np.array([0.5, -2.0, 0.0])
    X, y = np.zeros((4, 3)), np.zeros(4)
    expected = 2 * regkit.penalty_grad(w, 0.6, kind)
    np.testing.assert_array_equal(regkit.source_gradient(w, X, y, 0.6, kind), expected)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lam", LAMS)
def test_source_gradient_disagrees_with_finite_differences(
    any_problem, weights_away_from_zero, lam, kind
):
    p = any_problem
    w = weights_away_from_zero(p.n, seed=7)
    reference = central_difference(lambda v: numpy_objective(v, p.X, p.y, lam, kind), w)
    assert rel_error(regkit.source_gradient(w, p.X, p.y, lam, kind), reference) > (
        SOURCE_MIN_ERROR
    )


@pytest.mark.parametrize("kind", KINDS)
def test_objective_grad_is_zero_at_the_minimum_of_a_one_dimensional_problem(kind):
    X, y, lam = np.array([[1.0], [3.0]]), np.array([2.0, 4.0]), 0.5
    m, xty, xtx = 2, 1.0 * 2.0 + 3.0 * 4.0, 1.0 + 9.0
    w_star = xty / (xtx + m * lam) if kind == "l2" else (xty - m * lam / 2) / xtx
    grad = regkit.objective_grad([w_star], X, y, lam, kind)
    assert abs(grad[0]) <= 1e-14


def test_docstring_examples(run_doctests):
    attempted, report = run_doctests(regkit.core.objectives)
    assert attempted > 0
    assert report == "", report
