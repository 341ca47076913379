"""Choosing the strength of a penalty by K-fold cross-validation, with the sweep engine.

:func:`regkit.cross_validate` trains every (lambda, fold) pair at once with :func:`regkit.sweep`,
summarises the validation cross-entropy per lambda (mean and standard error over folds),
picks the lambda with the lowest mean and the largest lambda within one standard error of it
(Hastie, Tibshirani & Friedman, 2009, section 7.10), refits the chosen model on all the
training data, and only then evaluates it, once, on the test set.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .._validation import as_float_array, check_count
from .engine import Training, initial_weights, sweep, train_stack
from .losses import softmax_cross_entropy
from .models import mlp_logits

__all__ = ["CrossValidation", "cross_validate", "one_standard_error_choice"]

RULES = ("one_se", "best")


@dataclass
class CrossValidation:
    """What :func:`cross_validate` returns.

    Attributes
    ----------
    lams : numpy.ndarray, shape (grid,)
    mean_cross_entropy, std_cross_entropy : numpy.ndarray, shape (grid,)
        Validation cross-entropy after the last epoch: mean and standard deviation over folds.
    mean_accuracy, std_accuracy : numpy.ndarray, shape (grid,)
    best_lam : float
        The lambda with the lowest mean validation cross-entropy.
    one_se_lam : float
        The largest lambda whose mean is within one standard error of the lowest.
    chosen_lam : float
        The one refitted, by ``rule``.
    weights : list of numpy.ndarray
        The refitted model's kernels and biases.
    test_cross_entropy, test_accuracy : float
        Of the refitted model on the test set (NaN without one).
    sweep_seconds : float
        Wall time of the sweep over the grid.
    sweep : SweepResult
        Every model's learning curves.
    """

    lams: np.ndarray
    mean_cross_entropy: np.ndarray
    std_cross_entropy: np.ndarray
    mean_accuracy: np.ndarray
    std_accuracy: np.ndarray
    best_lam: float
    one_se_lam: float
    chosen_lam: float
    weights: list
    test_cross_entropy: float
    test_accuracy: float
    sweep_seconds: float
    sweep: object


def one_standard_error_choice(lams, means, stds, folds):
    """Return ``(best, one_se)``: the lambda of the lowest mean, and the largest within 1 SE.

    The standard error of a mean over ``folds`` folds is ``std / sqrt(folds)``. The one-
    standard-error rule prefers the most regularized model whose estimated error is not
    distinguishable from the best one's.

    Parameters
    ----------
    lams, means, stds : array_like, shape (grid,)
    folds : int

    Returns
    -------
    (float, float)
    """
    lams = as_float_array(lams, "lams", ndim=1)
    means = as_float_array(means, "means", ndim=1)
    stds = as_float_array(stds, "stds", ndim=1)
    folds = check_count(folds, "folds", minimum=2)
    if np.any(stds < 0):
        raise ValueError(f"stds must be >= 0; got {stds[stds < 0].tolist()}")
    if not lams.shape == means.shape == stds.shape:
        raise ValueError(
            f"lams, means and stds must have the same shape; got {lams.shape}, {means.shape}, "
            f"{stds.shape}"
        )
    best = int(np.argmin(means))
    threshold = means[best] + stds[best] / np.sqrt(folds)
    within = lams[means <= threshold]
    return float(lams[best]), float(within.max())


def cross_validate(
    x,
    y,
    lams,
    k=5,
    *,
    test_data=None,
    rule="one_se",
    hidden=(64,),
    num_classes=10,
    training=Training(),
    seed=0,
    strategy=None,
):
    """Choose lambda by stratified K-fold cross-validation, refit, and test once.

    Parameters
    ----------
    x, y
        Training data (the test set must not be part of it).
    lams : array_like
        The grid, in the course's convention; a log-spaced grid (plus 0) is usual.
    k : int, default 5
    test_data : (x_test, y_test), optional
        Evaluated once, by the refitted model.
    rule : {"one_se", "best"}, default "one_se"
        Which lambda to refit.
    hidden, num_classes, training, seed, strategy
        As for :func:`regkit.sweep`; the refit is trained the same way, on all of ``x``.

    Returns
    -------
    CrossValidation
    """
    if rule not in RULES:
        raise ValueError(f"rule must be one of {RULES}; got {rule!r}")
    options = dict(num_classes=num_classes, training=training, seed=seed, strategy=strategy)
    start = time.perf_counter()
    result = sweep(x, y, lams, k=k, hidden=hidden, **options)
    seconds = time.perf_counter() - start
    grid = result.lams.reshape(-1, k)[:, 0]
    cross_entropy = result.val_cross_entropy[:, -1].reshape(-1, k)
    accuracy = result.val_accuracy[:, -1].reshape(-1, k)
    means, stds = cross_entropy.mean(axis=1), cross_entropy.std(axis=1, ddof=1)
    best, one_se = one_standard_error_choice(grid, means, stds, k)
    chosen = one_se if rule == "one_se" else best
    weights = _refit(x, y, chosen, hidden, options)
    test_ce, test_acc = _test_once(weights, test_data, num_classes)
    return CrossValidation(
        lams=grid,
        mean_cross_entropy=means,
        std_cross_entropy=stds,
        mean_accuracy=accuracy.mean(axis=1),
        std_accuracy=accuracy.std(axis=1, ddof=1),
        best_lam=best,
        one_se_lam=one_se,
        chosen_lam=chosen,
        weights=weights,
        test_cross_entropy=test_ce,
        test_accuracy=test_acc,
        sweep_seconds=seconds,
        sweep=result,
    )


def _refit(x, y, lam, hidden, options):
    x = np.asarray(x, dtype=np.float32)
    rows = np.arange(len(x))
    init = initial_weights(x.shape[1], tuple(hidden), options["num_classes"], options["seed"])
    refit = train_stack(x, y, [rows], [rows[:0]], [lam], [init], **options)
    return [w[0] for w in refit.weights]


def _test_once(weights, test_data, num_classes):
    if test_data is None:
        return float("nan"), float("nan")
    x_test, y_test = test_data
    logits = mlp_logits(weights, x_test)
    labels = np.asarray(y_test)
    return (
        softmax_cross_entropy(logits, labels),
        float(np.mean(np.argmax(logits, axis=1) == labels)),
    )
