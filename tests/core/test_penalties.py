"""Tests of regkit.penalties: the L1/L2 penalties, their (sub)gradients and soft-thresholding."""

import numpy as np
import pytest

import regkit

EXACT = 1e-15
FD_RTOL = 1e-6
GRID_STEP = 1e-3

W = np.array([3.0, -4.0, 0.0, 0.5])


def central_difference(f, w, h=1e-6):
    grad = np.zeros_like(w)
    for k in range(w.size):
        e = np.zeros_like(w)
        e.flat[k] = h
        grad.flat[k] = (f(w + e) - f(w - e)) / (2 * h)
    return grad


@pytest.mark.parametrize(
    ("lam", "kind", "expected"),
    [
        (0.5, "l1", 0.25 * (3 + 4 + 0 + 0.5)),
        (0.5, "l2", 0.25 * (9 + 16 + 0 + 0.25)),
        (2.0, "l1", 1.0 * 7.5),
        (2.0, "l2", 1.0 * 25.25),
        (0.0, "l1", 0.0),
        (0.0, "l2", 0.0),
    ],
)
def test_penalty_matches_hand_computed_value(lam, kind, expected):
    assert regkit.penalty(W, lam, kind) == pytest.approx(expected, rel=EXACT, abs=EXACT)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("l1", [0.25, -0.25, 0.0, 0.25]),
        ("l2", [1.5, -2.0, 0.0, 0.25]),
    ],
)
def test_penalty_grad_matches_hand_computed_value(kind, expected):
    np.testing.assert_allclose(regkit.penalty_grad(W, 0.5, kind), expected, rtol=0, atol=EXACT)


def test_penalty_returns_python_float():
    assert type(regkit.penalty([1.0, 2.0], 0.3, "l2")) is float


@pytest.mark.parametrize("kind", ["l1", "l2"])
def test_penalty_is_linear_in_lam(kind):
    assert regkit.penalty(W, 3.0, kind) == pytest.approx(3 * regkit.penalty(W, 1.0, kind))


@pytest.mark.parametrize("kind", ["l1", "l2"])
@pytest.mark.parametrize("shape", [(6,), (2, 3), (3, 1, 2)])
def test_penalty_accepts_any_shape_and_sums_all_entries(kind, shape):
    w = np.arange(1.0, 7.0).reshape(shape) * np.array([1, -1, 1, -1, 1, -1]).reshape(shape)
    flat = w.ravel()
    assert regkit.penalty(w, 0.7, kind) == pytest.approx(regkit.penalty(flat, 0.7, kind))
    grad = regkit.penalty_grad(w, 0.7, kind)
    assert grad.shape == shape
    np.testing.assert_array_equal(grad.ravel(), regkit.penalty_grad(flat, 0.7, kind))


def test_penalty_accepts_lists_and_integers():
    assert regkit.penalty([[1, -2], [3, 0]], 1, "l1") == pytest.approx(3.0)


def test_l1_subgradient_is_zero_where_weight_is_zero():
    grad = regkit.penalty_grad([0.0, -0.0, 1e-300, -1e-300], 4.0, "l1")
    np.testing.assert_array_equal(grad, [0.0, 0.0, 2.0, -2.0])


@pytest.mark.parametrize("kind", ["l1", "l2"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_penalty_grad_matches_finite_differences_away_from_zero(kind, seed):
    rng = np.random.default_rng(seed)
    w = rng.choice([-1.0, 1.0], (3, 4)) * rng.uniform(0.1, 2.0, (3, 4))
    lam = rng.uniform(0.1, 3.0)
    analytic = regkit.penalty_grad(w, lam, kind)
    for reference in (
        regkit.numerical_gradient(lambda v: regkit.penalty(v, lam, kind), w),
        central_difference(lambda v: regkit.penalty(v, lam, kind), w),
    ):
        error = np.linalg.norm(analytic - reference) / np.linalg.norm(reference)
        assert error <= FD_RTOL


@pytest.mark.parametrize("kind", ["l1", "l2"])
def test_penalty_grad_check_passes_for_correct_gradient(kind):
    check = regkit.penalty_grad_check([0.5, -1.5, 2.0], 0.8, kind)
    assert check.passed
    assert check.measured <= FD_RTOL


def test_penalty_grad_check_fails_for_a_wrong_gradient(monkeypatch):
    monkeypatch.setattr(
        regkit.checks.gradients, "penalty_grad", lambda w, lam, kind: 1.01 * lam * np.asarray(w)
    )
    assert not regkit.penalty_grad_check([0.5, -1.5, 2.0], 0.8, "l2").passed


def test_soft_threshold_on_explicit_vector():
    z = [-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.5]
    np.testing.assert_array_equal(
        regkit.soft_threshold(z, 1.0), [-2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.5]
    )


def test_soft_threshold_with_zero_threshold_is_identity():
    z = np.array([[-1.25, 0.0], [3.5, -2e-8]])
    np.testing.assert_array_equal(regkit.soft_threshold(z, 0.0), z)


def test_soft_threshold_gives_exact_zeros_inside_the_threshold():
    z = np.linspace(-0.7, 0.7, 101)
    assert np.all(regkit.soft_threshold(z, 0.7) == 0.0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_soft_threshold_is_the_proximal_operator_of_the_absolute_value(seed):
    rng = np.random.default_rng(seed)
    z = rng.uniform(-3.0, 3.0, 40)
    t = rng.uniform(0.0, 2.0)
    grid = np.arange(-4000, 4001) * GRID_STEP

    def prox_objective(w):
        return t * np.abs(w) + 0.5 * (w - z[:, None]) ** 2

    values = prox_objective(grid[None, :])
    grid_argmin = grid[np.argmin(values, axis=1)]
    ours = regkit.soft_threshold(z, t)
    ours_value = prox_objective(ours[:, None])[:, 0]
    assert np.all(ours_value <= values.min(axis=1) + 1e-12)
    assert np.max(np.abs(ours - grid_argmin)) <= GRID_STEP


def test_docstring_examples(run_doctests):
    attempted, report = run_doctests(regkit.core.penalties)
    assert attempted > 0
    assert report == "", report
