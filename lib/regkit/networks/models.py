"""Keras models in the course's convention for the regularization strength.

The course's penalties are ``(lam/2) * sum(W**2)`` (L2) and ``(lam/2) * sum(|W|)`` (L1). Keras's
``L2(c)`` adds ``c * sum(W**2)`` and ``L1(c)`` adds ``c * sum(|W|)``, both without a half, so the
course's ``lam`` is passed to Keras as ``c = lam / 2``.
"""

from __future__ import annotations

import numbers

import numpy as np

from .._validation import as_float_array, check_count, check_kind, check_lam, check_scalar
from ..backend import import_tensorflow

__all__ = ["build_mlp", "keras_regularizer", "mlp_logits"]


def keras_regularizer(lam, penalty):
    """Return the Keras regularizer whose penalty is the course's, or None when ``lam == 0``.

    Parameters
    ----------
    lam : float
        The course's strength, finite and >= 0.
    penalty : {"l1", "l2"}

    Returns
    -------
    keras.regularizers.Regularizer or None
        ``L1(lam / 2)`` or ``L2(lam / 2)``.
    """
    lam, penalty = check_lam(lam), check_kind(penalty, "penalty")
    if lam == 0:
        return None
    keras = import_tensorflow().keras
    if penalty == "l1":
        return keras.regularizers.L1(lam / 2)
    return keras.regularizers.L2(lam / 2)


def build_mlp(
    input_dim, hidden=(32,), num_classes=10, lam=0.0, penalty="l2", seed=0, *, dropout=0.0
):
    """Return a multilayer perceptron that outputs logits, with penalized kernels.

    ``keras.Input(shape=(input_dim,))``, then one ReLU ``Dense`` layer per entry of ``hidden``,
    then a linear ``Dense(num_classes)`` layer: the outputs are logits, to be used with a loss
    built with ``from_logits=True``. Every kernel carries the penalty (see
    :func:`keras_regularizer`); biases carry none. Kernels are initialised by Glorot-uniform
    draws seeded from ``seed``, biases with zeros, so equal arguments give equal weights.

    Parameters
    ----------
    input_dim : int
        Number of input features, >= 1.
    hidden : sequence of int, default (32,)
        Width of each hidden layer; may be empty (a linear softmax classifier).
    num_classes : int, default 10
        Number of outputs, >= 2.
    lam : float, default 0.0
        The course's strength; 0 means no penalty.
    penalty : {"l1", "l2"}, default "l2"
    seed : int, default 0
    dropout : float, default 0.0
        If > 0, a ``Dropout`` layer with this rate follows every hidden layer (Srivastava et
        al., 2014): active in training only, so it changes neither ``predict`` nor the penalty.

    Returns
    -------
    keras.Sequential
    """
    input_dim = check_count(input_dim, "input_dim", minimum=1)
    num_classes = check_count(num_classes, "num_classes", minimum=2)
    seed = check_count(seed, "seed")
    dropout = check_scalar(dropout, "dropout")
    if dropout >= 1:
        raise ValueError(f"dropout must be a rate in [0, 1); got {dropout}")
    if isinstance(hidden, (str, bytes)) or not hasattr(hidden, "__iter__"):
        raise TypeError(f"hidden must be a sequence of layer widths; got {type(hidden).__name__}")
    hidden = tuple(hidden)
    for width in hidden:
        if isinstance(width, bool) or not isinstance(width, numbers.Integral) or width < 1:
            raise ValueError(f"hidden must contain integers >= 1; got {hidden}")
    keras = import_tensorflow().keras
    regularizer = keras_regularizer(lam, penalty)
    # One independent seed per layer, so that no two models share a layer's initial weights.
    seeds = [int(value) for value in np.random.SeedSequence(seed).generate_state(len(hidden) + 1)]
    layers = [keras.Input(shape=(input_dim,))]
    for index, width in enumerate(hidden):
        layers.append(_dense(keras, width, "relu", regularizer, seeds[index], f"hidden_{index}"))
        if dropout:
            layers.append(
                keras.layers.Dropout(dropout, seed=seeds[index], name=f"dropout_{index}")
            )
    layers.append(_dense(keras, num_classes, None, regularizer, seeds[-1], "logits"))
    return keras.Sequential(layers, name="mlp")


def _dense(keras, units, activation, regularizer, seed, name):
    return keras.layers.Dense(
        units,
        activation=activation,
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed),
        bias_initializer="zeros",
        kernel_regularizer=regularizer,
        name=name,
    )


def mlp_logits(weights, x):
    """Return the logits of the MLP with ``weights`` (``[W1, b1, W2, b2, ...]``) on ``x``.

    ReLU between layers, none after the last: the forward pass of :func:`regkit.build_mlp`,
    in NumPy (float64).

    Parameters
    ----------
    weights : list of numpy.ndarray
    x : array_like, shape (count, features)

    Returns
    -------
    numpy.ndarray, shape (count, classes)
    """
    h = as_float_array(x, "x", ndim=2)
    layers = len(weights) // 2
    if layers == 0 or len(weights) % 2:
        raise ValueError("weights must alternate kernels and biases: [W1, b1, W2, b2, ...]")
    for i in range(layers):
        kernel = np.asarray(weights[2 * i], dtype=np.float64)
        if kernel.ndim != 2 or kernel.shape[0] != h.shape[1]:
            raise ValueError(
                f"layer {i}: kernel shape {kernel.shape} does not fit inputs {h.shape[1]}"
            )
        bias = np.asarray(weights[2 * i + 1], dtype=np.float64)
        if bias.shape != (kernel.shape[1],):
            raise ValueError(
                f"layer {i}: bias shape {bias.shape} does not fit {kernel.shape[1]} units"
            )
        h = h @ kernel + bias
        if i < layers - 1:
            h = np.maximum(h, 0.0)
    return h
