"""The course's ``lam`` in the units of Keras, PyTorch and scikit-learn.

The course penalizes a loss ``L(w)`` as ``J(w) = L(w) + (lam/2) * ||w||**2`` (L2) or
``L(w) + (lam/2) * ||w||_1`` (L1). Libraries spell the same strength differently:

==============================  =============================  ===================
library, argument               minimizes / does               course's ``lam`` as
==============================  =============================  ===================
Keras ``L2(c)``                 adds ``c * sum(W**2)``         ``c = lam / 2``
Keras ``L1(c)``                 adds ``c * sum(|W|)``          ``c = lam / 2``
Keras ``mse`` + ``L2(c)``       ``(1/m)||r||**2 + c||w||**2``  ``c = lam``
Keras ``mse`` + ``L1(c)``       ``(1/m)||r||**2 + c|w|``       ``c = lam``
plain ``SGD(weight_decay=wd)``  ``w - lr*(grad L + wd*w)``     ``wd = lam``
``AdamW(weight_decay=wd)``      ``w *= 1 - lr*wd``, then Adam  not an L2 penalty
sklearn ``Ridge(alpha)``        ``||r||**2 + alpha ||w||**2``  ``alpha = m * lam``
sklearn ``Lasso(alpha)``        ``(1/2m)||r||**2 + alpha|w|``  ``alpha = lam / 2``
Keras ``SGD(momentum=mu, wd)``  decay outside the velocity     ``wd = lam/(1 - mu)``
==============================  =============================  ===================

:func:`regkit.conversion_checks` verifies every row, in this order. Beyond the table:
:func:`regkit.map_lambda` gives ``lam`` from a Bayesian prior (the penalized minimizer is the
maximum a posteriori estimate), and :func:`regkit.sklearn_elastic_net_arguments` and
:func:`regkit.keras_l1l2_arguments` the settings of the elastic net
(:func:`regkit.elastic_net`).
"""

from __future__ import annotations

from .._validation import (
    check_count,
    check_fraction,
    check_lam,
    check_scalar,
)

__all__ = [
    "adamw_decay_factor",
    "keras_l1_coefficient",
    "keras_l1l2_arguments",
    "keras_l2_coefficient",
    "lasso_alpha",
    "map_lambda",
    "mse_keras_l1_coefficient",
    "mse_keras_l2_coefficient",
    "ridge_alpha",
    "sgd_weight_decay",
    "sklearn_elastic_net_arguments",
]


def keras_l2_coefficient(lam):
    """Return the ``c`` of Keras's ``L2(c)`` that adds the course's L2 penalty.

    Keras's ``L2(c)(W)`` is ``c * sum(W**2)`` (no half, no mean), the course's penalty is
    ``(lam/2) * sum(W**2)``, so ``c = lam / 2``.

    Parameters
    ----------
    lam : float
        The course's strength, finite and >= 0.

    Returns
    -------
    float
        ``lam / 2``.

    Examples
    --------
    >>> keras_l2_coefficient(0.01)
    0.005
    """
    return check_lam(lam) / 2


def keras_l1_coefficient(lam):
    """Return the ``c`` of Keras's ``L1(c)`` that adds the course's L1 penalty.

    Keras's ``L1(c)(W)`` is ``c * sum(|W|)``, the course's penalty is ``(lam/2) * sum(|W|)``,
    so ``c = lam / 2``.

    Parameters
    ----------
    lam : float
        The course's strength, finite and >= 0.

    Returns
    -------
    float
        ``lam / 2``.
    """
    return check_lam(lam) / 2


def sgd_weight_decay(lam, momentum=0.0):
    """Return the ``weight_decay`` of Keras's SGD that minimizes the course's L2 objective.

    SGD on ``J(w) = L(w) + (lam/2) ||w||**2`` steps ``w <- w - lr * (grad L(w) + lam * w)``.
    Keras's ``SGD(weight_decay=wd)`` first shrinks ``w <- w - lr * wd * w``, then subtracts
    ``lr * grad L`` with the gradient taken at the weights before the shrink, which is
    ``w <- w - lr * (grad L(w) + wd * w)``: the same step when ``wd = lam``. PyTorch's
    ``torch.optim.SGD(weight_decay=wd)`` adds ``wd * w`` to the gradient, so it needs
    ``wd = lam`` with or without momentum.

    With momentum ``mu`` Keras decays the weights outside the velocity: ``w <- w - lr*wd*w``,
    then ``v <- mu*v - lr*grad L`` and ``w <- w + v``. Its steps are no longer those of SGD with
    momentum on ``J`` (see :func:`regkit.weight_decay_checks`), but at a fixed point of the
    full-batch update ``v = lr*wd*w`` and ``(1 - mu)*v = -lr*grad L``, so
    ``grad L + (1 - mu)*wd*w = 0``: the minimizer of ``J`` when ``wd = lam / (1 - mu)``. The
    trainings reach the same minimizer by different paths, so they still differ when training
    stops early or the gradients are noisy. In Keras the decay applies to biases too unless they
    are excluded with ``optimizer.exclude_from_weight_decay(var_names=["bias"])``.

    Parameters
    ----------
    lam : float
        The course's strength, finite and >= 0.
    momentum : float, default 0.0
        Keras's ``SGD(momentum=...)``, in [0, 1).

    Returns
    -------
    float
        ``lam / (1 - momentum)``: ``lam`` for plain SGD.

    Raises
    ------
    ValueError
        If ``momentum`` is outside [0, 1).

    Examples
    --------
    >>> sgd_weight_decay(0.01)
    0.01
    >>> round(sgd_weight_decay(0.01, momentum=0.9), 12)
    0.1
    """
    lam = check_lam(lam)
    momentum = check_scalar(momentum, "momentum")
    if momentum >= 1:
        raise ValueError(f"momentum must be in [0, 1); got {momentum}")
    return lam / (1 - momentum)


def ridge_alpha(lam, m):
    """Return the ``alpha`` of scikit-learn's ``Ridge`` that minimizes the course's L2 objective.

    ``Ridge(alpha, fit_intercept=False)`` minimizes ``||y - X w||**2 + alpha ||w||**2``, which
    is ``2m * [1/(2m) ||y - X w||**2 + (alpha / (2m)) ||w||**2]``; the bracket is the course's
    objective when ``alpha / (2m) = lam / 2``, that is ``alpha = m * lam``.

    Parameters
    ----------
    lam : float
        The course's strength, finite and >= 0.
    m : int
        Number of training examples, >= 1.

    Returns
    -------
    float
        ``m * lam``.
    """
    return check_count(m, "m", minimum=1) * check_lam(lam)


def lasso_alpha(lam):
    """Return the ``alpha`` of scikit-learn's ``Lasso`` that minimizes the course's L1 objective.

    ``Lasso(alpha, fit_intercept=False)`` minimizes ``1/(2m) ||y - X w||**2 + alpha ||w||_1``,
    the course's ``1/(2m) ||y - X w||**2 + (lam/2) ||w||_1`` when ``alpha = lam / 2``.

    Parameters
    ----------
    lam : float
        The course's strength, finite and >= 0.

    Returns
    -------
    float
        ``lam / 2``.
    """
    return check_lam(lam) / 2


def mse_keras_l2_coefficient(lam):
    """Return the ``c`` of ``L2(c)`` for a linear model trained with Keras's ``mse``.

    Keras's ``mse`` is ``(1/m) ||r||**2`` with ``r = y - X w`` (no half), so the trained
    objective is ``(1/m) ||r||**2 + c ||w||**2 = 2 * [1/(2m) ||r||**2 + (c/2) ||w||**2]``. The
    bracket is the course's L2 objective with strength ``c``, and doubling does not move the
    minimizer: ``c = lam``. (With cross-entropy there is no half to absorb, and the course's
    ``lam`` is ``L2(lam / 2)``, :func:`keras_l2_coefficient`.)

    Parameters
    ----------
    lam : float
        The course's strength, finite and >= 0.

    Returns
    -------
    float
        ``lam``.
    """
    return check_lam(lam)


def mse_keras_l1_coefficient(lam):
    """Return the ``c`` of Keras's ``L1(c)`` for a linear model trained with Keras's ``mse``.

    Keras's ``mse`` is ``(1/m) ||r||**2`` (no half), so the trained objective is
    ``(1/m) ||r||**2 + c ||w||_1 = 2 * [1/(2m) ||r||**2 + (c/2) ||w||_1]``: the course's L1
    objective with strength ``c``, doubled, which has the same minimiser. So ``c = lam``.

    Parameters
    ----------
    lam : float
        The course's strength, finite and >= 0.

    Returns
    -------
    float
        ``lam``.

    Examples
    --------
    >>> mse_keras_l1_coefficient(0.01)
    0.01
    """
    return check_lam(lam)


def adamw_decay_factor(learning_rate, weight_decay):
    """Return the factor by which ``AdamW`` multiplies every weight at each step.

    Keras's and PyTorch's ``AdamW(learning_rate=lr, weight_decay=wd)`` first shrink each weight,
    ``w <- w - lr * wd * w = (1 - lr * wd) * w``, then apply Adam's step to the gradient of the
    loss alone. With ``wd = lam`` the shrink is the one plain gradient descent on the course's
    L2 objective performs at the same learning rate (:func:`regkit.sgd_weight_decay`), but
    Adam's step is not: an L2
    penalty's gradient ``lam * w`` would pass through Adam's per-coordinate division by
    ``sqrt(v) + eps``, the decay does not. There is therefore no ``wd`` for which ``AdamW``
    minimises the course's penalized objective (Loshchilov & Hutter, 2019).

    Parameters
    ----------
    learning_rate : float
        > 0.
    weight_decay : float
        >= 0.

    Returns
    -------
    float
        ``1 - learning_rate * weight_decay``.

    Examples
    --------
    >>> adamw_decay_factor(0.01, 0.1)
    0.999
    """
    learning_rate = check_scalar(learning_rate, "learning_rate", positive=True)
    weight_decay = check_scalar(weight_decay, "weight_decay")
    return 1.0 - learning_rate * weight_decay


PRIORS = ("gaussian", "laplace")


def map_lambda(noise_std, prior_scale, m, prior):
    """Return the ``lam`` whose penalized minimizer is the maximum a posteriori estimate.

    Model: ``y = X w + noise`` with Gaussian noise of standard deviation ``sigma``
    (``noise_std``), and independent priors on the weights. The negative log posterior is,
    up to a constant, ``||y - X w||**2 / (2 sigma**2) - sum_k log p(w_k)``; multiplied by
    ``sigma**2 / m``, which does not move its minimizer, it is the course's objective:

    * Gaussian prior, standard deviation ``tau`` (``prior_scale``): ``-log p(w) = w**2 /
      (2 tau**2)``, so ``lam / 2 = sigma**2 / (2 m tau**2)``: ``lam = sigma**2 / (m tau**2)``,
      the L2 penalty;
    * Laplace prior, scale ``b``, density ``exp(-|w| / b) / (2b)``: ``-log p(w) = |w| / b``,
      so ``lam / 2 = sigma**2 / (m b)``: ``lam = 2 sigma**2 / (m b)``, the L1 penalty.

    Parameters
    ----------
    noise_std : float
        ``sigma`` > 0.
    prior_scale : float
        ``tau`` (Gaussian) or ``b`` (Laplace), > 0.
    m : int
        Number of examples, >= 1.
    prior : {"gaussian", "laplace"}

    Returns
    -------
    float

    Examples
    --------
    >>> map_lambda(1.0, 0.5, 100, "gaussian")
    0.04
    >>> map_lambda(1.0, 0.5, 100, "laplace")
    0.04
    """
    sigma = check_scalar(noise_std, "noise_std", positive=True)
    scale = check_scalar(prior_scale, "prior_scale", positive=True)
    m = check_count(m, "m", minimum=1)
    if prior not in PRIORS:
        raise ValueError(f"prior must be one of {PRIORS}; got {prior!r}")
    if prior == "gaussian":
        return sigma**2 / (m * scale**2)
    return 2 * sigma**2 / (m * scale)


def sklearn_elastic_net_arguments(lam, l1_ratio):
    """Return the ``alpha`` and ``l1_ratio`` of scikit-learn's ``ElasticNet`` for the course's.

    scikit-learn minimizes ``1/(2m) ||r||**2 + alpha * a * ||w||_1 + alpha * (1 - a) / 2 *
    ||w||**2`` (``a`` its ``l1_ratio``); the course's elastic net (:func:`regkit.elastic_net`)
    is ``1/(2m) ||r||**2 + (lam/2) * (rho ||w||_1 + (1 - rho) ||w||**2)``. Matching the two
    penalty terms: ``alpha * a = lam * rho / 2`` and ``alpha * (1 - a) = lam * (1 - rho)``, so
    ``alpha = lam * (1 - rho / 2)`` and ``a = rho / (2 - rho)``.

    Parameters
    ----------
    lam : float
        Finite and >= 0.
    l1_ratio : float
        The course's ``rho``, in [0, 1].

    Returns
    -------
    dict
        ``{"alpha": ..., "l1_ratio": ...}``, to pass as ``ElasticNet(**arguments)``.

    Examples
    --------
    >>> sklearn_elastic_net_arguments(0.2, 0.5)
    {'alpha': 0.15000000000000002, 'l1_ratio': 0.3333333333333333}
    """
    lam, rho = check_lam(lam), check_fraction(l1_ratio, "l1_ratio")
    return {"alpha": lam * (1 - rho / 2), "l1_ratio": rho / (2 - rho)}


def keras_l1l2_arguments(lam, l1_ratio):
    """Return the ``l1`` and ``l2`` of Keras's ``L1L2`` for the course's elastic-net penalty.

    ``L1L2(l1, l2)(W)`` is ``l1 * sum(|W|) + l2 * sum(W**2)``; the course's penalty is
    ``(lam/2) * (rho * sum(|W|) + (1 - rho) * sum(W**2))``, so ``l1 = lam * rho / 2`` and
    ``l2 = lam * (1 - rho) / 2``. With cross-entropy; with Keras's ``mse`` (no half) both
    double, as in :func:`mse_keras_l2_coefficient`.

    Parameters
    ----------
    lam : float
        Finite and >= 0.
    l1_ratio : float
        The course's ``rho``, in [0, 1].

    Returns
    -------
    dict
        ``{"l1": ..., "l2": ...}``, to pass as ``keras.regularizers.L1L2(**arguments)``.

    Examples
    --------
    >>> keras_l1l2_arguments(0.2, 0.5)
    {'l1': 0.05, 'l2': 0.05}
    """
    lam, rho = check_lam(lam), check_fraction(l1_ratio, "l1_ratio")
    return {"l1": lam * rho / 2, "l2": lam * (1 - rho) / 2}
