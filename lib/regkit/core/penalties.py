"""The L1 and L2 penalties in the course's convention, and their (sub)gradients.

The course writes both penalties with a factor one half, as the source document does:

* L1: ``(lam / 2) * sum(|w_k|)``
* L2: ``(lam / 2) * sum(w_k ** 2)``

The factor matters when the strength is handed to another library: see the conventions
appendix (Keras ``L2(c)`` is ``c * sum(w ** 2)``, without the half).
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, check_kind, check_lam, check_scalar

__all__ = ["penalty", "penalty_grad", "soft_threshold"]


def penalty(w, lam, kind):
    """Return the penalty ``(lam/2) * sum(|w|)`` (L1) or ``(lam/2) * sum(w**2)`` (L2).

    Parameters
    ----------
    w : array_like
        Weights, of any shape with at least one entry; all entries enter the sum.
    lam : float
        Regularization strength, finite and >= 0.
    kind : {"l1", "l2"}
        Which penalty.

    Returns
    -------
    float
        The value of the penalty.

    Raises
    ------
    ValueError
        If ``lam`` is negative or not finite, ``kind`` is unknown, or ``w`` is empty or
        not finite.
    TypeError
        If an argument has the wrong type.

    Examples
    --------
    >>> penalty([3.0, -4.0], lam=0.5, kind="l1")
    1.75
    >>> penalty([3.0, -4.0], lam=0.5, kind="l2")
    6.25
    """
    w = as_float_array(w, "w")
    lam = check_lam(lam)
    if check_kind(kind) == "l1":
        return float(lam / 2 * np.sum(np.abs(w)))
    return float(lam / 2 * np.sum(w**2))


def penalty_grad(w, lam, kind):
    """Return the gradient of :func:`penalty` with respect to ``w``.

    For L2 this is ``lam * w``. For L1 the penalty has no derivative where a weight is 0;
    this returns the subgradient ``(lam/2) * sign(w)``, which picks 0 there (``sign(0) = 0``),
    the element of the subdifferential ``[-lam/2, lam/2]`` that autodiff frameworks use too.

    Parameters
    ----------
    w : array_like
        Weights, of any shape with at least one entry.
    lam : float
        Regularization strength, finite and >= 0.
    kind : {"l1", "l2"}
        Which penalty.

    Returns
    -------
    numpy.ndarray
        An array of the same shape as ``w``.

    Raises
    ------
    ValueError, TypeError
        On bad input, as for :func:`penalty`.

    Examples
    --------
    >>> penalty_grad([3.0, 0.0, -4.0], lam=0.5, kind="l1")
    array([ 0.25,  0.  , -0.25])
    >>> penalty_grad([3.0, 0.0, -4.0], lam=0.5, kind="l2")
    array([ 1.5,  0. , -2. ])
    """
    w = as_float_array(w, "w")
    lam = check_lam(lam)
    if check_kind(kind) == "l1":
        return lam / 2 * np.sign(w)
    return lam * w


def soft_threshold(z, threshold):
    """Return ``sign(z) * max(|z| - threshold, 0)``, elementwise.

    This is the proximal operator of ``threshold * sum(|w|)``: the point that minimizes
    ``threshold * sum(|w|) + 0.5 * ||w - z||**2``. Every entry with ``|z| <= threshold``
    becomes exactly 0, which is how proximal methods produce sparse weights.

    Parameters
    ----------
    z : array_like
        Input values, any shape, finite.
    threshold : float
        Finite and >= 0.

    Returns
    -------
    numpy.ndarray
        An array of the same shape as ``z``.

    Examples
    --------
    >>> soft_threshold([-2.0, -0.5, 0.0, 0.5, 2.0], 1.0)
    array([-1.,  0.,  0.,  0.,  1.])
    """
    z = as_float_array(z, "z")
    threshold = check_scalar(threshold, "threshold")
    # Adding 0.0 turns the -0.0 of negative inputs into 0.0.
    return np.sign(z) * np.maximum(np.abs(z) - threshold, 0.0) + 0.0
