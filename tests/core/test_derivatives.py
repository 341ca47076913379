"""Tests of regkit.derivatives: central differences and the TensorFlow autodiff gradient."""

import math

import numpy as np
import pytest

import regkit

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
    attempted, report = run_doctests(regkit.core.derivatives)
    assert attempted > 0
    assert report == "", report
