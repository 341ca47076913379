"""Logistic regression: a non-quadratic loss, its derivatives and L2's quadratic prediction.

For labels ``y_i`` in {0, 1} and the model ``p_i = sigma(x_i . w)``, the mean log-loss is
``L(w) = (1/m) sum_i [log(1 + exp(x_i . w)) - y_i x_i . w]``, with gradient
``(1/m) X.T (p - y)`` and Hessian ``(1/m) X.T diag(p (1 - p)) X``. Near a minimiser ``w0`` of
``L`` the loss is close to the quadratic ``L(w0) + (1/2)(w - w0).T H (w - w0)``, and adding
``(lam/2) ||w||**2`` to that quadratic moves the minimiser to
``Q (Lambda + lam I)^-1 Lambda Q.T w0`` for ``H = Q Lambda Q.T`` (Goodfellow, Bengio &
Courville, 2016, section 7.1.1): :func:`regkit.hessian_shrinkage`.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from .._validation import as_float_array, check_lam, check_problem

__all__ = ["hessian_shrinkage", "log_loss", "log_loss_gradient", "log_loss_hessian"]


def log_loss(w, X, y):
    """Return the mean log-loss of the logistic model ``p = sigma(X w)`` on labels in {0, 1}.

    Computed as ``mean(log(1 + exp(-t z)))`` with ``z = X w`` and ``t = 2 y - 1`` (the same
    function as ``log(1 + exp(z)) - y z``) through ``numpy.logaddexp``, so that a large
    ``|z|`` neither overflows nor cancels: a well-classified example keeps its small loss.

    Parameters
    ----------
    w : array_like, shape (n,)
    X : array_like, shape (m, n)
    y : array_like, shape (m,)
        Labels 0 or 1.

    Returns
    -------
    float

    Examples
    --------
    >>> round(log_loss([0.0], [[1.0], [2.0]], [0, 1]), 6)  # log 2 for p = 1/2
    0.693147
    """
    w, X, y = _logistic_problem(w, X, y)
    return float(np.mean(np.logaddexp(0.0, -(2 * y - 1) * (X @ w))))


def log_loss_gradient(w, X, y):
    """Return the gradient ``(1/m) X.T (sigma(X w) - y)`` of :func:`log_loss`.

    Parameters
    ----------
    w, X, y
        As for :func:`log_loss`.

    Returns
    -------
    numpy.ndarray, shape (n,)
    """
    w, X, y = _logistic_problem(w, X, y)
    return X.T @ (expit(X @ w) - y) / len(y)


def log_loss_hessian(w, X):
    """Return the Hessian ``(1/m) X.T diag(p (1 - p)) X`` of :func:`log_loss`, ``p = sigma(X w)``.

    It does not depend on the labels. It is positive semidefinite, so the log-loss is convex.

    Parameters
    ----------
    w : array_like, shape (n,)
    X : array_like, shape (m, n)

    Returns
    -------
    numpy.ndarray, shape (n, n)
    """
    X = as_float_array(X, "X", ndim=2)
    w = as_float_array(w, "w", ndim=1)
    if w.shape[0] != X.shape[1]:
        raise ValueError(
            f"w must have one entry per column of X; got w.shape={w.shape}, X.shape={X.shape}"
        )
    p = expit(X @ w)
    return (X.T * (p * (1 - p))) @ X / len(X)


def hessian_shrinkage(hessian, w0, lam):
    """Return ``Q (Lambda + lam I)^-1 Lambda Q.T w0``, the quadratic model's L2 minimiser.

    For a loss whose Hessian at its minimiser ``w0`` is ``hessian = Q Lambda Q.T``, the
    quadratic approximation plus ``(lam/2) ||w||**2`` has this minimiser: along each
    eigenvector ``q_k`` the component of ``w0`` is multiplied by ``mu_k / (mu_k + lam)``. For a
    quadratic loss (least squares, ``hessian = X.T X / m``) it is the exact L2 minimiser,
    :func:`regkit.ridge`; for any other loss it is a prediction that holds near ``w0``.

    Parameters
    ----------
    hessian : array_like, shape (n, n)
        Symmetric and positive semidefinite.
    w0 : array_like, shape (n,)
    lam : float
        Finite and >= 0; > 0 when ``hessian`` is singular.

    Returns
    -------
    numpy.ndarray, shape (n,)

    Examples
    --------
    >>> hessian_shrinkage([[3.0, 0.0], [0.0, 1.0]], [1.0, 1.0], lam=1.0)
    array([0.75, 0.5 ])
    """
    hessian = as_float_array(hessian, "hessian", ndim=2)
    w0 = as_float_array(w0, "w0", ndim=1)
    lam = check_lam(lam)
    n = w0.shape[0]
    if hessian.shape != (n, n):
        raise ValueError(
            f"hessian must be square with one row per entry of w0; got hessian.shape="
            f"{hessian.shape}, w0.shape={w0.shape}"
        )
    scale = max(float(np.max(np.abs(hessian))), np.finfo(float).tiny)
    if np.max(np.abs(hessian - hessian.T)) > 1e-10 * scale:
        raise ValueError("hessian must be symmetric")
    mu, Q = np.linalg.eigh(hessian)
    if mu[0] < -1e-10 * scale:
        raise ValueError(f"hessian must be positive semidefinite; smallest eigenvalue {mu[0]:.3g}")
    mu = np.maximum(mu, 0.0)
    if lam == 0 and mu[0] <= 1e-12 * scale:
        raise ValueError("lam must be > 0 when hessian is singular (the shrinkage is 0/0)")
    return Q @ (mu / (mu + lam) * (Q.T @ w0))


def _logistic_problem(w, X, y):
    w, X, y = check_problem(w, X, y)
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(f"y must hold labels 0 or 1; got values {np.unique(y)[:5]}")
    return w, X, y
