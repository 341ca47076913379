"""Checks of the gradients and of gradient descent on the course's linear objectives.

The references are gradients computed without the course's formulas: central differences
(:func:`regkit.numerical_gradient`) and TensorFlow's automatic differentiation
(:func:`regkit.autodiff_objective_grad`); the suites compare :mod:`regkit.core.objectives`
with them and run gradient descent against the closed forms of :mod:`regkit.core.solvers`.
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import (
    as_float_array,
    check_callable,
    check_count,
    check_data,
    check_kind,
    check_lam,
    check_positive_lam,
    check_problem,
    check_scalar,
)
from ..backend import import_tensorflow
from ..core.objectives import data_loss_grad, objective, objective_grad, source_gradient
from ..core.penalties import penalty_grad
from ..core.solvers import (
    gradient_descent,
    lipschitz_constant,
    ridge,
    steps_to_converge,
)
from .table import FLOAT64_EPS, Check, CheckTable, relative_error

__all__ = [
    "autodiff_objective_grad",
    "descent_checks",
    "gradient_checks",
    "numerical_gradient",
    "penalty_grad_check",
    "source_descent_checks",
    "step_size_checks",
]


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


def gradient_checks(w, X, y, lam, kind, *, tol=1e-6):
    """Check the analytic gradient against central differences and ``tf.GradientTape``.

    Also checks that the gradient printed in the source's section 3.3
    (:func:`regkit.source_gradient`) fails the same comparison by a wide margin.

    Parameters
    ----------
    w, X, y, lam, kind
        As for :func:`regkit.objective`. For L1, no weight may lie within 1e-3 of 0, where
        ``|w|`` has no derivative and finite differences straddle the kink.
    tol : float, default 1e-6
        Bound on the relative error against central differences (step 1e-6: truncation
        error about 1e-12 times the third derivative, rounding error about 1e-10).

    Returns
    -------
    CheckTable
    """
    w, X, y = check_problem(w, X, y)
    lam, kind = check_lam(lam), check_kind(kind)
    tol = check_scalar(tol, "tol", positive=True)
    if kind == "l1" and np.min(np.abs(w)) < 1e-3:
        raise ValueError(
            "w must keep every weight at least 1e-3 away from 0 to check L1 gradients"
        )
    reference = numerical_gradient(lambda v: objective(v, X, y, lam, kind), w)
    analytic = objective_grad(w, X, y, lam, kind)
    printed = source_gradient(w, X, y, lam, kind)
    name = kind.upper()
    return CheckTable(
        [
            Check(
                f"{name}: analytic gradient = central differences (relative error)",
                relative_error(analytic, reference),
                tol,
            ),
            Check(
                f"{name}: analytic gradient = tf.GradientTape (relative error)",
                relative_error(analytic, autodiff_objective_grad(w, X, y, lam, kind)),
                1e-12,
            ),
            Check(
                f"{name}: source's printed gradient is wrong (relative error)",
                relative_error(printed, reference),
                0.1,
                ">=",
            ),
        ]
    )


def penalty_grad_check(w, lam, kind, *, tol=1e-6):
    """Check :func:`regkit.penalty_grad` against central differences of the penalty.

    Parameters
    ----------
    w : array_like
    lam : float
    kind : {"l1", "l2"}
    tol : float, default 1e-6

    Returns
    -------
    Check
    """
    from ..core.penalties import penalty

    kind = check_kind(kind)
    tol = check_scalar(tol, "tol", positive=True)
    reference = numerical_gradient(lambda v: penalty(v, lam, kind), w)
    return Check(
        f"{kind.upper()}: penalty_grad = central differences (relative error)",
        relative_error(penalty_grad(w, lam, kind), reference),
        tol,
    )


def descent_checks(X, y, lam):
    """Check gradient descent on the L2 objective against the closed form.

    Uses the step ``lr = 1 / (L + lam)`` with ``L`` from :func:`regkit.lipschitz_constant`, the
    classical safe step for an objective whose Hessian ``X.T X / m + lam I`` has largest
    eigenvalue ``L + lam``.

    Parameters
    ----------
    X : array_like, shape (m, n)
    y : array_like, shape (m,)
    lam : float
        Must be > 0 so that the minimizer is unique and the convergence is linear.

    Returns
    -------
    CheckTable
        One step equals the shrinkage form ``(1 - lr lam) w - lr grad L_data(w)``; the
        iteration reaches :func:`regkit.ridge` within 1e-8 relative; the objective never
        increases along it. Bounds are relative to the scale of the problem (1e-12 times the
        size of the weights or of the objective), so they do not depend on the units of ``y``.
        What the source's printed gradient does is checked by :func:`source_descent_checks`.
    """
    X, y = check_data(X, y)
    lam = check_positive_lam(lam, "descent_checks")
    exact = ridge(X, y, lam)
    lipschitz = lipschitz_constant(X)
    lr = 1 / (lipschitz + lam)
    steps = steps_to_converge(X, lam, lr, reduction=1e-10)
    w0 = np.zeros(X.shape[1])
    path = gradient_descent(lambda v: objective_grad(v, X, y, lam, "l2"), w0, lr, steps)
    values = np.array([objective(v, X, y, lam, "l2") for v in path])
    probe = exact + 1.0
    one_step = probe - lr * objective_grad(probe, X, y, lam, "l2")
    shrinkage = (1 - lr * lam) * probe - lr * data_loss_grad(probe, X, y)
    weight_scale = max(float(np.max(np.abs(probe))), FLOAT64_EPS)
    value_scale = max(float(np.max(np.abs(values))), FLOAT64_EPS)
    return CheckTable(
        [
            Check(
                "one GD step = shrinkage form (1 - lr*lam) w - lr grad L_data "
                "(max difference / max|w|)",
                float(np.max(np.abs(one_step - shrinkage))) / weight_scale,
                1e-12,
            ),
            Check(
                f"GD with the correct gradient, {steps} steps, reaches ridge (relative error)",
                relative_error(path[-1], exact),
                1e-8,
            ),
            Check(
                "objective never increases along GD (largest increase / J(w0))",
                float(max(np.max(np.diff(values)), 0.0)) / value_scale,
                1e-12,
            ),
        ]
    )


def source_descent_checks(X, y, lam, *, steps=200):
    """Explain what gradient descent does with the source's printed L2 gradient.

    The printed gradient is ``-(1/m) X.T (X w - y) + 2 lam w``. Iterating
    ``w <- w - lr * that`` multiplies the error by ``I + lr (H - 2 lam I)``, with
    ``H = X.T X / m``, so the iterates grow by ``rho = 1 + lr (mu_max - 2 lam)`` per step once
    ``mu_max``, the largest eigenvalue of ``H``, exceeds ``2 lam``: gradient ascent on the data
    term. (For ``2 lam > mu_max`` the printed iteration converges instead, to
    ``(H - 2 lam I)^-1 X.T y / m``, a stationary point of ``lam ||w||**2`` minus the data term
    and not a ridge solution; this function covers only the diverging case.) Correcting only the
    sign leaves the penalty twice too strong, and the iteration then converges to the ridge
    solution for ``2 lam`` instead of ``lam``.

    Parameters
    ----------
    X : array_like, shape (m, n)
    y : array_like, shape (m,)
    lam : float, > 0
    steps : int, default 200
        Steps taken with the printed gradient.

    Returns
    -------
    CheckTable
    """
    X, y = check_data(X, y)
    lam = check_positive_lam(lam, "source_descent_checks")
    steps = check_count(steps, "steps", minimum=2)
    mu_max = lipschitz_constant(X)
    if mu_max <= 2 * lam:
        raise ValueError(
            f"lam must be < L/2 = {mu_max / 2:.3g} here: only then does the printed gradient "
            "diverge (for lam > L/2 it converges, but to (X^T X/m - 2 lam I)^-1 X^T y/m, "
            "which is not a ridge solution)"
        )
    lr = 1 / (mu_max + lam)
    w0 = np.zeros(X.shape[1])
    printed = gradient_descent(lambda v: source_gradient(v, X, y, lam, "l2"), w0, lr, steps)
    norms = np.linalg.norm(printed, axis=1)
    measured_rate = norms[-1] / norms[-2]
    predicted_rate = 1 + lr * (mu_max - 2 * lam)

    def sign_fixed(v):
        return data_loss_grad(v, X, y) + 2 * lam * v

    fixed_steps = steps_to_converge(X, 2 * lam, lr, reduction=1e-10)
    fixed = gradient_descent(sign_fixed, w0, lr, fixed_steps)[-1]
    return CheckTable(
        [
            Check(
                "printed gradient: growth per step = 1 + lr (mu_max - 2 lam) (relative error)",
                abs(measured_rate - predicted_rate) / predicted_rate,
                1e-6,
            ),
            Check(f"printed gradient: |w| after {steps} steps", float(norms[-1]), 1e6, ">="),
            Check(
                "sign fixed, factor 2 kept: converges to ridge(2 lam) (relative error)",
                relative_error(fixed, ridge(X, y, 2 * lam)),
                1e-8,
            ),
            Check(
                "sign fixed, factor 2 kept: misses ridge(lam) (relative error)",
                relative_error(fixed, ridge(X, y, lam)),
                1e-3,
                ">=",
            ),
        ]
    )


def step_size_checks(X, y, lam, *, steps=2000):
    """Check the step-size limit of gradient descent on the L2 objective: ``lr < 2 / (L + lam)``.

    The Hessian of the L2 objective is ``X.T X / m + lam I``, with largest eigenvalue
    ``L + lam``. The error is multiplied by ``1 - lr * mu`` along each eigenvector, so the
    iteration converges exactly when ``lr < 2 / (L + lam)``.

    Parameters
    ----------
    X : array_like, shape (m, n)
    y : array_like, shape (m,)
    lam : float, > 0
    steps : int, default 2000

    Returns
    -------
    CheckTable
        At ``lr = 1.9 / (L + lam)`` the error shrinks by at least ``1e6``; at
        ``2.1 / (L + lam)`` it grows by at least ``1e6`` (or overflows).
    """
    X, y = check_data(X, y)
    lam = check_positive_lam(lam, "step_size_checks")
    steps = check_count(steps, "steps", minimum=1)
    limit = 2 / (lipschitz_constant(X) + lam)
    exact = ridge(X, y, lam)
    w0 = np.zeros(X.shape[1])
    start = np.linalg.norm(w0 - exact)
    factors = {}
    for fraction in (0.95, 1.05):
        try:
            path = gradient_descent(
                lambda v: objective_grad(v, X, y, lam, "l2"), w0, fraction * limit, steps
            )
            factors[fraction] = float(np.linalg.norm(path[-1] - exact) / start)
        except FloatingPointError:
            factors[fraction] = math.inf
    return CheckTable(
        [
            Check(
                f"lr = 0.95 * 2/(L + lam), {steps} steps: error shrinks by (factor)",
                factors[0.95],
                1e-6,
            ),
            Check(
                f"lr = 1.05 * 2/(L + lam), {steps} steps: error grows by (factor)",
                factors[1.05],
                1e6,
                ">=",
            ),
        ]
    )
