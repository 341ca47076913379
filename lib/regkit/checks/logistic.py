"""Checks of the logistic loss's derivatives and of L2's quadratic (Hessian) prediction."""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from .._validation import as_float_array, check_data
from ..core.logistic import hessian_shrinkage, log_loss, log_loss_gradient, log_loss_hessian
from ..core.solvers import ridge
from .gradients import numerical_gradient
from .table import FLOAT64_EPS, Check, CheckTable, relative_error

__all__ = ["hessian_view_checks"]


def _sklearn_logistic_l2(X, y, lam):
    """The minimiser of the mean log-loss + (lam/2)||w||^2, no intercept, by scikit-learn.

    scikit-learn minimises ``C sum_i loss_i + ||w||^2 / 2``, ``m C`` times the course's
    objective with ``lam = 1 / (m C)``; ``C = inf`` is no penalty.
    """
    from sklearn.linear_model import LogisticRegression

    C = np.inf if lam == 0 else 1 / (len(y) * lam)
    model = LogisticRegression(C=C, fit_intercept=False, solver="newton-cholesky", tol=1e-12)
    return model.fit(X, y).coef_[0]


def _labelled(X, y):
    """Validate a design and labels in {0, 1}."""
    X, y = check_data(X, y)
    log_loss(np.zeros(X.shape[1]), X, y)  # raises on labels other than 0 and 1
    return X, y


def _jacobian(f, w, h=1e-6):
    """Central differences of a vector function: column k is (f(w + h e_k) - f(w - h e_k)) / 2h."""
    return np.stack([(f(w + e) - f(w - e)) / (2 * h) for e in h * np.eye(len(w))], axis=-1)


def hessian_view_checks(X, y, lams, *, seed=0):
    """Check the logistic loss's derivatives, the exact L2 minimisers and the Hessian view.

    Rows, in order:

    * the gradient and the Hessian of :func:`regkit.log_loss` against central differences at
      a random point;
    * the unregularised minimiser ``w0`` and the L2 minimisers at every ``lam``, computed by
      scikit-learn's ``LogisticRegression(C=1/(m lam))``, against their optimality
      conditions: the gradient of the objective relative to that at 0, or to ``lam ||w||``
      (the objective is ``lam``-strongly convex, so ``||grad J(w)|| / lam`` bounds the distance
      to its minimiser), within 1e-8 plus the rounding floor of the computed gradient;
    * one Newton step on the L2 objective from ``w0``, ``w0 - (H + lam I)^-1 grad J(w0)``,
      against :func:`regkit.hessian_shrinkage` (an eigendecomposition): they differ by
      ``(H + lam I)^-1 grad L(w0)``, which is allowed, plus ``100 eps kappa(H + lam I)``;
    * the prediction on a quadratic loss (least squares on the same ``X``, the labels as
      targets), where it must equal :func:`regkit.ridge`, within ``100 eps kappa(X)**2``;
    * that the prediction's error vanishes like ``lam**2``: the quadratic model is exact to
      first order in ``lam``, and the error is ``O(lam**2)`` with a relative correction of order
      ``lam / mu_min``, ``mu_min`` the smallest eigenvalue of the Hessian at ``w0``. The row
      measures the exponent between ``mu_min / 1000`` and ``mu_min / 100`` (whatever ``lams``
      is) and requires at least 1.8.

    Parameters
    ----------
    X : array_like, shape (m, n)
        Rank ``n``. The classes must not be separable, even weakly (some examples on the
        boundary), by a hyperplane through the origin, or ``w0`` does not exist; this is not
        checked here.
    y : array_like, shape (m,)
        Labels 0 or 1.
    lams : sequence of float
        Strengths of the optimality, Newton and quadratic rows, each finite and > 0.
    seed : int, default 0
        Draws the point at which the derivatives are compared.

    Returns
    -------
    CheckTable
    """
    X, y = _labelled(X, y)
    n = X.shape[1]
    lams = np.sort(as_float_array(lams, "lams", ndim=1))
    if lams[0] <= 0:
        raise ValueError(f"lams must all be > 0; got {lams[0]}")
    probe = np.random.default_rng(seed).normal(size=n)
    w0 = _sklearn_logistic_l2(X, y, 0.0)
    H0 = log_loss_hessian(w0, X)
    gradient_0 = log_loss_gradient(w0, X, y)
    checks = [
        Check(
            "gradient (1/m) X^T (p - y) = central differences of the loss (relative error)",
            relative_error(
                log_loss_gradient(probe, X, y),
                numerical_gradient(lambda w: log_loss(w, X, y), probe),
            ),
            1e-7,
        ),
        Check(
            "Hessian (1/m) X^T D X = central differences of the gradient (relative error)",
            relative_error(
                log_loss_hessian(probe, X), _jacobian(lambda w: log_loss_gradient(w, X, y), probe)
            ),
            1e-7,
        ),
        Check(
            "w0 = LogisticRegression(C=inf): |grad L(w0)| / |grad L(0)|",
            np.linalg.norm(gradient_0) / np.linalg.norm(log_loss_gradient(np.zeros(n), X, y)),
            1e-10,
        ),
        _optimality_row(X, y, lams),
        _newton_row(H0, w0, gradient_0, lams),
        _quadratic_row(X, y, lams),
        _error_exponent_row(X, y, w0, H0),
    ]
    return CheckTable(checks)


def _optimality_row(X, y, lams):
    """scikit-learn's L2 minimisers against the optimality of the course's objective."""
    ratios, floors = [], []
    for lam in lams:
        w = _sklearn_logistic_l2(X, y, lam)
        residual = expit(X @ w) - y
        # rounding floor of the computed gradient: eps times the sizes of its terms
        floor = 100 * FLOAT64_EPS * np.linalg.norm(np.abs(X.T) @ np.abs(residual) / len(y))
        scale = lam * np.linalg.norm(w)
        ratios.append(np.linalg.norm(log_loss_gradient(w, X, y) + lam * w) / scale)
        floors.append(floor / scale)
    return Check(
        "LogisticRegression(C=1/(mλ)) minimises L + (λ/2)|w|²: |grad| / (λ|w|), worst λ",
        max(ratios),
        1e-8 + max(floors),
    )


def _newton_row(H0, w0, gradient_0, lams):
    """One Newton step on J from w0 against the eigendecomposition's prediction."""
    errors, allowed = [], []
    for lam in lams:
        system = H0 + lam * np.eye(len(w0))
        predicted = hessian_shrinkage(H0, w0, lam)
        newton = w0 - np.linalg.solve(system, gradient_0 + lam * w0)
        errors.append(relative_error(newton, predicted))
        gap = np.linalg.norm(np.linalg.solve(system, gradient_0)) / np.linalg.norm(predicted)
        allowed.append(gap + 100 * FLOAT64_EPS * np.linalg.cond(system))
    return Check(
        "one Newton step on J from w0 = Hessian prediction (largest relative error over λ)",
        max(errors),
        max(allowed),
    )


def _quadratic_row(X, y, lams):
    """On least squares, the quadratic model is the loss: the prediction is ridge."""
    w_ls = np.linalg.lstsq(X, y, rcond=None)[0]
    gram = X.T @ X / len(y)
    return Check(
        "quadratic loss: Hessian prediction from w_LS = rk.ridge (largest relative error)",
        max(relative_error(hessian_shrinkage(gram, w_ls, lam), ridge(X, y, lam)) for lam in lams),
        100 * FLOAT64_EPS * np.linalg.cond(X) ** 2,
    )


def _error_exponent_row(X, y, w0, H0):
    """The exponent k of error ~ lam**k between mu_min / 1000 and mu_min / 100."""
    mu_min = float(np.linalg.eigvalsh(H0)[0])
    pair = (mu_min / 1000, mu_min / 100)
    errors = [
        relative_error(hessian_shrinkage(H0, w0, lam), _sklearn_logistic_l2(X, y, lam))
        for lam in pair
    ]
    return Check(
        "prediction error ~ λ^k between λ = μ_min/1000 and μ_min/100: k",
        float(np.log(errors[1] / errors[0]) / np.log(10.0)),
        1.8,
        ">=",
    )
