"""Ridge regression through the SVD: shrinkage factors and the quantities built on them.

For ``X = U diag(s) V.T`` (thin SVD) the L2 minimizer is
``w* = sum_k s_k / (s_k**2 + m lam) * (u_k . y) * v_k``: along each right singular vector
``v_k`` it is the least-squares coefficient times ``s_k**2 / (s_k**2 + m lam)``. This module
computes those factors, the effective degrees of freedom, the condition number, and the bias
and variance of the estimator. Gradient descent from ``w = 0`` on the unpenalized data term
shrinks the same directions by other factors after ``t`` steps
(:func:`regkit.early_stopping_factors`), which is why stopping early acts like an L2 penalty.
"""

from __future__ import annotations

import numpy as np

from .._validation import (
    as_float_array,
    check_count,
    check_data,
    check_lam,
    check_scalar,
)
from .solvers import ridge

__all__ = [
    "early_stopping_factors",
    "effective_dof",
    "min_norm_least_squares",
    "refit_ridge",
    "ridge_bias_variance",
    "ridge_condition_number",
    "shrinkage_factors",
]


def _singular_values(X):
    """Return X and its singular values, with those below the rank tolerance set to 0.

    The tolerance ``s_max * max(m, n) * eps`` is the one :func:`regkit.ridge` uses to decide
    the rank, so that a numerically singular ``X`` has factor 0, not 1, at ``lam = 0``.
    """
    X = as_float_array(X, "X", ndim=2)
    s = np.linalg.svd(X, compute_uv=False)
    return X, np.where(s > s[0] * max(X.shape) * np.finfo(float).eps, s, 0.0)


def shrinkage_factors(X, lam):
    """Return ``s_k**2 / (s_k**2 + m lam)`` for each singular value ``s_k`` of ``X``.

    Factor ``k`` is how much of the least-squares coefficient along the right singular vector
    ``v_k`` the L2 minimizer keeps: 1 means none is removed, 0 means all of it.

    Parameters
    ----------
    X : array_like, shape (m, n)
    lam : float
        Finite and >= 0.

    Returns
    -------
    numpy.ndarray, shape (min(m, n),)
        In the order of decreasing ``s_k``. A zero singular value (below the rank tolerance
        of :func:`regkit.ridge`) gives the factor 0, for ``lam = 0`` too: nothing can be
        fitted along that direction.

    Examples
    --------
    >>> shrinkage_factors([[2.0, 0.0], [0.0, 1.0]], lam=0.5).round(3)
    array([0.8, 0.5])
    """
    X, s = _singular_values(X)
    lam = check_lam(lam)
    denominator = s**2 + X.shape[0] * lam
    return np.divide(s**2, denominator, out=np.zeros_like(s), where=denominator > 0)


def min_norm_least_squares(X, y):
    """Return ``w+ = X+ y``, the least-squares coefficients of smallest Euclidean norm.

    With the thin SVD ``X = U diag(s) V.T`` and ``r`` singular values above the rank tolerance
    of :func:`regkit.ridge` (``s_1 * max(m, n) * eps``), ``w+ = sum_{k<=r} (u_k . y) / s_k v_k``.
    It minimises ``||y - X w||`` and, among all minimisers, has the smallest ``||w||``; when
    ``X`` has full column rank it is the unique least-squares solution, and when ``n > m`` with
    full row rank it interpolates the data. It is the limit as ``lam -> 0`` of the ridge
    solution ``(X.T X + m lam I)^-1 X.T y``, whatever the shape and rank of ``X``, in exact
    arithmetic. For a rank-deficient ``X`` the computed :func:`regkit.ridge` departs from it
    again once ``m lam`` nears the rounding-level singular values, since it divides by them
    (:func:`regkit.min_norm_checks` bounds that effect).

    Parameters
    ----------
    X : array_like, shape (m, n)
    y : array_like, shape (m,)

    Returns
    -------
    numpy.ndarray, shape (n,)

    Examples
    --------
    >>> min_norm_least_squares([[1.0, 1.0]], [2.0])
    array([1., 1.])
    """
    X, y = check_data(X, y)
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    keep = s > s[0] * max(X.shape) * np.finfo(float).eps
    return Vt[keep].T @ ((U[:, keep].T @ y) / s[keep])


def effective_dof(X, lam):
    """Return the effective degrees of freedom ``df(lam) = sum_k s_k**2 / (s_k**2 + m lam)``.

    It equals the trace of the hat matrix ``X (X.T X + m lam I)^-1 X.T`` that maps ``y`` to
    the fitted values; ``df(0)`` is the rank of ``X`` and ``df`` falls to 0 as ``lam`` grows.

    Parameters
    ----------
    X : array_like, shape (m, n)
    lam : float
        Finite and >= 0.

    Returns
    -------
    float
    """
    return float(np.sum(shrinkage_factors(X, lam)))


def ridge_condition_number(X, lam):
    """Return ``cond(X.T X + m lam I) = (s_max**2 + m lam) / (s_min**2 + m lam)``.

    ``s_min`` is the n-th singular value, 0 when ``X`` has fewer rows than columns.

    Parameters
    ----------
    X : array_like, shape (m, n)
    lam : float
        Finite and >= 0.

    Returns
    -------
    float
        ``inf`` when ``lam = 0`` and ``X`` has rank < n.
    """
    X, s = _singular_values(X)
    lam = check_lam(lam)
    m, n = X.shape
    s_min = s[-1] if s.size == n else 0.0
    low = s_min**2 + m * lam
    return float((s[0] ** 2 + m * lam) / low) if low > 0 else float("inf")


def ridge_bias_variance(X, w_true, lam, noise):
    """Return the exact squared bias and total variance of the L2 minimizer.

    For fixed ``X`` and ``y = X w_true + e`` with independent noise ``e ~ N(0, noise**2 I)``,
    the minimizer ``w*(y)`` has mean ``V diag(f) V.T w_true`` (with the factors ``f`` of
    :func:`shrinkage_factors`) and covariance with trace
    ``noise**2 * sum_k s_k**2 / (s_k**2 + m lam)**2``.

    Parameters
    ----------
    X : array_like, shape (m, n)
    w_true : array_like, shape (n,)
    lam : float
        Finite and >= 0; with ``lam = 0``, ``X`` must have rank n.
    noise : float
        Standard deviation of the noise, >= 0.

    Returns
    -------
    bias_sq : float
        ``||E[w*] - w_true||**2``.
    variance : float
        ``E ||w* - E[w*]||**2``, the sum of the variances of the weights.
    """
    X, w_true = _design_and_weights(X, w_true)
    lam, noise = check_lam(lam), check_scalar(noise, "noise")
    m = X.shape[0]
    _, s, Vt = np.linalg.svd(X, full_matrices=False)
    if lam == 0 and (s.size < X.shape[1] or s[-1] <= s[0] * max(X.shape) * np.finfo(float).eps):
        raise ValueError("with lam=0, X must have rank n = number of columns")
    factors = shrinkage_factors(X, lam)
    mean = Vt.T @ (factors * (Vt @ w_true))
    variance = noise**2 * float(np.sum(s**2 / (s**2 + m * lam) ** 2))
    return float(np.sum((mean - w_true) ** 2)), variance


def refit_ridge(X, w_true, lams, noise, *, draws=500, seed=0):
    """Fit :func:`regkit.ridge` to ``draws`` noisy copies of ``y = X w_true``, for each strength.

    ``X`` and ``w_true`` stay fixed; draw ``d`` adds noise ``noise * z_d`` with ``z_d`` the
    ``d``-th row of a standard normal matrix from ``numpy.random.default_rng(seed)``, the same
    draws for every strength.

    Parameters
    ----------
    X : array_like, shape (m, n)
    w_true : array_like, shape (n,)
    lams : array_like, shape (k,)
        Strengths, each finite and >= 0.
    noise : float
        Standard deviation of the noise, >= 0.
    draws : int, default 500
        Number of noise draws, >= 2.
    seed : int, default 0

    Returns
    -------
    numpy.ndarray, shape (k, draws, n)
        Entry ``[i, d]`` is the fitted weight vector for ``lams[i]`` and draw ``d``.
    """
    X, w_true = _design_and_weights(X, w_true)
    lams = [check_lam(lam) for lam in as_float_array(lams, "lams", ndim=1)]
    noise = check_scalar(noise, "noise")
    draws = check_count(draws, "draws", minimum=2)
    rng = np.random.default_rng(check_count(seed, "seed"))
    targets = X @ w_true + noise * rng.standard_normal((draws, X.shape[0]))
    return np.array([[ridge(X, y, lam) for y in targets] for lam in lams])


def _design_and_weights(X, w_true):
    """Validate a design ``X`` (m, n) and true weights ``w_true`` (n,)."""
    X = as_float_array(X, "X", ndim=2)
    w_true = as_float_array(w_true, "w_true", ndim=1)
    if w_true.shape[0] != X.shape[1]:
        raise ValueError(
            "w_true must have one entry per column of X; "
            f"got w_true.shape={w_true.shape}, X.shape={X.shape}"
        )
    return X, w_true


def early_stopping_factors(X, learning_rate, steps):
    """Return ``1 - (1 - lr * mu_k)**t``: what ``t`` gradient steps keep along each ``v_k``.

    Gradient descent with step ``lr`` on ``1/(2m) ||y - X w||**2``, started from ``w = 0``,
    has after ``t`` steps the least-squares coefficient along each right singular vector
    ``v_k`` times ``1 - (1 - lr * mu_k)**t``, where ``mu_k = s_k**2 / m`` is the curvature
    along ``v_k`` (Goodfellow, Bengio & Courville, 2016, section 7.8). Compare
    :func:`shrinkage_factors`, ``mu_k / (mu_k + lam)`` for ridge: both are near 1 where
    ``mu_k`` is large and near 0 where it is small.

    Parameters
    ----------
    X : array_like, shape (m, n)
    learning_rate : float
        ``lr`` > 0; below ``2 / mu_max`` for the factors to stay in [0, 2).
    steps : int
        ``t`` >= 0.

    Returns
    -------
    numpy.ndarray, shape (min(m, n),)
        In the order of decreasing ``s_k``.

    Examples
    --------
    >>> early_stopping_factors([[2.0, 0.0], [0.0, 1.0]], learning_rate=0.5, steps=2).round(4)
    array([1.    , 0.4375])
    """
    X, s = _singular_values(X)
    learning_rate = check_scalar(learning_rate, "learning_rate", positive=True)
    steps = check_count(steps, "steps")
    curvature = s**2 / X.shape[0]
    return 1 - (1 - learning_rate * curvature) ** steps
