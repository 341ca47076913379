"""Regularization paths: the L1 and L2 minimizers as functions of the strength ``lam``.

A path is an array of shape ``(len(lams), n)`` whose row ``i`` is the minimizer of the course's
objective at ``lams[i]``: :func:`ridge_path` for the L2 penalty, :func:`lasso_path` for the L1
penalty. The other functions read a path (:func:`zero_entry_points`, :func:`nonzero_counts`,
:func:`sign_changes`) or check one against independent computations (:func:`path_checks`,
:func:`duplicate_column_checks`).
"""

from __future__ import annotations

import math

import numpy as np

from ._validation import (
    as_float_array,
    check_count,
    check_data,
    check_lam,
    check_scalar,
)
from .checks import Check, CheckTable
from .core import l1_optimality_violation, lasso, lasso_threshold, objective, ridge

__all__ = [
    "duplicate_column_checks",
    "lasso_path",
    "nonzero_counts",
    "path_checks",
    "ridge_path",
    "sign_changes",
    "zero_entry_points",
]

_EPS = float(np.finfo(np.float64).eps)


def _check_lams(lams, *, increasing=False):
    lams = as_float_array(lams, "lams", ndim=1)
    if np.any(lams < 0):
        raise ValueError(f"lams must be >= 0; got a smallest value of {lams.min()}")
    if increasing and np.any(np.diff(lams) <= 0):
        raise ValueError("lams must be strictly increasing")
    return lams


def _check_path(path, rows=None):
    path = as_float_array(path, "path", ndim=2)
    if rows is not None and path.shape[0] != rows:
        raise ValueError(
            f"path must have one row per value of lams; got {path.shape[0]} rows for {rows} values"
        )
    return path


def ridge_path(X, y, lams):
    """Return the L2 minimizer :func:`regkit.ridge` at every strength in ``lams``.

    Parameters
    ----------
    X : array_like, shape (m, n)
    y : array_like, shape (m,)
    lams : array_like, shape (k,)
        Strengths, finite and >= 0, in any order. A 0 needs ``X`` of rank n.

    Returns
    -------
    numpy.ndarray, shape (k, n)
        Row ``i`` is the minimizer at ``lams[i]``.

    Examples
    --------
    >>> ridge_path([[1.0, 0.0], [0.0, 1.0]], [2.0, 4.0], [0.0, 0.5]).round(6)
    array([[2., 4.],
           [1., 2.]])
    """
    X, y = check_data(X, y)
    lams = _check_lams(lams)
    return np.array([ridge(X, y, lam) for lam in lams])


def lasso_path(X, y, lams, *, tol=1e-9, max_iter=100_000):
    """Return the L1 minimizer :func:`regkit.lasso` at every strength in ``lams``.

    Each point is solved from ``w = 0`` by FISTA until the optimality conditions hold within
    ``tol``, so the zeros in the path are exact zeros.

    Parameters
    ----------
    X : array_like, shape (m, n)
    y : array_like, shape (m,)
    lams : array_like, shape (k,)
        Strengths, finite and >= 0, in any order.
    tol : float, default 1e-9
        Passed to :func:`regkit.lasso`.
    max_iter : int, default 100000
        Passed to :func:`regkit.lasso`.

    Returns
    -------
    numpy.ndarray, shape (k, n)
        Row ``i`` is the minimizer at ``lams[i]``.

    Examples
    --------
    >>> lasso_path([[1.0, 0.0], [0.0, 1.0]], [2.0, 4.0], [1.0, 3.0]).round(6)
    array([[1., 3.],
           [0., 1.]])
    """
    X, y = check_data(X, y)
    lams = _check_lams(lams)
    tol = check_scalar(tol, "tol", positive=True)
    max_iter = check_count(max_iter, "max_iter", minimum=1)
    return np.array([lasso(X, y, lam, tol=tol, max_iter=max_iter) for lam in lams])


def zero_entry_points(path, lams):
    """Return, for each coefficient, the smallest ``lam`` from which it stays exactly 0.

    Parameters
    ----------
    path : array_like, shape (k, n)
        Row ``i`` holds the coefficients at ``lams[i]``.
    lams : array_like, shape (k,)
        Strictly increasing strengths.

    Returns
    -------
    numpy.ndarray, shape (n,)
        Entry ``j`` is the smallest ``lams[i]`` such that coefficient ``j`` is exactly 0 at
        ``lams[i]`` and at every larger strength of the grid; ``lams[0]`` if it is 0 on the
        whole grid, and NaN if it is non-zero at the largest strength.

    Examples
    --------
    >>> zero_entry_points([[1.0, 2.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]], [1, 2, 3])
    array([2., 3., 1.])
    """
    lams = _check_lams(lams, increasing=True)
    path = _check_path(path, lams.size)
    entries = np.full(path.shape[1], np.nan)
    for j, column in enumerate(path.T):
        nonzero = np.flatnonzero(column != 0)
        if nonzero.size == 0:
            entries[j] = lams[0]
        elif nonzero[-1] < lams.size - 1:
            entries[j] = lams[nonzero[-1] + 1]
    return entries


def nonzero_counts(path):
    """Return the number of non-zero coefficients in each row of ``path``.

    Parameters
    ----------
    path : array_like, shape (k, n)

    Returns
    -------
    numpy.ndarray of int, shape (k,)

    Examples
    --------
    >>> nonzero_counts([[1.0, -2.0], [0.0, 0.5], [0.0, 0.0]])
    array([2, 1, 0])
    """
    return np.count_nonzero(_check_path(path), axis=1)


def sign_changes(path):
    """Return how often each coefficient changes sign along ``path``.

    Exact zeros are skipped: ``+, 0, -`` is one change, ``+, 0, +`` none. A coefficient
    that changes sign passes through 0 between the two rows, even when no row is 0.

    Parameters
    ----------
    path : array_like, shape (k, n)

    Returns
    -------
    numpy.ndarray of int, shape (n,)

    Examples
    --------
    >>> sign_changes([[1.0, 1.0, 2.0], [0.0, -1.0, 1.0], [-1.0, 1.0, 0.5]])
    array([1, 2, 0])
    """
    path = _check_path(path)
    counts = []
    for column in path.T:
        signs = np.sign(column[column != 0])
        counts.append(int(np.count_nonzero(np.diff(signs))))
    return np.array(counts, dtype=int)


def path_checks(X, y, lams, *, tol=1e-10):
    """Check the L1 and L2 paths against scikit-learn and against what provably holds.

    With ``w1(lam)`` from :func:`lasso_path` and ``w2(lam)`` from :func:`ridge_path`:

    * ``w1`` equals ``sklearn.linear_model.lasso_path(X, y, alphas=lams / 2)`` (coordinate
      descent, ``tol=1e-14``), and satisfies the optimality conditions at every ``lam``;
    * ``w2`` equals ``Ridge(alpha=m * lam, fit_intercept=False)`` at every ``lam``;
    * no coefficient of ``w2`` is exactly 0 anywhere on the grid;
    * ``w1`` is exactly 0 at ``lam_max = 2 max|X.T y| / m`` and at every grid value above it;
    * ``||w1(lam)||_1`` and ``||w2(lam)||_2`` do not increase with ``lam``. For any penalty
      this follows from comparing the objectives at two strengths: each minimizer is no worse
      than the other at its own strength, and adding the two inequalities leaves
      ``(lam_b - lam_a) * (P(w_a) - P(w_b)) >= 0`` for the penalty ``P``;
    * :func:`zero_entry_points` of ``w1`` agrees with the exact knots of the L1 path from
      ``sklearn.linear_model.lars_path(X, y, method="lasso")`` (Efron et al., 2004): each
      coefficient's last exact entry into 0 lies between the previous grid value and the one
      returned.

    The number of non-zero L1 coefficients is not checked for monotonicity: it need not be
    monotone, because a coefficient can return to 0 and leave the model as ``lam`` decreases
    (see :func:`nonzero_counts`).

    Parameters
    ----------
    X : array_like, shape (m, n)
    y : array_like, shape (m,)
    lams : array_like, shape (k,)
        Strictly increasing strengths, all > 0.
    tol : float, default 1e-10
        Tolerance on the optimality conditions handed to :func:`regkit.lasso`.

    Returns
    -------
    CheckTable
    """
    X, y = check_data(X, y)
    lams = _check_lams(lams, increasing=True)
    if lams[0] <= 0:
        raise ValueError("lams must be > 0 for path_checks")
    tol = check_scalar(tol, "tol", positive=True)
    l1 = lasso_path(X, y, lams, tol=tol)
    l2 = ridge_path(X, y, lams)
    lam_max = lasso_threshold(X, y)
    above = lams >= lam_max
    return CheckTable(
        [
            _sklearn_lasso_check(X, y, lams, l1),
            Check(
                "L1: optimality conditions hold at every lam (largest violation)",
                max(
                    l1_optimality_violation(w, X, y, lam) for w, lam in zip(l1, lams, strict=True)
                ),
                tol,
            ),
            _sklearn_ridge_check(X, y, lams, l2),
            Check(
                f"L2: coefficients exactly 0, among all {l2.size} on the grid",
                float(np.count_nonzero(l2 == 0)),
                0,
            ),
            Check(
                f"L1: non-zero weights at lam_max = 2 max|X^T y|/m = {lam_max:.3g}",
                float(np.count_nonzero(lasso(X, y, lam_max, tol=tol))),
                0,
            ),
            Check(
                f"L1: non-zero weights at the {int(above.sum())} grid values lam >= lam_max",
                float(np.count_nonzero(l1[above])),
                0,
            ),
            Check(
                "L1: |w(lam)|_1 never increases with lam (largest rise / |w(lams[0])|_1)",
                _largest_rise(np.sum(np.abs(l1), axis=1)),
                1e-8,
            ),
            Check(
                "L2: |w(lam)|_2 never increases with lam (largest rise / |w(lams[0])|_2)",
                _largest_rise(np.linalg.norm(l2, axis=1)),
                1e-12,
            ),
            _lars_check(X, y, lams, l1),
        ]
    )


def _largest_rise(norms):
    scale = max(float(norms[0]), _EPS)
    return max(float(np.max(np.diff(norms), initial=0.0)), 0.0) / scale


def _sklearn_lasso_check(X, y, lams, ours):
    from sklearn.linear_model import lasso_path as sklearn_lasso_path

    alphas, coefs, _ = sklearn_lasso_path(X, y, alphas=lams / 2, tol=1e-14, max_iter=1_000_000)
    order = np.argsort(alphas)  # scikit-learn returns the strengths in decreasing order
    theirs = coefs[:, order].T
    return Check(
        "L1 path = sklearn lasso_path(alphas=lams/2) (max weight diff)",
        float(np.max(np.abs(ours - theirs))),
        1e-6,
    )


def _sklearn_ridge_check(X, y, lams, ours):
    from sklearn.linear_model import Ridge

    m, n = X.shape
    errors = []
    for lam, w in zip(lams, ours, strict=True):
        theirs = Ridge(alpha=m * lam, fit_intercept=False, solver="svd").fit(X, y).coef_
        scale = max(float(np.linalg.norm(theirs)), _EPS)
        errors.append(float(np.linalg.norm(w - theirs)) / scale)
    kappa = np.linalg.cond(X.T @ X + m * lams[0] * np.eye(n))
    return Check(
        "L2 path = sklearn Ridge(alpha=m*lam) at every lam (largest relative error)",
        max(errors),
        max(1e-12, 100 * kappa * _EPS),
    )


def _lars_check(X, y, lams, l1):
    from sklearn.linear_model import lars_path

    alphas, _, coefs = lars_path(X, y, method="lasso")
    knots = 2 * alphas  # decreasing strengths in the course's convention
    leading_zeros = np.argmin(np.cumprod(coefs == 0, axis=1), axis=1)
    leading_zeros[np.all(coefs == 0, axis=1)] = knots.size
    exact = knots[leading_zeros - 1]
    grid = zero_entry_points(l1, lams)
    slack = 1e-9
    misplaced = 0
    for knot, entry in zip(exact, grid, strict=True):
        if math.isnan(entry):
            misplaced += knot <= lams[-1] * (1 - slack)
            continue
        i = int(np.searchsorted(lams, entry))
        below = lams[i - 1] if i > 0 else -np.inf
        misplaced += not (below * (1 - slack) < knot <= entry * (1 + slack))
    return Check(
        "L1: zero_entry_points brackets the exact knots of sklearn lars_path"
        " (coefficients outside their grid step)",
        float(misplaced),
        0,
    )


def duplicate_column_checks(X, y, column, lam, *, noise=0.01, seed=0):
    """Compare how L2 and L1 share weight between a feature and a near copy of it.

    The problem is augmented with one column, ``X[:, column]`` plus Gaussian noise of
    standard deviation ``noise`` (correlation close to 1 for standardized features). Then:

    * the L2 minimizer gives the original and the copy nearly equal weights;
    * the L1 minimizer puts nearly all of the weight on one of the two (or none on either,
      when ``lam`` is large enough to remove the feature);
    * with an exact copy (``noise = 0``) the L2 weights of the pair are equal, because the
      objective is symmetric in the two columns and has one minimizer;
    * the L1 objective with an exact copy takes the same value at the regkit and the
      scikit-learn solutions, so any split of the pair's total weight with the same sign is
      optimal: the L1 minimizer is not unique.

    Parameters
    ----------
    X : array_like, shape (m, n)
    y : array_like, shape (m,)
    column : int
        Index of the column to copy, ``0 <= column < n``.
    lam : float
        Strength, > 0.
    noise : float, default 0.01
        Standard deviation of the noise added to the copy, > 0.
    seed : int, default 0

    Returns
    -------
    CheckTable
    """
    from sklearn.linear_model import Lasso

    X, y = check_data(X, y)
    column = check_count(column, "column")
    if column >= X.shape[1]:
        raise ValueError(f"column must be < n = {X.shape[1]}; got {column}")
    lam = check_lam(lam)
    if lam == 0:
        raise ValueError("lam must be > 0 for duplicate_column_checks")
    noise = check_scalar(noise, "noise", positive=True)
    rng = np.random.default_rng(check_count(seed, "seed"))
    near = np.column_stack([X, X[:, column] + noise * rng.standard_normal(X.shape[0])])
    exact = np.column_stack([X, X[:, column]])
    pair = [column, X.shape[1]]
    w2 = ridge(near, y, lam)[pair]
    w1 = np.abs(lasso(near, y, lam, tol=1e-10)[pair])
    w2_exact = ridge(exact, y, lam)[pair]
    ours = lasso(exact, y, lam, tol=1e-10)
    theirs = Lasso(alpha=lam / 2, fit_intercept=False, tol=1e-14, max_iter=1_000_000)
    theirs = theirs.fit(exact, y).coef_
    j_ours, j_theirs = (objective(w, exact, y, lam, "l1") for w in (ours, theirs))
    return CheckTable(
        [
            Check(
                "L2, near copy: |w_copy / w_original - 1|",
                float(abs(w2[1] / w2[0] - 1)) if w2[0] != 0 else math.inf,
                0.05,
            ),
            Check(
                "L1, near copy: smaller / larger of |w_original|, |w_copy| (0 if both are 0)",
                float(w1.min() / w1.max()) if w1.max() > 0 else 0.0,
                0.05,
            ),
            Check(
                "L2, exact copy: |w_copy - w_original| / |w_original|",
                abs(w2_exact[1] - w2_exact[0]) / max(abs(w2_exact[0]), _EPS),
                1e-10,
            ),
            Check(
                "L1, exact copy: regkit and sklearn reach the same objective (relative diff)",
                abs(j_ours - j_theirs) / max(j_theirs, _EPS),
                1e-9,
            ),
        ]
    )
