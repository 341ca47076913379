"""Tests of regkit.networks.losses: cross-entropy and the kernels' penalty, computed with NumPy.

softmax_cross_entropy is compared with Keras's own loss run in float64 and with hand-computed
values; kernel_penalty with NumPy sums over the kernels.
"""

import math

import numpy as np
import pytest

import regkit
from regkit.backend import import_tensorflow

tf = import_tensorflow()
keras = tf.keras


def keras_cross_entropy(logits, labels):
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True, dtype="float64")
    return float(loss(tf.constant(labels), tf.constant(logits, dtype=tf.float64)))


@pytest.mark.parametrize(("count", "classes", "scale"), [(1, 2, 1.0), (50, 10, 3.0), (7, 3, 30.0)])
def test_softmax_cross_entropy_matches_keras_in_float64(count, classes, scale):
    rng = np.random.default_rng(count)
    logits = scale * rng.standard_normal((count, classes))
    labels = rng.integers(0, classes, count)
    expected = keras_cross_entropy(logits, labels)
    assert regkit.softmax_cross_entropy(logits, labels) == pytest.approx(expected, rel=1e-12)


def test_softmax_cross_entropy_two_class_by_hand():
    # softmax([0, ln 3]) = [1/4, 3/4]: label 0 costs ln 4, label 1 costs ln(4/3).
    logits = [[0.0, math.log(3.0)], [0.0, math.log(3.0)]]
    assert regkit.softmax_cross_entropy(logits, [0, 0]) == pytest.approx(math.log(4), rel=1e-12)
    assert regkit.softmax_cross_entropy(logits, [1, 1]) == pytest.approx(
        math.log(4 / 3), rel=1e-12
    )
    assert regkit.softmax_cross_entropy(logits, [0, 1]) == pytest.approx(
        (math.log(4) + math.log(4 / 3)) / 2, rel=1e-12
    )


def test_softmax_cross_entropy_uniform_logits_cost_log_classes():
    assert regkit.softmax_cross_entropy(np.full((4, 10), 7.0), [0, 3, 9, 5]) == pytest.approx(
        math.log(10), rel=1e-12
    )


def test_softmax_cross_entropy_is_stable_for_large_logits():
    # softmax([1000, 0]): label 1 costs 1000 + log(1 + e^-1000) = 1000 in float64.
    value = regkit.softmax_cross_entropy([[1000.0, 0.0]], [1])
    assert value == pytest.approx(1000.0, rel=1e-15)
    assert regkit.softmax_cross_entropy([[1000.0, 0.0]], [0]) == 0.0


@pytest.mark.parametrize(
    ("logits", "labels"),
    [
        (np.zeros((3, 4)), [0, 1]),
        (np.zeros((3, 4)), [[0], [1], [2]]),
        (np.zeros(4), [0]),
        (np.zeros((2, 3, 4)), [0, 1]),
    ],
)
def test_softmax_cross_entropy_rejects_mismatched_shapes(logits, labels):
    with pytest.raises(ValueError, match="shape"):
        regkit.softmax_cross_entropy(logits, labels)


def test_softmax_cross_entropy_rejects_a_label_past_the_last_class():
    with pytest.raises((ValueError, IndexError)):
        regkit.softmax_cross_entropy([[0.0, 1.0, 2.0]], [3])


def test_softmax_cross_entropy_rejects_negative_labels():
    with pytest.raises(ValueError):
        regkit.softmax_cross_entropy([[0.0, 1.0, 2.0]], [-1])


def numpy_kernel_sums(model):
    kernels = [w.astype(np.float64) for w in model.get_weights() if w.ndim == 2]
    return sum(np.sum(w**2) for w in kernels), sum(np.sum(np.abs(w)) for w in kernels)


@pytest.mark.parametrize("hidden", [(), (8,), (16, 8)])
@pytest.mark.parametrize("lam", [0.0, 0.01, 2.0])
def test_kernel_penalty_matches_numpy(hidden, lam):
    model = regkit.build_mlp(64, hidden=hidden, lam=lam, seed=2)
    squares, absolutes = numpy_kernel_sums(model)
    assert regkit.kernel_penalty(model, lam, "l2") == pytest.approx(lam / 2 * squares, rel=1e-12)
    assert regkit.kernel_penalty(model, lam, "l1") == pytest.approx(lam / 2 * absolutes, rel=1e-12)


def test_kernel_penalty_ignores_biases():
    model = regkit.build_mlp(64, hidden=(8,), seed=2)
    before = regkit.kernel_penalty(model, 0.5, "l2"), regkit.kernel_penalty(model, 0.5, "l1")
    for layer in model.layers:
        layer.bias.assign(np.full(layer.units, -3.0, np.float32))
    after = regkit.kernel_penalty(model, 0.5, "l2"), regkit.kernel_penalty(model, 0.5, "l1")
    assert after == before


def test_kernel_penalty_of_known_weights():
    model = regkit.build_mlp(2, hidden=(), num_classes=2)
    model.layers[0].kernel.assign(np.array([[1.0, -2.0], [0.5, 0.0]], np.float32))
    assert regkit.kernel_penalty(model, 0.4, "l2") == pytest.approx(0.2 * 5.25, rel=1e-15)
    assert regkit.kernel_penalty(model, 0.4, "l1") == pytest.approx(0.2 * 3.5, rel=1e-15)


@pytest.mark.parametrize(
    ("lam", "penalty", "error"), [(-1.0, "l2", ValueError), (0.1, "l3", ValueError)]
)
def test_kernel_penalty_rejects_bad_arguments(lam, penalty, error):
    model = regkit.build_mlp(4, hidden=(), num_classes=2)
    with pytest.raises(error):
        regkit.kernel_penalty(model, lam, penalty)


class _Logits:
    """A stand-in model: returns fixed logits."""

    def __init__(self, logits):
        self.logits = np.asarray(logits, dtype=np.float32)

    def __call__(self, x, training=False):
        return self.logits[: len(x)]


def test_cross_entropy_against_a_closed_form():
    logits = np.array([[2.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    expected = (-np.log(np.exp(2) / (np.exp(2) + 2)) - np.log(1 / 3)) / 2
    value = regkit.cross_entropy(_Logits(logits), np.zeros((2, 4)), np.array([0, 1]))
    assert value == pytest.approx(expected, rel=1e-6)


def test_cross_entropy_of_an_unpenalized_model_is_keras_loss():
    (x, y), _ = regkit.load_digits(seed=0)
    (x, y), _ = regkit.stratified_subset(x, y, 60, seed=0)
    result = regkit.train(
        x, y, hidden=(16,), epochs=5, batch_size=60, learning_rate=0.02, verbose=0
    )
    keras_loss = result.model.evaluate(x, y, verbose=0, return_dict=True)["loss"]
    assert regkit.cross_entropy(result.model, x, y) == pytest.approx(keras_loss, rel=1e-4)


def test_cross_entropy_rejects_a_non_model():
    with pytest.raises(TypeError, match="model"):
        regkit.cross_entropy("model", [[0.0]], [0])
