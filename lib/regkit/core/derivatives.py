"""Gradients computed without our formulas: central differences and TensorFlow autodiff.

These are the independent references that the analytic gradients of
:mod:`regkit.core.objectives` are checked against.
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import (
    as_float_array,
    check_callable,
    check_kind,
    check_lam,
    check_problem,
    check_scalar,
)
from ..backend import import_tensorflow

__all__ = ["autodiff_objective_grad", "numerical_gradient"]


def numerical_gradient(f, w, h=1e-6):
    """Return the central-difference gradient of a scalar function ``f`` at ``w``.

    Entry ``k`` is ``(f(w + h e_k) - f(w - h e_k)) / (2h)``, whose error is O(h**2) for a
    smooth ``f`` plus a rounding error of about ``eps * |f| / h``; ``h = 1e-6`` balances the
    two for float64 and values of ``f`` of order one.

    Parameters
    ----------
    f : callable
        Takes an array shaped like ``w`` and returns a finite real number.
    w : array_like
        Point at which to differentiate; any shape with at least one entry.
    h : float, default 1e-6
        Step, > 0.

    Returns
    -------
    numpy.ndarray
        Same shape as ``w``.

    Raises
    ------
    TypeError
        If ``f`` is not callable or does not return a real number.
    ValueError
        If ``w`` is empty or not finite, ``h`` is not > 0, or ``f`` returns a non-finite
        value.

    Examples
    --------
    >>> numerical_gradient(lambda v: float(v @ v), [1.0, -2.0]).round(6)
    array([ 2., -4.])
    """
    f = check_callable(f, "f")
    w = as_float_array(w, "w")
    h = check_scalar(h, "h", positive=True)
    grad = np.empty_like(w)
    for index in np.ndindex(w.shape):
        step = np.zeros_like(w)
        step[index] = h
        grad[index] = (_scalar(f(w + step)) - _scalar(f(w - step))) / (2 * h)
    return grad


def _scalar(value) -> float:
    array = np.asarray(value)
    if array.shape != () or array.dtype.kind not in "iuf":
        raise TypeError(f"f must return a real scalar; got {value!r}")
    value = float(array)
    if not math.isfinite(value):
        raise ValueError(f"f returned a non-finite value: {value}")
    return value


def autodiff_objective_grad(w, X, y, lam, kind):
    """Return the gradient of the course's objective computed by ``tf.GradientTape``.

    The objective is written once more, in TensorFlow (float64), and differentiated by
    reverse-mode autodiff, so this gradient shares no code with
    :func:`regkit.objective_grad`. For L1, TensorFlow differentiates ``|w|`` as
    ``sign(w)``; compare only at points where no weight is 0.

    Parameters
    ----------
    w, X, y, lam, kind
        As for :func:`regkit.objective`.

    Returns
    -------
    numpy.ndarray, shape (n,)
    """
    tf = import_tensorflow()
    lam, kind = check_lam(lam), check_kind(kind)
    w, X, y = check_problem(w, X, y)
    weights = tf.Variable(w, dtype=tf.float64)
    inputs, targets = tf.constant(X), tf.constant(y)
    with tf.GradientTape() as tape:
        predictions = tf.linalg.matvec(inputs, weights)
        data = tf.reduce_sum(tf.square(targets - predictions)) / (2.0 * X.shape[0])
        if kind == "l1":
            reg = lam / 2.0 * tf.reduce_sum(tf.abs(weights))
        else:
            reg = lam / 2.0 * tf.reduce_sum(tf.square(weights))
        loss = data + reg
    return tape.gradient(loss, weights).numpy()
