"""Checks of the minimum-norm least-squares fit: the solution at and beyond the interpolation
threshold, the limit of ridge as lam -> 0, and what happens as columns are added."""

from __future__ import annotations

import numpy as np
from scipy.linalg import solve_triangular

from .._validation import as_float_array, check_data
from ..core.solvers import ridge
from ..core.spectral import min_norm_least_squares
from .table import FLOAT64_EPS, Check, CheckTable, relative_error

__all__ = ["min_norm_checks"]


def min_norm_checks(X, y, lams=(1e-1, 1e-3, 1e-5, 1e-7, 1e-9)):
    """Check :func:`regkit.min_norm_least_squares` and the ridge limit on one problem.

    With the thin SVD ``X = U diag(s) V.T``, rank ``r`` and ``c_k = (u_k . y) / s_k`` the
    coefficients of ``w+``, the exact ridge solution differs from ``w+`` by
    ``sum_{k<=r} m lam / (s_k**2 + m lam) c_k v_k``, so

    ``m lam / (s_1**2 + m lam) ||w+|| <= ||w+ - w_lam|| <= m lam / (s_r**2 + m lam) ||w+||``:

    the ridge solution tends to ``w+`` in proportion to ``lam``, whatever the shape and rank
    of ``X``. The table checks, in this order:

    * ``w+`` against NumPy's ``lstsq`` (another SVD-based solver), within 100 times the
      least-squares rounding bound ``eps (kappa + kappa**2 tan(theta))``, ``kappa = s_1 / s_r``
      and ``theta`` the angle between ``y`` and its fit; with full row rank, against
      ``Q R^-T y`` from the QR factorisation ``X.T = Q R`` (within ``100 eps kappa``); with
      full column rank, against ``regkit.ridge(X, y, 0)``;
    * at every ``lam``, both bounds above, for :func:`regkit.ridge`;
    * the exact distance, ``||diag(m lam / (s**2 + m lam)) c|| / ||w+||``, against the measured
      one (largest gap over the strengths), which the bounds alone cannot pin down when
      ``kappa`` is large;
    * taking the columns of ``X`` in order, ``X_p`` the first ``p``, the two facts behind the
      peak of double descent at ``p = m``: the smallest singular value of ``X_p`` falls as
      ``p`` grows to ``m`` and rises after it (interlacing), and once ``X_m`` has rank ``m``,
      ``||w+||`` cannot rise when a column is added, since ``w+`` of ``X_p`` padded with a zero
      still interpolates.

    A rank-deficient ``X`` has zero singular values that the SVD returns at rounding level,
    below ``t = max(m, n) eps s_1``; the computed ridge divides by ``s_k**2 + m lam`` for
    those too, which adds at most ``g(min(t, sqrt(m lam))) ||y||``, ``g(s) = s / (s**2 + m
    lam)``, to the distance. The ridge rows allow that much; it grows as ``lam`` falls.

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
    U, s, _ = np.linalg.svd(X, full_matrices=False)
    if s[0] == 0:
        raise ValueError("X must not be all zero: its minimum-norm fit is 0 for every y")
    cutoff = max(m, n) * FLOAT64_EPS * s[0]
    rank = int(np.sum(s > cutoff))
    kappa = s[0] / s[rank - 1]
    w_plus = min_norm_least_squares(X, y)
    size = np.linalg.norm(w_plus)
    if size == 0:
        raise ValueError("y must have a non-zero least-squares fit (X.T y is 0)")
    fit = X @ w_plus
    tan_theta = np.linalg.norm(y - fit) / np.linalg.norm(fit)
    rounding = 100 * FLOAT64_EPS * kappa
    least_squares_rounding = rounding + 100 * FLOAT64_EPS * kappa**2 * tan_theta
    checks = [
        Check(
            "w+ = numpy.linalg.lstsq (relative error)",
            relative_error(w_plus, np.linalg.lstsq(X, y, rcond=None)[0]),
            least_squares_rounding,
        )
    ]
    if rank == m:
        Q, R = np.linalg.qr(X.T)
        checks.append(
            Check(
                "full row rank: w+ = Q R^-T y, with X^T = QR (relative error)",
                relative_error(w_plus, Q @ solve_triangular(R, y, trans="T")),
                rounding,
            )
        )
    if rank == n:
        checks.append(
            Check(
                "full column rank: w+ = rk.ridge at λ = 0 (relative error)",
                relative_error(w_plus, ridge(X, y, 0.0)),
                least_squares_rounding,
            )
        )
    coefficients = (U[:, :rank].T @ y) / s[:rank]
    gaps = []
    for lam in lams:
        distance = relative_error(ridge(X, y, float(lam)), w_plus)
        leak = _leak(cutoff, m * lam, rank < min(m, n)) * np.linalg.norm(y) / size
        exact = np.linalg.norm(m * lam / (s[:rank] ** 2 + m * lam) * coefficients) / size
        gaps.append(max(abs(distance - exact) - leak, 0.0))
        checks += [
            Check(
                f"λ = {lam:.0e}: |rk.ridge - w+| / |w+| <= mλ/(s_r² + mλ)",
                distance,
                m * lam / (s[rank - 1] ** 2 + m * lam) + rounding + leak,
            ),
            Check(
                f"λ = {lam:.0e}: |rk.ridge - w+| / |w+| >= mλ/(s_1² + mλ)",
                distance,
                m * lam / (s[0] ** 2 + m * lam) - rounding,
                ">=",
            ),
        ]
    checks.append(
        Check(
            "|rk.ridge - w+| / |w+| = |diag(mλ/(s² + mλ)) c| / |w+|, largest gap over λ",
            max(gaps),
            rounding,
        )
    )
    return CheckTable(checks + _column_checks(X, y, s[0]))


def _leak(cutoff, m_lam, deficient):
    """The largest s / (s**2 + m lam) over 0 <= s <= cutoff (0 when nothing is cut off)."""
    if not deficient:
        return 0.0
    s = min(cutoff, np.sqrt(m_lam))  # s / (s**2 + m lam) rises up to s = sqrt(m lam)
    return s / (s**2 + m_lam)


def _column_checks(X, y, s_1):
    """Smallest singular value and norm of w+ as the columns of X are taken one by one."""
    m, n = X.shape
    if n < 2:
        return []
    smallest = np.array([np.linalg.svd(X[:, :p], compute_uv=False)[-1] for p in range(1, n + 1)])
    steps = np.diff(smallest) / s_1
    before, after = steps[: min(m, n) - 1], steps[m - 1 :]
    checks = [
        Check(
            "smallest singular value of X_p: largest rise up to p = m or fall after it / s_1",
            max(float(np.max(before, initial=0.0)), float(-np.min(after, initial=0.0)), 0.0),
            1e-12,
        )
    ]
    s_m = np.linalg.svd(X[:, : min(m, n)], compute_uv=False)[-1]
    if n > m and s_m > s_1 * n * FLOAT64_EPS:
        norms = [np.linalg.norm(min_norm_least_squares(X[:, :p], y)) for p in range(m, n + 1)]
        checks.append(
            Check(
                "p >= m: largest relative rise of |w+| when a column is added",
                max(float(np.max(np.diff(norms) / norms[:-1])), 0.0),
                100 * FLOAT64_EPS * s_1 / s_m,  # kappa of every X_p, p >= m, is at most this
            )
        )
    return checks
