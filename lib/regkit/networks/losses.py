"""Losses of a Keras classifier computed with NumPy: cross-entropy and the kernels' penalty."""

from __future__ import annotations

import numpy as np

from .._validation import (
    as_float_array,
    check_kind,
    check_lam,
)

__all__ = ["cross_entropy", "kernel_penalty", "softmax_cross_entropy"]


def kernel_penalty(model, lam, penalty):
    """Return the course's penalty of a model's kernels, computed with NumPy in float64.

    ``(lam/2) * sum(W**2)`` (L2) or ``(lam/2) * sum(|W|)`` (L1), summed over the kernel of every
    layer that has one; biases are not included.

    Parameters
    ----------
    model : keras.Model
    lam : float
    penalty : {"l1", "l2"}

    Returns
    -------
    float
    """
    lam, penalty = check_lam(lam), check_kind(penalty, "penalty")
    total = 0.0
    for layer in model.layers:
        kernel = getattr(layer, "kernel", None)
        if kernel is None:
            continue
        weights = np.asarray(kernel.numpy(), dtype=np.float64)
        total += np.sum(weights**2) if penalty == "l2" else np.sum(np.abs(weights))
    return lam / 2 * float(total)


def softmax_cross_entropy(logits, labels):
    """Return the mean cross-entropy of integer labels under softmax(logits), in float64.

    Parameters
    ----------
    logits : array_like, shape (count, classes)
    labels : array_like of int, shape (count,)

    Returns
    -------
    float
    """
    logits = np.asarray(logits, dtype=np.float64)
    labels = np.asarray(labels)
    if logits.ndim != 2 or labels.shape != logits.shape[:1]:
        raise ValueError(
            "logits must have shape (count, classes) and labels shape (count,); "
            f"got {logits.shape} and {labels.shape}"
        )
    if labels.dtype.kind not in "iu":
        raise TypeError(f"labels must be integers; got dtype {labels.dtype}")
    if labels.size and (labels.min() < 0 or labels.max() >= logits.shape[1]):
        raise ValueError(
            f"labels must lie in 0..{logits.shape[1] - 1}; "
            f"got values from {labels.min()} to {labels.max()}"
        )
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probabilities = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-np.mean(log_probabilities[np.arange(labels.size), labels]))


def cross_entropy(model, x, y):
    """Return a classifier's mean cross-entropy on ``(x, y)``, without any weight penalty.

    The losses that Keras reports during ``fit`` and ``evaluate`` include the penalty of the
    kernels; this is the data term alone, from the model's logits, in float64.

    Parameters
    ----------
    model : keras.Model
        Outputs logits, like the models of :func:`regkit.build_mlp`.
    x : array_like, shape (count, features)
    y : array_like of int, shape (count,)

    Returns
    -------
    float
    """
    if not callable(model):
        raise TypeError(f"model must be a Keras model; got {type(model).__name__}")
    x = as_float_array(x, "x", ndim=2).astype(np.float32)
    return softmax_cross_entropy(np.asarray(model(x, training=False)), y)
