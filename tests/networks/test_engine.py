"""Tests of regkit.sweep: the batched lambda x fold training engine.

The reference throughout is Keras itself: ``train_alone`` builds one model with
``regkit.build_mlp`` and fits it with Keras's optimizer on the same batches, and validation
metrics are recomputed from the final weights with a Keras model's ``predict``. The scale-out
path runs in a subprocess that splits the CPU into two logical devices (TensorFlow fixes its
devices at start-up, which the test process has already done). Data are small: at most 240
rows of the 8x8 digits, one hidden layer of 16 units, at most 4 epochs.

Tolerances are for float32. The engine and Keras compute the same float32 operations, but in
a different order (a batched einsum over the model axis against Keras's per-model matmuls,
XLA fusions, sums split between replicas), so every step differs by a few units in the last
place (float32 eps = 1.2e-7 on weights of order 0.1-1). Over a few dozen steps that
accumulates to about 1e-7 (measured: <= 3e-7); Adam divides by sqrt(v), which can amplify it
where v is tiny, so 1e-5 leaves a wide margin, while any wrong step (one more or one fewer
update, a penalty off by a factor, a decayed bias) moves the weights by 1e-3 or more.
"""

import functools
import itertools
import json
import math
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from keras_reference import train_alone

import regkit
from regkit.networks.engine import OPTIMIZERS

FLOAT32_TOL = 1e-5
PENALTIES = ("l1", "l2")


@functools.cache
def small_digits():
    """The first 240 training rows of the 8x8 digits, read-only."""
    (x, y), _ = regkit.load_digits(seed=0)
    x, y = x[:240].copy(), y[:240].copy()
    x.flags.writeable = False
    y.flags.writeable = False
    return x, y


def max_abs_gap(first, second):
    """Largest absolute difference between two lists of arrays, in float64."""
    return max(
        float(np.max(np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64))))
        for a, b in zip(first, second, strict=True)
    )


def max_rel_gap(first, second):
    first, second = np.asarray(first, np.float64), np.asarray(second, np.float64)
    return float(np.max(np.abs(first - second) / np.abs(second)))


def model_weights(result, m):
    """The weights of model m of a SweepResult, as a Keras model would hold them."""
    return [w[m] for w in result.weights]


def kernel_norm_squared(weights):
    return sum(float(np.sum(np.asarray(w, np.float64) ** 2)) for w in weights[0::2])


@functools.cache
def keras_mlp():
    """One Keras model from build_mlp, reused for every evaluation (set_weights + predict)."""
    return regkit.build_mlp(64, hidden=(16,), num_classes=10)


def keras_logits(weights, x):
    model = keras_mlp()
    model.set_weights(weights)
    return model.predict(np.asarray(x), verbose=0)


# 1. A model trained inside the stack equals the same model trained alone with Keras ----------

SEED = 7
# 200, 170 and 100 rows: 7, 6 and 4 batches of 32 per epoch, so on the last steps of an epoch
# the engine must leave the shorter models alone.
STACK_ROWS = (np.arange(200), np.arange(30, 200), np.arange(0, 200, 2))
STACK_LAMS = (0.0, 0.01, 0.1)
LEARNING_RATES = {"sgd": 0.1, "adam": 1e-2, "adamw": 1e-2}
# AdamW decays the kernels with lam = 0 (model 0) and on top of the penalty (models 1, 2).
WEIGHT_DECAYS = {"sgd": 0.0, "adam": 0.0, "adamw": 0.1}
STACK_OPTIONS = dict(epochs=3, batch_size=32)
COMBINATIONS = list(itertools.product(OPTIMIZERS, PENALTIES))
COMBINATION_IDS = [f"{o}-{p}" for o, p in COMBINATIONS]


def stack_inits():
    """Glorot kernels with non-zero biases, so that decaying a bias would show."""
    inits = []
    for m in range(len(STACK_ROWS)):
        weights = regkit.initial_weights(64, (16,), 10, [SEED, m])
        rng = np.random.default_rng(100 + m)
        for i in range(1, len(weights), 2):
            weights[i] = rng.uniform(-0.2, 0.2, weights[i].shape).astype(np.float32)
        inits.append(weights)
    return inits


@functools.cache
def equivalence_run(optimizer, penalty):
    """Train the stack once, and each of its models alone with Keras."""
    x, y = small_digits()
    inits = stack_inits()
    training = regkit.Training(
        penalty=penalty,
        optimizer=optimizer,
        learning_rate=LEARNING_RATES[optimizer],
        weight_decay=WEIGHT_DECAYS[optimizer],
        **STACK_OPTIONS,
    )
    held_out = [np.arange(200, 240)] * len(STACK_ROWS)
    stacked = regkit.train_stack(
        x, y, list(STACK_ROWS), held_out, list(STACK_LAMS), inits, seed=SEED, training=training
    )
    alone = [
        train_alone(x, y, rows, lam, init, seed=[SEED, m], training=training)
        for m, (rows, lam, init) in enumerate(zip(STACK_ROWS, STACK_LAMS, inits, strict=True))
    ]
    return inits, stacked, alone


@pytest.mark.parametrize(("optimizer", "penalty"), COMBINATIONS, ids=COMBINATION_IDS)
def test_stacked_weights_equal_keras_trained_alone(optimizer, penalty):
    _, stacked, alone = equivalence_run(optimizer, penalty)
    for m, (weights, _) in enumerate(alone):
        gap = max_abs_gap(model_weights(stacked, m), weights)
        assert gap <= FLOAT32_TOL, f"model {m}: max |stack - alone| = {gap:.3g}"


@pytest.mark.parametrize(("optimizer", "penalty"), COMBINATIONS, ids=COMBINATION_IDS)
def test_stacked_loss_curves_equal_keras_trained_alone(optimizer, penalty):
    _, stacked, alone = equivalence_run(optimizer, penalty)
    assert stacked.loss.shape == (len(STACK_ROWS), STACK_OPTIONS["epochs"])
    for m, (_, losses) in enumerate(alone):
        gap = max_rel_gap(stacked.loss[m], losses)
        assert gap <= FLOAT32_TOL, f"model {m}: relative loss gap {gap:.3g}"


@pytest.mark.parametrize(("optimizer", "penalty"), COMBINATIONS, ids=COMBINATION_IDS)
def test_equivalence_is_not_vacuous(optimizer, penalty):
    inits, _, alone = equivalence_run(optimizer, penalty)
    # The models take 7, 6 and 4 steps per epoch: the stack runs 7, gating the others.
    steps = [len(regkit.batch_schedule(rows, 1, 32, 0)[0]) for rows in STACK_ROWS]
    assert steps == [7, 6, 4]
    for m, (weights, losses) in enumerate(alone):
        # Every array, biases included, moved far more than the tolerance.
        smallest_move = min(
            max_abs_gap([w], [w0]) for w, w0 in zip(weights, inits[m], strict=True)
        )
        assert smallest_move > 1e-3, f"model {m} barely moved: {smallest_move:.3g}"
        assert losses[-1] < losses[0]


def test_adamw_weight_decay_changes_the_weights():
    # The AdamW runs differ from the Adam runs only by the decay: were it ignored (by the
    # engine and by Keras alike) the equivalence would hold trivially.
    for penalty in PENALTIES:
        _, adam, _ = equivalence_run("adam", penalty)
        _, adamw, _ = equivalence_run("adamw", penalty)
        for m in range(len(STACK_ROWS)):
            gap = max_abs_gap(model_weights(adam, m), model_weights(adamw, m))
            assert gap > 1e-3, f"{penalty}, model {m}: decay changed weights by {gap:.3g}"


def test_short_model_is_untouched_by_the_extra_steps_of_its_neighbours():
    # A model with 20 rows (1 batch per epoch) next to one with 200 rows (7 batches): the
    # engine must skip its update on 6 of every 7 steps. Adam makes a skipped step visible:
    # a zero-gradient step would still move the weights by about learning_rate * m / sqrt(v),
    # and would advance the step count of the bias correction.
    x, y = small_digits()
    short, long = np.arange(20, 40), np.arange(200)
    init = regkit.initial_weights(64, (16,), 10, [SEED, 0])
    training = regkit.Training(learning_rate=1e-2, epochs=3, batch_size=32)
    options = dict(seed=SEED, training=training)
    pair = regkit.train_stack(
        x, y, [short, long], [short[:0]] * 2, [0.1, 0.0], [init] * 2, **options
    )
    single = regkit.train_stack(x, y, [short], [short[:0]], [0.1], [init], **options)
    reference, losses = train_alone(x, y, short, 0.1, init, seed=[SEED, 0], training=training)
    assert max_abs_gap(model_weights(pair, 0), model_weights(single, 0)) <= FLOAT32_TOL
    assert max_abs_gap(model_weights(pair, 0), reference) <= FLOAT32_TOL
    assert max_rel_gap(pair.loss[0], losses) <= FLOAT32_TOL
    # Three steps of Adam with learning rate 1e-2 move the weights by up to 3e-2.
    assert max_abs_gap(reference, init) > 1e-2


# 2. sweep: layout, validation metrics, shared initial weights ---------------------------------

LAMS = (0.0, 0.01, 1.0)
K = 3
SWEEP_SEED = 5
SWEEP_TRAINING = regkit.Training(learning_rate=1e-2, epochs=4, batch_size=32)
SWEEP_OPTIONS = dict(hidden=(16,), training=SWEEP_TRAINING, seed=SWEEP_SEED)


@pytest.fixture(scope="module", params=[False, True], ids=["own-batches", "shared-batches"])
def swept(request):
    x, y = small_digits()
    return regkit.sweep(x, y, LAMS, k=K, shared_batches=request.param, **SWEEP_OPTIONS)


@pytest.fixture(scope="module")
def fold_of():
    return regkit.stratified_folds(small_digits()[1], K, seed=SWEEP_SEED)


def test_sweep_result_shapes(swept):
    models, epochs = len(LAMS) * K, SWEEP_TRAINING.epochs
    assert isinstance(swept, regkit.SweepResult)
    assert swept.lams.shape == swept.folds.shape == (models,)
    for name in ("loss", "val_loss", "val_cross_entropy", "val_accuracy"):
        values = getattr(swept, name)
        assert values.shape == (models, epochs), name
        assert np.all(np.isfinite(values)), name
    shapes = [w.shape for w in swept.weights]
    assert shapes == [(models, 64, 16), (models, 16), (models, 16, 10), (models, 10)]
    assert all(w.dtype == np.float32 for w in swept.weights)


def test_sweep_model_i_k_plus_f_has_lam_i_and_fold_f(swept):
    for i, f in itertools.product(range(len(LAMS)), range(K)):
        assert swept.lams[i * K + f] == LAMS[i]
        assert swept.folds[i * K + f] == f


def test_sweep_model_equals_keras_trained_alone_on_the_other_folds(swept, fold_of, request):
    # Model m = i * K + f = (lams[i], fold f): it trains on the rows outside fold f, from the
    # initial weights of fold f, on its own batches (seed [SWEEP_SEED, m]), or with
    # shared_batches on the batches of fold f (seed [SWEEP_SEED, f]), which all the strengths
    # of the fold share. Every model, so that the shared first layer is checked for every
    # column block.
    shared = request.node.callspec.params["swept"]
    x, y = small_digits()
    for i, f in itertools.product(range(len(LAMS)), range(K)):
        m = i * K + f
        init = regkit.initial_weights(64, (16,), 10, [SWEEP_SEED, f])
        rows = np.flatnonzero(fold_of != f)
        batch_seed = [SWEEP_SEED, f if shared else m]
        weights, losses = train_alone(
            x, y, rows, LAMS[i], init, seed=batch_seed, training=SWEEP_TRAINING
        )
        assert max_abs_gap(model_weights(swept, m), weights) <= FLOAT32_TOL, m
        assert max_rel_gap(swept.loss[m], losses) <= FLOAT32_TOL, m


def test_sweep_validation_metrics_equal_keras_on_the_held_out_fold(swept, fold_of):
    x, y = small_digits()
    for m in range(len(swept.lams)):
        held_out = fold_of == swept.folds[m]
        logits = keras_logits(model_weights(swept, m), x[held_out])
        expected = regkit.softmax_cross_entropy(logits, y[held_out])
        assert swept.val_cross_entropy[m, -1] == pytest.approx(expected, rel=FLOAT32_TOL)
        # Accuracy counts argmax hits; float32 rounding could flip a near-tie, at most one row.
        accuracy = np.mean(np.argmax(logits, axis=1) == y[held_out])
        assert abs(swept.val_accuracy[m, -1] - accuracy) <= 1 / held_out.sum() + 1e-7


def test_sweep_val_loss_is_cross_entropy_plus_penalty_of_final_kernels(swept):
    for m, lam in enumerate(swept.lams):
        penalty = lam / 2 * kernel_norm_squared(model_weights(swept, m))
        expected = swept.val_cross_entropy[m, -1] + penalty
        assert swept.val_loss[m, -1] == pytest.approx(expected, rel=FLOAT32_TOL)
    assert np.all(swept.val_loss[:K] == swept.val_cross_entropy[:K])  # lam = 0


def test_large_lam_shrinks_the_kernels(swept):
    for f in range(K):
        free = kernel_norm_squared(model_weights(swept, 0 * K + f))
        heavy = kernel_norm_squared(model_weights(swept, 2 * K + f))
        assert heavy < 0.8 * free, f"fold {f}: {heavy:.3g} vs {free:.3g}"


def test_models_of_one_fold_share_their_initial_weights():
    # With a learning rate of 1e-12 an epoch moves every weight by about 1e-12 * |gradient|,
    # far below 1e-7 (and mostly below half an ulp), so the final weights are the initial ones.
    x, y = small_digits()
    frozen = regkit.Training(optimizer="sgd", learning_rate=1e-12, epochs=1, batch_size=32)
    options = {**SWEEP_OPTIONS, "training": frozen}
    result = regkit.sweep(x, y, (0.0, 1.0), k=K, **options)
    for f in range(K):
        same_fold = [model_weights(result, f), model_weights(result, K + f)]
        assert max_abs_gap(*same_fold) <= 1e-7
        expected = regkit.initial_weights(64, (16,), 10, [SWEEP_SEED, f])
        assert max_abs_gap(same_fold[0], expected) <= 1e-7
    other_fold = max_abs_gap(model_weights(result, 0), model_weights(result, 1))
    assert other_fold > 0.05


def test_models_of_one_fold_see_the_same_batches():
    # Two equal strengths: the models of a fold start alike and, seeing the same batches in the
    # same order, end alike; were their batch orders different (as with one seed per model)
    # they would differ by far more than the tolerance. Different folds differ.
    x, y = small_digits()
    result = regkit.sweep(x, y, (0.01, 0.01), k=K, shared_batches=True, **SWEEP_OPTIONS)
    for f in range(K):
        same = max_abs_gap(model_weights(result, f), model_weights(result, K + f))
        assert same <= FLOAT32_TOL, f"fold {f}: {same:.3g}"
        np.testing.assert_allclose(result.loss[f], result.loss[K + f], rtol=FLOAT32_TOL)
    assert max_abs_gap(model_weights(result, 0), model_weights(result, 1)) > 1e-3


def test_without_shared_batches_the_models_of_a_fold_see_their_own_batches():
    x, y = small_digits()
    result = regkit.sweep(x, y, (0.01, 0.01), k=K, **SWEEP_OPTIONS)
    for f in range(K):
        assert max_abs_gap(model_weights(result, f), model_weights(result, K + f)) > 1e-3


@pytest.mark.parametrize("value", [1, "yes", None])
def test_sweep_rejects_a_shared_batches_that_is_not_a_bool(value):
    x, y = small_digits()
    with pytest.raises(TypeError, match="shared_batches must be True or False"):
        regkit.sweep(x, y, (0.0,), k=K, shared_batches=value, **SWEEP_OPTIONS)


def test_a_second_call_reuses_the_compiled_loop_and_gives_the_same_result():
    from regkit.networks.engine import _engine

    x, y = small_digits()
    first = regkit.sweep(x, y, LAMS, k=K, **SWEEP_OPTIONS)
    loop = _engine(regkit.import_tensorflow(), "adam", "l2")._loop
    traces = loop.experimental_get_tracing_count()
    second = regkit.sweep(x, y, LAMS, k=K, **SWEEP_OPTIONS)
    assert loop.experimental_get_tracing_count() == traces
    for a, b in zip(first.weights, second.weights, strict=True):
        np.testing.assert_array_equal(a, b)
    for name in ("loss", "val_loss", "val_cross_entropy", "val_accuracy"):
        np.testing.assert_array_equal(getattr(first, name), getattr(second, name))


# Groups of unequal sizes (3 and 2 models) on rows of unequal sizes (7 and 4 batches of 32 per
# epoch): the engine pads the short group with a discarded model, and gates the short group on
# the last steps of every epoch.
GROUP_ROWS = (np.arange(200), np.arange(0, 200, 2))
GROUPS = (4, 4, 4, 9, 9)
GROUP_LAMS = (0.0, 0.01, 0.1, 0.003, 0.03)


@pytest.mark.parametrize(("optimizer", "penalty"), COMBINATIONS, ids=COMBINATION_IDS)
def test_grouped_models_equal_keras_trained_alone_on_the_batches_of_their_group(
    optimizer, penalty
):
    x, y = small_digits()
    training = regkit.Training(
        penalty=penalty,
        optimizer=optimizer,
        learning_rate=LEARNING_RATES[optimizer],
        weight_decay=WEIGHT_DECAYS[optimizer],
        **STACK_OPTIONS,
    )
    rows = [GROUP_ROWS[0]] * 3 + [GROUP_ROWS[1]] * 2
    inits = [regkit.initial_weights(64, (16,), 10, [SEED, g]) for g in GROUPS]
    stacked = regkit.train_stack(
        x, y, rows, [np.arange(200, 240)] * 5, list(GROUP_LAMS), inits, groups=GROUPS,
        seed=SEED, training=training,
    )  # fmt: skip
    for m, (r, lam, init, g) in enumerate(zip(rows, GROUP_LAMS, inits, GROUPS, strict=True)):
        weights, losses = train_alone(x, y, r, lam, init, seed=[SEED, g], training=training)
        assert max_abs_gap(model_weights(stacked, m), weights) <= FLOAT32_TOL, m
        assert max_rel_gap(stacked.loss[m], losses) <= FLOAT32_TOL, m
        assert max_abs_gap(weights, init) > 1e-3
        logits = keras_logits(model_weights(stacked, m), x[200:240])
        expected = regkit.softmax_cross_entropy(logits, y[200:240])
        assert stacked.val_cross_entropy[m, -1] == pytest.approx(expected, rel=FLOAT32_TOL)


BAD_GROUPS = [
    ("length", dict(groups=[0]), ValueError, r"groups must have one entry per model \(2\)"),
    ("negative", dict(groups=[0, -1]), TypeError, "groups must hold integers >= 0"),
    ("float", dict(groups=[0.0, 1.0]), TypeError, "groups must hold integers >= 0"),
    (
        "other rows",
        dict(groups=[3, 3], train_rows=[np.arange(40), np.arange(30)]),
        ValueError,
        "groups: models 0 and 1 share group 3 but not train_rows",
    ),
    (
        "other val rows",
        dict(groups=[3, 3], val_rows=[np.arange(5), np.arange(6)]),
        ValueError,
        "groups: models 0 and 1 share group 3 but not val_rows",
    ),
]


@pytest.mark.parametrize(
    ("changes", "error", "pattern"), [b[1:] for b in BAD_GROUPS], ids=[b[0] for b in BAD_GROUPS]
)
def test_train_stack_rejects_bad_groups_naming_them(changes, error, pattern):
    with pytest.raises(error, match=pattern):
        regkit.train_stack(**stack_arguments(**changes))


# 3. Scale-out: MirroredStrategy over two logical CPUs, in a subprocess -----------------------

MIRRORED_SCRIPT = textwrap.dedent(
    """
    import json

    import numpy as np
    import tensorflow as tf

    cpus = tf.config.list_physical_devices("CPU")
    tf.config.set_logical_device_configuration(
        cpus[0], [tf.config.LogicalDeviceConfiguration()] * 2
    )

    import regkit

    (x, y), _ = regkit.load_digits(seed=0)
    x, y = x[:240], y[:240]


    def by_sweep(strategy):
        # Batch 33 is padded to 34, 17 rows per replica.
        training = regkit.Training(learning_rate=1e-2, epochs=3, batch_size=33)
        return regkit.sweep(
            x, y, [0.0, 0.1], k=3, hidden=(16,), training=training, seed=1, strategy=strategy,
        )


    inits = [regkit.initial_weights(64, (16,), 10, [2, m]) for m in range(3)]
    rows = [np.arange(200), np.arange(30, 200), np.arange(0, 200, 2)]


    def by_train_stack(strategy):
        # Unequal row counts, so that the gating of short models runs under the strategy too.
        training = regkit.Training(
            penalty="l1", optimizer="sgd", learning_rate=0.1, epochs=3, batch_size=32
        )
        return regkit.train_stack(
            x, y, rows, [np.arange(200, 240)] * 3, [0.0, 0.01, 0.1], inits, training=training,
            seed=2, strategy=strategy,
        )


    def gaps(first, second, initial):
        curves = ("loss", "val_loss", "val_cross_entropy", "val_accuracy")
        return {
            "weights": max(
                float(np.max(np.abs(a - b)))
                for a, b in zip(first.weights, second.weights, strict=True)
            ),
            **{
                name: float(np.max(np.abs(getattr(first, name) - getattr(second, name))
                                   / np.abs(getattr(second, name))))
                for name in curves
            },
            "smallest_move": min(
                float(np.max(np.abs(a - b)))
                for a, b in zip(first.weights, initial, strict=True)
            ),
        }


    mirrored = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    default = tf.distribute.get_strategy()
    sweep_init = [np.stack(w) for w in zip(*[
        regkit.initial_weights(64, (16,), 10, [1, f]) for _ in range(2) for f in range(3)
    ])]
    stack_init = [np.stack(w) for w in zip(*inits)]
    print(json.dumps({
        "logical_cpus": len(tf.config.list_logical_devices("CPU")),
        "replicas": mirrored.num_replicas_in_sync,
        "sweep": gaps(by_sweep(mirrored), by_sweep(default), sweep_init),
        "train_stack": gaps(by_train_stack(mirrored), by_train_stack(default), stack_init),
    }))
    """
)


@pytest.fixture(scope="module")
def mirrored_run():
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "REGKIT_DEVICE": ""}
    env.pop("PYTEST_CURRENT_TEST", None)
    completed = subprocess.run(
        [sys.executable, "-c", MIRRORED_SCRIPT],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("run", ["sweep", "train_stack"])
def test_mirrored_strategy_equals_the_default_strategy(mirrored_run, run):
    assert mirrored_run["logical_cpus"] == 2
    assert mirrored_run["replicas"] == 2
    gaps = mirrored_run[run]
    # Each replica sums the cross-entropy of its half of every batch and a 1/2 share of the
    # penalty; the halves are added, which differs from the one-device sum only in order.
    assert gaps["weights"] <= FLOAT32_TOL
    for curve in ("loss", "val_loss", "val_cross_entropy", "val_accuracy"):
        assert gaps[curve] <= FLOAT32_TOL, curve


@pytest.mark.parametrize("run", ["sweep", "train_stack"])
def test_mirrored_comparison_is_not_vacuous(mirrored_run, run):
    # Every weight array of the mirrored run moved far beyond the tolerance.
    assert mirrored_run[run]["smallest_move"] > 1e-3


# 4. stratified_folds, batch_schedule, initial_weights ----------------------------------------


@pytest.fixture(scope="module")
def digit_labels():
    (_, y), _ = regkit.load_digits(seed=0)
    return y


@pytest.mark.parametrize("k", [2, 5, 10])
def test_every_fold_contains_every_class_in_balanced_numbers(digit_labels, k):
    fold_of = regkit.stratified_folds(digit_labels, k, seed=3)
    assert fold_of.shape == digit_labels.shape
    assert set(np.unique(fold_of)) == set(range(k))
    classes = np.unique(digit_labels)
    counts = np.array([[np.sum((fold_of == f) & (digit_labels == c)) for c in classes]
                       for f in range(k)])  # fmt: skip
    assert counts.min() >= 1
    # Stratified: per class, fold counts differ by at most 1; so fold sizes by at most 10.
    assert np.all(counts.max(axis=0) - counts.min(axis=0) <= 1)
    sizes = counts.sum(axis=1)
    assert sizes.max() - sizes.min() <= classes.size


def test_stratified_folds_are_deterministic_per_seed(digit_labels):
    first = regkit.stratified_folds(digit_labels, 5, seed=3)
    np.testing.assert_array_equal(first, regkit.stratified_folds(digit_labels, 5, seed=3))
    assert np.any(first != regkit.stratified_folds(digit_labels, 5, seed=4))


def test_batch_schedule_epochs_are_permutations_in_batches_of_the_right_size():
    rows = np.random.default_rng(0).choice(1000, size=100, replace=False)
    schedule = regkit.batch_schedule(rows, 3, 32, [4, 1])
    assert len(schedule) == 3
    for epoch in schedule:
        assert [batch.size for batch in epoch] == [32, 32, 32, 4]
        np.testing.assert_array_equal(np.sort(np.concatenate(epoch)), np.sort(rows))


def test_batch_schedule_is_deterministic_per_seed_and_epochs_differ():
    rows = np.arange(50, 150)
    first = [np.concatenate(epoch) for epoch in regkit.batch_schedule(rows, 3, 32, [4, 1])]
    again = [np.concatenate(epoch) for epoch in regkit.batch_schedule(rows, 3, 32, [4, 1])]
    other = [np.concatenate(epoch) for epoch in regkit.batch_schedule(rows, 3, 32, [4, 2])]
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], first[1])
    assert not np.array_equal(first[1], first[2])
    assert not np.array_equal(first[0], other[0])


def test_batch_schedule_with_a_batch_larger_than_the_rows_has_one_batch():
    schedule = regkit.batch_schedule(np.arange(10), 2, 64, 0)
    assert [len(epoch) for epoch in schedule] == [1, 1]
    assert schedule[0][0].size == 10


def test_initial_weights_are_glorot_uniform_with_zero_biases():
    weights = regkit.initial_weights(64, (32, 16), 10, [0, 1])
    assert [w.shape for w in weights] == [(64, 32), (32,), (32, 16), (16,), (16, 10), (10,)]
    assert all(w.dtype == np.float32 for w in weights)
    for kernel, bias in zip(weights[0::2], weights[1::2], strict=True):
        limit = math.sqrt(6 / sum(kernel.shape))
        assert np.all(bias == 0)
        assert np.abs(kernel).max() <= limit
        # Uniform on [-limit, limit]: variance limit**2 / 3; 160+ draws keep the sample
        # variance within 30% with overwhelming probability.
        assert np.var(kernel) == pytest.approx(limit**2 / 3, rel=0.3)


def test_initial_weights_are_deterministic_per_seed():
    first = regkit.initial_weights(8, (4,), 3, [0, 1])
    assert max_abs_gap(first, regkit.initial_weights(8, (4,), 3, [0, 1])) == 0
    assert max_abs_gap(first, regkit.initial_weights(8, (4,), 3, [0, 2])) > 0


# 5. Bad input --------------------------------------------------------------------------------


@functools.cache
def tiny_digits():
    x, y = small_digits()
    return x[:60], y[:60]


def scarce_class_labels():
    """60 labels in which class 3 has a single example."""
    y = tiny_digits()[1].copy()
    y[y == 3] = 4
    y[0] = 3
    return y


TINY = dict(k=2, hidden=(4,), training=regkit.Training(epochs=1, batch_size=32))

BAD_SWEEPS = [
    ("empty grid", dict(lams=[]), ValueError, "lams must not be empty"),
    ("negative lam", dict(lams=[0.1, -1.0]), ValueError, r"lams must be >= 0; got \[-1\.0\]"),
    ("NaN lam", dict(lams=[0.1, math.nan]), ValueError, "lams must contain only finite"),
    ("k=1", dict(k=1), ValueError, "k must be >= 2"),
    ("k > examples", dict(k=61), ValueError, r"k must be <= the number of examples \(60\)"),
    ("scarce class", dict(y=scarce_class_labels), ValueError, r"classes \[3\].*k=2"),
    ("lengths", dict(y=lambda: tiny_digits()[1][:-1]), ValueError, r"\(60, 64\).*\(59,\)"),
    ("float labels", dict(y=lambda: tiny_digits()[1] * 1.0), TypeError, "y must hold integer"),
    ("label >= classes", dict(num_classes=5), ValueError, r"y must hold labels in 0\.\.4"),
    ("training", dict(training=dict(epochs=1)), TypeError, "training must be a regkit.Training"),
]

BAD_TRAININGS = [
    ("optimizer", dict(optimizer="rmsprop"), ValueError, "optimizer must be one of"),
    ("penalty", dict(penalty="l3"), ValueError, "penalty must be one of"),
    ("decay with adam", dict(weight_decay=0.1, optimizer="adam"), ValueError, "weight_decay"),
    ("negative decay", dict(weight_decay=-0.1, optimizer="adamw"), ValueError, "weight_decay"),
    ("learning_rate=0", dict(learning_rate=0.0), ValueError, "learning_rate must be > 0"),
    ("learning_rate str", dict(learning_rate="0.1"), TypeError, "learning_rate must be a real"),
    ("epochs=0", dict(epochs=0), ValueError, "epochs must be >= 1"),
    ("epochs=1.5", dict(epochs=1.5), TypeError, "epochs must be an integer"),
    ("batch_size=0", dict(batch_size=0), ValueError, "batch_size must be >= 1"),
]


@pytest.mark.parametrize(
    ("changes", "error", "pattern"),
    [b[1:] for b in BAD_TRAININGS],
    ids=[b[0] for b in BAD_TRAININGS],
)
def test_training_rejects_bad_settings_naming_the_field(changes, error, pattern):
    with pytest.raises(error, match=pattern):
        regkit.Training(**changes)


def test_training_settings_are_normalized_and_frozen():
    training = regkit.Training(learning_rate=1, epochs=np.int64(3))
    assert training.learning_rate == 1.0 and type(training.learning_rate) is float
    assert training.epochs == 3 and type(training.epochs) is int
    with pytest.raises(AttributeError):
        training.epochs = 5
    assert regkit.Training() == regkit.Training(penalty="l2", optimizer="adam")


@pytest.mark.parametrize(
    ("changes", "error", "pattern"), [b[1:] for b in BAD_SWEEPS], ids=[b[0] for b in BAD_SWEEPS]
)
def test_sweep_rejects_bad_input_naming_the_argument(changes, error, pattern):
    x, y = tiny_digits()
    arguments = dict(x=x, y=y, lams=[0.0, 0.1], **TINY)
    arguments.update({k: v() if callable(v) else v for k, v in changes.items()})
    with pytest.raises(error, match=pattern):
        regkit.sweep(**arguments)


def stack_arguments(**changes):
    x, y = tiny_digits()
    rows = np.arange(40)
    init = regkit.initial_weights(64, (4,), 10, 0)
    arguments = dict(
        x=x,
        y=y,
        train_rows=[rows, rows],
        val_rows=[rows[:0], rows[:0]],
        lams=[0.0, 0.1],
        inits=[init, init],
        training=regkit.Training(epochs=1),
    )
    return {**arguments, **changes}


BAD_STACKS = [
    ("short val_rows", dict(val_rows=[np.arange(5)]), "train_rows, val_rows, lams and inits"),
    ("short lams", dict(lams=[0.1]), r"one entry per model; got lengths 2, 2, 1, 2"),
    ("no models", dict(train_rows=[], val_rows=[], lams=[], inits=[]), "one entry per model"),
    ("train row too big", dict(train_rows=[np.arange(61)] * 2), r"train_rows must index.*59"),
    ("negative train row", dict(train_rows=[np.arange(-1, 9)] * 2), "train_rows must index"),
    ("val row too big", dict(val_rows=[np.arange(55, 65)] * 2), r"val_rows must index.*59"),
    ("no train rows", dict(train_rows=[np.arange(0)] * 2), "train_rows: every model needs"),
]


@pytest.mark.parametrize(
    ("changes", "pattern"), [b[1:] for b in BAD_STACKS], ids=[b[0] for b in BAD_STACKS]
)
def test_train_stack_rejects_bad_rows_and_lists(changes, pattern):
    with pytest.raises(ValueError, match=pattern):
        regkit.train_stack(**stack_arguments(**changes))


def test_stratified_folds_rejects_bad_k_and_seed():
    y = tiny_digits()[1]
    with pytest.raises(ValueError, match="k must be >= 2"):
        regkit.stratified_folds(y, 1)
    with pytest.raises(ValueError, match="seed must be >= 0"):
        regkit.stratified_folds(y, 2, seed=-1)
    with pytest.raises(ValueError, match=r"classes \[3\]"):
        regkit.stratified_folds(scarce_class_labels(), 2)


def test_batch_schedule_rejects_zero_batch_size_naming_it():
    with pytest.raises(ValueError, match="batch_size"):
        regkit.batch_schedule(np.arange(10), 1, 0, 0)


def test_train_stack_rejects_inits_that_do_not_fit_x():
    init = regkit.initial_weights(10, (4,), 10, 0)
    with pytest.raises(ValueError, match="inits"):
        regkit.train_stack(**stack_arguments(inits=[init, init]))
