"""The regularized least-squares objective of the course, its gradient, and the source's.

For a linear model ``a = X @ w`` with ``X`` of shape (m, n) and ``y`` of shape (m,)::

    J(w) = 1/(2m) * ||y - X w||**2 + penalty(w, lam, kind)

whose (sub)gradient is ``(1/m) * X.T @ (X w - y) + penalty_grad(w, lam, kind)``.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_kind, check_lam, check_problem
from .penalties import penalty, penalty_grad

__all__ = ["data_loss", "data_loss_grad", "objective", "objective_grad", "source_gradient"]


def data_loss(w, X, y):
    """Return the data term ``1/(2m) * ||y - X w||**2``.

    Parameters
    ----------
    w : array_like, shape (n,)
    X : array_like, shape (m, n)
    y : array_like, shape (m,)

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If the shapes do not match, or an input is empty or not finite.
    """
    w, X, y = check_problem(w, X, y)
    residual = y - X @ w
    return float(residual @ residual / (2 * X.shape[0]))


def data_loss_grad(w, X, y):
    """Return the gradient of :func:`data_loss`, ``(1/m) * X.T @ (X w - y)``.

    Parameters
    ----------
    w : array_like, shape (n,)
    X : array_like, shape (m, n)
    y : array_like, shape (m,)

    Returns
    -------
    numpy.ndarray, shape (n,)
    """
    w, X, y = check_problem(w, X, y)
    return X.T @ (X @ w - y) / X.shape[0]


def objective(w, X, y, lam, kind):
    """Return ``J(w) = 1/(2m) * ||y - X w||**2 + penalty(w, lam, kind)``.

    Parameters
    ----------
    w : array_like, shape (n,)
        Weights of the linear model ``a = X @ w``.
    X : array_like, shape (m, n)
        Inputs, one row per example.
    y : array_like, shape (m,)
        Targets.
    lam : float
        Regularization strength, finite and >= 0.
    kind : {"l1", "l2"}
        Which penalty (see :func:`regkit.penalty`).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If the shapes do not match (the message gives both), an input is empty or not
        finite, ``lam`` is negative or not finite, or ``kind`` is unknown.
    TypeError
        If an argument has the wrong type.

    Examples
    --------
    >>> X = [[1.0, 0.0], [0.0, 2.0]]
    >>> objective([1.0, 1.0], X, [1.0, 1.0], lam=0.2, kind="l2")
    0.45
    """
    lam, kind = check_lam(lam), check_kind(kind)
    return data_loss(w, X, y) + penalty(w, lam, kind)


def objective_grad(w, X, y, lam, kind):
    """Return the (sub)gradient ``(1/m) * X.T @ (X w - y) + penalty_grad(w, lam, kind)``.

    For L1 this is a subgradient: at a weight equal to 0 it uses ``sign(0) = 0``.

    Parameters
    ----------
    w, X, y, lam, kind
        As for :func:`objective`.

    Returns
    -------
    numpy.ndarray, shape (n,)

    Raises
    ------
    ValueError, TypeError
        On bad input, as for :func:`objective`.
    """
    lam, kind = check_lam(lam), check_kind(kind)
    return data_loss_grad(w, X, y) + penalty_grad(w, lam, kind)


def source_gradient(w, X, y, lam, kind):
    """Return the gradient exactly as the source document prints it in its section 3.3.

    The source writes, for ``a_i = x_i . w`` (so ``da_i/dw_j = X[i, j]``)::

        dJ/dw_j = (1/m) * sum_i (y_i - a_i) * da_i/dw_j + lam * d/dw_j (sum |w| or sum w**2)

    which is ``(1/m) * X.T @ (y - X w)`` plus ``lam * sign(w)`` (L1) or ``2 * lam * w`` (L2).
    Both terms disagree with the objective it differentiates: the data term has the wrong
    sign, and the penalty term is twice too large because the objective's ``lam/2`` was
    dropped. It is kept only to show, numerically, why it is wrong; use
    :func:`objective_grad`.

    Parameters
    ----------
    w, X, y, lam, kind
        As for :func:`objective`.

    Returns
    -------
    numpy.ndarray, shape (n,)
    """
    lam, kind = check_lam(lam), check_kind(kind)
    w, X, y = check_problem(w, X, y)
    data_term = X.T @ (y - X @ w) / X.shape[0]
    penalty_term = lam * np.sign(w) if kind == "l1" else lam * 2 * w
    return data_term + penalty_term
