"""Train a whole grid of small networks at once: every (lambda, fold) pair is one slice.

Cross-validating the strength of a penalty costs one training per (lambda, fold) pair. Trained
one after another with ``model.fit``, small networks spend most of their time in per-step
overhead, not arithmetic. The engine here stacks the weights of all models on leading axes
and runs every epoch and every step of all of them in one compiled (XLA) loop, with the data,
the batch indices and the weights on the device, so the overhead is paid once for the whole
grid. The compiled loop is kept for the process: a second call of the same shapes reuses it.

Models are arranged in *batch groups* (:func:`regkit.train_stack`, ``groups``): the models of a
group train on the same rows and see the same batches in the same order, so that the first
layer of a group is one (batch x features) @ (features x models * units) product, and its weight
gradient one product too. By default every model is a group of its own;
``regkit.sweep(shared_batches=True)`` groups the strengths of a fold.

Each model sees exactly what it would see if trained alone: its own training rows, in the
shuffled order of its group (:func:`regkit.batch_schedule`), the same initial weights
(:func:`regkit.initial_weights`), the same loss (mean cross-entropy of the batch plus the
course's penalty on the kernels) and the same optimizer arithmetic as Keras's ``SGD``, ``Adam``
and ``AdamW``. The tests train each model that way with Keras itself
(``tests/networks/keras_reference.py``) and compare.
"""

from __future__ import annotations

import contextlib
import itertools
import math
from dataclasses import dataclass

import numpy as np

from .._validation import as_float_array, check_count, check_kind, check_scalar
from ..backend import import_tensorflow
from .training import check_single_machine, select_strategy

__all__ = [
    "SweepResult",
    "Training",
    "batch_schedule",
    "initial_weights",
    "stratified_folds",
    "sweep",
    "train_stack",
]

OPTIMIZERS = ("sgd", "adam", "adamw")
BETA_1, BETA_2, EPSILON = 0.9, 0.999, 1e-7  # Keras's defaults for Adam and AdamW


@dataclass
class SweepResult:
    """What :func:`sweep` returns; arrays have the model axis first.

    Attributes
    ----------
    lams : numpy.ndarray, shape (models,)
        The strength of each model.
    folds : numpy.ndarray of int, shape (models,)
        The fold each model holds out (-1: no fold held out).
    loss : numpy.ndarray, shape (models, epochs)
        Training loss per epoch as Keras reports it: batch mean cross-entropy plus penalty,
        averaged over the epoch's batches weighted by their sizes.
    val_loss, val_cross_entropy, val_accuracy : numpy.ndarray, shape (models, epochs)
        On each model's held-out rows after every epoch; ``val_loss`` includes the penalty as
        Keras's does, ``val_cross_entropy`` does not. NaN when nothing is held out.
    weights : list of numpy.ndarray
        Final kernels and biases, layer by layer, each with the model axis first.
    """

    lams: np.ndarray
    folds: np.ndarray
    loss: np.ndarray
    val_loss: np.ndarray
    val_cross_entropy: np.ndarray
    val_accuracy: np.ndarray
    weights: list


@dataclass(frozen=True)
class Training:
    """How every model of a sweep is trained: the penalty, the optimizer and its schedule.

    One object shared by :func:`sweep`, :func:`train_stack` and :func:`regkit.cross_validate`,
    so that a sweep, its refit and a reader's own stack are trained the same way.

    Parameters
    ----------
    penalty : {"l1", "l2"}, default "l2"
        The course's penalty on the kernels, ``(lam/2) * sum(|W|)`` or ``(lam/2) * sum(W**2)``.
    optimizer : {"sgd", "adam", "adamw"}, default "adam"
        With Keras's arithmetic (Keras's default betas and epsilon for Adam).
    learning_rate : float, default 1e-3
        > 0.
    weight_decay : float, default 0
        Decoupled decay of the kernels, Keras's ``AdamW(weight_decay=...)``; ``"adamw"`` only.
    epochs : int, default 30
        >= 1.
    batch_size : int, default 64
        >= 1.

    Raises
    ------
    ValueError, TypeError
        On a bad value, naming the field.

    Examples
    --------
    >>> Training(epochs=10, learning_rate=1e-2).batch_size
    64
    """

    penalty: str = "l2"
    optimizer: str = "adam"
    learning_rate: float = 1e-3
    weight_decay: float = 0.0
    epochs: int = 30
    batch_size: int = 64

    def __post_init__(self):
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {OPTIMIZERS}; got {self.optimizer!r}")
        weight_decay = check_scalar(self.weight_decay, "weight_decay")
        if weight_decay and self.optimizer != "adamw":
            raise ValueError("weight_decay applies to optimizer='adamw' only")
        checked = {
            "penalty": check_kind(self.penalty, "penalty"),
            "learning_rate": check_scalar(self.learning_rate, "learning_rate", positive=True),
            "weight_decay": weight_decay,
            "epochs": check_count(self.epochs, "epochs", minimum=1),
            "batch_size": check_count(self.batch_size, "batch_size", minimum=1),
        }
        for name, value in checked.items():
            object.__setattr__(self, name, value)


def _check_training(training):
    if not isinstance(training, Training):
        raise TypeError(f"training must be a regkit.Training; got {type(training).__name__}")
    return training


def stratified_folds(y, k, seed=0):
    """Return the fold (0 .. k-1) of every example: stratified, shuffled, deterministic.

    Uses scikit-learn's ``StratifiedKFold``. Every fold must contain every class, so that each
    model is validated, and trained, on all classes.

    Parameters
    ----------
    y : array_like of int, shape (count,)
    k : int
        Number of folds, 2 <= k <= count.
    seed : int, default 0

    Returns
    -------
    numpy.ndarray of int, shape (count,)

    Raises
    ------
    ValueError
        If ``k`` is out of range, or a fold lacks a class (the message names both).
    """
    from sklearn.model_selection import StratifiedKFold

    y = _labels(y, "y")
    k = check_count(k, "k", minimum=2)
    if k > y.size:
        raise ValueError(f"k must be <= the number of examples ({y.size}); got {k}")
    classes, counts = np.unique(y, return_counts=True)
    scarce = classes[counts < k]
    if scarce.size:
        raise ValueError(
            f"every fold must contain every class, but classes {scarce.tolist()} have fewer "
            f"than k={k} examples"
        )
    fold_of = np.empty(y.size, dtype=np.int64)
    splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=check_count(seed, "seed"))
    for fold, (_, held_out) in enumerate(splitter.split(np.zeros(y.size), y)):
        fold_of[held_out] = fold
    return fold_of


def batch_schedule(train_rows, epochs, batch_size, seed):
    """Return the mini-batches of one model: ``epochs`` lists of index arrays.

    Every epoch is a fresh permutation of ``train_rows`` cut into consecutive batches of
    ``batch_size`` (the last one smaller if needed), drawn from a generator seeded by ``seed``.

    Parameters
    ----------
    train_rows : array_like of int
    epochs, batch_size : int
    seed : int or sequence of int

    Returns
    -------
    list of list of numpy.ndarray
    """
    train_rows = np.asarray(train_rows, dtype=np.int64)
    epochs = check_count(epochs, "epochs", minimum=1)
    batch_size = check_count(batch_size, "batch_size", minimum=1)
    rng = np.random.default_rng(seed)
    schedule = []
    for _ in range(epochs):
        order = rng.permutation(train_rows)
        schedule.append([order[i : i + batch_size] for i in range(0, order.size, batch_size)])
    return schedule


def initial_weights(input_dim, hidden, num_classes, seed):
    """Return Glorot-uniform kernels and zero biases, as ``regkit.build_mlp`` initialises them.

    Parameters
    ----------
    input_dim : int
    hidden : sequence of int
    num_classes : int
    seed : int or sequence of int

    Returns
    -------
    list of numpy.ndarray
        ``[W1, b1, W2, b2, ...]`` in float32.
    """
    rng = np.random.default_rng(seed)
    sizes = [input_dim, *hidden, num_classes]
    weights = []
    for fan_in, fan_out in itertools.pairwise(sizes):
        limit = math.sqrt(6 / (fan_in + fan_out))
        weights.append(rng.uniform(-limit, limit, (fan_in, fan_out)).astype(np.float32))
        weights.append(np.zeros(fan_out, dtype=np.float32))
    return weights


def sweep(
    x,
    y,
    lams,
    *,
    k=5,
    hidden=(64,),
    num_classes=10,
    training=Training(),
    seed=0,
    shared_batches=False,
    strategy=None,
):
    """Train one model per (lambda, fold) pair at once; return their learning curves.

    Model ``i * k + f`` has strength ``lams[i]`` and holds out fold ``f`` of
    :func:`stratified_folds`. All models of a fold start from the same initial weights.

    Parameters
    ----------
    x : array_like, shape (count, features)
    y : array_like of int, shape (count,)
    lams : array_like, shape (grid,)
        Strengths in the course's convention, finite and >= 0; at least one.
    k : int, default 5
        Number of folds, >= 2.
    hidden, num_classes
        As for :func:`regkit.build_mlp`.
    training : Training, default Training()
        The penalty, optimizer, learning rate, epochs and batch size of every model.
    seed : int
        Seeds the folds, the initial weights and the batch order: the models of fold ``f``
        start from ``initial_weights(..., [seed, f])``; model ``m`` draws its batches from
        ``batch_schedule(rows outside its fold, training.epochs, training.batch_size,
        [seed, m])``.
    shared_batches : bool, default False
        If True, all the strengths of a fold also see the same batches in the same order,
        drawn from the seed ``[seed, f]`` (common random numbers: the models of a fold then
        differ in their strength only, which makes comparisons across lambda less noisy), and
        the engine computes the first layer of all the strengths of a fold as one matrix
        product (see :func:`train_stack`, ``groups``), which is faster when that layer is wide.
        Either way every model equals the same model trained alone on its own batches.
    strategy : tf.distribute.Strategy, optional
        Defaults to :func:`regkit.select_strategy`. With several replicas, every batch is
        split between them and their gradients are summed. One machine only (see
        :func:`regkit.check_single_machine`).

    Returns
    -------
    SweepResult
    """
    x, y = _features(x, "x"), _labels(y, "y")
    _same_length(x, y)
    lams = _strengths(lams)
    if not isinstance(shared_batches, bool):
        raise TypeError(f"shared_batches must be True or False; got {shared_batches!r}")
    fold_of = stratified_folds(y, k, seed)
    rows = np.arange(y.size)
    train_rows, val_rows, model_lams, model_folds, inits = [], [], [], [], []
    for lam in lams:
        for fold in range(k):
            train_rows.append(rows[fold_of != fold])
            val_rows.append(rows[fold_of == fold])
            model_lams.append(lam)
            model_folds.append(fold)
    for fold in model_folds:
        inits.append(initial_weights(x.shape[1], tuple(hidden), num_classes, [seed, fold]))
    return train_stack(
        x,
        y,
        train_rows,
        val_rows,
        model_lams,
        inits,
        folds=model_folds,
        groups=model_folds if shared_batches else None,
        num_classes=num_classes,
        training=training,
        seed=seed,
        strategy=strategy,
    )


def train_stack(
    x,
    y,
    train_rows,
    val_rows,
    lams,
    inits,
    *,
    folds=None,
    groups=None,
    num_classes=10,
    training=Training(),
    seed=0,
    strategy=None,
):
    """Train a stack of models, each on its own rows, in one compiled loop for all.

    Parameters
    ----------
    x, y
        All examples.
    train_rows, val_rows : sequence of array_like of int
        For each model, the rows it trains on and the rows it is validated on (may be empty).
    lams : sequence of float
        Strength of each model.
    inits : sequence of list of numpy.ndarray
        Initial weights of each model (see :func:`initial_weights`); same shapes for all.
    folds : sequence of int, optional
        Recorded in the result.
    groups : sequence of int, optional
        The batch group of each model (integers >= 0). The models of a group see the same
        batches in the same order, which must therefore train on the same rows, and they must
        be validated on the same rows too; the engine computes their first layer as one
        matrix product (batch x features) @ (features x group size * units), and its weight
        gradient as one product too. Model ``m`` draws its batches from
        ``batch_schedule(train_rows[m], training.epochs, training.batch_size, [seed, g])``
        where ``g = groups[m]``. Default: every model is its own group, ``groups[m] = m``, so
        that model ``m`` draws from the seed ``[seed, m]`` whatever the other models are.
    num_classes, training, seed, strategy
        As for :func:`sweep`.

    Returns
    -------
    SweepResult

    Notes
    -----
    Every model is trained as it would be alone: the arithmetic of a model does not depend on
    the other models of the stack, except for the order in which a matrix product of several
    models sums, which can change the last bits of its float32 results. The loop over all
    epochs and batches is compiled once per configuration (optimizer, penalty, layer shapes,
    stack shape, epochs and steps) and kept for the rest of the process: a second call of the
    same shape does not trace or compile again.
    """
    tf = import_tensorflow()
    x, y = _features(x, "x"), _labels(y, "y")
    _same_length(x, y)
    if y.max() >= num_classes:
        raise ValueError(f"y must hold labels in 0..{num_classes - 1}; got {y.max()}")
    training = _check_training(training)
    epochs, batch_size = training.epochs, training.batch_size
    models = len(train_rows)
    if not models or len(val_rows) != models or len(lams) != models or len(inits) != models:
        raise ValueError(
            "train_rows, val_rows, lams and inits must have one entry per model; got lengths "
            f"{len(train_rows)}, {len(val_rows)}, {len(lams)}, {len(inits)}"
        )
    lams = _strengths(lams)
    _check_inits(inits, x.shape[1], num_classes)
    if folds is not None and len(folds) != models:
        raise ValueError(f"folds must have one entry per model ({models}); got {len(folds)}")
    train_rows = [_rows(rows, y.size, "train_rows", 1) for rows in train_rows]
    val_rows = [_rows(rows, y.size, "val_rows", 0) for rows in val_rows]
    members = _groups(groups, models, train_rows, val_rows)
    schedules = {
        group: batch_schedule(train_rows[ms[0]], epochs, batch_size, [seed, group])
        for group, ms in members.items()
    }
    strategy = select_strategy() if strategy is None else check_single_machine(strategy)
    replicas = strategy.num_replicas_in_sync
    if replicas == 1:
        history, weights = _train_grouped(
            tf, strategy, x, y, members, schedules, val_rows, lams, inits, training
        )
    else:
        # With several replicas each takes an equal slice of every batch; pad with masked rows.
        group_of = {m: group for group, ms in members.items() for m in ms}
        per_model = [schedules[group_of[m]] for m in range(models)]
        batches = _pad_schedules(per_model, math.ceil(batch_size / replicas) * replicas)
        with strategy.scope():
            engine = _ReplicatedEngine(tf, strategy, x, y, lams, inits, training)
        history = engine.fit(batches, _pad_rows(val_rows))
        weights = engine.weights()
    folds = np.full(models, -1) if folds is None else np.asarray(folds, dtype=np.int64)
    return SweepResult(lams=lams, folds=folds, weights=weights, **history)


def _groups(groups, models, train_rows, val_rows):
    """Map each batch group to its models, in order; check that members share their rows."""
    if groups is None:
        return {m: [m] for m in range(models)}
    groups = np.asarray(groups)
    if groups.shape != (models,):
        raise ValueError(f"groups must have one entry per model ({models}); got {groups.shape}")
    if groups.dtype.kind not in "iu" or (groups.size and groups.min() < 0):
        raise TypeError(f"groups must hold integers >= 0; got {groups.tolist()}")
    members = {}
    for m, group in enumerate(groups.tolist()):
        members.setdefault(group, []).append(m)
    for group, ms in members.items():
        first = ms[0]
        for m in ms[1:]:
            if not np.array_equal(train_rows[m], train_rows[first]):
                raise ValueError(
                    f"groups: models {first} and {m} share group {group} but not train_rows"
                )
            if not np.array_equal(val_rows[m], val_rows[first]):
                raise ValueError(
                    f"groups: models {first} and {m} share group {group} but not val_rows"
                )
    return members


def _train_grouped(tf, strategy, x, y, members, schedules, val_rows, lams, inits, training):
    """Lay the models out by batch group, train them with the cached engine, and unpack."""
    size = max(len(ms) for ms in members.values())
    # Slot (g, j) holds the j-th model of the g-th group; a short group is padded with copies
    # of its first model (strength 0), trained along and discarded.
    slots = [ms + ms[:1] * (size - len(ms)) for ms in members.values()]
    slot_lams = np.zeros((len(slots), size), dtype=np.float32)
    where = {}
    for g, ms in enumerate(members.values()):
        for j, m in enumerate(ms):
            slot_lams[g, j] = lams[m]
            where[m] = (g, j)
    order = tuple(zip(*(where[m] for m in range(len(lams))), strict=True))
    batches = _pad_schedules(list(schedules.values()), training.batch_size)
    validation = _pad_rows([val_rows[ms[0]] for ms in members.values()])
    weights = _to_slots([[inits[m] for m in row] for row in slots])
    engine = _engine(tf, training.optimizer, training.penalty)
    device = _single_device(tf, strategy)
    with tf.device(device) if device else contextlib.nullcontext():
        history, final = engine.fit(x, y, batches, validation, slot_lams, weights, training)
    history = {key: value[:, order[0], order[1]].T for key, value in history.items()}
    return history, _from_slots(final, order, size)


def _single_device(tf, strategy):
    """The device of a ``OneDeviceStrategy``; None for the default strategy."""
    if isinstance(strategy, tf.distribute.OneDeviceStrategy):
        return strategy.extended.worker_devices[0]
    return None


def _to_slots(grouped):
    """Stack per-model weights (``grouped[g][j]``: model j of group g) into the engine's layout.

    The first kernel becomes (groups, features, size * units), model j of a group owning
    columns ``j * units`` to ``(j + 1) * units - 1``, so that the first layer of a group is one
    matrix product; the first bias (groups, size * units). Every later kernel is (groups, size,
    inputs, outputs) and every later bias (groups, size, outputs).
    """
    count = len(grouped[0][0])
    stacked = [np.stack([np.stack([model[i] for model in group]) for group in grouped])
               for i in range(count)]  # fmt: skip
    groups, size, features, units = stacked[0].shape
    stacked[0] = stacked[0].transpose(0, 2, 1, 3).reshape(groups, features, size * units)
    stacked[1] = stacked[1].reshape(groups, size * units)
    return [np.ascontiguousarray(w, dtype=np.float32) for w in stacked]


def _from_slots(weights, order, size):
    """Undo :func:`_to_slots`: per-layer arrays with the model axis first, in model order."""
    groups, features, columns = weights[0].shape
    units = columns // size
    unpacked = [
        weights[0].reshape(groups, features, size, units).transpose(0, 2, 1, 3),
        weights[1].reshape(groups, size, units),
        *weights[2:],
    ]
    return [np.ascontiguousarray(w[order[0], order[1]]) for w in unpacked]


_ENGINES = {}


def _engine(tf, optimizer, penalty):
    """The engine of an optimizer and a penalty, built once per process."""
    key = (optimizer, penalty)
    if key not in _ENGINES:
        _ENGINES[key] = _Engine(tf, optimizer, penalty)
    return _ENGINES[key]


class _Engine:
    """The compiled loop that trains a stack laid out by batch group (see :func:`_to_slots`).

    All epochs and all steps run in one XLA-compiled call, with the data, the batch indices
    and the weights on the device. The loop is a ``tf.function`` of its arguments only (the
    weights are variables passed in), so that it traces and compiles once per shape of the
    stack, and later calls of the same shape reuse it.
    """

    def __init__(self, tf, optimizer, penalty):
        self.tf, self.optimizer, self.penalty = tf, optimizer, penalty
        self._loop = tf.function(self._loop_fn, jit_compile=True)

    def fit(self, x, y, batches, validation, lams, weights, training):
        tf = self.tf
        variables = [tf.Variable(w) for w in weights]
        slots = []
        if self.optimizer != "sgd":
            slots = [
                (tf.Variable(tf.zeros_like(w)), tf.Variable(tf.zeros_like(w))) for w in weights
            ]
        step_count = tf.Variable(tf.zeros(lams.shape[0]))
        index, mask, active = batches
        val_index, val_mask = validation
        validate = val_mask.shape[1] > 0
        curves = self._loop(
            variables,
            slots,
            step_count,
            tf.constant(x),
            tf.constant(y.astype(np.int32)),
            tf.constant(index),
            tf.constant(mask),
            tf.constant(active),
            tf.constant(val_index),
            tf.constant(val_mask),
            tf.constant(lams),
            tf.constant(training.learning_rate, tf.float32),
            tf.constant(training.weight_decay, tf.float32),
            validate,
        )
        loss, val_ce, val_acc, penalty = (c.numpy() for c in curves)
        if not validate:
            val_ce = val_acc = penalty = np.full_like(loss, np.nan)
        history = {
            "loss": loss,
            "val_loss": val_ce + penalty,
            "val_cross_entropy": val_ce,
            "val_accuracy": val_acc,
        }
        return history, [v.numpy() for v in variables]

    # --- the compiled parts ------------------------------------------------------------------

    def _loop_fn(self, variables, slots, step_count, x, y, index, mask, active, val_index,
                 val_mask, lams, learning_rate, weight_decay, validate):  # fmt: skip
        tf = self.tf
        epochs, steps = index.shape[0], index.shape[1]
        curves = [tf.TensorArray(tf.float32, size=epochs) for _ in range(4)]
        if validate:
            val_x, val_y = tf.gather(x, val_index), tf.gather(y, val_index)
            val_count = tf.reduce_sum(val_mask, axis=1)[:, None]
        for epoch in tf.range(epochs):
            total = tf.zeros_like(lams)
            seen = tf.zeros_like(lams[:, :1])
            for step in tf.range(steps):
                rows, row_mask, on = index[epoch, step], mask[epoch, step], active[epoch, step]
                counts = tf.reduce_sum(row_mask, axis=1)[:, None]
                batch = (tf.gather(x, rows), tf.gather(y, rows), row_mask, counts, on)
                state = (variables, slots, step_count)
                loss = self._step(state, batch, lams, learning_rate, weight_decay)
                total += loss * counts
                seen += counts
            curves[0] = curves[0].write(epoch, total / seen)
            if validate:
                ce_sum, correct = self._cross_entropy(
                    variables, val_x, val_y, val_mask, lams.shape[1]
                )
                curves[1] = curves[1].write(epoch, ce_sum / val_count)
                curves[2] = curves[2].write(epoch, correct / val_count)
                curves[3] = curves[3].write(epoch, self._penalty(variables, lams))
        loss = curves[0].stack()
        if not validate:  # the host replaces these by NaN
            return [loss] * 4
        return [loss, *(curve.stack() for curve in curves[1:])]

    def _logits(self, variables, x, size):
        """Logits of every model for the batch of its group: (groups, size, batch, classes).

        ``x`` has shape (groups, batch, features). The first layer of a group is one product
        with its (features, size * units) kernel; the units of model j are then moved to their
        own axis, and every later layer is a batched product over (group, model).
        """
        tf = self.tf
        h = tf.matmul(x, variables[0]) + variables[1][:, None, :]
        groups, batch = tf.shape(x)[0], tf.shape(x)[1]
        h = tf.transpose(tf.reshape(h, [groups, batch, size, -1]), [0, 2, 1, 3])
        for kernel, bias in zip(variables[2::2], variables[3::2], strict=True):
            h = tf.matmul(tf.nn.relu(h), kernel) + bias[:, :, None, :]
        return h

    def _cross_entropy(self, variables, x, labels, mask, size):
        """Per-model sums of cross-entropy and of correct predictions over the masked rows."""
        tf = self.tf
        logits = self._logits(variables, x, size)
        labels = tf.broadcast_to(labels[:, None, :], tf.shape(logits)[:-1])
        per_row = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        correct = tf.cast(
            tf.equal(tf.argmax(logits, -1, output_type=tf.int32), labels), tf.float32
        )
        mask = mask[:, None, :]
        return tf.reduce_sum(per_row * mask, axis=2), tf.reduce_sum(correct * mask, axis=2)

    def _penalty(self, variables, lams):
        """(lam/2) * sum(W**2), or of |W|, over the kernels of every model: (groups, size)."""
        tf = self.tf
        size = lams.shape[1]
        measure = tf.square if self.penalty == "l2" else tf.abs
        first = tf.reduce_sum(measure(variables[0]), axis=1)  # (groups, size * units)
        total = tf.reduce_sum(tf.reshape(first, [first.shape[0], size, -1]), axis=2)
        for kernel in variables[2::2]:
            total += tf.reduce_sum(measure(kernel), axis=[2, 3])
        return lams / 2 * total

    def _step(self, state, batch, lams, learning_rate, weight_decay):
        tf = self.tf
        variables = state[0]
        x, labels, mask, counts, active = batch
        with tf.GradientTape() as tape:
            ce_sum, _ = self._cross_entropy(variables, x, labels, mask, lams.shape[1])
            per_model = ce_sum / tf.maximum(counts, 1.0) + self._penalty(variables, lams)
            total = tf.reduce_sum(per_model * active[:, None])
        gradients = tape.gradient(total, variables)
        self._apply(state, gradients, active, learning_rate, weight_decay)
        return per_model

    def _apply(self, state, gradients, active, learning_rate, weight_decay):
        """Keras's SGD, Adam or AdamW step; a group whose ``active`` is 0 keeps its weights.

        The gate multiplies SGD's step and the changes of Adam's moments and of the decay, so
        that an active group's arithmetic is exactly Keras's (a product by 1 is exact) and an
        inactive group's change is exactly 0; Adam's step is stopped by ``alpha``, which is 0
        for an inactive group. Multiplying is several times faster than selecting with
        ``tf.where``, which XLA does not fuse into an in-place update.
        """
        tf = self.tf
        variables, slots, step_count = state
        step_count.assign(step_count + active)
        t = step_count
        if self.optimizer != "sgd":
            alpha = learning_rate * tf.sqrt(1 - BETA_2**t) / (1 - BETA_1**t)
            alpha = tf.where(active > 0, alpha, 0.0)  # an inactive group does not move
        for i, (variable, gradient) in enumerate(zip(variables, gradients, strict=True)):
            shape = [-1] + [1] * (len(variable.shape) - 1)
            gate = tf.reshape(active, shape)
            if self.optimizer == "sgd":
                update = learning_rate * gradient * gate
            else:
                m, v = slots[i]
                new_m = m + (gradient - m) * (1 - BETA_1) * gate
                new_v = v + (tf.square(gradient) - v) * (1 - BETA_2) * gate
                m.assign(new_m)
                v.assign(new_v)
                update = tf.reshape(alpha, shape) * new_m / (tf.sqrt(new_v) + EPSILON)
            value = variable
            if self.optimizer == "adamw" and i % 2 == 0:
                # Keras decays before the gradient step: w <- w - w * wd * lr.
                value = value - value * weight_decay * learning_rate * gate
            variable.assign(value - update)


class _ReplicatedEngine:
    """Stacked variables and the compiled epoch that updates them, for several replicas.

    Every model gathers its own rows; each replica takes an equal slice of every batch and
    the replicas' gradients are summed (see ``_replicated_gradients``).
    """

    def __init__(self, tf, strategy, x, y, lams, inits, training):
        self.tf, self.strategy, self.training = tf, strategy, training
        self.x = tf.constant(x)
        self.y = tf.constant(y.astype(np.int32))
        self.lams = tf.constant(lams.astype(np.float32))
        stacked = [np.stack(layer) for layer in zip(*inits, strict=True)]
        self.variables = [tf.Variable(value) for value in stacked]
        self.kernels = self.variables[0::2]
        models = len(lams)
        self.slots = [
            (tf.Variable(tf.zeros_like(v)), tf.Variable(tf.zeros_like(v))) for v in self.variables
        ]
        self.step_count = tf.Variable(tf.zeros(models))
        self.replicas = strategy.num_replicas_in_sync
        self._epoch = tf.function(self._epoch_fn, jit_compile=self.replicas == 1)
        self._evaluate = tf.function(self._evaluate_fn, jit_compile=self.replicas == 1)

    def weights(self):
        return [v.numpy() for v in self.variables]

    def fit(self, batches, validation):
        index, mask, active = batches
        val_index, val_mask = validation
        epochs = self.training.epochs
        history = {key: [] for key in ("loss", "val_loss", "val_cross_entropy", "val_accuracy")}
        has_validation = val_mask.shape[1] > 0
        for epoch in range(epochs):
            loss = self._epoch(index[epoch], mask[epoch], active[epoch])
            history["loss"].append(loss.numpy())
            if has_validation:
                val_ce, val_acc, penalty = (t.numpy() for t in self._evaluate(val_index, val_mask))
            else:
                val_ce = val_acc = penalty = np.full(len(loss), np.nan)
            history["val_cross_entropy"].append(val_ce)
            history["val_loss"].append(val_ce + penalty)
            history["val_accuracy"].append(val_acc)
        return {key: np.stack(values, axis=1) for key, values in history.items()}

    # --- the compiled parts ------------------------------------------------------------------

    def _logits(self, rows):
        tf = self.tf
        h = tf.gather(self.x, rows)  # (models, batch, features)
        layers = len(self.kernels)
        pairs = zip(self.variables[0::2], self.variables[1::2], strict=True)
        for i, (kernel, bias) in enumerate(pairs):
            h = tf.einsum("mbi,mio->mbo", h, kernel) + bias[:, None, :]
            if i < layers - 1:
                h = tf.nn.relu(h)
        return h

    def _cross_entropy(self, rows, mask):
        """Per-model sum of cross-entropy over the masked rows, and per-row correctness."""
        tf = self.tf
        logits = self._logits(rows)
        labels = tf.gather(self.y, rows)
        per_row = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        correct = tf.cast(
            tf.equal(tf.argmax(logits, -1, output_type=tf.int32), labels), tf.float32
        )
        return tf.reduce_sum(per_row * mask, axis=1), tf.reduce_sum(correct * mask, axis=1)

    def _penalty(self):
        tf = self.tf
        total = 0.0
        for kernel in self.kernels:
            if self.training.penalty == "l2":
                total += tf.reduce_sum(tf.square(kernel), axis=[1, 2])
            else:
                total += tf.reduce_sum(tf.abs(kernel), axis=[1, 2])
        return self.lams / 2 * total

    def _evaluate_fn(self, rows, mask):
        ce_sum, correct = self._cross_entropy(rows, mask)
        count = self.tf.reduce_sum(mask, axis=1)
        return ce_sum / count, correct / count, self._penalty()

    def _epoch_fn(self, index, mask, active):
        tf = self.tf
        steps = tf.shape(index)[0]
        total = tf.zeros_like(self.lams)
        seen = tf.zeros_like(self.lams)
        for step in tf.range(steps):
            counts = tf.reduce_sum(mask[step], axis=1)
            loss = self._step(index[step], mask[step], counts, active[step])
            total += loss * counts
            seen += counts
        return total / seen

    def _step(self, rows, mask, counts, active):
        tf = self.tf
        if self.replicas == 1:
            with tf.GradientTape() as tape:
                ce_sum, _ = self._cross_entropy(rows, mask)
                penalty = self._penalty()
                per_model = ce_sum / tf.maximum(counts, 1.0) + penalty
                total = tf.reduce_sum(per_model * active)
            gradients = tape.gradient(total, self.variables)
        else:
            per_model, gradients = self._replicated_gradients(rows, mask, counts, active)
        self._apply(gradients, active)
        return per_model

    def _replicated_gradients(self, rows, mask, counts, active):
        """Split the batch axis between replicas and sum their gradients."""
        tf, strategy = self.tf, self.strategy
        replicas = self.replicas
        width = tf.shape(rows)[1] // replicas

        def replica_fn():
            replica = tf.distribute.get_replica_context().replica_id_in_sync_group
            start = replica * width
            part_rows, part_mask = rows[:, start : start + width], mask[:, start : start + width]
            with tf.GradientTape() as tape:
                ce_sum, _ = self._cross_entropy(part_rows, part_mask)
                share = ce_sum / tf.maximum(counts, 1.0) + self._penalty() / replicas
                total = tf.reduce_sum(share * active)
            return share, tape.gradient(total, self.variables)

        shares, gradients = strategy.run(replica_fn)
        reduce = tf.distribute.ReduceOp.SUM
        per_model = strategy.reduce(reduce, shares, axis=None)
        return per_model, [strategy.reduce(reduce, g, axis=None) for g in gradients]

    def _apply(self, gradients, active):
        tf, s = self.tf, self.training
        on = active > 0
        self.step_count.assign(self.step_count + active)
        t = self.step_count
        for i, (variable, gradient) in enumerate(zip(self.variables, gradients, strict=True)):
            shape = [-1] + [1] * (len(variable.shape) - 1)
            gate = tf.reshape(on, shape)
            if s.optimizer == "sgd":
                update = s.learning_rate * gradient
            else:
                m, v = self.slots[i]
                new_m = m + (gradient - m) * (1 - BETA_1)
                new_v = v + (tf.square(gradient) - v) * (1 - BETA_2)
                m.assign(tf.where(gate, new_m, m))
                v.assign(tf.where(gate, new_v, v))
                alpha = s.learning_rate * tf.sqrt(1 - BETA_2**t) / (1 - BETA_1**t)
                update = tf.reshape(alpha, shape) * new_m / (tf.sqrt(new_v) + EPSILON)
            if s.optimizer == "adamw" and s.weight_decay and i % 2 == 0:
                # Keras decays before the gradient step: w <- w - w * wd * lr.
                variable.assign(
                    tf.where(
                        gate, variable - variable * s.weight_decay * s.learning_rate, variable
                    )
                )
            variable.assign(tf.where(gate, variable - update, variable))


def _pad_schedules(schedules, batch_size):
    """Stack per-model schedules into (epochs, steps, models, batch) index and mask arrays."""
    epochs = len(schedules[0])
    steps = max(len(epoch) for schedule in schedules for epoch in schedule)
    models = len(schedules)
    index = np.zeros((epochs, steps, models, batch_size), dtype=np.int32)
    mask = np.zeros((epochs, steps, models, batch_size), dtype=np.float32)
    active = np.zeros((epochs, steps, models), dtype=np.float32)
    for m, schedule in enumerate(schedules):
        for e, epoch in enumerate(schedule):
            for s, rows in enumerate(epoch):
                index[e, s, m, : rows.size] = rows
                mask[e, s, m, : rows.size] = 1.0
                active[e, s, m] = 1.0
    return index, mask, active


def _pad_rows(row_lists):
    width = max(rows.size for rows in row_lists)
    index = np.zeros((len(row_lists), width), dtype=np.int32)
    mask = np.zeros((len(row_lists), width), dtype=np.float32)
    for m, rows in enumerate(row_lists):
        index[m, : rows.size] = rows
        mask[m, : rows.size] = 1.0
    return index, mask


def _check_inits(inits, features, num_classes):
    shapes = [tuple(np.shape(w)) for w in inits[0]]
    if len(shapes) < 2 or len(shapes) % 2 or shapes[0][0] != features:
        raise ValueError(
            f"inits: the first kernel must have {features} rows (one per feature of x); "
            f"got shapes {shapes}"
        )
    if shapes[-1] != (num_classes,):
        raise ValueError(f"inits: the last bias must have {num_classes} entries; got {shapes[-1]}")
    for m, init in enumerate(inits):
        if [tuple(np.shape(w)) for w in init] != shapes:
            raise ValueError(f"inits: model {m} has other shapes than model 0")


def _features(x, name):
    return as_float_array(x, name, ndim=2).astype(np.float32)


def _labels(y, name):
    labels = np.asarray(y)
    if labels.ndim != 1 or labels.size == 0:
        raise ValueError(f"{name} must be a non-empty vector of labels; got shape {labels.shape}")
    if labels.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integer class labels; got dtype {labels.dtype}")
    if labels.min() < 0:
        raise ValueError(f"{name} must hold labels >= 0; got {labels.min()}")
    return labels.astype(np.int64)


def _same_length(x, y):
    if x.shape[0] != y.shape[0]:
        raise ValueError(
            f"x and y must have the same number of examples; got x.shape={x.shape}, "
            f"y.shape={y.shape}"
        )


def _strengths(lams):
    lams = as_float_array(lams, "lams", ndim=1)
    if np.any(lams < 0):
        raise ValueError(f"lams must be >= 0; got {lams[lams < 0].tolist()}")
    return lams


def _rows(rows, count, name, minimum):
    rows = np.asarray(rows, dtype=np.int64).ravel()
    if rows.size < minimum:
        raise ValueError(f"{name}: every model needs at least {minimum} row(s)")
    if rows.size and (rows.min() < 0 or rows.max() >= count):
        raise ValueError(f"{name} must index rows 0..{count - 1}")
    return rows
