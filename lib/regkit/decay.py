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

from ._tf import import_tensorflow
from ._validation import check_count, check_lam, check_scalar
from .checks import Check, CheckTable, relative_error
from .data import make_linear_problem
from .keras_checks import cross_entropy, kernel_penalty
from .models import build_mlp
from .solvers import lasso, ridge
from .training import _check_classification_data

__all__ = [
    "TRAJECTORY_NAMES",
    "decay_trajectories",
    "keras_l1_coefficient",
    "keras_l2_coefficient",
    "lasso_alpha",
    "mse_keras_l2_coefficient",
    "ridge_alpha",
    "sgd_weight_decay",
    "weight_decay_checks",
]

# Two float32 computations of the same quantity differ by rounding: about 1e-7 relative per
# operation, a few 1e-7 after tens of steps (measured: 2e-7). 1e-5 leaves a margin of 50.
EQUAL_TOL = 1e-5
# Trainings that follow different update rules separate by far more than rounding (measured on
# digits with the defaults: 5e-2 with momentum, 1 for Adam); 1e-3 is 100 times EQUAL_TOL.
DIFFER_BOUND = 1e-3
MOMENTUM = 0.9
TRAJECTORY_NAMES = ("SGD + L2", "SGD + decay", "Adam + L2", "AdamW")


# Conversions ---------------------------------------------------------------------------------


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


def sgd_weight_decay(lam):
    """Return the ``weight_decay`` of plain SGD that reproduces SGD on the course's L2 objective.

    SGD on ``J(w) = L(w) + (lam/2) ||w||**2`` steps ``w <- w - lr * (grad L(w) + lam * w)``.
    Keras's ``SGD(weight_decay=wd)`` first shrinks ``w <- w - lr * wd * w``, then subtracts
    ``lr * grad L`` with the gradient taken at the weights before the shrink, which is
    ``w <- w - lr * (grad L(w) + wd * w)``: the same step when ``wd = lam``. PyTorch's
    ``torch.optim.SGD(weight_decay=wd)`` adds ``wd * w`` to the gradient, so it too needs
    ``wd = lam``.

    With momentum the two libraries part ways: PyTorch adds ``wd * w`` before the momentum
    buffer, so its ``weight_decay`` stays an L2 penalty; Keras decays the weights outside the
    velocity, so ``SGD(momentum=0.9, weight_decay=lam)`` no longer follows the L2 objective
    (see :func:`weight_decay_checks`). In Keras the decay applies to biases too unless they are
    excluded with ``optimizer.exclude_from_weight_decay(var_names=["bias"])``.

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


# Checks --------------------------------------------------------------------------------------


def weight_decay_checks(x, y, *, lam=0.01, learning_rate=0.05, steps=20, hidden=(16,), seed=0):
    """Check weight decay against the L2 penalty in Keras, and every conversion of this module.

    Networks are :func:`regkit.build_mlp` classifiers trained by ``fit`` for ``steps``
    full-batch steps on ``(x, y)`` with cross-entropy; "L2" means ``build_mlp(lam=lam)``,
    "decay" an unpenalized model whose optimizer has ``weight_decay=sgd_weight_decay(lam)`` and
    excludes the biases. A difference is ``||w_a - w_b|| / ||w_b||`` over all weights (kernels
    and biases) after training, ``w_b`` being the L2 run (AdamW in the last comparison).

    1. Plain SGD: L2 and decay give the same weights (float32 tolerance).
    2. SGD with momentum 0.9: they differ (the decay bypasses the velocity).
    3. Adam + L2 differs from AdamW; ``Adam(weight_decay=wd)`` equals ``AdamW(weight_decay=wd)``.
    4. scikit-learn's ``Ridge(alpha=ridge_alpha(lam, m))`` and ``Lasso(alpha=lasso_alpha(lam))``
       equal :func:`regkit.ridge` and :func:`regkit.lasso` on a random 50 x 8 problem from
       :func:`regkit.make_linear_problem` (float64).
    5. For a Keras linear model with ``mse`` and ``L2(mse_keras_l2_coefficient(lam))``, the
       gradient of Keras's loss at :func:`regkit.ridge`'s solution is 0 up to float32 rounding.
    6. ``sum(model.losses)`` of ``build_mlp(lam=lam)``, ``L2(keras_l2_coefficient(lam))`` and
       ``L1(keras_l1_coefficient(lam))`` on its kernels equal the course's penalties computed
       by :func:`regkit.kernel_penalty`.

    Parameters
    ----------
    x : array_like, shape (count, features)
    y : array_like of int, shape (count,)
    lam : float, default 0.01
        The course's strength, > 0.
    learning_rate : float, default 0.05
        Used by every optimizer.
    steps : int, default 20
        Full-batch steps per training, >= 10 (with momentum the two rules agree at the first
        step and separate gradually). Tolerances are for up to a few hundred steps.
    hidden : sequence of int, default (16,)
    seed : int, default 0

    Returns
    -------
    CheckTable
    """
    x, y, classes = _check_xy(x, y)
    lam = _positive_lam(lam, "weight_decay_checks")
    learning_rate = check_scalar(learning_rate, "learning_rate", positive=True)
    steps = check_count(steps, "steps", minimum=10)
    seed = check_count(seed, "seed")
    build = dict(input_dim=x.shape[1], hidden=hidden, num_classes=classes, seed=seed)
    run = dict(build=build, x=x, y=y, learning_rate=learning_rate, steps=steps, seed=seed)
    return CheckTable(
        _optimizer_checks(lam, run) + _linear_checks(lam, seed) + _penalty_checks(lam, build)
    )


def _optimizer_checks(lam, run):
    wd = sgd_weight_decay(lam)
    steps = run["steps"]
    sgd_l2 = _train_steps(lam, "sgd", None, **run)
    sgd_decay = _train_steps(0.0, "sgd", wd, **run)
    momentum_l2 = _train_steps(lam, "momentum", None, **run)
    momentum_decay = _train_steps(0.0, "momentum", wd, **run)
    adam_l2 = _train_steps(lam, "adam", None, **run)
    adamw = _train_steps(0.0, "adamw", wd, **run)
    adam_decay = _train_steps(0.0, "adam", wd, **run)
    return [
        Check(
            f"SGD, {steps} steps: L2 penalty = weight_decay=sgd_weight_decay(lam) "
            "(relative difference)",
            _difference(sgd_decay, sgd_l2),
            EQUAL_TOL,
        ),
        Check(
            f"SGD momentum {MOMENTUM}: L2 penalty != weight decay (relative difference)",
            _difference(momentum_decay, momentum_l2),
            DIFFER_BOUND,
            ">=",
        ),
        Check(
            "Adam + L2 penalty != AdamW(weight_decay=lam) (relative difference)",
            _difference(adamw, adam_l2),
            DIFFER_BOUND,
            ">=",
        ),
        Check(
            "Adam(weight_decay=lam) = AdamW(weight_decay=lam) (relative difference)",
            _difference(adam_decay, adamw),
            EQUAL_TOL,
        ),
    ]


def _linear_checks(lam, seed):
    from sklearn.linear_model import Lasso, Ridge

    X, y, _ = make_linear_problem(50, 8, n_informative=3, seed=seed)
    m = X.shape[0]
    exact = ridge(X, y, lam)
    sk_ridge = Ridge(alpha=ridge_alpha(lam, m), fit_intercept=False, solver="svd").fit(X, y)
    sk_lasso = Lasso(alpha=lasso_alpha(lam), fit_intercept=False, tol=1e-14, max_iter=1_000_000)
    lasso_gap = np.max(np.abs(sk_lasso.fit(X, y).coef_ - lasso(X, y, lam, tol=1e-12)))
    return [
        Check(
            "sklearn Ridge(alpha=ridge_alpha(lam, m) = m*lam) = regkit.ridge (relative error)",
            relative_error(sk_ridge.coef_, exact),
            1e-10,
        ),
        Check(
            "sklearn Lasso(alpha=lasso_alpha(lam) = lam/2) = regkit.lasso (max weight diff)",
            float(lasso_gap),
            1e-6,
        ),
        Check(
            "Keras mse + L2(mse_keras_l2_coefficient(lam) = lam): gradient at regkit.ridge "
            "(relative to the gradient at w = 0)",
            _keras_mse_gradient(X, y, exact, mse_keras_l2_coefficient(lam)),
            EQUAL_TOL,
        ),
    ]


def keras_linear_mse_gradient(X, y, w, regularizer):
    """Return the gradient at ``w`` of Keras's ``mse`` + ``regularizer`` for a linear model.

    The model is one ``Dense(1, use_bias=False)`` layer carrying ``regularizer`` on its
    kernel; the gradient is Keras's own (``tf.GradientTape`` on its loss), in float64.
    """
    tf = import_tensorflow()
    keras = tf.keras
    layer = keras.layers.Dense(1, use_bias=False, kernel_regularizer=regularizer)
    model = keras.Sequential([keras.Input(shape=(X.shape[1],)), layer])
    layer.kernel.assign(w[:, None].astype(np.float32))
    inputs, targets = X.astype(np.float32), y[:, None].astype(np.float32)
    with tf.GradientTape() as tape:
        loss = keras.losses.MeanSquaredError()(targets, model(inputs)) + sum(model.losses)
    return np.asarray(tape.gradient(loss, layer.kernel), dtype=np.float64)[:, 0]


def _keras_mse_gradient(X, y, w, coefficient):
    """Return |grad of Keras's mse + L2(coefficient) at w| / |the same gradient at 0|."""
    keras = import_tensorflow().keras
    gradient = keras_linear_mse_gradient(X, y, w, keras.regularizers.L2(coefficient))
    # At w = 0 the penalty has no gradient and mse's gradient is -(2/m) X^T y.
    scale = 2 * np.linalg.norm(X.T @ y) / X.shape[0]
    return float(np.linalg.norm(gradient) / scale)


def _penalty_checks(lam, build):
    keras = import_tensorflow().keras
    model = build_mlp(lam=lam, **build)
    kernels = _kernels(model)
    l2 = kernel_penalty(model, lam, "l2")
    l1 = kernel_penalty(model, lam, "l1")
    keras_l2 = sum(float(keras.regularizers.L2(keras_l2_coefficient(lam))(k)) for k in kernels)
    keras_l1 = sum(float(keras.regularizers.L1(keras_l1_coefficient(lam))(k)) for k in kernels)
    return [
        Check(
            "build_mlp(lam): sum(model.losses) = (lam/2) sum W^2 (kernel_penalty, relative error)",
            abs(float(sum(model.losses)) - l2) / l2,
            EQUAL_TOL,
        ),
        Check(
            "L2(keras_l2_coefficient(lam) = lam/2) on the kernels = (lam/2) sum W^2 "
            "(relative error)",
            abs(keras_l2 - l2) / l2,
            EQUAL_TOL,
        ),
        Check(
            "L1(keras_l1_coefficient(lam) = lam/2) on the kernels = (lam/2) sum |W| "
            "(relative error)",
            abs(keras_l1 - l1) / l1,
            EQUAL_TOL,
        ),
    ]


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
    x, y = _check_classification_data(x, y, classes, "x", "y")
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


def _train_steps(model_lam, kind, decay, *, build, x, y, learning_rate, steps, seed):
    """Train ``steps`` full-batch steps with ``fit``; return all weights, flattened, float64."""
    tf = import_tensorflow()
    tf.keras.utils.set_random_seed(seed)
    model = _compiled(tf.keras, build, model_lam, kind, decay, learning_rate)
    batches = tf.data.Dataset.from_tensors((x, y)).repeat(steps)
    model.fit(batches, epochs=1, shuffle=False, verbose=0)
    return np.concatenate(
        [np.asarray(v.numpy(), dtype=np.float64).ravel() for v in model.trainable_variables]
    )


def _difference(a, b):
    """Return ``||a - b|| / ||b||``, NaN when a training diverged (a NaN check never passes)."""
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        return float("nan")
    return relative_error(a, b)


def _kernels(model):
    return [layer.kernel for layer in model.layers if getattr(layer, "kernel", None) is not None]


def _kernel_norm(model):
    squares = (np.sum(np.asarray(k.numpy(), dtype=np.float64) ** 2) for k in _kernels(model))
    return float(np.sqrt(sum(squares)))
