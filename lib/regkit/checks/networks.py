"""Checks of what Keras and PyTorch do with a penalty, in the course's convention.

Four suites build small :func:`regkit.build_mlp` classifiers (or a linear Keras model), compute
a quantity through Keras and again with NumPy, and return a :class:`regkit.CheckTable`
(tolerances for float32 arithmetic):

* :func:`regkit.keras_penalty_checks`: the penalty Keras adds to the loss is the course's
  ``(lam/2) * sum(W**2)`` or ``(lam/2) * sum(|W|)`` over the kernels, in ``model.losses``,
  ``evaluate`` and one training step;
* :func:`regkit.weight_decay_checks`: plain SGD on the L2-penalized loss and SGD with
  decoupled weight decay ``wd = lam`` take the same steps; with momentum, and with Adam, they do
  not (Loshchilov & Hutter, 2019);
* :func:`regkit.conversion_checks`: every row of the table in :mod:`regkit.core.conversions`;
* :func:`regkit.pytorch_weight_decay_checks`: PyTorch's ``weight_decay`` trained on the same
  network, data and start as Keras, optimizer by optimizer.

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
* Adam's step is ``lr * sqrt(1 - b2**t) / (1 - b1**t) * m / (sqrt(v) + eps)``
  (``keras/src/optimizers/adam.py``): ``eps`` is added before the bias correction of ``v``,
  whereas PyTorch adds it after (``torch/optim/adam.py``), so the same ``eps`` is a different
  algorithm; the PyTorch checks compare the two with ``eps`` = 1e-12.

PyTorch facts, read in PyTorch 2.15's ``torch/optim``: ``SGD`` and ``Adam`` add
``weight_decay * w`` to the gradient before anything else (the momentum buffer, the Nesterov
correction, Adam's averages); ``AdamW`` multiplies ``w`` by ``1 - lr * weight_decay`` before
Adam's step, and is ``Adam(decoupled_weight_decay=True)``. Every parameter of a group is
decayed: biases go in a group with ``weight_decay=0``.
"""

from __future__ import annotations

import contextlib
import warnings

import numpy as np

from .._validation import (
    check_classification_data,
    check_count,
    check_kind,
    check_lam,
    check_positive_lam,
    check_scalar,
)
from ..backend import import_tensorflow, import_torch
from ..core.conversions import (
    adamw_decay_factor,
    keras_l1_coefficient,
    keras_l2_coefficient,
    lasso_alpha,
    mse_keras_l1_coefficient,
    mse_keras_l2_coefficient,
    ridge_alpha,
    sgd_weight_decay,
)
from ..core.solvers import lasso, ridge
from ..data import make_linear_problem
from ..networks.losses import kernel_penalty, softmax_cross_entropy
from ..networks.models import build_mlp
from .table import Check, CheckTable, relative_error

__all__ = [
    "conversion_checks",
    "keras_penalty_checks",
    "pytorch_weight_decay_checks",
    "weight_decay_checks",
]


# Two float32 computations of the same quantity differ by rounding: about 1e-7 relative per
# operation, a few 1e-7 after tens of steps (measured: 2e-7). 1e-5 leaves a margin of 50.
EQUAL_TOL = 1e-5


# Trainings that follow different update rules separate by far more than rounding (measured on
# digits with the defaults: 5e-2 with momentum, 1 for Adam); 1e-3 is 100 times EQUAL_TOL.
DIFFER_BOUND = 1e-3


MOMENTUM = 0.9


# Keras casts its Python-float hyperparameters through float32 even in float64 models: Adam's
# bias correction 1 - beta_2**t uses beta_2 = 0.999 rounded to float32, 1.3e-5 off (relative) at
# t = 1. Keras's and PyTorch's Adam trained in float64 differ by 3e-6 to 7e-6 after 20 steps
# (measured on digits at 5 sizes, strengths and learning rates). 1e-4 leaves a margin of 14, and
# is 70 times below the gap that the libraries' different placements of the default eps alone
# create (7e-3).
ADAM_LIBRARIES_TOL = 1e-4
ADAM_EPSILON = 1e-12


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
                EQUAL_TOL,
            ),
            Check(
                "evaluate() loss = cross-entropy + penalty (relative error)",
                abs(evaluated - (cross_entropy + expected_penalty)) / evaluated,
                EQUAL_TOL,
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


def weight_decay_checks(x, y, *, lam=0.01, learning_rate=0.05, steps=20, hidden=(16,), seed=0):
    """Check weight decay against the L2 penalty in Keras, optimizer by optimizer.

    Networks are :func:`regkit.build_mlp` classifiers trained by ``fit`` for ``steps``
    full-batch steps on ``(x, y)`` with cross-entropy; "L2" means ``build_mlp(lam=lam)``,
    "decay" an unpenalized model whose optimizer has ``weight_decay=sgd_weight_decay(lam)`` and
    excludes the biases. A difference is ``||w_a - w_b|| / ||w_b||`` over all weights (kernels
    and biases) after training, ``w_b`` being the L2 run (AdamW in the last comparison).

    1. Plain SGD: L2 and decay give the same weights (float32 tolerance).
    2. SGD with momentum 0.9: they differ (Keras's decay bypasses the velocity).
    3. Adam + L2 differs from AdamW.
    4. Keras's ``Adam(weight_decay=wd)`` equals ``AdamW(weight_decay=wd)``: both decouple.

    The unit conversions of :mod:`regkit.core.conversions` are checked by
    :func:`regkit.conversion_checks`.

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
        Four checks, in the order above.
    """
    lam, run = _training_runs(x, y, lam, learning_rate, steps, hidden, seed, "weight_decay_checks")
    return CheckTable(_optimizer_checks(lam, run))


def _training_runs(x, y, lam, learning_rate, steps, hidden, seed, caller):
    """Validate the arguments shared by the training suites; return lam and the run settings."""
    x, y, classes = _check_xy(x, y)
    lam = check_positive_lam(lam, caller)
    learning_rate = check_scalar(learning_rate, "learning_rate", positive=True)
    steps = check_count(steps, "steps", minimum=10)
    seed = check_count(seed, "seed")
    build = dict(input_dim=x.shape[1], hidden=hidden, num_classes=classes, seed=seed)
    return lam, dict(build=build, x=x, y=y, learning_rate=learning_rate, steps=steps, seed=seed)


def _sgd_decay_check(lam, run):
    sgd_l2 = _train_steps(lam, "sgd", None, **run)
    sgd_decay = _train_steps(0.0, "sgd", sgd_weight_decay(lam), **run)
    return Check(
        f"Keras SGD, {run['steps']} steps: L2 penalty = weight_decay=sgd_weight_decay(lam) "
        "(relative difference)",
        _difference(sgd_decay, sgd_l2),
        EQUAL_TOL,
    )


def _optimizer_checks(lam, run):
    wd = sgd_weight_decay(lam)
    momentum_l2 = _train_steps(lam, "momentum", None, **run)
    momentum_decay = _train_steps(0.0, "momentum", wd, **run)
    adam_l2 = _train_steps(lam, "adam", None, **run)
    adamw = _train_steps(0.0, "adamw", wd, **run)
    adam_decay = _train_steps(0.0, "adam", wd, **run)
    return [
        _sgd_decay_check(lam, run),
        Check(
            f"Keras SGD momentum {MOMENTUM}: L2 penalty != weight decay (relative difference)",
            _difference(momentum_decay, momentum_l2),
            DIFFER_BOUND,
            ">=",
        ),
        Check(
            "Keras Adam + L2 penalty != Keras AdamW(weight_decay=lam) (relative difference)",
            _difference(adamw, adam_l2),
            DIFFER_BOUND,
            ">=",
        ),
        Check(
            "Keras Adam(weight_decay=lam) = Keras AdamW(weight_decay=lam) (relative difference)",
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


def _keras_linear_mse_gradient(X, y, w, regularizer):
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
    gradient = _keras_linear_mse_gradient(X, y, w, keras.regularizers.L2(coefficient))
    # At w = 0 the penalty has no gradient and mse's gradient is -(2/m) X^T y.
    scale = 2 * np.linalg.norm(X.T @ y) / X.shape[0]
    return float(np.linalg.norm(gradient) / scale)


def _penalty_checks(lam, build):
    keras = import_tensorflow().keras
    model = build_mlp(lam=0.0, **build)
    kernels = _kernels(model)
    l2 = kernel_penalty(model, lam, "l2")
    l1 = kernel_penalty(model, lam, "l1")
    keras_l2 = sum(float(keras.regularizers.L2(keras_l2_coefficient(lam))(k)) for k in kernels)
    keras_l1 = sum(float(keras.regularizers.L1(keras_l1_coefficient(lam))(k)) for k in kernels)
    return [
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


def _check_xy(x, y):
    """Validate classification data; return float32 x, int64 y and the number of classes."""
    labels = np.asarray(y)
    classes = 2
    if labels.ndim == 1 and labels.size and labels.dtype.kind in "iu":
        classes = max(int(labels.max()) + 1, 2)
    x, y = check_classification_data(x, y, classes, "x", "y")
    return x, y, classes


def _optimizer(keras, kind, learning_rate, decay, epsilon=None):
    adam_options = {} if epsilon is None else {"epsilon": epsilon}
    if kind == "sgd":
        optimizer = keras.optimizers.SGD(learning_rate, weight_decay=decay)
    elif kind in ("momentum", "nesterov"):
        optimizer = keras.optimizers.SGD(
            learning_rate, momentum=MOMENTUM, nesterov=kind == "nesterov", weight_decay=decay
        )
    elif kind == "adam":
        optimizer = keras.optimizers.Adam(learning_rate, weight_decay=decay, **adam_options)
    else:
        optimizer = keras.optimizers.AdamW(learning_rate, weight_decay=decay, **adam_options)
    if decay is not None:
        # Keras decays every trainable variable, biases included; the L2 penalty of
        # build_mlp covers kernels only.
        optimizer.exclude_from_weight_decay(var_names=["bias"])
    return optimizer


def _compiled(keras, build, model_lam, kind, decay, learning_rate, epsilon):
    model = build_mlp(lam=model_lam, **build)
    model.compile(
        optimizer=_optimizer(keras, kind, learning_rate, decay, epsilon),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return model


def _train_steps(
    model_lam, kind, decay, *, build, x, y, learning_rate, steps, seed, epsilon=None, dtype=None
):
    """Train ``steps`` full-batch steps with ``fit``; return all weights, flattened, float64.

    ``dtype="float64"`` builds and trains the model in float64 (Keras's ``floatx``, restored
    afterwards); by default Keras's float32.
    """
    tf = import_tensorflow()
    tf.keras.utils.set_random_seed(seed)
    with _keras_floatx(tf.keras, dtype):
        model = _compiled(tf.keras, build, model_lam, kind, decay, learning_rate, epsilon)
        inputs = x if dtype is None else x.astype(dtype)
        batches = tf.data.Dataset.from_tensors((inputs, y)).repeat(steps)
        model.fit(batches, epochs=1, shuffle=False, verbose=0)
    return np.concatenate(
        [np.asarray(v.numpy(), dtype=np.float64).ravel() for v in model.trainable_variables]
    )


@contextlib.contextmanager
def _keras_floatx(keras, dtype):
    """Build and train in ``dtype`` (``floatx`` and the global dtype policy), then restore."""
    saved_floatx, saved_policy = keras.config.floatx(), keras.config.dtype_policy()
    if dtype is not None:
        keras.config.set_floatx(dtype)
        keras.config.set_dtype_policy(dtype)
    try:
        yield
    finally:
        keras.config.set_floatx(saved_floatx)
        keras.config.set_dtype_policy(saved_policy)


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


def conversion_checks(x, y, *, lam=0.01, learning_rate=0.05, steps=20, hidden=(16,), seed=0):
    """Check every conversion of :mod:`regkit.core.conversions`, one check per library setting.

    In this order (the order of the table in :mod:`regkit.core.conversions`):

    1. ``L2(keras_l2_coefficient(lam))`` on the kernels of a :func:`regkit.build_mlp` model
       equals ``(lam/2) sum W**2`` (:func:`regkit.kernel_penalty`);
    2. the same for ``L1(keras_l1_coefficient(lam))`` and ``(lam/2) sum |W|``;
    3. Keras ``mse`` + ``L2(mse_keras_l2_coefficient(lam))``: the gradient of Keras's loss at
       :func:`regkit.ridge`'s solution of a random 50 x 8 problem is 0 up to float32 rounding;
    4. Keras ``mse`` + ``L1(mse_keras_l1_coefficient(lam))``: at :func:`regkit.lasso`'s
       solution the gradient of Keras's loss satisfies the L1 optimality conditions (0 on the
       non-zero weights, at most ``c`` in magnitude on the zero ones);
    5. plain ``SGD(weight_decay=sgd_weight_decay(lam))`` takes the same ``steps`` steps as SGD
       on the L2-penalized loss (biases excluded from the decay);
    6. one ``AdamW`` step with a zero gradient multiplies the weights by
       :func:`adamw_decay_factor`;
    7. scikit-learn ``Ridge(alpha=ridge_alpha(lam, m))`` equals :func:`regkit.ridge`;
    8. scikit-learn ``Lasso(alpha=lasso_alpha(lam))`` equals :func:`regkit.lasso`;
    9. Keras ``SGD(momentum=0.9, weight_decay=sgd_weight_decay(lam, momentum=0.9))``, trained
       with full batches until it stops moving on the linear problem of checks 3 and 4 (with
       the course's data term ``(1/2m)||y - Xw||**2`` as the loss), ends at
       :func:`regkit.ridge`'s solution: the decay outside the velocity, scaled by
       ``1 / (1 - momentum)``, reaches the minimizer of the course's objective.

    Parameters
    ----------
    x : array_like, shape (count, features)
        Classification inputs for the network checks (1, 2 and 5).
    y : array_like of int, shape (count,)
    lam : float, default 0.01
        The course's strength, > 0.
    learning_rate : float, default 0.05
    steps : int, default 20
        Full-batch steps of check 5, >= 10.
    hidden : sequence of int, default (16,)
    seed : int, default 0

    Returns
    -------
    CheckTable
        Nine checks.
    """
    lam, run = _training_runs(x, y, lam, learning_rate, steps, hidden, seed, "conversion_checks")
    keras_l2, keras_l1 = _penalty_checks(lam, run["build"])
    sk_ridge, sk_lasso, mse_l2 = _linear_checks(lam, run["seed"])
    sgd = _sgd_decay_check(lam, run)
    return CheckTable(
        [
            keras_l2,
            keras_l1,
            mse_l2,
            _mse_l1_check(lam, run["seed"]),
            sgd,
            _adamw_check(lam, run["learning_rate"], run["seed"]),
            sk_ridge,
            sk_lasso,
            _momentum_decay_check(lam, run["seed"]),
        ]
    )


def _mse_l1_check(lam, seed):
    keras = import_tensorflow().keras
    X, y, _ = make_linear_problem(50, 8, n_informative=3, seed=seed)
    m = X.shape[0]
    w = lasso(X, y, lam, tol=1e-12)
    coefficient = mse_keras_l1_coefficient(lam)
    gradient = _keras_linear_mse_gradient(X, y, w, keras.regularizers.L1(coefficient))
    # Keras differentiates |w| as sign(w), 0 at w = 0: there the gradient is the data term's.
    violation = np.where(w != 0, np.abs(gradient), np.maximum(np.abs(gradient) - coefficient, 0))
    scale = 2 * np.max(np.abs(X.T @ y)) / m  # |gradient of mse| at w = 0, largest entry
    return Check(
        "Keras mse + L1(mse_keras_l1_coefficient(lam) = lam): optimality conditions at "
        "regkit.lasso (largest violation / max|grad| at w = 0)",
        float(np.max(violation) / scale),
        EQUAL_TOL,
    )


def _adamw_check(lam, learning_rate, seed):
    keras = import_tensorflow().keras
    weights = np.random.default_rng(seed).standard_normal(6).astype(np.float32)
    variable = keras.Variable(weights)
    wd = sgd_weight_decay(lam)
    optimizer = keras.optimizers.AdamW(learning_rate, weight_decay=wd)
    optimizer.apply_gradients([(np.zeros_like(weights), variable)])
    expected = adamw_decay_factor(learning_rate, wd) * weights.astype(np.float64)
    measured = np.asarray(variable.numpy(), dtype=np.float64)
    return Check(
        "AdamW(weight_decay=lam), zero gradient: one step multiplies w by "
        "adamw_decay_factor = 1 - lr*lam (relative error)",
        float(np.linalg.norm(measured - expected) / np.linalg.norm(expected)),
        EQUAL_TOL,
    )


def pytorch_weight_decay_checks(
    x, y, *, lam=0.01, learning_rate=0.05, steps=20, hidden=(), seed=0
):
    """Check PyTorch's ``weight_decay`` against Keras's L2 penalty, on the same problem.

    The PyTorch network is the :func:`regkit.build_mlp` network written with ``torch`` (kernels
    of shape (inputs, outputs), ReLU hidden layers, logits), starting from the Keras network's
    initial weights; both are trained in float64 for ``steps`` full-batch steps on ``(x, y)``
    with mean cross-entropy. By default the network is a softmax classifier without hidden
    layers: the update rules under test do not depend on the network, and with ReLU units Adam
    can turn a difference at rounding level into a visible one (a unit at the edge of its kink
    whose tiny gradient Adam divides by its own size). "Keras + L2" is ``build_mlp(lam=lam)``,
    whose kernels carry ``L2(lam/2)``, trained by ``fit``: the course's objective. In PyTorch
    the biases go in a parameter group with ``weight_decay=0``. Differences are
    ``||w_a - w_b|| / ||w_b||`` over all weights after training. Rows comparing Adam across the
    libraries set ``eps`` = 1e-12 in both, because the libraries add ``eps`` at different
    places; the two that require equality have a wider tolerance because Keras rounds
    ``beta_2`` through float32 in its bias correction.

    1. PyTorch SGD on the loss plus ``(lam/2) sum W**2`` equals Keras SGD + L2: the problems
       are the same.
    2. PyTorch ``SGD(weight_decay=lam)`` equals Keras SGD + L2.
    3. The same with momentum 0.9: PyTorch adds the decay before the momentum buffer.
    4. The same with momentum 0.9 and Nesterov's correction.
    5. With momentum, PyTorch's ``SGD(weight_decay=lam)`` differs from Keras's
       ``SGD(weight_decay=lam)``, which decays outside the velocity.
    6. PyTorch ``Adam(weight_decay=lam)`` equals PyTorch Adam on the loss plus
       ``(lam/2) sum W**2`` (default ``eps``).
    7. PyTorch ``Adam(weight_decay=lam)`` equals Keras Adam + L2.
    8. PyTorch ``AdamW(weight_decay=lam)`` equals Keras ``AdamW(weight_decay=lam)``.
    9. PyTorch ``Adam(weight_decay=lam)`` differs from its ``AdamW(weight_decay=lam)``.
    10. PyTorch ``Adam(weight_decay=lam)`` differs from Keras ``Adam(weight_decay=lam)``: the
        same name, two algorithms.
    11. PyTorch ``Adam(weight_decay=lam, decoupled_weight_decay=True)`` equals its
        ``AdamW(weight_decay=lam)``: the flag turns PyTorch's Adam into AdamW.

    Parameters
    ----------
    x : array_like, shape (count, features)
    y : array_like of int, shape (count,)
    lam : float, default 0.01
        The course's strength, > 0; passed as ``weight_decay`` (see
        :func:`regkit.sgd_weight_decay`).
    learning_rate : float, default 0.05
        Used by every optimizer.
    steps : int, default 20
        Full-batch steps per training, >= 10.
    hidden : sequence of int, default ()
        Widths of the ReLU hidden layers.
    seed : int, default 0
        Seed of the initial weights.

    Returns
    -------
    CheckTable
        Eleven checks, in the order above.

    Raises
    ------
    ImportError
        If PyTorch is not installed (the ``torch`` extra).
    """
    lam, run = _training_runs(
        x, y, lam, learning_rate, steps, hidden, seed, "pytorch_weight_decay_checks"
    )
    torch_run = _torch_runner(lam, run)
    wd = sgd_weight_decay(lam)

    def keras(model_lam, kind, decay=None, epsilon=None):
        return _train_steps(model_lam, kind, decay, epsilon=epsilon, dtype="float64", **run)

    sgd, momentum, nesterov = (keras(lam, kind) for kind in ("sgd", "momentum", "nesterov"))
    adam_l2 = keras(lam, "adam", epsilon=ADAM_EPSILON)
    adamw = keras(0.0, "adamw", wd, ADAM_EPSILON)
    adam_decay = keras(0.0, "adam", wd, ADAM_EPSILON)
    momentum_decay = keras(0.0, "momentum", wd)
    torch_momentum = torch_run("momentum", wd)
    torch_adam = torch_run("adam", wd, epsilon=ADAM_EPSILON)
    torch_adamw = torch_run("adamw", wd, epsilon=ADAM_EPSILON)

    def same(claim, a, b, tol=EQUAL_TOL):
        return Check(f"{claim} (relative difference)", _difference(a, b), tol)

    def different(claim, a, b):
        return Check(f"{claim} (relative difference)", _difference(a, b), DIFFER_BOUND, ">=")

    momentum_name = f"SGD(momentum={MOMENTUM}"
    return CheckTable(
        [
            same(
                "PyTorch SGD on loss + (lam/2) sum W^2 = Keras SGD + L2(lam/2)",
                torch_run("sgd", 0.0, l2_in_loss=True),
                sgd,
            ),
            same(
                "PyTorch SGD(weight_decay=lam) = Keras SGD + L2(lam/2)", torch_run("sgd", wd), sgd
            ),
            same(
                f"PyTorch {momentum_name}, weight_decay=lam) = Keras {momentum_name}) + L2(lam/2)",
                torch_momentum,
                momentum,
            ),
            same(
                f"PyTorch {momentum_name}, nesterov=True, weight_decay=lam) = "
                f"Keras {momentum_name}, nesterov=True) + L2(lam/2)",
                torch_run("nesterov", wd),
                nesterov,
            ),
            different(
                f"PyTorch {momentum_name}, weight_decay=lam) != "
                f"Keras {momentum_name}, weight_decay=lam)",
                torch_momentum,
                momentum_decay,
            ),
            same(
                "PyTorch Adam(weight_decay=lam) = PyTorch Adam on loss + (lam/2) sum W^2",
                torch_run("adam", wd),
                torch_run("adam", 0.0, l2_in_loss=True),
            ),
            same(
                "PyTorch Adam(weight_decay=lam) = Keras Adam + L2(lam/2), eps=1e-12",
                torch_adam,
                adam_l2,
                ADAM_LIBRARIES_TOL,
            ),
            same(
                "PyTorch AdamW(weight_decay=lam) = Keras AdamW(weight_decay=lam), eps=1e-12",
                torch_adamw,
                adamw,
                ADAM_LIBRARIES_TOL,
            ),
            different(
                "PyTorch Adam(weight_decay=lam) != PyTorch AdamW(weight_decay=lam)",
                torch_adam,
                torch_adamw,
            ),
            different(
                "PyTorch Adam(weight_decay=lam) != Keras Adam(weight_decay=lam), eps=1e-12",
                torch_adam,
                adam_decay,
            ),
            same(
                "PyTorch Adam(weight_decay=lam, decoupled_weight_decay=True) = "
                "PyTorch AdamW(weight_decay=lam), eps=1e-12",
                torch_run("decoupled adam", wd, epsilon=ADAM_EPSILON),
                torch_adamw,
            ),
        ]
    )


def _torch_runner(lam, run):
    """Return ``train(kind, decay, l2_in_loss=False, epsilon=None)`` for PyTorch runs.

    Each call trains the PyTorch copy of the run's network from the Keras network's initial
    weights and returns all weights, flattened, in Keras's order, as float64.
    """
    torch = import_torch()
    with _keras_floatx(import_tensorflow().keras, "float64"):
        start = [np.asarray(v.numpy()) for v in build_mlp(lam=0.0, **run["build"]).weights]
    inputs = torch.from_numpy(run["x"].astype(np.float64))
    labels = torch.from_numpy(run["y"])

    def train(kind, decay, l2_in_loss=False, epsilon=None):
        weights = [torch.tensor(array, requires_grad=True) for array in start]
        kernels, biases = weights[0::2], weights[1::2]
        optimizer = _torch_optimizer(
            torch, kind, [kernels, biases], decay, run["learning_rate"], epsilon
        )
        for _ in range(run["steps"]):
            optimizer.zero_grad()
            activations = inputs
            for depth, (kernel, bias) in enumerate(zip(kernels, biases, strict=True)):
                activations = activations @ kernel + bias
                if depth < len(kernels) - 1:
                    activations = torch.relu(activations)
            loss = torch.nn.functional.cross_entropy(activations, labels)
            if l2_in_loss:
                loss = loss + lam / 2 * sum(torch.sum(kernel**2) for kernel in kernels)
            with warnings.catch_warnings():
                # A CUDA build of PyTorch on a machine without a GPU warns on the first
                # backward pass that CUDA failed to initialise; the run is on the CPU anyway.
                warnings.filterwarnings("ignore", message="CUDA initialization")
                loss.backward()
            optimizer.step()
        return np.concatenate([w.detach().numpy().astype(np.float64).ravel() for w in weights])

    return train


def _torch_optimizer(torch, kind, kernels_and_biases, decay, learning_rate, epsilon):
    kernels, biases = kernels_and_biases
    groups = [{"params": kernels, "weight_decay": decay}, {"params": biases, "weight_decay": 0.0}]
    if kind == "sgd":
        return torch.optim.SGD(groups, lr=learning_rate)
    if kind in ("momentum", "nesterov"):
        return torch.optim.SGD(
            groups, lr=learning_rate, momentum=MOMENTUM, nesterov=kind == "nesterov"
        )
    adam_options = {} if epsilon is None else {"eps": epsilon}
    if kind == "adam":
        return torch.optim.Adam(groups, lr=learning_rate, **adam_options)
    if kind == "decoupled adam":
        return torch.optim.Adam(
            groups, lr=learning_rate, decoupled_weight_decay=True, **adam_options
        )
    return torch.optim.AdamW(groups, lr=learning_rate, **adam_options)


# Heavy-ball SGD (momentum 0.9, step 0.1) on a well-conditioned 50 x 8 least-squares problem
# contracts the error by about sqrt(0.9) per step: 1,500 steps reach rounding level.
MOMENTUM_STEPS = 1500


def _momentum_decay_check(lam, seed):
    tf = import_tensorflow()
    keras = tf.keras
    X, y, _ = make_linear_problem(50, 8, n_informative=3, seed=seed)
    wd = sgd_weight_decay(lam, momentum=MOMENTUM)
    with _keras_floatx(keras, "float64"):
        layer = keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros")
        model = keras.Sequential([keras.Input(shape=(X.shape[1],)), layer])
        model.compile(
            optimizer=keras.optimizers.SGD(0.1, momentum=MOMENTUM, weight_decay=wd),
            loss=lambda target, output: keras.ops.mean(keras.ops.square(target - output)) / 2,
        )
        batches = tf.data.Dataset.from_tensors((X, y[:, None])).repeat(MOMENTUM_STEPS)
        model.fit(batches, epochs=1, shuffle=False, verbose=0)
        weights = np.asarray(layer.kernel.numpy(), dtype=np.float64)[:, 0]
    return Check(
        f"Keras SGD(momentum={MOMENTUM}, weight_decay=sgd_weight_decay(lam, momentum="
        f"{MOMENTUM}) = lam/(1 - {MOMENTUM})), full batch until converged = regkit.ridge "
        "(relative error)",
        relative_error(weights, ridge(X, y, lam)),
        EQUAL_TOL,
    )
