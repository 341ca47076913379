"""Checks of the minimizers: ridge and lasso against scikit-learn, sparsity, the proximal step,
the shrinkage factors, the bias and variance of ridge, the constrained forms, the elastic net,
the penalties as priors (maximum a posteriori estimates), and L2 on the logistic loss against
its quadratic (Hessian) prediction."""

from __future__ import annotations

import math

import numpy as np
from scipy.special import expit

from .._validation import (
    as_float_array,
    check_count,
    check_data,
    check_kind,
    check_lam,
    check_positive_lam,
    check_problem,
    check_scalar,
)
from ..core.conversions import map_lambda, sklearn_elastic_net_arguments
from ..core.logistic import hessian_shrinkage, log_loss, log_loss_gradient, log_loss_hessian
from ..core.objectives import data_loss, data_loss_grad, objective, objective_grad
from ..core.penalties import soft_threshold
from ..core.solvers import (
    constrained_least_squares,
    constrained_minimizer,
    elastic_net,
    gradient_descent,
    l1_optimality_violation,
    l1_prox,
    lasso,
    lasso_threshold,
    lipschitz_constant,
    ridge,
)
from ..core.spectral import (
    effective_dof,
    refit_ridge,
    ridge_bias_variance,
    ridge_condition_number,
    shrinkage_factors,
)
from .gradients import numerical_gradient
from .table import FLOAT64_EPS, Check, CheckTable, relative_error

__all__ = [
    "bias_variance_checks",
    "constrained_checks",
    "elastic_net_checks",
    "hessian_view_checks",
    "lasso_checks",
    "prior_checks",
    "proximal_checks",
    "ridge_checks",
    "shrinkage_checks",
    "sparsity_checks",
]


def ridge_checks(X, y, lam):
    """Check :func:`regkit.ridge` against scikit-learn and the optimality condition.

    scikit-learn's ``Ridge(alpha=m * lam, fit_intercept=False)`` minimizes
    ``||y - X w||**2 + alpha ||w||**2``, which is ``2m`` times the course's objective, so both
    have the same minimizer. It is called with ``solver="cholesky"``, which solves the normal
    equations ``(X.T X + alpha I) w = X.T y`` (or, when ``n > m``, the kernel form
    ``(X X.T + alpha I) c = y``, ``w = X.T c``) by a Cholesky factorization: a route
    independent of the SVD that :func:`regkit.ridge` uses. The tolerance is
    ``max(1e-12, 100 kappa eps)`` with ``kappa`` the condition number of ``X.T X + m lam I``,
    since no solver can do better than about ``kappa * eps``; the two routes agree to about
    ``kappa * eps`` on well- and ill-conditioned problems alike.

    Parameters
    ----------
    X : array_like, shape (m, n)
    y : array_like, shape (m,)
    lam : float, > 0

    Returns
    -------
    CheckTable
    """
    from sklearn.linear_model import Ridge

    X, y = check_data(X, y)
    lam = check_positive_lam(lam, "ridge_checks")
    m, n = X.shape
    ours = ridge(X, y, lam)
    theirs = Ridge(alpha=m * lam, fit_intercept=False, solver="cholesky").fit(X, y).coef_
    gram = X.T @ X
    kappa_regularized = np.linalg.cond(gram + m * lam * np.eye(n))
    kappa_plain = np.linalg.cond(gram)
    tol = max(1e-12, 100 * kappa_regularized * FLOAT64_EPS)
    gradient = objective_grad(ours, X, y, lam, "l2")
    return CheckTable(
        [
            Check(
                "ridge = sklearn Ridge(alpha=m*lam, solver='cholesky') (relative error)",
                relative_error(ours, theirs),
                tol,
            ),
            Check(
                "gradient of J at the ridge solution is 0 (relative to |X^T y| / m)",
                relative_error(gradient, np.zeros(n))
                / max(np.linalg.norm(X.T @ y) / m, FLOAT64_EPS),
                tol,
            ),
            Check(
                "L2 improves conditioning: cond(X^T X + m lam I) / cond(X^T X)",
                float(kappa_regularized / kappa_plain),
                1.0 + 1e-12,
            ),
        ]
    )


def lasso_checks(X, y, lam, *, tol=1e-9):
    """Check :func:`regkit.lasso` against scikit-learn, the KKT conditions and ``lam_max``.

    scikit-learn's ``Lasso(alpha=lam / 2, fit_intercept=False)`` minimizes
    ``1/(2m) ||y - X w||**2 + alpha ||w||_1``, the course's L1 objective. The threshold
    ``lam_max = 2 max|X.T y| / m`` is the smallest strength at which ``w = 0`` satisfies the
    optimality conditions.

    The KKT row is evaluated at scikit-learn's solution, not at ours: :func:`regkit.lasso`
    stops when its own violation is below ``tol``, so checking it there would hold by
    construction. Together, "sklearn's solution is optimal" and "ours equals sklearn's" certify
    ours independently.

    Parameters
    ----------
    X : array_like, shape (m, n)
    y : array_like, shape (m,)
    lam : float, > 0
    tol : float, default 1e-9
        Tolerance handed to :func:`regkit.lasso`.

    Returns
    -------
    CheckTable
    """
    from sklearn.linear_model import Lasso

    X, y = check_data(X, y)
    lam = check_positive_lam(lam, "lasso_checks")
    ours = lasso(X, y, lam, tol=tol)
    theirs = (
        Lasso(alpha=lam / 2, fit_intercept=False, tol=1e-14, max_iter=1_000_000).fit(X, y).coef_
    )
    value_ours, value_theirs = (objective(w, X, y, lam, "l1") for w in (ours, theirs))
    lam_max = lasso_threshold(X, y)
    # The size of the data term's gradient at w = 0 (lam_max / 2), so the bound has no units.
    gradient_scale = max(lam_max / 2, FLOAT64_EPS)
    return CheckTable(
        [
            Check(
                "lasso = sklearn Lasso(alpha=lam/2, fit_intercept=False) (max weight diff)",
                float(np.max(np.abs(ours - theirs))),
                1e-6,
            ),
            Check(
                "objective of lasso <= sklearn's (relative excess)",
                max(value_ours - value_theirs, 0.0) / max(value_theirs, FLOAT64_EPS),
                1e-10,
            ),
            Check(
                "KKT conditions hold at sklearn's solution (largest violation / max|X^T y|/m)",
                l1_optimality_violation(theirs, X, y, lam) / gradient_scale,
                1e-10,
            ),
            Check(
                "lam = lam_max = 2 max|X^T y| / m: number of non-zero weights",
                float(np.count_nonzero(lasso(X, y, lam_max, tol=tol))),
                0,
            ),
            Check(
                "lam = 0.99 lam_max: number of non-zero weights",
                float(np.count_nonzero(lasso(X, y, 0.99 * lam_max, tol=tol))),
                1,
                ">=",
            ),
        ]
    )


def sparsity_checks(X, y, lam, *, steps=500):
    """Count exact zeros: subgradient descent against proximal gradient (ISTA).

    Both run ``steps`` iterations from ``w = 0`` with the same step ``1 / L``. Subgradient
    descent uses :func:`regkit.objective_grad` (with ``sign(0) = 0``); ISTA takes a gradient
    step on the data term and then soft-thresholds (:func:`regkit.l1_prox`).

    1. The exact solution (:func:`regkit.lasso`) has at least one zero weight: the problem has
       zeros to find.
    2. ISTA's zeros are exactly the exact solution's: no weight is zero in one and not in the
       other (fails when ``steps`` are too few to find them).
    3. Subgradient descent ends with no zero weight among the features that appear in the data.

    Parameters
    ----------
    X : array_like, shape (m, n)
    y : array_like, shape (m,)
    lam : float, > 0
    steps : int, default 500

    Returns
    -------
    CheckTable
    """
    X, y = check_data(X, y)
    lam = check_positive_lam(lam, "sparsity_checks")
    steps = check_count(steps, "steps", minimum=1)
    informative = np.any(X != 0, axis=0)
    if not np.any(informative):
        raise ValueError("X must have at least one non-zero entry for sparsity_checks")
    exact = lasso(X, y, lam)
    lr = 1 / lipschitz_constant(X)
    w0 = np.zeros(X.shape[1])
    subgradient = gradient_descent(lambda v: objective_grad(v, X, y, lam, "l1"), w0, lr, steps)
    ista = gradient_descent(lambda v: data_loss_grad(v, X, y), w0, lr, steps, prox=l1_prox(lam))
    return CheckTable(
        [
            Check("exact lasso solution: weights exactly 0", int(np.sum(exact == 0)), 1, ">="),
            Check(
                f"ISTA after {steps} steps: weights exactly 0 where the exact solution is not, "
                "or the reverse",
                int(np.sum((ista[-1] == 0) != (exact == 0))),
                0,
            ),
            Check(
                f"subgradient descent after {steps} steps: weights exactly 0 "
                "(of the features that appear in the data)",
                int(np.sum(subgradient[-1][informative] == 0)),
                0,
            ),
        ]
    )


def proximal_checks(lam=0.6, *, seed=0):
    """Check the two closed forms behind proximal methods for the L1 penalty.

    1. Soft-thresholding is the proximal operator of ``t |w|``: ``soft_threshold(z, t)``
       minimizes ``t |w| + (w - z)**2 / 2``, compared with a grid search of spacing 1e-4.
    2. For an orthonormal design (``X.T X / m = I``) the L1 problem separates by coordinate
       and its minimizer is ``soft_threshold(X.T y / m, lam / 2)``
       (Tibshirani, 1996, section 2.2), compared with :func:`regkit.lasso`.

    Parameters
    ----------
    lam : float, default 0.6
        Strength of the L1 penalty, > 0.
    seed : int, default 0

    Returns
    -------
    CheckTable
    """
    lam = check_lam(lam)
    if lam == 0:
        raise ValueError("lam must be > 0 for proximal_checks")
    rng = np.random.default_rng(check_count(seed, "seed"))
    z = rng.uniform(-3, 3, 50)
    threshold = lam / 2
    grid = np.arange(-4.0, 4.0, 1e-4)
    values = threshold * np.abs(grid)[None, :] + 0.5 * (grid[None, :] - z[:, None]) ** 2
    by_grid = grid[np.argmin(values, axis=1)]
    m, n = 40, 8
    X = np.sqrt(m) * np.linalg.qr(rng.standard_normal((m, n)))[0]
    y = X @ rng.uniform(-1, 1, n) + 0.1 * rng.standard_normal(m)
    closed_form = soft_threshold(X.T @ y / m, threshold)
    return CheckTable(
        [
            Check(
                "soft_threshold(z, t) = argmin t|w| + (w - z)^2 / 2 (max diff to a 1e-4 grid)",
                float(np.max(np.abs(soft_threshold(z, threshold) - by_grid))),
                1e-4,
            ),
            Check(
                "orthonormal design: lasso = soft_threshold(X^T y / m, lam/2) (max diff)",
                float(np.max(np.abs(lasso(X, y, lam) - closed_form))),
                1e-8,
            ),
        ]
    )


def shrinkage_checks(X, y, lam):
    """Check the spectral description of the L2 minimizer against independent computations.

    With the thin SVD ``X = U diag(s) V.T`` and the factors
    ``f_k = s_k**2 / (s_k**2 + m lam)`` of :func:`regkit.shrinkage_factors`:

    * scikit-learn's ridge solution equals the least-squares solution (``numpy.linalg.lstsq``)
      with its coordinate along each ``v_k`` multiplied by ``f_k``;
    * for an orthonormal design (``X.T X / m = I``, here ``X`` replaced by ``sqrt(m) Q`` from
      its QR factorization) every factor is ``1 / (1 + lam)``: ridge = least squares / (1 + lam);
    * :func:`regkit.effective_dof` equals the trace of the hat matrix
      ``X (X.T X + m lam I)^-1 X.T``, formed with ``numpy.linalg.solve``;
    * :func:`regkit.ridge_condition_number` equals ``numpy.linalg.cond(X.T X + m lam I)``.

    The tolerance is ``100 eps`` times ``cond(X.T X + m lam I) + cond(X)``: the rounding
    error that the solvers and ``lstsq`` may make.

    Parameters
    ----------
    X : array_like, shape (m, n)
        Needs ``m >= n`` (the orthonormal design has n orthonormal columns of length m).
    y : array_like, shape (m,)
    lam : float, > 0

    Returns
    -------
    CheckTable
    """
    from sklearn.linear_model import Ridge

    X, y = check_data(X, y)
    lam = check_positive_lam(lam, "shrinkage_checks")
    m, n = X.shape
    if m < n:
        raise ValueError(f"shrinkage_checks needs m >= n rows; got X.shape={X.shape}")
    _, _, Vt = np.linalg.svd(X, full_matrices=False)
    gram = X.T @ X + m * lam * np.eye(n)
    kappa = np.linalg.cond(gram)
    tol = max(1e-12, 100 * (kappa + np.linalg.cond(X)) * FLOAT64_EPS)
    theirs = Ridge(alpha=m * lam, fit_intercept=False, solver="cholesky").fit(X, y).coef_
    least_squares = np.linalg.lstsq(X, y, rcond=None)[0]
    shrunk = Vt.T @ (shrinkage_factors(X, lam) * (Vt @ least_squares))
    Q = np.linalg.qr(X)[0] * math.sqrt(m)
    orthonormal_ls = np.linalg.lstsq(Q, y, rcond=None)[0]
    hat_trace = float(np.trace(X @ np.linalg.solve(gram, X.T)))
    return CheckTable(
        [
            Check(
                "sklearn Ridge = lstsq shrunk by s_k^2/(s_k^2 + m lam) along v_k (relative error)",
                relative_error(shrunk, theirs),
                tol,
            ),
            Check(
                "orthonormal design X^T X / m = I: ridge = lstsq / (1 + lam) (relative error)",
                relative_error(ridge(Q, y, lam), orthonormal_ls / (1 + lam)),
                1e-12,
            ),
            Check(
                "df(lam) = sum s_k^2/(s_k^2 + m lam) = trace of hat matrix (relative error)",
                abs(effective_dof(X, lam) - hat_trace) / hat_trace,
                tol,
            ),
            Check(
                "cond(X^T X + m lam I) = (s_max^2 + m lam)/(s_min^2 + m lam) (relative error)",
                abs(ridge_condition_number(X, lam) - kappa) / kappa,
                tol,
            ),
        ]
    )


def bias_variance_checks(X, w_true, lam, noise, *, draws=2000, seed=0):
    """Check :func:`regkit.ridge_bias_variance` exactly and against a Monte Carlo refit.

    The L2 minimizer is linear in ``y``, so its mean over the noise is the minimizer for the
    noise-free targets, ``E[w*] = ridge(X, X w_true, lam)``: that gives the squared bias
    independently of the SVD formula. :func:`regkit.refit_ridge` then refits on ``draws``
    noise draws. The fits are Gaussian with covariance ``C``, whose eigenvalues are
    ``noise**2 s_k**2 / (s_k**2 + m lam)**2``, so the sample total variance (the trace of the
    sample covariance) has relative standard error
    ``sqrt(2 tr(C**2) / tr(C)**2 / (draws - 1))``; it must match the exact variance within
    five of those standard errors. The sample mean must match ``E[w*]``:
    ``|mean - E[w*]|**2`` has expectation ``variance / draws``, so the ratio is about 1 and
    exceeds 10 with probability below 0.2 %.

    Parameters
    ----------
    X : array_like, shape (m, n)
    w_true : array_like, shape (n,)
    lam : float
        > 0.
    noise : float
        Standard deviation of the noise, > 0.
    draws : int, default 2000
        Number of noise draws, >= 2.
    seed : int, default 0

    Returns
    -------
    CheckTable
    """
    w_true, X, _ = check_problem(w_true, X, np.zeros(np.shape(X)[0]))
    lam = check_lam(lam)
    if lam == 0:
        raise ValueError("lam must be > 0 for bias_variance_checks")
    if check_scalar(noise, "noise") == 0:
        raise ValueError("noise must be > 0 for bias_variance_checks")
    draws = check_count(draws, "draws", minimum=2)
    bias_sq, variance = ridge_bias_variance(X, w_true, lam, noise)
    mean = ridge(X, X @ w_true, lam)
    fits = refit_ridge(X, w_true, [lam], noise, draws=draws, seed=seed)[0]
    sample_variance = float(np.sum(np.var(fits, axis=0, ddof=1)))
    kappa = ridge_condition_number(X, lam)
    direct_bias_sq = float(np.sum((mean - w_true) ** 2))
    s = np.linalg.svd(X, compute_uv=False)
    eigenvalues = noise**2 * s**2 / (s**2 + X.shape[0] * lam) ** 2  # of the fits' covariance
    relative_se = math.sqrt(2 * np.sum(eigenvalues**2) / np.sum(eigenvalues) ** 2 / (draws - 1))
    return CheckTable(
        [
            Check(
                "bias^2 formula = |ridge(X, X w_true) - w_true|^2 (abs. error / |w_true|^2)",
                abs(bias_sq - direct_bias_sq) / float(w_true @ w_true),
                max(1e-12, 100 * kappa * FLOAT64_EPS),
            ),
            Check(
                f"variance formula = sample variance over {draws} draws "
                "(relative error; bound: 5 standard errors)",
                abs(sample_variance - variance) / variance,
                5 * relative_se,
            ),
            Check(
                f"mean over {draws} draws = E[w*]: |mean - E[w*]|^2 / (variance / draws)",
                float(np.sum((fits.mean(axis=0) - mean) ** 2)) / (variance / draws),
                10,
            ),
        ]
    )


def constrained_checks(X, y, budget, kind, *, max_iter=200_000):
    """Check :func:`regkit.constrained_minimizer` against projected gradient descent.

    Projected gradient descent (:func:`regkit.constrained_least_squares`) minimizes the data
    term over the ball directly (a gradient step, then the Euclidean projection onto the L2 or
    L1 ball), without any penalty strength. The
    table also checks that the solution lies on the sphere (or inside the ball when
    ``lam = 0``), that it satisfies the optimality conditions of the penalized problem at the
    strength ``lam`` found by bisection, and, for two features, that no point of a dense grid
    on the boundary of the ball has a lower data loss.

    Parameters
    ----------
    X : array_like, shape (m, n)
        Rank n.
    y : array_like, shape (m,)
    budget : float, > 0
    kind : {"l1", "l2"}
    max_iter : int, default 200000
        Iterations allowed to projected gradient descent.

    Returns
    -------
    CheckTable
    """
    X, y = check_data(X, y)
    budget = check_scalar(budget, "budget", positive=True)
    kind = check_kind(kind)
    max_iter = check_count(max_iter, "max_iter", minimum=1)
    w, lam = constrained_minimizer(X, y, budget, kind)
    order = 2 if kind == "l2" else 1
    size = float(np.linalg.norm(w, order))
    reference = constrained_least_squares(X, y, budget, kind, tol=1e-12, max_iter=max_iter)
    loss, reference_loss = data_loss(w, X, y), data_loss(reference, X, y)
    if kind == "l2":
        violation = float(np.max(np.abs(objective_grad(w, X, y, lam, "l2"))))
    else:
        violation = l1_optimality_violation(w, X, y, lam)
    scale = max(float(np.max(np.abs(X.T @ y))) / X.shape[0], FLOAT64_EPS)
    name = kind.upper()
    checks = [
        Check(
            f"{name}: norm of the solution = budget (relative error)"
            if lam > 0
            else f"{name}: least squares lies inside the ball (norm - budget) / budget",
            abs(size - budget) / budget if lam > 0 else (size - budget) / budget,
            1e-8 if lam > 0 else 0.0,
        ),
        Check(
            f"{name}: solution = projected gradient descent (relative error)",
            relative_error(w, reference),
            1e-6,
        ),
        Check(
            f"{name}: data loss <= that of projected gradient descent (relative excess)",
            max(loss - reference_loss, 0.0) / max(reference_loss, FLOAT64_EPS),
            1e-10,
        ),
        Check(
            f"{name}: optimality conditions of the penalized problem at lam = {lam:.3g}"
            " (largest violation / max|X^T y|/m)",
            violation / scale,
            1e-8,
        ),
    ]
    if lam > 0:
        checks.append(
            Check(
                f"{name}: Lagrange multiplier at the projected-gradient solution = lam found "
                "by bisection (relative error)",
                abs(_multiplier(reference, X, y, kind) - lam) / lam,
                1e-6,
            )
        )
    if X.shape[1] == 2 and lam > 0:
        angles = np.linspace(0, 2 * np.pi, 200_001)
        directions = np.stack([np.cos(angles), np.sin(angles)])
        boundary = budget * directions / np.linalg.norm(directions, order, axis=0)
        residuals = y[:, None] - X @ boundary
        grid_loss = float(np.min(np.sum(residuals**2, axis=0)) / (2 * X.shape[0]))
        checks.append(
            Check(
                f"{name}: no point of a 200001-point grid on the boundary is lower"
                " (relative excess)",
                max(loss - grid_loss, 0.0) / max(grid_loss, FLOAT64_EPS),
                1e-10,
            )
        )
    return CheckTable(checks)


def _multiplier(w, X, y, kind):
    """The course's ``lam`` for which ``w`` satisfies the penalized optimality conditions.

    L2: ``grad f(w) + lam w = 0``, so ``lam = -(w . grad f) / (w . w)``. L1: on the non-zero
    weights ``grad_k f(w) = -(lam/2) sign(w_k)``, so ``lam = -2 mean(grad_k f sign(w_k))``.
    """
    gradient = data_loss_grad(w, X, y)
    if kind == "l2":
        return float(-(w @ gradient) / (w @ w))
    active = w != 0
    return float(-2 * np.mean(gradient[active] * np.sign(w[active])))


def elastic_net_checks(X, y, lam, l1_ratio):
    """Check :func:`regkit.elastic_net` against scikit-learn and its optimality conditions.

    1. scikit-learn's ``ElasticNet(**sklearn_elastic_net_arguments(lam, l1_ratio))``
       (coordinate descent) gives the same weights;
    2. the same weights are exactly zero in both;
    3. the optimality conditions hold: on the non-zero weights the gradient of the smooth part
       equals ``-(lam rho / 2) sign(w)``, on the zero ones it is at most ``lam rho / 2``;
    4. with ``l1_ratio = 1`` it is :func:`regkit.lasso`, and 5. with ``l1_ratio = 0``,
       :func:`regkit.ridge`.

    Parameters
    ----------
    X : array_like, shape (m, n)
    y : array_like, shape (m,)
    lam : float, > 0
    l1_ratio : float, in [0, 1]

    Returns
    -------
    CheckTable
    """
    from sklearn.linear_model import ElasticNet

    X, y = check_data(X, y)
    lam = check_positive_lam(lam, "elastic_net_checks")
    arguments = sklearn_elastic_net_arguments(lam, l1_ratio)
    rho = float(l1_ratio)
    w = elastic_net(X, y, lam, rho, tol=1e-12)
    model = ElasticNet(**arguments, fit_intercept=False, tol=1e-14, max_iter=1_000_000)
    theirs = model.fit(X, y).coef_
    l1, l2 = lam * rho / 2, lam * (1 - rho)
    gradient = data_loss_grad(w, X, y) + l2 * w
    violation = np.where(w != 0, np.abs(gradient + l1 * np.sign(w)), np.abs(gradient) - l1)
    scale = max(float(np.max(np.abs(X.T @ y))) / X.shape[0], FLOAT64_EPS)
    return CheckTable(
        [
            Check(
                "elastic_net = sklearn ElasticNet(**sklearn_elastic_net_arguments) "
                "(max weight diff / max|w|)",
                float(np.max(np.abs(w - theirs))) / max(float(np.max(np.abs(w))), FLOAT64_EPS),
                1e-6,
            ),
            Check(
                "weights exactly 0 in one solution and not in the other (count)",
                int(np.sum((w == 0) != (np.abs(theirs) < 1e-12))),
                0,
            ),
            Check(
                "optimality conditions (largest violation / max|X^T y|/m)",
                max(float(np.max(violation)), 0.0) / scale,
                1e-9,
            ),
            Check(
                "l1_ratio = 1: elastic_net = lasso (max weight diff / max|w|)",
                _max_relative_gap(
                    elastic_net(X, y, lam, 1.0, tol=1e-12), lasso(X, y, lam, tol=1e-12)
                ),
                1e-8,
            ),
            Check(
                "l1_ratio = 0: elastic_net = ridge (relative error)",
                relative_error(elastic_net(X, y, lam, 0.0, tol=1e-12), ridge(X, y, lam)),
                1e-8,
            ),
        ]
    )


def _max_relative_gap(a, b):
    return float(np.max(np.abs(a - b))) / max(float(np.max(np.abs(b))), FLOAT64_EPS)


def prior_checks(X, y, noise_std, prior_scale):
    """Check that the penalized minimizers are maximum a posteriori (MAP) estimates.

    With Gaussian noise of standard deviation ``noise_std`` and independent priors of scale
    ``prior_scale`` on the weights, the negative log posterior is written from SciPy's
    densities (``scipy.stats.norm``, ``scipy.stats.laplace``), not from the course's formula,
    and minimized by a general-purpose optimizer:

    1. Gaussian prior: :func:`regkit.ridge` at ``map_lambda(..., "gaussian")`` is its
       minimizer (BFGS);
    2. and equals the posterior mean, which for a Gaussian prior has the closed form
       ``(X.T X / sigma**2 + I / tau**2)**-1 X.T y / sigma**2``;
    3. Laplace prior: :func:`regkit.lasso` at ``map_lambda(..., "laplace")`` has a negative log
       posterior no higher than Powell's minimum (which does not use the course's formula);
    4. and it is the minimizer found by L-BFGS-B with each weight split into two non-negative
       parts (which makes ``|w|`` linear);
    5. MAP is not the posterior mean: for one weight observed once, ``y = w + noise``, with
       ``y`` small enough that the Laplace MAP estimate is exactly 0, the posterior mean
       computed by quadrature is not 0.

    Parameters
    ----------
    X : array_like, shape (m, n)
    y : array_like, shape (m,)
    noise_std : float, > 0
    prior_scale : float, > 0

    Returns
    -------
    CheckTable
    """
    from scipy.integrate import quad
    from scipy.optimize import minimize
    from scipy.stats import laplace, norm

    X, y = check_data(X, y)
    sigma = check_scalar(noise_std, "noise_std", positive=True)
    scale = check_scalar(prior_scale, "prior_scale", positive=True)
    m, n = X.shape

    def negative_log_posterior(w, prior):
        density = norm(scale=scale) if prior == "gaussian" else laplace(scale=scale)
        return -(norm.logpdf(y, loc=X @ w, scale=sigma).sum() + density.logpdf(w).sum())

    lam_gaussian = map_lambda(sigma, scale, m, "gaussian")
    w_ridge = ridge(X, y, lam_gaussian)
    mode = minimize(
        negative_log_posterior,
        np.zeros(n),
        args=("gaussian",),
        method="BFGS",
        options={"gtol": 1e-10},
    ).x
    precision = X.T @ X / sigma**2 + np.eye(n) / scale**2
    mean = np.linalg.solve(precision, X.T @ y / sigma**2)
    w_lasso = lasso(X, y, map_lambda(sigma, scale, m, "laplace"), tol=1e-12)
    powell = minimize(
        negative_log_posterior,
        np.zeros(n),
        args=("laplace",),
        method="Powell",
        options={"xtol": 1e-10, "ftol": 1e-14, "maxfev": 200_000},
    )
    excess = negative_log_posterior(w_lasso, "laplace") - powell.fun

    def split_objective(uv):
        # w = u - v with u, v >= 0 and |w| replaced by u + v (equal at the minimum, where one
        # of the two is 0): a smooth objective on a box, which L-BFGS-B handles
        w = uv[:n] - uv[n:]
        value = -norm.logpdf(y, loc=X @ w, scale=sigma).sum() + uv.sum() / scale
        residual_gradient = -X.T @ (y - X @ w) / sigma**2
        return value, np.concatenate([residual_gradient, -residual_gradient]) + 1 / scale

    split = minimize(
        split_objective,
        np.zeros(2 * n),
        jac=True,
        method="L-BFGS-B",
        bounds=[(0, None)] * (2 * n),
        options={"gtol": 1e-12, "ftol": 1e-15, "maxiter": 10_000},
    )
    w_split = split.x[:n] - split.x[n:]
    # one weight, y = w + noise: the Laplace MAP is soft_threshold(y, sigma**2 / scale)
    observed = 0.5 * sigma**2 / scale
    map_one = float(soft_threshold(np.array([observed]), sigma**2 / scale)[0])

    def unnormalized(w):
        return math.exp(-((observed - w) ** 2) / (2 * sigma**2) - abs(w) / scale)

    width = 10 * (sigma + scale)
    total = quad(unnormalized, -width, width, points=[0.0], limit=200)[0]
    first = quad(lambda w: w * unnormalized(w), -width, width, points=[0.0], limit=200)[0]
    return CheckTable(
        [
            Check(
                "Gaussian prior: ridge at map_lambda = argmin of -log posterior by BFGS "
                "(relative error)",
                relative_error(w_ridge, mode),
                1e-6,
            ),
            Check(
                "Gaussian prior: ridge at map_lambda = posterior mean, closed form "
                "(relative error)",
                relative_error(w_ridge, mean),
                1e-10,
            ),
            Check(
                "Laplace prior: -log posterior at lasso(map_lambda) - Powell's minimum",
                float(excess),
                1e-9,
            ),
            Check(
                "Laplace prior: lasso(map_lambda) = argmin of -log posterior by L-BFGS-B on "
                "w = u - v, u, v >= 0 (max weight diff / max|w|)",
                _max_relative_gap(w_split, w_lasso),
                1e-5,
            ),
            Check("Laplace prior, one weight: MAP estimate (|w|)", abs(map_one), 0),
            Check(
                "Laplace prior, one weight: posterior mean by quadrature (|mean|)",
                abs(first / total),
                1e-3 * observed,
                ">=",
            ),
        ]
    )


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
