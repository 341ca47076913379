"""Weight decay versus an L2 penalty, and the course's ``lam`` in other libraries' units.

The course penalizes a loss ``L(w)`` as ``J(w) = L(w) + (lam/2) * ||w||**2`` (L2) or
``L(w) + (lam/2) * ||w||_1`` (L1). Libraries spell the same strength differently:

==============================  =============================  ===================
library, argument               minimizes / does               course's ``lam`` as
==============================  =============================  ===================
Keras ``L2(c)``                 adds ``c * sum(W**2)``         ``c = lam / 2``
Keras ``L1(c)``                 adds ``c * sum(|W|)``          ``c = lam / 2``
Keras ``mse`` + ``L2(c)``       ``(1/m)||r||**2 + c||w||**2``  ``c = lam``
plain ``SGD(weight_decay=wd)``  ``w - lr*(grad L + wd*w)``     ``wd = lam``
(Keras and PyTorch)
sklearn ``Ridge(alpha)``        ``||r||**2 + alpha ||w||**2``  ``alpha = m * lam``
sklearn ``Lasso(alpha)``        ``(1/2m)||r||**2 + alpha|w|``  ``alpha = lam / 2``
==============================  =============================  ===================

Plain SGD on the L2-penalized loss and SGD with decoupled weight decay ``wd = lam`` take the
same steps; with momentum, and with Adam, they do not (Loshchilov & Hutter, 2019).
:func:`weight_decay_checks` verifies every Keras and scikit-learn row numerically (PyTorch's
``SGD`` is described from its source, ``torch/optim/sgd.py``, not run here), and
:func:`decay_trajectories` records how far apart the trainings drift.

Keras facts used here, read in Keras 3.15's source:

* ``keras/src/optimizers/base_optimizer.py``, ``_backend_apply_gradients``: the gradients are
  computed first, then ``_apply_weight_decay`` shrinks the variables by ``lr * wd * w``, then
  ``update_step`` applies the gradient (computed at the undecayed weights). On TensorFlow the
  decay is ``variable.assign_sub(variable * wd * lr)`` in
  ``keras/src/backend/tensorflow/optimizer.py``.
* Weight decay applies to every trainable variable, biases included, unless excluded with
  ``optimizer.exclude_from_weight_decay(var_names=[...])``, whose strings are searched with
  ``re.search`` in the variable's name; on TensorFlow that is the full path of the
  ``tf.Variable`` (``"mlp/logits/bias:0"``), so a layer *named* ``"bias..."`` would lose the
  decay of its kernel too.
* ``AdamW`` is ``Adam`` with ``weight_decay`` required (default 0.004): ``Adam(weight_decay=wd)``
  runs the same code.
"""

from __future__ import annotations

import numpy as np

from ._validation import check_classification_data, check_count, check_lam, check_scalar
from .backend import import_tensorflow
from .core import sgd_weight_decay
from .networks import build_mlp, cross_entropy

__all__ = ["TRAJECTORY_NAMES", "decay_trajectories"]

MOMENTUM = 0.9
TRAJECTORY_NAMES = ("SGD + L2", "SGD + decay", "Adam + L2", "AdamW")


# Conversions ---------------------------------------------------------------------------------


# Checks --------------------------------------------------------------------------------------


# Trajectories --------------------------------------------------------------------------------


def decay_trajectories(x, y, *, lam, learning_rate, epochs, batch_size, hidden=(16,), seed=0):
    """Train four optimizers on the same data and record their kernels' norm and cross-entropy.

    The four, in :data:`TRAJECTORY_NAMES` order: ``"SGD + L2"`` (plain SGD on
    ``build_mlp(lam=lam)``), ``"SGD + decay"`` (plain SGD with
    ``weight_decay=sgd_weight_decay(lam)`` on an unpenalized model), ``"Adam + L2"`` and
    ``"AdamW"`` (``AdamW(weight_decay=sgd_weight_decay(lam))``); decay excludes the biases.
    Every run starts from the same weights and, seeded with ``keras.utils.set_random_seed``,
    sees the mini-batches in the same order, in TensorFlow's default strategy. The SGD pair
    should coincide up to float32 rounding; the Adam pair should not.

    Parameters
    ----------
    x : array_like, shape (count, features)
    y : array_like of int, shape (count,)
    lam : float
        The course's strength, > 0.
    learning_rate : float
        Used by all four optimizers.
    epochs : int, >= 1
    batch_size : int, >= 1
    hidden : sequence of int, default (16,)
    seed : int, default 0

    Returns
    -------
    dict of str to dict of str to numpy.ndarray
        For each name, ``"epoch"`` (``0 .. epochs``), ``"kernel_norm"`` (the Frobenius norm of
        all kernels together, ``sqrt(sum W**2)``) and ``"cross_entropy"`` (the mean training
        cross-entropy without the penalty, :func:`regkit.cross_entropy`), each of shape
        ``(epochs + 1,)``; entry 0 is the initial model.
    """
    x, y, classes = _check_xy(x, y)
    lam = _positive_lam(lam, "decay_trajectories")
    learning_rate = check_scalar(learning_rate, "learning_rate", positive=True)
    epochs = check_count(epochs, "epochs", minimum=1)
    batch_size = check_count(batch_size, "batch_size", minimum=1)
    seed = check_count(seed, "seed")
    build = dict(input_dim=x.shape[1], hidden=hidden, num_classes=classes, seed=seed)
    wd = sgd_weight_decay(lam)
    runs = {
        "SGD + L2": (lam, "sgd", None),
        "SGD + decay": (0.0, "sgd", wd),
        "Adam + L2": (lam, "adam", None),
        "AdamW": (0.0, "adamw", wd),
    }
    fit = dict(x=x, y=y, learning_rate=learning_rate, epochs=epochs, batch_size=batch_size)
    return {
        name: _trajectory(build, model_lam, kind, decay, seed=seed, **fit)
        for name, (model_lam, kind, decay) in runs.items()
    }


def _trajectory(build, model_lam, kind, decay, *, x, y, learning_rate, epochs, batch_size, seed):
    keras = import_tensorflow().keras
    keras.utils.set_random_seed(seed)
    model = _compiled(keras, build, model_lam, kind, decay, learning_rate)
    norms, losses = [_kernel_norm(model)], [cross_entropy(model, x, y)]

    class Record(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            norms.append(_kernel_norm(model))
            losses.append(cross_entropy(model, x, y))

    model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0, callbacks=[Record()])
    return {
        "epoch": np.arange(epochs + 1),
        "kernel_norm": np.asarray(norms),
        "cross_entropy": np.asarray(losses),
    }


# Helpers -------------------------------------------------------------------------------------


def _check_xy(x, y):
    """Validate classification data; return float32 x, int64 y and the number of classes."""
    labels = np.asarray(y)
    classes = 2
    if labels.ndim == 1 and labels.size and labels.dtype.kind in "iu":
        classes = max(int(labels.max()) + 1, 2)
    x, y = check_classification_data(x, y, classes, "x", "y")
    return x, y, classes


def _positive_lam(lam, caller):
    lam = check_lam(lam)
    if lam == 0:
        raise ValueError(f"lam must be > 0 for {caller}: with lam = 0 there is nothing to compare")
    return lam


def _optimizer(keras, kind, learning_rate, decay):
    if kind == "sgd":
        optimizer = keras.optimizers.SGD(learning_rate, weight_decay=decay)
    elif kind == "momentum":
        optimizer = keras.optimizers.SGD(learning_rate, momentum=MOMENTUM, weight_decay=decay)
    elif kind == "adam":
        optimizer = keras.optimizers.Adam(learning_rate, weight_decay=decay)
    else:
        optimizer = keras.optimizers.AdamW(learning_rate, weight_decay=decay)
    if decay is not None:
        # Keras decays every trainable variable, biases included; the L2 penalty of
        # build_mlp covers kernels only.
        optimizer.exclude_from_weight_decay(var_names=["bias"])
    return optimizer


def _compiled(keras, build, model_lam, kind, decay, learning_rate):
    model = build_mlp(lam=model_lam, **build)
    model.compile(
        optimizer=_optimizer(keras, kind, learning_rate, decay),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return model


def _kernels(model):
    return [layer.kernel for layer in model.layers if getattr(layer, "kernel", None) is not None]


def _kernel_norm(model):
    squares = (np.sum(np.asarray(k.numpy(), dtype=np.float64) ** 2) for k in _kernels(model))
    return float(np.sqrt(sum(squares)))
