"""Checks of the logistic loss's derivatives and of L2's quadratic (Hessian) prediction."""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, check_data
from ..core.logistic import hessian_shrinkage, log_loss, log_loss_gradient, log_loss_hessian
from ..core.solvers import ridge
from .gradients import numerical_gradient
from .table import Check, CheckTable, relative_error

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

    Rows: the gradient and the Hessian of :func:`regkit.log_loss` against central
    differences at a random point; the unregularised minimiser ``w0`` and the L2 minimisers,
    computed by scikit-learn's ``LogisticRegression(C=1/(m lam))``, against their optimality
    conditions (the gradient of the objective, relative to that at 0 or to ``lam ||w||``);
    one Newton step from ``w0`` on the L2 objective against :func:`regkit.hessian_shrinkage`
    (they agree exactly, since the gradient vanishes at ``w0``); the prediction on a quadratic
    loss (least squares on the same ``X``, the labels as targets) against :func:`regkit.ridge`,
    which it must equal; and, with two or more strengths, that the prediction's error vanishes
    at least like ``lam**2`` between the two smallest (the quadratic model is exact to first
    order in ``lam``).

    Parameters
    ----------
    X : array_like, shape (m, n)
        Rank ``n``; the classes must not be linearly separable by a line through the origin.
    y : array_like, shape (m,)
        Labels 0 or 1.
    lams : sequence of float
        Strengths, each finite and > 0.
    seed : int, default 0
        Draws the point at which the derivatives are compared.

    Returns
    -------
    CheckTable
    """
    X, y = _labelled(X, y)
    m, n = X.shape
    lams = np.sort(as_float_array(lams, "lams", ndim=1))
    if lams[0] <= 0:
        raise ValueError(f"lams must all be > 0; got {lams[0]}")
    probe = np.random.default_rng(seed).normal(size=n)
    w0 = _sklearn_logistic_l2(X, y, 0.0)
    H0 = log_loss_hessian(w0, X)
    exact = [_sklearn_logistic_l2(X, y, lam) for lam in lams]
    predicted = [hessian_shrinkage(H0, w0, lam) for lam in lams]
    newton = [w0 - np.linalg.solve(H0 + lam * np.eye(n), lam * w0) for lam in lams]
    w_ls = np.linalg.lstsq(X, y, rcond=None)[0]
    optimality = max(
        np.linalg.norm(log_loss_gradient(w, X, y) + lam * w) / (lam * np.linalg.norm(w))
        for w, lam in zip(exact, lams, strict=True)
    )
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
            np.linalg.norm(log_loss_gradient(w0, X, y))
            / np.linalg.norm(log_loss_gradient(np.zeros(n), X, y)),
            1e-10,
        ),
        Check(
            "LogisticRegression(C=1/(mλ)) minimises L + (λ/2)|w|²: |grad| / (λ|w|), worst λ",
            optimality,
            1e-8,
        ),
        Check(
            "one Newton step from w0 = Hessian prediction (largest relative error over λ)",
            max(relative_error(a, b) for a, b in zip(newton, predicted, strict=True)),
            1e-10,
        ),
        Check(
            "quadratic loss: Hessian prediction from w_LS = rk.ridge (largest relative error)",
            max(
                relative_error(hessian_shrinkage(X.T @ X / m, w_ls, lam), ridge(X, y, lam))
                for lam in lams
            ),
            1e-10,
        ),
    ]
    if lams.size >= 2:
        errors = [relative_error(p, e) for p, e in zip(predicted[:2], exact[:2], strict=True)]
        checks.append(
            Check(
                f"prediction error ~ λ^k between λ = {lams[0]:.1e} and {lams[1]:.1e}: k",
                float(np.log(errors[1] / errors[0]) / np.log(lams[1] / lams[0])),
                1.8,
                ">=",
            )
        )
    return CheckTable(checks)
