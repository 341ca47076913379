"""Checks of the minimum-norm least-squares fit: the solution at and beyond the interpolation
threshold, the limit of ridge as lam -> 0, and what happens as columns are added."""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, check_data
from ..core.solvers import ridge
from ..core.spectral import min_norm_least_squares
from .table import FLOAT64_EPS, Check, CheckTable, relative_error

__all__ = ["min_norm_checks"]


def min_norm_checks(X, y, lams=(1e-1, 1e-3, 1e-5, 1e-7, 1e-9)):
    """Check :func:`regkit.min_norm_least_squares` and the ridge limit on one problem.

    With the thin SVD ``X = U diag(s) V.T`` and rank ``r``, ridge differs from ``w+`` by
    ``sum_k m lam / (s_k**2 + m lam) (u_k . y) / s_k v_k``, so

    ``m lam / (s_1**2 + m lam) ||w+|| <= ||w+ - w_lam|| <= m lam / (s_r**2 + m lam) ||w+||``:

    ridge tends to ``w+`` in proportion to ``lam``, whatever the shape and rank of ``X``.
    When ``X`` is rank-deficient its zero singular values come out of the SVD at rounding level,
    ``s_k ~ eps s_1``, and ridge divides by ``s_k**2 + m lam`` for them too; the upper bound is
    then allowed their contribution, at most ``max_k s_k / (s_k**2 + m lam) ||y||``, which
    grows as ``lam`` falls and matters only at the smallest strengths.
    The table compares ``w+`` with NumPy's ``lstsq`` (an independent SVD-based solver), with
    ``X.T (X X.T)^-1 y`` when ``X`` has full row rank and with ``regkit.ridge(X, y, 0)`` when it
    has full column rank (each within 100 times its rounding bound, ``eps * kappa``, or
    ``eps * kappa**2`` where ``X X.T`` is formed); then both bounds at every ``lam``. Taking
    the columns of ``X`` in order, ``X_p`` the first ``p``, it checks the two facts behind the
    peak of double descent at ``p = m``: the smallest singular value of ``X_p`` falls as ``p``
    grows to ``m`` and rises after (interlacing), and once ``X_p`` interpolates (``p >= m``,
    rank ``m``), ``||w+||`` cannot rise when a column is added, since ``w+`` of ``X_p`` padded
    with a zero still interpolates.

    Parameters
    ----------
    X : array_like, shape (m, n)
        Not all zero.
    y : array_like, shape (m,)
        With a non-zero least-squares fit (``X.T y`` not 0).
    lams : sequence of float, default (1e-1, 1e-3, 1e-5, 1e-7, 1e-9)
        Strengths at which ridge is compared with ``w+``; each finite and > 0.

    Returns
    -------
    CheckTable
    """
    X, y = check_data(X, y)
    lams = as_float_array(lams, "lams", ndim=1)
    if np.any(lams <= 0):
        raise ValueError(f"lams must all be > 0; got {lams.min()}")
    m, n = X.shape
    s = np.linalg.svd(X, compute_uv=False)
    if s[0] == 0:
        raise ValueError("X must not be all zero: its minimum-norm fit is 0 for every y")
    rank = int(np.sum(s > s[0] * max(m, n) * FLOAT64_EPS))
    s_r, kappa = s[rank - 1], s[0] / s[rank - 1]
    w_plus = min_norm_least_squares(X, y)
    size = np.linalg.norm(w_plus)
    if size == 0:
        raise ValueError("y must have a non-zero least-squares fit (X.T y is 0)")
    rounding = 100 * FLOAT64_EPS * kappa
    checks = [
        Check(
            "w+ = numpy.linalg.lstsq (relative error)",
            relative_error(w_plus, np.linalg.lstsq(X, y, rcond=None)[0]),
            rounding,
        )
    ]
    if rank == m:
        checks.append(
            Check(
                "full row rank: w+ = X^T (X X^T)^-1 y (relative error)",
                relative_error(w_plus, X.T @ np.linalg.solve(X @ X.T, y)),
                100 * FLOAT64_EPS * kappa**2,
            )
        )
    if rank == n:
        checks.append(
            Check(
                "full column rank: w+ = rk.ridge at λ = 0 (relative error)",
                relative_error(w_plus, ridge(X, y, 0.0)),
                rounding,
            )
        )
    discarded = s[rank:]  # zero in exact arithmetic; ridge still divides by them
    for lam in lams:
        distance = relative_error(ridge(X, y, float(lam)), w_plus)
        leak = np.max(discarded / (discarded**2 + m * lam), initial=0.0) * np.linalg.norm(y)
        checks += [
            Check(
                f"λ = {lam:.0e}: |rk.ridge - w+| / |w+| <= mλ/(s_r² + mλ)",
                distance,
                m * lam / (s_r**2 + m * lam) + rounding + leak / size,
            ),
            Check(
                f"λ = {lam:.0e}: |rk.ridge - w+| / |w+| >= mλ/(s_1² + mλ)",
                distance,
                m * lam / (s[0] ** 2 + m * lam) - rounding,
                ">=",
            ),
        ]
    return CheckTable(checks + _column_checks(X, y))


def _column_checks(X, y):
    """Smallest singular value and norm of w+ as the columns of X are taken one by one."""
    m, n = X.shape
    if n < 2:
        return []
    smallest = np.array([np.linalg.svd(X[:, :p], compute_uv=False)[-1] for p in range(1, n + 1)])
    steps = np.diff(smallest) / smallest.max()
    before, after = steps[: min(m, n) - 1], steps[m - 1 :]
    checks = [
        Check(
            "smallest singular value of X_p: largest rise up to p = m or fall after it / s_1",
            max(float(np.max(before, initial=0.0)), float(-np.min(after, initial=0.0)), 0.0),
            1e-12,
        )
    ]
    first_rank = np.linalg.svd(X[:, : min(m, n)], compute_uv=False)
    interpolates = n > m and first_rank[-1] > first_rank[0] * n * FLOAT64_EPS
    if interpolates:
        norms = np.array(
            [np.linalg.norm(min_norm_least_squares(X[:, :p], y)) for p in range(m, n + 1)]
        )
        kappa_m = first_rank[0] / first_rank[-1]
        checks.append(
            Check(
                "p >= m: largest relative rise of |w+| when a column is added",
                max(float(np.max(np.diff(norms) / norms[:-1])), 0.0),
                100 * FLOAT64_EPS * kappa_m,
            )
        )
    return checks
