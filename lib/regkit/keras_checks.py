"""Checks of what Keras does with a weight penalty, in the course's convention.

Each function builds small models with :func:`regkit.build_mlp`, computes a quantity through
Keras and again with NumPy from the model's weights, and returns a
:class:`regkit.CheckTable`. Tolerances are for float32 arithmetic.
"""

from __future__ import annotations

import numpy as np

from ._tf import import_tensorflow
from ._validation import as_float_array, check_count, check_kind, check_lam, check_scalar
from .checks import Check, CheckTable
from .models import build_mlp

__all__ = [
    "cross_entropy",
    "keras_penalty_checks",
    "kernel_penalty",
    "softmax_cross_entropy",
]

FLOAT32_TOL = 1e-5


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


def keras_penalty_checks(x, y, *, lam=0.01, penalty="l2", hidden=(16,), learning_rate=0.1, seed=0):
    """Check where Keras adds the penalty of :func:`regkit.build_mlp`, and where it does not.

    1. ``model.losses`` holds one term per kernel and none for biases, and their sum equals
       :func:`kernel_penalty`.
    2. ``model.evaluate`` reports cross-entropy plus the penalty.
    3. One SGD step by ``fit`` differs from one step of a hand-written ``GradientTape`` loop
       that ignores ``model.losses`` by exactly ``-learning_rate * grad(penalty)`` on the
       kernels (the loop trains unregularized), and not at all on the biases.
    4. ``predict`` never evaluates the penalty: a regularizer that counts its calls is called
       by ``evaluate`` and not by ``predict``, and the logits equal those of the same weights
       without a penalty.

    Parameters
    ----------
    x : array_like, shape (count, features)
    y : array_like of int, shape (count,)
    lam : float, default 0.01
        The course's strength, > 0.
    penalty : {"l1", "l2"}, default "l2"
    hidden : sequence of int, default (16,)
    learning_rate : float, default 0.1
    seed : int, default 0

    Returns
    -------
    CheckTable
    """
    tf = import_tensorflow()
    keras = tf.keras
    lam, penalty = check_lam(lam), check_kind(penalty, "penalty")
    if lam == 0:
        raise ValueError("lam must be > 0 for keras_penalty_checks")
    learning_rate = check_scalar(learning_rate, "learning_rate", positive=True)
    seed = check_count(seed, "seed")
    x = np.asarray(x, dtype=np.float32)
    y = np.asarray(y, dtype=np.int64)
    if x.ndim != 2 or y.shape != x.shape[:1]:
        raise ValueError(f"x must be (count, features) and y (count,); got {x.shape}, {y.shape}")
    classes = int(y.max()) + 1
    build = dict(input_dim=x.shape[1], hidden=hidden, num_classes=max(classes, 2), seed=seed)
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    model = build_mlp(lam=lam, penalty=penalty, **build)
    expected_penalty = kernel_penalty(model, lam, penalty)
    kernels = sum(1 for layer in model.layers if getattr(layer, "kernel", None) is not None)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate), loss=loss)
    evaluated = model.evaluate(x, y, batch_size=len(x), verbose=0)
    cross_entropy = softmax_cross_entropy(model.predict(x, verbose=0), y)

    step_table = _one_step_difference(keras, tf, build, lam, penalty, learning_rate, x, y)
    calls_predict, calls_evaluate, logits_gap = _predict_ignores_penalty(keras, build, lam, x, y)
    return CheckTable(
        [
            Check(
                "model.losses: penalty terms minus kernels (biases unpenalized)",
                abs(len(model.losses) - kernels),
                0,
            ),
            Check(
                "sum(model.losses) = (lam/2) * sum over kernels (relative error)",
                abs(float(sum(model.losses)) - expected_penalty) / expected_penalty,
                FLOAT32_TOL,
            ),
            Check(
                "evaluate() loss = cross-entropy + penalty (relative error)",
                abs(evaluated - (cross_entropy + expected_penalty)) / evaluated,
                FLOAT32_TOL,
            ),
            *step_table,
            Check("penalty evaluations during predict()", calls_predict, 0),
            Check("penalty evaluations during evaluate()", calls_evaluate, 1, ">="),
            Check("logits with and without the penalty, same weights (max diff)", logits_gap, 0),
        ]
    )


def _one_step_difference(keras, tf, build, lam, penalty, learning_rate, x, y):
    """One full-batch SGD step: ``fit`` against a GradientTape loop without ``model.losses``."""
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    with_fit = build_mlp(lam=lam, penalty=penalty, **build)
    by_hand = build_mlp(lam=lam, penalty=penalty, **build)
    start = [np.asarray(v.numpy(), dtype=np.float64) for v in with_fit.trainable_variables]
    with_fit.compile(optimizer=keras.optimizers.SGD(learning_rate), loss=loss)
    with_fit.fit(x, y, batch_size=len(x), epochs=1, shuffle=False, verbose=0)
    with tf.GradientTape() as tape:
        data_loss = loss(y, by_hand(x, training=True))
    gradients = tape.gradient(data_loss, by_hand.trainable_variables)
    for variable, gradient in zip(by_hand.trainable_variables, gradients, strict=True):
        variable.assign_sub(learning_rate * gradient)
    kernel_gap, bias_gap = 0.0, 0.0
    pairs = zip(with_fit.trainable_variables, by_hand.trainable_variables, start, strict=True)
    for variable, other, first in pairs:
        difference = np.asarray(variable.numpy(), np.float64) - np.asarray(
            other.numpy(), np.float64
        )
        if "kernel" in variable.path:
            slope = lam * first if penalty == "l2" else lam / 2 * np.sign(first)
            kernel_gap = max(kernel_gap, float(np.max(np.abs(difference + learning_rate * slope))))
        else:
            bias_gap = max(bias_gap, float(np.max(np.abs(difference))))
    return [
        Check(
            "fit step - GradientTape step without model.losses = -lr * grad(penalty) (max diff)",
            kernel_gap,
            1e-6,
        ),
        Check("fit step - GradientTape step on biases (max diff)", bias_gap, 1e-6),
    ]


def _predict_ignores_penalty(keras, build, lam, x, y):
    """Count regularizer calls during predict and evaluate; compare logits with lam = 0."""
    calls = []

    class CountingL2(keras.regularizers.Regularizer):
        def __call__(self, weights):
            calls.append(1)
            return lam / 2 * keras.ops.sum(keras.ops.square(weights))

    counted = build_mlp(lam=lam, **build)
    plain = build_mlp(lam=0.0, **build)
    for layer in counted.layers:
        if getattr(layer, "kernel", None) is not None:
            layer.kernel.regularizer = CountingL2()
    counted.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    before = len(calls)
    logits = counted.predict(x, verbose=0)
    after_predict = len(calls)
    counted.evaluate(x, y, batch_size=len(x), verbose=0)
    after_evaluate = len(calls)
    gap = float(np.max(np.abs(logits - plain.predict(x, verbose=0))))
    return after_predict - before, after_evaluate - after_predict, gap
