"""Tests of regkit.min_norm_least_squares and regkit.min_norm_checks.

The checks must pass on correct code and fail when what they check is broken (monkeypatching
the names the check module imported).
"""

import numpy as np
import pytest
import scipy.linalg
from numpy.polynomial import legendre

import regkit
import regkit.checks.min_norm


def legendre_design(x, p):
    """The first p Legendre polynomials at x, scaled to unit mean square on [-1, 1]."""
    return legendre.legvander(x, p - 1) * np.sqrt(2 * np.arange(p) + 1)


RNG = np.random.default_rng(0)
X_POINTS = RNG.uniform(-1, 1, 20)
Y_POINTS = np.sin(np.pi * X_POINTS) + 0.25 * RNG.standard_normal(20)
PROBLEMS = {
    "wide-20x40": (legendre_design(X_POINTS, 40), Y_POINTS),
    "tall-30x5": regkit.make_linear_problem(30, 5, seed=1)[:2],
    "square-20x20": (legendre_design(X_POINTS, 20), Y_POINTS),
    "rank-5-of-10": (legendre_design(np.repeat(X_POINTS[:5], 4), 10), Y_POINTS),
    # wide and rank-deficient: 12 distinct inputs among 20 rows, 30 columns (rank 12 < m < n)
    "wide-rank-12": (legendre_design(np.r_[X_POINTS[:12], X_POINTS[:8]], 30), Y_POINTS),
    # full row rank, but its first m columns are not: column 3 repeats column 1
    "wide-first-m-deficient": (
        np.column_stack(
            [
                legendre_design(X_POINTS, 3),
                legendre_design(X_POINTS, 2)[:, 1:],
                legendre_design(X_POINTS, 30)[:, 3:],
            ]
        ),
        Y_POINTS,
    ),
    # rank 30 of 31, large scale: the rounding-level singular value leaks into ridge
    "rank-30-of-31-large": (
        np.random.default_rng(1).normal(size=(31, 30))
        @ np.random.default_rng(2).normal(size=(30, 31))
        * 200.0,
        np.random.default_rng(3).normal(size=31),
    ),
}


@pytest.mark.parametrize("name", list(PROBLEMS))
def test_min_norm_equals_pinv_and_a_qr_based_solver(name):
    X, y = PROBLEMS[name]
    ours = regkit.min_norm_least_squares(X, y)
    np.testing.assert_allclose(
        ours, np.linalg.pinv(X, rcond=max(X.shape) * 2.3e-16) @ y, rtol=1e-8
    )
    # gelsy: complete orthogonal factorisation (QR with pivoting), not an SVD
    cond = max(X.shape) * np.finfo(float).eps
    theirs = scipy.linalg.lstsq(X, y, cond=cond, lapack_driver="gelsy")[0]
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


def test_the_ridge_bound_is_attained_along_the_last_singular_direction():
    X = PROBLEMS["wide-20x40"][0]
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    y = U[:, -1]  # w+ = v_r / s_r: the distance is exactly m lam / (s_r^2 + m lam)
    w_plus = regkit.min_norm_least_squares(X, y)
    np.testing.assert_allclose(w_plus, Vt[-1] / s[-1], rtol=1e-8)
    for lam in (1e-3, 1e-6):
        distance = regkit.relative_error(regkit.ridge(X, y, lam), w_plus)
        assert distance == pytest.approx(20 * lam / (s[-1] ** 2 + 20 * lam), rel=1e-6)


@pytest.mark.parametrize("name", list(PROBLEMS))
def test_min_norm_checks_pass(name):
    table = regkit.min_norm_checks(*PROBLEMS[name])
    assert table.all_passed, [check.claim for check in table.failures()]
    claims = " ".join(check.claim for check in table)
    X = PROBLEMS[name][0]
    rank = np.linalg.matrix_rank(X)
    assert ("full row rank" in claims) == (rank == X.shape[0])
    assert ("full column rank" in claims) == (rank == X.shape[1])
    first_m = np.linalg.matrix_rank(X[:, : X.shape[0]])
    assert ("|w+| when a column is added" in claims) == (X.shape[1] > X.shape[0] == first_m)


def test_min_norm_checks_fail_for_a_fit_that_is_not_the_smallest(monkeypatch):
    X, y = PROBLEMS["wide-20x40"]
    null_direction = np.linalg.svd(X)[2][-1]  # X z = 0

    def interpolant_with_null_part(A, b):
        return regkit.min_norm_least_squares(A, b) + 0.1 * np.linalg.svd(A)[2][-1]

    monkeypatch.setattr(
        regkit.checks.min_norm, "min_norm_least_squares", interpolant_with_null_part
    )
    failed = [check.claim for check in regkit.min_norm_checks(X, y).failures()]
    assert any("lstsq" in claim for claim in failed)
    assert np.max(np.abs(X @ null_direction)) < 1e-10


def test_min_norm_checks_fail_for_a_ridge_off_by_a_factor_two(monkeypatch):
    X, y = PROBLEMS["wide-20x40"]
    monkeypatch.setattr(
        regkit.checks.min_norm, "ridge", lambda A, b, lam: regkit.ridge(A, b, 2 * lam)
    )
    failed = [check.claim for check in regkit.min_norm_checks(X, y).failures()]
    assert any("<= mλ/(s_r² + mλ)" in claim for claim in failed)


def test_min_norm_checks_catch_a_ridge_off_by_ten_percent_on_a_well_conditioned_design(
    monkeypatch,
):
    X, y = PROBLEMS["wide-20x40"]  # kappa = 8: the bounds alone are too wide to see this
    monkeypatch.setattr(
        regkit.checks.min_norm, "ridge", lambda A, b, lam: regkit.ridge(A, b, 1.1 * lam)
    )
    failed = [check.claim for check in regkit.min_norm_checks(X, y).failures()]
    assert any("largest gap over λ" in claim for claim in failed)
