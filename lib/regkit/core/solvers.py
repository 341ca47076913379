"""Solvers for the regularized least-squares objective of the course.

* :func:`regkit.ridge` solves the L2 problem exactly through the singular value decomposition.
* :func:`regkit.lasso` solves the L1 problem by proximal gradient (ISTA or FISTA), which gives
  exact zeros; :func:`regkit.lasso_threshold` is the strength above which its solution is 0.
* :func:`regkit.gradient_descent` runs the update of the source's section 3.3,
  ``w(t+1) = w(t) - lr * grad(w(t))``, optionally followed by a proximal step;
  :func:`regkit.steps_to_converge` bounds how many steps it needs on the L2 objective.
* :func:`regkit.elastic_net` solves the problem with both penalties, by the same proximal
  gradient as the lasso.
* :func:`regkit.constrained_minimizer` solves the norm-ball forms ``||w|| <= budget`` through
  the penalized path; :func:`regkit.constrained_least_squares` solves them directly, by
  projected gradient onto the ball (:func:`regkit.project_l2_ball`,
  :func:`regkit.project_l1_ball`).
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from .._validation import (
    as_float_array,
    check_callable,
    check_count,
    check_data,
    check_fraction,
    check_kind,
    check_lam,
    check_problem,
    check_scalar,
)
from .penalties import soft_threshold

__all__ = [
    "ConvergenceWarning",
    "constrained_least_squares",
    "constrained_minimizer",
    "elastic_net",
    "gradient_descent",
    "l1_optimality_violation",
    "l1_prox",
    "lasso",
    "lasso_threshold",
    "lipschitz_constant",
    "project_l1_ball",
    "project_l2_ball",
    "ridge",
    "steps_to_converge",
]


class ConvergenceWarning(RuntimeWarning):
    """An iterative solver stopped before reaching its tolerance."""


def ridge(X, y, lam):
    """Return the exact minimizer of ``1/(2m) * ||y - X w||**2 + (lam/2) * ||w||**2``.

    Setting the gradient to zero gives ``(X.T X + m lam I) w = X.T y``. Forming ``X.T X``
    squares the condition number, so the system is solved through the thin SVD
    ``X = U diag(s) V.T`` instead: ``w = V diag(s / (s**2 + m lam)) U.T y``.

    Parameters
    ----------
    X : array_like, shape (m, n)
    y : array_like, shape (m,)
    lam : float
        Finite and >= 0.

    Returns
    -------
    numpy.ndarray, shape (n,)

    Raises
    ------
    ValueError
        On bad input, and when ``lam == 0`` and ``X`` has rank < n: the least-squares
        problem then has infinitely many minimizers, and returning one of them silently
        would hide that.

    Examples
    --------
    >>> ridge([[1.0, 0.0], [0.0, 1.0]], [2.0, 4.0], lam=0.5).round(6)
    array([1., 2.])
    """
    X, y = check_data(X, y)
    lam = check_lam(lam)
    m, n = X.shape
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    if lam == 0:
        rank = int(np.sum(s > s[0] * max(m, n) * np.finfo(float).eps)) if s[0] > 0 else 0
        if rank < n:
            raise ValueError(
                f"with lam=0 the minimizer is not unique: X has rank {rank} < n = {n} columns; "
                "use lam > 0, or numpy.linalg.lstsq for the minimum-norm solution"
            )
    return Vt.T @ (s / (s**2 + m * lam) * (U.T @ y))


def lipschitz_constant(X):
    """Return ``L = sigma_max(X)**2 / m``, the Lipschitz constant of the data-term gradient.

    Gradient descent on ``1/(2m) ||y - X w||**2`` converges for step sizes ``lr < 2/L``, and
    proximal gradient with ``lr = 1/L`` decreases the objective at every step.

    Parameters
    ----------
    X : array_like, shape (m, n)

    Returns
    -------
    float
    """
    X = as_float_array(X, "X", ndim=2)
    return float(np.linalg.norm(X, 2) ** 2 / X.shape[0])


def l1_optimality_violation(w, X, y, lam):
    """Return how far ``w`` is from satisfying the optimality conditions of the L1 problem.

    ``w`` minimizes ``1/(2m) ||y - X w||**2 + (lam/2) ||w||_1`` exactly when, with
    ``g = (1/m) X.T (X w - y)``, every coordinate satisfies ``g_k = -(lam/2) sign(w_k)``
    if ``w_k != 0`` and ``|g_k| <= lam/2`` if ``w_k == 0`` (the KKT conditions). This returns
    the largest violation, 0 at the minimizer.

    Parameters
    ----------
    w : array_like, shape (n,)
    X : array_like, shape (m, n)
    y : array_like, shape (m,)
    lam : float

    Returns
    -------
    float
    """
    w, X, y = check_problem(w, X, y)
    return _l1_violation(w, X, y, check_lam(lam))


def _l1_violation(w, X, y, lam):
    grad = X.T @ (X @ w - y) / X.shape[0]
    active = w != 0
    violation = np.where(
        active,
        np.abs(grad + lam / 2 * np.sign(w)),
        np.maximum(np.abs(grad) - lam / 2, 0.0),
    )
    return float(violation.max())


def lasso(X, y, lam, *, method="fista", tol=1e-9, max_iter=100_000):
    """Return the minimizer of ``1/(2m) * ||y - X w||**2 + (lam/2) * ||w||_1``.

    Proximal gradient: a gradient step on the smooth data term with step ``1/L``
    (:func:`lipschitz_constant`), then soft-thresholding at ``lam / (2L)``
    (:func:`regkit.soft_threshold`), which sets small weights to exactly 0. ``"ista"`` is the
    plain method; ``"fista"`` adds Nesterov momentum (Beck & Teboulle, 2009) with a restart
    whenever the momentum points uphill (O'Donoghue & Candes, 2015). Starting from ``w = 0``,
    the result is exactly 0 when ``max|X.T y| / m <= lam / 2``.

    Parameters
    ----------
    X : array_like, shape (m, n)
    y : array_like, shape (m,)
    lam : float
        Finite and >= 0.
    method : {"fista", "ista"}, default "fista"
    tol : float, default 1e-9
        Stop when :func:`l1_optimality_violation` is <= ``tol``: every coordinate of the
        gradient of the data term is within ``tol`` of what the optimality conditions ask.
    max_iter : int, default 100000

    Returns
    -------
    numpy.ndarray, shape (n,)

    Warns
    -----
    ConvergenceWarning
        If ``tol`` was not reached within ``max_iter`` iterations.

    Raises
    ------
    ValueError, TypeError
        On bad input.
    """
    X, y = check_data(X, y)
    lam = check_lam(lam)
    if method not in ("fista", "ista"):
        raise ValueError(f"method must be one of ('fista', 'ista'); got {method!r}")
    tol = check_scalar(tol, "tol", positive=True)
    max_iter = check_count(max_iter, "max_iter", minimum=1)
    w = np.zeros(X.shape[1])
    lipschitz = float(np.linalg.norm(X, 2) ** 2 / X.shape[0])
    if lipschitz == 0:
        return w
    step = 1 / lipschitz
    z, t = w.copy(), 1.0
    for _ in range(max_iter):
        if _l1_violation(w, X, y, lam) <= tol:
            return w
        forward = z - step * (X.T @ (X @ z - y) / X.shape[0])
        w_next = np.sign(forward) * np.maximum(np.abs(forward) - step * lam / 2, 0.0) + 0.0
        if method == "ista":
            z = w_next
        elif (z - w_next) @ (w_next - w) > 0:
            z, t = w_next, 1.0
        else:
            t_next = (1 + math.sqrt(1 + 4 * t * t)) / 2
            z, t = w_next + (t - 1) / t_next * (w_next - w), t_next
        w = w_next
    violation = _l1_violation(w, X, y, lam)
    if violation > tol:
        warnings.warn(
            f"lasso stopped after max_iter={max_iter} iterations with optimality violation "
            f"{violation:.2e} > tol={tol:.1e}; raise max_iter or tol",
            ConvergenceWarning,
            stacklevel=2,
        )
    return w


def l1_prox(lam):
    """Return the proximal step of the penalty ``(lam/2) ||w||_1`` for :func:`gradient_descent`.

    The returned function maps ``(z, lr)`` to ``soft_threshold(z, lr * lam / 2)``. Passing it
    as ``prox`` turns gradient descent on the data term into ISTA.

    Parameters
    ----------
    lam : float
        Finite and >= 0.

    Returns
    -------
    callable
    """
    lam = check_lam(lam)

    def prox(z, lr):
        return soft_threshold(z, lr * lam / 2)

    return prox


def gradient_descent(grad, w0, lr, steps, *, prox=None):
    """Return the iterates of ``w(t+1) = w(t) - lr * grad(w(t))``, for t = 0 .. steps-1.

    This is the update of the source's section 3.3, written with a step counter ``t`` that
    is not also a coordinate index. With ``prox``, each step is followed by
    ``w(t+1) = prox(w(t+1), lr)`` (proximal gradient descent; see :func:`l1_prox`).

    Parameters
    ----------
    grad : callable
        Maps an array shaped like ``w0`` to an array of the same shape.
    w0 : array_like
        Starting point, at least one entry, finite.
    lr : float
        Learning rate (step size), finite and > 0.
    steps : int
        Number of updates, >= 0.
    prox : callable, optional
        Maps ``(z, lr)`` to an array shaped like ``w0``.

    Returns
    -------
    numpy.ndarray, shape (steps + 1, *w0.shape)
        Row ``t`` is ``w(t)``; row 0 is ``w0``.

    Raises
    ------
    FloatingPointError
        If an iterate stops being finite: the iteration diverged (lower ``lr``).
    ValueError, TypeError
        On bad input, or when ``grad`` or ``prox`` returns the wrong shape.

    Examples
    --------
    >>> gradient_descent(lambda w: 2 * w, [1.0], lr=0.25, steps=3).ravel()
    array([1.   , 0.5  , 0.25 , 0.125])
    """
    grad = check_callable(grad, "grad")
    if prox is not None:
        prox = check_callable(prox, "prox")
    w = as_float_array(w0, "w0")
    lr = check_scalar(lr, "lr", positive=True)
    steps = check_count(steps, "steps")
    iterates = np.empty((steps + 1, *w.shape))
    iterates[0] = w
    for t in range(steps):
        with np.errstate(over="ignore", invalid="ignore"):
            w = w - lr * _same_shape(grad(w.copy()), w, "grad")
            if prox is not None:
                w = _same_shape(prox(w, lr), w, "prox")
        if not np.all(np.isfinite(w)):
            raise FloatingPointError(
                f"gradient descent diverged: iterate {t + 1} is not finite; lower lr={lr}"
            )
        iterates[t + 1] = w
    return iterates


def _same_shape(value, like, name):
    value = np.asarray(value, dtype=np.float64)
    if value.shape != like.shape:
        raise ValueError(f"{name} must return shape {like.shape}; got {value.shape}")
    return value


def lasso_threshold(X, y):
    """Return ``lam_max = 2 * max|X.T y| / m``: for ``lam >= lam_max`` the L1 minimizer is 0.

    Parameters
    ----------
    X : array_like, shape (m, n)
    y : array_like, shape (m,)

    Returns
    -------
    float
    """
    X, y = check_data(X, y)
    return float(2 * np.max(np.abs(X.T @ y)) / X.shape[0])


def steps_to_converge(X, lam, lr, *, reduction=1e-10):
    """Return how many GD steps shrink the error on the L2 objective by ``reduction``.

    The error contracts at least by ``rho = max|1 - lr * mu|`` per step over the eigenvalues
    ``mu`` of the Hessian ``X.T X / m + lam I``, so ``ceil(log(reduction) / log(rho))`` steps
    suffice.

    Parameters
    ----------
    X : array_like, shape (m, n)
    lam : float
    lr : float
    reduction : float, default 1e-10

    Returns
    -------
    int

    Raises
    ------
    ValueError
        On bad input (``reduction`` must lie strictly between 0 and 1), and if the iteration
        does not contract (``rho >= 1``).
    """
    X = as_float_array(X, "X", ndim=2)
    lam = check_lam(lam)
    lr = check_scalar(lr, "lr", positive=True)
    reduction = check_scalar(reduction, "reduction", positive=True)
    if reduction >= 1:
        raise ValueError(f"reduction must be strictly between 0 and 1; got {reduction}")
    s = np.linalg.svd(X, compute_uv=False)
    eigenvalues = np.concatenate([s**2 / X.shape[0], np.zeros(X.shape[1] - s.size)]) + lam
    rho = float(np.max(np.abs(1 - lr * eigenvalues)))
    if rho >= 1:
        raise ValueError(
            f"gradient descent does not contract with lr={lr} and lam={lam}: "
            f"rate {rho:.3g} >= 1; take lr < 2 / (L + lam)"
        )
    if rho == 0:
        return 1
    return max(1, math.ceil(math.log(reduction) / math.log(rho)))


def constrained_minimizer(X, y, budget, kind, *, rtol=1e-12):
    """Return the minimizer of ``1/(2m) ||y - X w||**2`` subject to ``||w|| <= budget``.

    The norm is ``||.||_2`` for ``kind="l2"`` and ``||.||_1`` for ``kind="l1"``. By Lagrange
    duality the solution is the penalized minimizer (:func:`regkit.ridge` or
    :func:`regkit.lasso`) at the strength ``lam`` whose solution has norm ``budget``; since
    that norm falls as ``lam`` grows, ``lam`` is found by bisection. If the least-squares
    solution already lies inside the ball, it is returned with ``lam = 0``.

    Parameters
    ----------
    X : array_like, shape (m, n)
        Must have rank n, so that the least-squares solution is unique.
    y : array_like, shape (m,)
    budget : float
        Radius of the ball, > 0.
    kind : {"l1", "l2"}
    rtol : float, default 1e-12
        Stop when the norm of the solution is within ``rtol * budget`` of ``budget``.

    Returns
    -------
    w : numpy.ndarray, shape (n,)
    lam : float
        The strength of the equivalent penalized problem.

    Examples
    --------
    >>> w, lam = constrained_minimizer([[1.0, 0.0], [0.0, 1.0]], [3.0, 4.0], 1.0, "l2")
    >>> w.round(6), round(lam, 6)
    (array([0.6, 0.8]), 2.0)
    """
    X, y = check_data(X, y)
    budget = check_scalar(budget, "budget", positive=True)
    kind = check_kind(kind)
    rtol = check_scalar(rtol, "rtol", positive=True)
    order = 2 if kind == "l2" else 1

    def solve(lam):
        if kind == "l2":
            return ridge(X, y, lam)
        return lasso(X, y, lam, tol=1e-12 * max(1.0, np.linalg.norm(X.T @ y) / X.shape[0]))

    try:
        w = ridge(X, y, 0.0)
    except ValueError:
        raise ValueError(
            "X must have rank n (full column rank) for constrained_minimizer"
        ) from None
    if np.linalg.norm(w, order) <= budget:
        return w, 0.0
    low, high = 0.0, 1.0
    while np.linalg.norm(solve(high), order) > budget:
        low, high = high, 2 * high
    for _ in range(200):
        lam = (low + high) / 2
        w = solve(lam)
        size = np.linalg.norm(w, order)
        if abs(size - budget) <= rtol * budget or lam in (low, high):
            break
        low, high = (lam, high) if size > budget else (low, lam)
    return w + 0.0, float(lam)


def elastic_net(X, y, lam, l1_ratio, *, tol=1e-9, max_iter=100_000):
    """Return the minimizer of the elastic-net objective in the course's convention.

    ``1/(2m) ||y - X w||**2 + (lam/2) * (rho ||w||_1 + (1 - rho) ||w||**2)`` with
    ``rho = l1_ratio`` (Zou & Hastie, 2005). Proximal gradient with momentum and restart, as
    :func:`regkit.lasso`: the smooth part is the data term plus ``(lam/2)(1 - rho) ||w||**2``,
    whose gradient has Lipschitz constant ``L + lam (1 - rho)``; the proximal step
    soft-thresholds at ``step * lam * rho / 2``, which gives exact zeros. ``l1_ratio=1`` is
    the lasso, ``l1_ratio=0`` ridge regression.

    Parameters
    ----------
    X : array_like, shape (m, n)
    y : array_like, shape (m,)
    lam : float
        Finite and >= 0.
    l1_ratio : float
        ``rho`` in [0, 1].
    tol : float, default 1e-9
        Stop when the optimality conditions hold to ``tol``: on every coordinate, the gradient
        of the smooth part is within ``tol`` of what the L1 part's subdifferential allows.
    max_iter : int, default 100000

    Returns
    -------
    numpy.ndarray, shape (n,)

    Warns
    -----
    ConvergenceWarning
        If ``tol`` was not reached within ``max_iter`` iterations.

    Raises
    ------
    ValueError, TypeError
        On bad input, for instance ``l1_ratio`` outside [0, 1].

    Examples
    --------
    >>> elastic_net([[1.0, 0.0], [0.0, 1.0]], [3.0, 0.2], lam=1.0, l1_ratio=0.5).round(6)
    array([1.25, 0.  ])
    """
    X, y = check_data(X, y)
    lam = check_lam(lam)
    rho = check_fraction(l1_ratio, "l1_ratio")
    tol = check_scalar(tol, "tol", positive=True)
    max_iter = check_count(max_iter, "max_iter", minimum=1)
    l1, l2 = lam * rho / 2, lam * (1 - rho)
    w = np.zeros(X.shape[1])
    lipschitz = float(np.linalg.norm(X, 2) ** 2 / X.shape[0]) + l2
    if lipschitz == 0:
        return w
    step = 1 / lipschitz

    def smooth_gradient(v):
        return X.T @ (X @ v - y) / X.shape[0] + l2 * v

    def violation(v):
        g = smooth_gradient(v)
        return float(
            np.max(np.where(v != 0, np.abs(g + l1 * np.sign(v)), np.maximum(np.abs(g) - l1, 0)))
        )

    def prox_step(z):
        return soft_threshold(z - step * smooth_gradient(z), step * l1) + 0.0

    w = _accelerated(prox_step, violation, w, tol, max_iter)
    if violation(w) > tol:
        warnings.warn(
            f"elastic_net stopped after max_iter={max_iter} iterations with optimality "
            f"violation {violation(w):.2e} > tol={tol:.1e}; raise max_iter or tol",
            ConvergenceWarning,
            stacklevel=2,
        )
    return w


def _accelerated(step, violation, w, tol, max_iter):
    """FISTA with adaptive restart on ``step`` (a proximal or projected gradient step)."""
    z, t = w.copy(), 1.0
    for _ in range(max_iter):
        if violation(w) <= tol:
            return w
        w_next = step(z)
        if (z - w_next) @ (w_next - w) > 0:
            z, t = w_next, 1.0
        else:
            t_next = (1 + math.sqrt(1 + 4 * t * t)) / 2
            z, t = w_next + (t - 1) / t_next * (w_next - w), t_next
        w = w_next
    return w


def project_l2_ball(v, radius):
    """Return the point of the ball ``||w||_2 <= radius`` closest to ``v`` (Euclidean).

    ``v`` itself when it lies in the ball, else ``v`` scaled to norm ``radius``.

    Parameters
    ----------
    v : array_like, shape (n,)
    radius : float
        Finite and >= 0.

    Returns
    -------
    numpy.ndarray, shape (n,)

    Examples
    --------
    >>> project_l2_ball([3.0, 4.0], 1.0)
    array([0.6, 0.8])
    """
    v = as_float_array(v, "v", ndim=1)
    radius = check_scalar(radius, "radius")
    norm = float(np.linalg.norm(v))
    if norm <= radius:
        return v.copy()
    return v * (radius / norm)


def project_l1_ball(v, radius):
    """Return the point of the ball ``||w||_1 <= radius`` closest to ``v`` (Euclidean).

    The exact projection, by sorting (Duchi, Shalev-Shwartz, Singer & Chandra, 2008,
    Figure 1): outside the ball the projection is ``soft_threshold(v, theta)``, with the
    threshold ``theta > 0`` that brings ``||.||_1`` down to ``radius``; the sorted magnitudes
    give ``theta`` exactly, in ``O(n log n)``.

    Parameters
    ----------
    v : array_like, shape (n,)
    radius : float
        Finite and >= 0.

    Returns
    -------
    numpy.ndarray, shape (n,)

    Examples
    --------
    >>> project_l1_ball([3.0, 1.0], 2.0)
    array([2., 0.])
    """
    v = as_float_array(v, "v", ndim=1)
    radius = check_scalar(radius, "radius")
    magnitudes = np.abs(v)
    if magnitudes.sum() <= radius:
        return v.copy()
    if radius == 0:
        return np.zeros_like(v)
    ordered = np.sort(magnitudes)[::-1]
    cumulative = np.cumsum(ordered) - radius
    counts = np.arange(1, v.size + 1)
    kept = np.flatnonzero(ordered > cumulative / counts)[-1]
    theta = cumulative[kept] / (kept + 1)
    return soft_threshold(v, theta) + 0.0


def constrained_least_squares(X, y, radius, kind, *, tol=1e-10, max_iter=100_000):
    """Return the minimizer of ``1/(2m) ||y - X w||**2`` subject to ``||w|| <= radius``.

    Projected gradient: a gradient step on the data term with step ``1/L``
    (:func:`lipschitz_constant`), then the projection onto the ball
    (:func:`project_l2_ball` for ``kind="l2"``, :func:`project_l1_ball` for ``kind="l1"``),
    with momentum and restart as in :func:`regkit.lasso`. Unlike
    :func:`regkit.constrained_minimizer`, it never solves a penalized problem, so the two can
    check each other.

    Parameters
    ----------
    X : array_like, shape (m, n)
    y : array_like, shape (m,)
    radius : float
        Radius of the ball, finite and >= 0.
    kind : {"l1", "l2"}
    tol : float, default 1e-10
        Stop when the gradient mapping ``(w - P(w - grad f(w) / L)) * L`` is at most ``tol``
        in every coordinate: 0 exactly at the minimizer.
    max_iter : int, default 100000

    Returns
    -------
    numpy.ndarray, shape (n,)

    Warns
    -----
    ConvergenceWarning
        If ``tol`` was not reached within ``max_iter`` iterations.

    Examples
    --------
    >>> constrained_least_squares([[1.0, 0.0], [0.0, 1.0]], [3.0, 4.0], 1.0, "l2").round(6)
    array([0.6, 0.8])
    """
    X, y = check_data(X, y)
    radius = check_scalar(radius, "radius")
    kind = check_kind(kind)
    tol = check_scalar(tol, "tol", positive=True)
    max_iter = check_count(max_iter, "max_iter", minimum=1)
    project = project_l2_ball if kind == "l2" else project_l1_ball
    w = np.zeros(X.shape[1])
    lipschitz = float(np.linalg.norm(X, 2) ** 2 / X.shape[0])
    if lipschitz == 0:
        return w

    def projected_step(z):
        return project(z - X.T @ (X @ z - y) / X.shape[0] / lipschitz, radius)

    def violation(v):
        return float(np.max(np.abs(v - projected_step(v)))) * lipschitz

    w = _accelerated(projected_step, violation, w, tol, max_iter)
    if violation(w) > tol:
        warnings.warn(
            f"constrained_least_squares stopped after max_iter={max_iter} iterations with "
            f"gradient mapping {violation(w):.2e} > tol={tol:.1e}; raise max_iter or tol",
            ConvergenceWarning,
            stacklevel=2,
        )
    return w
