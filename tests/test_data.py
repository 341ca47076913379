"""Tests of regkit.data.make_linear_problem: shapes, determinism, sparsity, conditioning."""

import math

import numpy as np
import pytest

import regkit
import regkit.data

SHAPES = [(1, 1), (20, 5), (5, 20), (30, 30)]


@pytest.mark.parametrize(("m", "n"), SHAPES)
def test_shapes_and_dtype(m, n):
    X, y, w_true = regkit.make_linear_problem(m, n)
    assert X.shape == (m, n)
    assert y.shape == (m,)
    assert w_true.shape == (n,)
    assert X.dtype == y.dtype == w_true.dtype == np.float64


@pytest.mark.parametrize("condition_number", [None, 100.0])
def test_same_seed_gives_the_same_problem(condition_number):
    first = regkit.make_linear_problem(15, 4, seed=7, condition_number=condition_number)
    second = regkit.make_linear_problem(15, 4, seed=7, condition_number=condition_number)
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("condition_number", [None, 100.0])
def test_different_seeds_give_different_problems(condition_number):
    first = regkit.make_linear_problem(15, 4, seed=0, condition_number=condition_number)
    second = regkit.make_linear_problem(15, 4, seed=1, condition_number=condition_number)
    for a, b in zip(first, second, strict=True):
        assert not np.array_equal(a, b)


@pytest.mark.parametrize("n_informative", [0, 1, 3, 10])
def test_n_informative_sets_the_leading_non_zero_weights(n_informative):
    _, _, w_true = regkit.make_linear_problem(30, 10, n_informative=n_informative, seed=2)
    assert np.count_nonzero(w_true) == n_informative
    assert np.all(w_true[:n_informative] != 0)
    assert np.all(np.abs(w_true[:n_informative]) >= 0.5)
    assert np.all(np.abs(w_true[:n_informative]) <= 2.0)


def test_all_weights_informative_by_default():
    _, _, w_true = regkit.make_linear_problem(30, 10, seed=3)
    assert np.count_nonzero(w_true) == 10


def test_noise_free_targets_are_exactly_linear():
    X, y, w_true = regkit.make_linear_problem(25, 6, noise=0.0, seed=4)
    np.testing.assert_allclose(y, X @ w_true, rtol=0, atol=1e-12)


def test_noise_has_the_requested_standard_deviation():
    X, y, w_true = regkit.make_linear_problem(20_000, 3, noise=0.5, seed=5)
    assert np.std(y - X @ w_true) == pytest.approx(0.5, rel=0.03)


def test_default_design_is_standard_normal():
    X, _, _ = regkit.make_linear_problem(4000, 5, seed=6)
    assert abs(X.mean()) <= 0.03
    assert X.std() == pytest.approx(1.0, rel=0.03)


@pytest.mark.parametrize("condition_number", [1.0, 10.0, 1e3, 1e6])
@pytest.mark.parametrize(("m", "n"), [(50, 8), (8, 50), (20, 20)])
def test_condition_number_is_as_requested(condition_number, m, n):
    X, _, _ = regkit.make_linear_problem(m, n, condition_number=condition_number, seed=8)
    assert np.linalg.cond(X) == pytest.approx(condition_number, rel=0.01)


@pytest.mark.parametrize(("m", "n"), [(50, 8), (8, 50)])
def test_ill_conditioned_design_has_unit_top_eigenvalue(m, n):
    X, _, _ = regkit.make_linear_problem(m, n, condition_number=1e4, seed=9)
    assert np.linalg.eigvalsh(X.T @ X / m).max() == pytest.approx(1.0, rel=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"m": 0}, ValueError, "m must be >= 1"),
        ({"n": 0}, ValueError, "n must be >= 1"),
        ({"m": -3}, ValueError, "m must be >= 1"),
        ({"m": 10.0}, TypeError, "m must be an integer"),
        ({"n": "5"}, TypeError, "n must be an integer"),
        ({"m": True}, TypeError, "m must be an integer"),
        ({"n_informative": 6}, ValueError, "n_informative must be <= n = 5"),
        ({"n_informative": -1}, ValueError, "n_informative"),
        ({"n_informative": 2.5}, TypeError, "n_informative"),
        ({"noise": -0.1}, ValueError, "noise must be >= 0"),
        ({"noise": math.nan}, ValueError, "noise must be finite"),
        ({"noise": "0.1"}, TypeError, "noise"),
        ({"condition_number": 0.5}, ValueError, "condition_number must be >= 1"),
        ({"condition_number": math.inf}, ValueError, "condition_number must be finite"),
        ({"condition_number": -10.0}, ValueError, "condition_number"),
        ({"seed": -1}, ValueError, "seed must be >= 0"),
        ({"seed": 1.5}, TypeError, "seed must be an integer"),
        ({"seed": None}, TypeError, "seed must be an integer"),
    ],
)
def test_bad_arguments_raise(kwargs, error, match):
    arguments = {"m": 10, "n": 5, **kwargs}
    with pytest.raises(error, match=match):
        regkit.make_linear_problem(**arguments)


def test_data_docstring_examples(run_doctests):
    attempted, report = run_doctests(regkit.data)
    assert attempted > 0
    assert report == "", report
