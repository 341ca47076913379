"""Measurements behind the answers of the FAQ chapter (section 6 of the source).

The source's FAQ asks, again and again, whether regularization costs training time, prediction
time or memory. This module measures each of those costs on a Keras model from
:func:`regkit.build_mlp`, with and without a penalty, and deduplicates the source's list of
questions. Timings are returned as ratios of best-of-``repeats`` wall times, measured side by
side on the same data; every other claim is a :class:`regkit.CheckTable` from :func:`faq_checks`.
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ._validation import as_float_array, check_count, check_kind, check_lam, check_scalar
from .backend import import_tensorflow
from .checks import Check, CheckTable
from .networks import build_mlp, mlp_logits, softmax_cross_entropy, stratified_folds

__all__ = [
    "SOURCE_QUESTIONS",
    "TOPICS",
    "TimingRatio",
    "activity_regularized_mlp",
    "epoch_time_ratio",
    "faq_checks",
    "faq_counts",
    "model_memory",
    "parse_source_faq",
    "predict_time_ratio",
    "step_flops",
    "sweep_summary",
]

QUESTION_PREFIX = "Q："

# The 44 question headings of the source's section 6, in order (its answers are not copied).
SOURCE_QUESTIONS = (
    "正则化与普通优化器的区别是什么？",
    "正则化的优缺点是什么？",
    "如何选择正则化参数$\\lambda$？",
    "正则化与其他防止过拟合的方法有什么区别？",
    "正则化是否适用于所有的神经网络模型？",
    "正则化是否会增加计算复杂度？",
    "正则化是否会增加模型的参数数量？",
    "正则化是否会增加训练时间？",
    "正则化是否会增加验证集的大小？",
    "正则化是否会增加测试集的大小？",
    "正则化是否会增加模型的复杂性？",
    "正则化是否会增加模型的训练难度？",
    "正则化是否会增加模型的预测难度？",
    "正则化是否会增加模型的计算复杂度？",
    "正则化是否会增加模型的内存需求？",
    "正则化是否会增加模型的训练时间？",
    "正则化是否会增加模型的预测速度？",
    "正则化是否会增加模型的内存占用？",
    "正则化是否会增加模型的训练成本？",
    "正则化是否会增加模型的预测成本？",
    "正则化是否会增加模型的训练难度？",
    "正则化是否会增加模型的预测难度？",
    "正则化是否会增加模型的计算复杂度？",
    "正则化是否会增加模型的内存需求？",
    "正则化是否会增加模型的训练时间？",
    "正则化是否会增加模型的预测速度？",
    "正则化是否会增加模型的内存占用？",
    "正则化是否会增加模型的训练成本？",
    "正则化是否会增加模型的预测成本？",
    "正则化是否会增加模型的训练难度？",
    "正则化是否会增加模型的预测难度？",
    "正则化是否会增加模型的计算复杂度？",
    "正则化是否会增加模型的内存需求？",
    "正则化是否会增加模型的训练时间？",
    "正则化是否会增加模型的预测速度？",
    "正则化是否会增加模型的内存占用？",
    "正则化是否会增加模型的训练成本？",
    "正则化是否会增加模型的预测成本？",
    "正则化是否会增加模型的训练难度？",
    "正则化是否会增加模型的预测难度？",
    "正则化是否会增加模型的计算复杂度？",
    "正则化是否会增加模型的内存需求？",
    "正则化是否会增加模型的训练时间？",
    "正则化是否会增加模型的预测速度？",
)

# Each distinct heading and the question it asks: headings that differ only by a word
# ("model's training time" / "training time") ask the same question.
TOPICS = {
    "正则化与普通优化器的区别是什么？": "regularization vs optimizer",
    "正则化的优缺点是什么？": "pros and cons (underfitting)",
    "如何选择正则化参数$\\lambda$？": "choosing lambda",
    "正则化与其他防止过拟合的方法有什么区别？": "other methods against overfitting",
    "正则化是否适用于所有的神经网络模型？": "all networks?",
    "正则化是否会增加计算复杂度？": "computational complexity",
    "正则化是否会增加模型的参数数量？": "number of parameters",
    "正则化是否会增加训练时间？": "training time",
    "正则化是否会增加验证集的大小？": "validation set size",
    "正则化是否会增加测试集的大小？": "test set size",
    "正则化是否会增加模型的复杂性？": "model complexity",
    "正则化是否会增加模型的训练难度？": "training difficulty",
    "正则化是否会增加模型的预测难度？": "prediction difficulty",
    "正则化是否会增加模型的计算复杂度？": "computational complexity",
    "正则化是否会增加模型的内存需求？": "memory",
    "正则化是否会增加模型的训练时间？": "training time",
    "正则化是否会增加模型的预测速度？": "prediction speed",
    "正则化是否会增加模型的内存占用？": "memory",
    "正则化是否会增加模型的训练成本？": "training cost",
    "正则化是否会增加模型的预测成本？": "prediction cost",
}


def parse_source_faq(path):
    """Return the question headings of a text file: the lines that start with ``"Q："``.

    Parameters
    ----------
    path : str or os.PathLike
        A UTF-8 text file (the source document).

    Returns
    -------
    list of str
        The text after the prefix, stripped, in file order.
    """
    if not isinstance(path, (str, Path)):
        raise TypeError(f"path must be a str or pathlib.Path; got {type(path).__name__}")
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"path must name an existing file; got {str(path)!r}")
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line[len(QUESTION_PREFIX) :].strip() for line in lines if line.startswith("Q：")]


def faq_counts(questions=SOURCE_QUESTIONS):
    """Count the questions, the distinct headings and topics, and find the repeating block.

    The block is the shortest run of headings, starting as early as possible, after which the
    list only repeats that run (``questions[i] == questions[i - period]`` to the end).

    Parameters
    ----------
    questions : sequence of str, default SOURCE_QUESTIONS

    Returns
    -------
    dict
        ``total``, ``distinct_strings``, ``distinct_topics`` (headings mapped by
        :data:`TOPICS`; an unknown heading counts as its own topic), ``block_start`` (index of
        the block's first question, from 0), ``block_length``, ``block_repeats`` (how many
        times the block occurs, a fraction when the list stops inside it); without any
        repetition ``block_start`` is ``total`` and the other two are 0.
    """
    if isinstance(questions, (str, bytes)) or not hasattr(questions, "__iter__"):
        raise TypeError(f"questions must be a sequence of str; got {type(questions).__name__}")
    questions = list(questions)
    if not questions or not all(isinstance(q, str) for q in questions):
        raise ValueError("questions must be a non-empty sequence of str")
    start, period = _repeating_block(questions)
    return {
        "total": len(questions),
        "distinct_strings": len(set(questions)),
        "distinct_topics": len({TOPICS.get(q, q) for q in questions}),
        "block_start": start,
        "block_length": period,
        "block_repeats": (len(questions) - start) / period if period else 0.0,
    }


def _repeating_block(questions):
    """Return ``(start, period)`` of the earliest, then shortest, block repeated to the end."""
    count = len(questions)
    for start in range(count):
        for period in range(1, (count - start) // 2 + 1):
            tail = range(start + period, count)
            if all(questions[i] == questions[i - period] for i in tail):
                return start, period
    return count, 0


@dataclass
class TimingRatio:
    """Best-of-``repeats`` wall times of two variants and their ratio.

    Attributes
    ----------
    plain_seconds : float
        Without the regularizer.
    regularized_seconds : float
        With it.
    ratio : float
        ``regularized_seconds / plain_seconds``.
    """

    plain_seconds: float
    regularized_seconds: float

    @property
    def ratio(self) -> float:
        return self.regularized_seconds / self.plain_seconds


def step_flops(input_dim, hidden, num_classes, batch_size):
    """Count the floating-point operations of one training step of an MLP, and of its penalty.

    A dense layer with ``n`` kernel entries costs ``2 * batch * n`` operations forward (one
    multiply and one add per entry and example) and twice that backward (gradients of the
    inputs and of the kernel): ``6 * batch * n`` in all. The L2 penalty ``(lam/2) sum W**2``
    and its gradient ``lam * W`` cost about 4 operations per kernel entry (square, sum,
    scale, add to the gradient), whatever the batch size; L1 costs the same order.

    Parameters
    ----------
    input_dim, num_classes, batch_size : int
    hidden : sequence of int

    Returns
    -------
    dict
        ``kernel_entries``, ``step`` (forward and backward), ``penalty``, ``ratio``
        (``penalty / step``, i.e. ``2 / (3 * batch_size)``).
    """
    input_dim = check_count(input_dim, "input_dim", minimum=1)
    num_classes = check_count(num_classes, "num_classes", minimum=1)
    batch_size = check_count(batch_size, "batch_size", minimum=1)
    sizes = [input_dim, *_widths(hidden), num_classes]
    entries = sum(a * b for a, b in itertools.pairwise(sizes))
    step, penalty = 6 * batch_size * entries, 4 * entries
    return {"kernel_entries": entries, "step": step, "penalty": penalty, "ratio": penalty / step}


def _widths(hidden):
    if isinstance(hidden, (str, bytes)) or not hasattr(hidden, "__iter__"):
        raise TypeError(f"hidden must be a sequence of layer widths; got {type(hidden).__name__}")
    hidden = tuple(hidden)
    if not all(isinstance(w, (int, np.integer)) and not isinstance(w, bool) for w in hidden):
        raise TypeError(f"hidden must contain integers; got {hidden}")
    if any(w < 1 for w in hidden):
        raise ValueError(f"hidden must contain integers >= 1; got {hidden}")
    return hidden


def _xy(x, y):
    x = as_float_array(x, "x", ndim=2).astype(np.float32)
    y = np.asarray(y)
    if y.dtype.kind not in "iu":
        raise TypeError(f"y must hold integer labels; got dtype {y.dtype}")
    if y.shape != x.shape[:1]:
        raise ValueError(f"y must have one label per row of x; got {y.shape} for x {x.shape}")
    return x, y.astype(np.int64)


def _compiled(keras, model, learning_rate=1e-3):
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return model


def _best_time(run, repeats):
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def _timing_options(repeats, batch_size, seed):
    return (
        check_count(repeats, "repeats", minimum=1),
        check_count(batch_size, "batch_size", minimum=1),
        check_count(seed, "seed"),
    )


def epoch_time_ratio(
    x, y, *, lam=0.01, penalty="l2", hidden=(64,), epochs=2, batch_size=32, repeats=5, seed=0
):
    """Time ``fit`` with and without a kernel penalty, side by side; return the best times.

    Both models come from :func:`regkit.build_mlp` with the same seed (same initial weights)
    and are compiled with Adam. Each is fitted once for one epoch to trace its training step,
    then the two are fitted ``epochs`` epochs in turn, ``repeats`` times; the best time of
    each, divided by ``epochs``, is a time per epoch.

    Parameters
    ----------
    x : array_like, shape (count, features)
    y : array_like of int, shape (count,)
    lam : float, default 0.01
        The course's strength, > 0.
    penalty : {"l1", "l2"}
    hidden : sequence of int
    epochs, batch_size, repeats, seed : int

    Returns
    -------
    TimingRatio
        Seconds per epoch.
    """
    keras = import_tensorflow().keras
    x, y = _xy(x, y)
    lam, penalty = _positive_lam(lam, "epoch_time_ratio"), check_kind(penalty, "penalty")
    epochs = check_count(epochs, "epochs", minimum=1)
    repeats, batch_size, seed = _timing_options(repeats, batch_size, seed)
    classes = max(int(y.max()) + 1, 2)
    models = [
        _compiled(keras, build_mlp(x.shape[1], hidden, classes, value, penalty, seed))
        for value in (0.0, lam)
    ]
    for model in models:
        model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0)
    best = [math.inf, math.inf]
    for _ in range(repeats):
        for index, model in enumerate(models):
            seconds = _best_time(
                lambda m=model: m.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=0), 1
            )
            best[index] = min(best[index], seconds / epochs)
    return TimingRatio(*best)


def activity_regularized_mlp(input_dim, hidden=(32,), num_classes=10, lam=0.01, seed=0):
    """Return :func:`regkit.build_mlp`'s network with an L2 activity regularizer instead.

    Same layers and initial weights as ``build_mlp(..., lam=0, seed=seed)``; every hidden layer
    adds ``(lam/2) * sum(h**2) / batch`` of its outputs ``h`` to ``model.losses`` each time it
    is called. Unlike a kernel penalty, it depends on the inputs, so it is computed in every
    forward pass.

    Parameters
    ----------
    input_dim : int
    hidden : sequence of int, non-empty
    num_classes : int
    lam : float
        The course's strength, > 0.
    seed : int

    Returns
    -------
    keras.Sequential
    """
    keras = import_tensorflow().keras
    lam = _positive_lam(lam, "activity_regularized_mlp")
    if not _widths(hidden):
        raise ValueError("hidden must have at least one layer for an activity regularizer")
    model = build_mlp(input_dim, hidden, num_classes, 0.0, "l2", seed)
    for layer in model.layers[:-1]:
        layer.activity_regularizer = keras.regularizers.L2(lam / 2)
    return model


def predict_time_ratio(
    x, *, regularizer="kernel", lam=0.01, hidden=(64,), batch_size=32, repeats=7, seed=0
):
    """Time ``predict`` of a model with and without a regularizer, side by side.

    Parameters
    ----------
    x : array_like, shape (count, features)
    regularizer : {"kernel", "activity"}
        ``"kernel"``: :func:`regkit.build_mlp` with an L2 kernel penalty;
        ``"activity"``: :func:`activity_regularized_mlp`. The plain model is
        ``build_mlp(..., lam=0)`` with the same seed.
    lam : float, > 0
    hidden : sequence of int
    batch_size, repeats, seed : int

    Returns
    -------
    TimingRatio
        Best seconds per ``predict`` call over all of ``x``.
    """
    x = as_float_array(x, "x", ndim=2).astype(np.float32)
    if regularizer not in ("kernel", "activity"):
        raise ValueError(f"regularizer must be 'kernel' or 'activity'; got {regularizer!r}")
    lam = _positive_lam(lam, "predict_time_ratio")
    repeats, batch_size, seed = _timing_options(repeats, batch_size, seed)
    plain = build_mlp(x.shape[1], hidden, 10, 0.0, "l2", seed)
    if regularizer == "kernel":
        other = build_mlp(x.shape[1], hidden, 10, lam, "l2", seed)
    else:
        other = activity_regularized_mlp(x.shape[1], hidden, 10, lam, seed)
    best = [math.inf, math.inf]
    for model in (plain, other):
        model.predict(x, batch_size=batch_size, verbose=0)
    for _ in range(repeats):
        for index, model in enumerate((plain, other)):
            run = lambda m=model: m.predict(x, batch_size=batch_size, verbose=0)  # noqa: E731
            best[index] = min(best[index], _best_time(run, 1))
    return TimingRatio(*best)


def model_memory(model):
    """Return the size of a Keras model's weights and of its optimizer's state.

    Parameters
    ----------
    model : keras.Model
        If compiled, its optimizer is built (its slots created) when it has not been yet.

    Returns
    -------
    dict
        ``params`` (``count_params()``), ``weight_bytes``, ``optimizer_slots`` (optimizer
        variables of the shape of a weight: Adam keeps two per trainable weight, its
        first- and second-moment estimates), ``slot_bytes`` (their bytes) and
        ``optimizer_bytes`` (all optimizer variables, scalar counters included).
    """
    if not hasattr(model, "count_params") or not hasattr(model, "weights"):
        raise TypeError(f"model must be a Keras model; got {type(model).__name__}")
    memory = {
        "params": int(model.count_params()),
        "weight_bytes": int(sum(np.asarray(w.numpy()).nbytes for w in model.weights)),
        "optimizer_slots": 0,
        "slot_bytes": 0,
        "optimizer_bytes": 0,
    }
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        return memory
    if not optimizer.built:
        optimizer.build(model.trainable_variables)
    values = [np.asarray(v.numpy()) for v in optimizer.variables]
    slots = [v for v in values if v.ndim > 0]
    memory.update(
        optimizer_slots=len(slots),
        slot_bytes=int(sum(v.nbytes for v in slots)),
        optimizer_bytes=int(sum(v.nbytes for v in values)),
    )
    return memory


def sweep_summary(result, x, y, k, seed=0):
    """Summarise a :func:`regkit.sweep` per strength: errors, kernel size, constant predictions.

    Parameters
    ----------
    result : SweepResult
        From ``regkit.sweep(x, y, lams, k=k, seed=seed, ...)``.
    x, y : the data the sweep was run on
    k : int
        Its number of folds.
    seed : int, default 0
        Its seed (it fixes the folds).

    Returns
    -------
    dict of str to numpy.ndarray, one entry per strength (mean over folds)
        ``lams``; ``train_cross_entropy`` (on each model's training rows, without penalty);
        ``val_cross_entropy``; ``max_kernel`` (largest ``|W|`` over all kernels);
        ``logit_spread`` (largest standard deviation of a logit across the training rows);
        ``top_class_share`` (fraction of training rows predicted as the most frequent
        prediction).
    """
    for name in ("lams", "folds", "weights", "val_cross_entropy"):
        if not hasattr(result, name):
            raise TypeError(f"result must be a SweepResult; it has no attribute {name!r}")
    x, y = _xy(x, y)
    k = check_count(k, "k", minimum=2)
    if result.lams.size % k:
        raise ValueError(f"k={k} does not divide the number of models ({result.lams.size})")
    fold_of = stratified_folds(y, k, check_count(seed, "seed"))
    rows = {name: [] for name in ("train", "kernel", "spread", "share")}
    for index, fold in enumerate(result.folds):
        weights = [w[index] for w in result.weights]
        train = fold_of != fold
        logits = mlp_logits(weights, x[train])
        predicted = np.argmax(logits, axis=1)
        rows["train"].append(softmax_cross_entropy(logits, y[train]))
        rows["kernel"].append(max(float(np.abs(w).max()) for w in weights[::2]))
        rows["spread"].append(float(logits.std(axis=0).max()))
        rows["share"].append(np.bincount(predicted).max() / predicted.size)

    def per_lam(values):
        return np.asarray(values, dtype=np.float64).reshape(-1, k).mean(axis=1)

    return {
        "lams": result.lams.reshape(-1, k)[:, 0],
        "train_cross_entropy": per_lam(rows["train"]),
        "val_cross_entropy": per_lam(result.val_cross_entropy[:, -1]),
        "max_kernel": per_lam(rows["kernel"]),
        "logit_spread": per_lam(rows["spread"]),
        "top_class_share": per_lam(rows["share"]),
    }


def _positive_lam(lam, caller):
    lam = check_lam(lam)
    if lam == 0:
        raise ValueError(f"lam must be > 0 for {caller}")
    return lam


def faq_checks(x, y, *, lam=0.01, large_lam=10.0, hidden=(16,), epochs=10, seed=0):
    """Check the FAQ's non-timing claims on small Keras models.

    1. A kernel penalty adds no parameter, no weight byte, and no optimizer state (Adam keeps
       two slots per trainable weight either way).
    2. ``predict`` never evaluates a kernel penalty (a counter incremented inside the
       regularizer's graph stays at 0) and gives the same logits as the same weights without
       it; an activity regularizer is evaluated in every ``predict`` batch.
    3. ``lam = 0`` is the unregularized model: no penalty term, and one epoch of training gives
       exactly the weights of a model without regularizer.
    4. As ``lam`` grows the kernels go to 0 and the logits to the output biases: trained with
       ``large_lam`` (Adam, learning rate 0.01), the largest kernel entry is below 0.01, the
       logits differ from the biases by less than 0.01, and all inputs get one class.

    Parameters
    ----------
    x : array_like, shape (count, features)
    y : array_like of int, shape (count,)
    lam : float, default 0.01
        A moderate strength (> 0), for 1 and 2.
    large_lam : float, default 10.0
        A strength large enough for 4 (> 0).
    hidden : sequence of int, default (16,)
    epochs : int, default 10
        Training epochs for 4.
    seed : int, default 0

    Returns
    -------
    CheckTable
    """
    tf = import_tensorflow()
    x, y = _xy(x, y)
    lam = _positive_lam(lam, "faq_checks")
    large_lam = check_scalar(large_lam, "large_lam", positive=True)
    epochs = check_count(epochs, "epochs", minimum=1)
    seed = check_count(seed, "seed")
    build = dict(input_dim=x.shape[1], hidden=_widths(hidden), seed=seed)
    build["num_classes"] = max(int(y.max()) + 1, 2)
    return CheckTable(
        _memory_checks(tf.keras, build, lam, x, y)
        + _predict_checks(tf, build, lam, x)
        + _zero_lam_checks(tf.keras, build, x, y)
        + _large_lam_checks(build, large_lam, epochs, x, y)
    )


def _memory_checks(keras, build, lam, x, y):
    plain = _compiled(keras, build_mlp(lam=0.0, **build))
    penalized = _compiled(keras, build_mlp(lam=lam, **build))
    for model in (plain, penalized):
        model.fit(x, y, batch_size=64, epochs=1, verbose=0)
    a, b = model_memory(plain), model_memory(penalized)
    trainable = len(penalized.trainable_variables)
    return [
        Check("count_params(): penalized - plain", abs(b["params"] - a["params"]), 0),
        Check(
            "bytes of weights: penalized - plain", abs(b["weight_bytes"] - a["weight_bytes"]), 0
        ),
        Check(
            "bytes of Adam's state: penalized - plain",
            abs(b["optimizer_bytes"] - a["optimizer_bytes"]),
            0,
        ),
        Check("Adam slots - 2 x trainable weights", abs(b["optimizer_slots"] - 2 * trainable), 0),
    ]


def _counting_regularizer(keras, counter, lam):
    class CountingL2(keras.regularizers.Regularizer):
        """L2 that increments ``counter`` each time its graph runs (not each time it is traced)."""

        def __call__(self, values):
            counter.assign_add(1)
            return lam / 2 * keras.ops.sum(keras.ops.square(values))

    return CountingL2()


def _predict_checks(tf, build, lam, x, batch_size=32):
    keras = tf.keras
    batches = math.ceil(len(x) / batch_size)
    kernel_calls = tf.Variable(0, dtype=tf.int64)
    activity_calls = tf.Variable(0, dtype=tf.int64)
    penalized = build_mlp(lam=lam, **build)
    for layer in penalized.layers:
        layer.kernel.regularizer = _counting_regularizer(keras, kernel_calls, lam)
    plain = build_mlp(lam=0.0, **build)
    active = build_mlp(lam=0.0, **build)
    for layer in active.layers[:-1]:
        layer.activity_regularizer = _counting_regularizer(keras, activity_calls, lam)
    logits = penalized.predict(x, batch_size=batch_size, verbose=0)
    gap = float(np.max(np.abs(logits - plain.predict(x, batch_size=batch_size, verbose=0))))
    active.predict(x, batch_size=batch_size, verbose=0)
    hidden_layers = len(active.layers) - 1
    return [
        Check("kernel-penalty evaluations during predict()", int(kernel_calls.numpy()), 0),
        Check("logits with and without kernel penalty, same weights (max diff)", gap, 0),
        Check(
            "activity-regularizer evaluations during predict() / (batches x hidden layers)",
            int(activity_calls.numpy()) / (batches * hidden_layers),
            1,
            ">=",
        ),
    ]


def _zero_lam_checks(keras, build, x, y):
    zero = build_mlp(lam=0.0, **build)
    explicit = build_mlp(lam=0.0, **build)
    for layer in explicit.layers:
        layer.kernel.regularizer = keras.regularizers.L2(0.0)
    trained = []
    for model in (zero, explicit):
        keras.utils.set_random_seed(build["seed"])
        _compiled(keras, model).fit(x, y, batch_size=64, epochs=1, shuffle=False, verbose=0)
        trained.append(model.get_weights())
    gap = max(float(np.max(np.abs(a - b))) for a, b in zip(*trained, strict=True))
    return [
        Check("lam = 0: penalty terms in model.losses", len(zero.losses), 0),
        Check("lam = 0 vs explicit L2(0.0): weights after one epoch (max diff)", gap, 0),
    ]


def _large_lam_checks(build, large_lam, epochs, x, y):
    from .networks import train

    tf = import_tensorflow()
    strategy = tf.distribute.get_strategy()
    result = train(
        x,
        y,
        lam=large_lam,
        hidden=build["hidden"],
        num_classes=build["num_classes"],
        learning_rate=1e-2,
        epochs=epochs,
        seed=build["seed"],
        strategy=strategy,
        verbose=0,
    )
    model = result.model
    kernel = max(float(np.max(np.abs(layer.kernel.numpy()))) for layer in model.layers)
    logits = np.asarray(model(x, training=False))
    bias_gap = float(np.max(np.abs(logits - model.layers[-1].bias.numpy())))
    predicted = np.argmax(logits, axis=1)
    share = np.bincount(predicted).max() / predicted.size
    return [
        Check(f"lam = {large_lam:g}: largest |kernel entry|", kernel, 0.01),
        Check(f"lam = {large_lam:g}: |logits - output bias| (max)", bias_gap, 0.01),
        Check(f"lam = {large_lam:g}: share of inputs given the top class", share, 1, ">="),
    ]
