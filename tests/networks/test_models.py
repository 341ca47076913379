"""Tests of regkit.models: build_mlp's layers and penalty, and keras_regularizer's strength.

The course's penalty is (lam/2) * sum(W**2) (L2) or (lam/2) * sum(|W|) (L1) over kernels only;
every penalty below is recomputed with NumPy from the model's weights. Keras computes in
float32, so sums of a few thousand float32 terms are compared with a relative tolerance of 1e-5.
"""

import math

import numpy as np
import pytest

import regkit
from regkit.backend import import_tensorflow

tf = import_tensorflow()
keras = tf.keras

FLOAT32_RTOL = 1e-5
INPUT_DIM = 64


def kernels_of(model):
    return [np.asarray(layer.kernel.numpy(), np.float64) for layer in model.layers]


def numpy_penalty(model, lam, penalty):
    norms = [np.sum(w**2) if penalty == "l2" else np.sum(np.abs(w)) for w in kernels_of(model)]
    return lam / 2 * float(sum(norms))


def numpy_forward(model, x):
    """Logits computed with NumPy: ReLU after every layer but the last, which is linear."""
    a = np.asarray(x, np.float64)
    for index, layer in enumerate(model.layers):
        a = a @ layer.kernel.numpy().astype(np.float64) + layer.bias.numpy().astype(np.float64)
        if index < len(model.layers) - 1:
            a = np.maximum(a, 0.0)
    return a


@pytest.mark.parametrize("hidden", [(), (8,), (16, 8)])
def test_layers_are_relu_dense_then_linear_logits(hidden):
    model = regkit.build_mlp(INPUT_DIM, hidden=hidden, num_classes=10)
    assert [tuple(t.shape) for t in model.inputs] == [(None, INPUT_DIM)]
    assert len(model.layers) == len(hidden) + 1
    assert all(isinstance(layer, keras.layers.Dense) for layer in model.layers)
    assert [layer.units for layer in model.layers] == [*hidden, 10]
    for layer in model.layers[:-1]:
        assert layer.activation is keras.activations.relu
    assert model.layers[-1].activation is keras.activations.linear


@pytest.mark.parametrize("hidden", [(), (8,), (16, 8)])
def test_forward_pass_matches_numpy_relu_network(hidden):
    model = regkit.build_mlp(INPUT_DIM, hidden=hidden, num_classes=10, seed=3)
    for layer in model.layers:  # non-zero biases, so that they are exercised too
        layer.bias.assign(np.linspace(-0.5, 0.5, layer.units, dtype=np.float32))
    x = np.random.default_rng(0).standard_normal((7, INPUT_DIM)).astype(np.float32)
    logits = np.asarray(model(x))
    assert logits.shape == (7, 10)
    np.testing.assert_allclose(logits, numpy_forward(model, x), rtol=1e-5, atol=1e-5)
    assert np.any(logits < 0), "a linear output layer must be able to produce negative logits"


def test_output_shape_follows_num_classes():
    model = regkit.build_mlp(5, hidden=(4,), num_classes=3)
    assert np.asarray(model(np.zeros((11, 5), np.float32))).shape == (11, 3)


def test_hidden_empty_is_a_linear_softmax_classifier():
    model = regkit.build_mlp(INPUT_DIM, hidden=(), num_classes=10, lam=0.2)
    assert len(model.layers) == 1
    assert model.layers[0].kernel.shape == (INPUT_DIM, 10)
    assert model.layers[0].activation is keras.activations.linear
    assert len(model.losses) == 1


def test_kernels_are_glorot_uniform_and_biases_zero():
    model = regkit.build_mlp(INPUT_DIM, hidden=(32, 16), num_classes=10, seed=5)
    for layer in model.layers:
        fan_in, fan_out = layer.kernel.shape
        limit = math.sqrt(6 / (fan_in + fan_out))
        kernel = layer.kernel.numpy()
        assert np.all(np.abs(kernel) <= limit)
        assert np.max(np.abs(kernel)) > 0.8 * limit  # spread over the range, not all near 0
        np.testing.assert_array_equal(layer.bias.numpy(), 0.0)


@pytest.mark.parametrize("penalty", ["l1", "l2"])
@pytest.mark.parametrize("hidden", [(), (8,), (16, 8)])
def test_one_penalty_term_per_dense_layer(hidden, penalty):
    model = regkit.build_mlp(INPUT_DIM, hidden=hidden, lam=0.1, penalty=penalty)
    assert len(model.losses) == len(hidden) + 1


@pytest.mark.parametrize("penalty", ["l1", "l2"])
@pytest.mark.parametrize("lam", [1e-3, 0.1, 3.0])
def test_sum_of_losses_is_half_lam_times_kernel_norm(lam, penalty):
    model = regkit.build_mlp(INPUT_DIM, hidden=(16, 8), lam=lam, penalty=penalty, seed=1)
    total = float(sum(float(term) for term in model.losses))
    assert total == pytest.approx(numpy_penalty(model, lam, penalty), rel=FLOAT32_RTOL)


@pytest.mark.parametrize("penalty", ["l1", "l2"])
def test_biases_carry_no_penalty(penalty):
    model = regkit.build_mlp(INPUT_DIM, hidden=(8,), lam=0.5, penalty=penalty)
    before = float(sum(model.losses))
    for layer in model.layers:
        layer.bias.assign(np.full(layer.units, 100.0, np.float32))
    assert float(sum(model.losses)) == before
    assert before == pytest.approx(numpy_penalty(model, 0.5, penalty), rel=FLOAT32_RTOL)


def test_penalty_follows_the_current_weights():
    model = regkit.build_mlp(INPUT_DIM, hidden=(8,), lam=0.4, penalty="l2")
    for layer in model.layers:
        layer.kernel.assign(2.0 * layer.kernel)
    assert float(sum(model.losses)) == pytest.approx(
        numpy_penalty(model, 0.4, "l2"), rel=FLOAT32_RTOL
    )


@pytest.mark.parametrize("penalty", ["l1", "l2"])
def test_lam_zero_adds_no_penalty(penalty):
    model = regkit.build_mlp(INPUT_DIM, hidden=(8,), lam=0.0, penalty=penalty)
    assert model.losses == []
    assert all(layer.kernel_regularizer is None for layer in model.layers)


@pytest.mark.parametrize("lam", [1e-4, 0.3, 2.0])
def test_keras_l2_strength_is_half_lam(lam):
    regularizer = regkit.keras_regularizer(lam, "l2")
    assert isinstance(regularizer, keras.regularizers.L2)
    assert regularizer.get_config()["l2"] == lam / 2


@pytest.mark.parametrize("lam", [1e-4, 0.3, 2.0])
def test_keras_l1_strength_is_half_lam(lam):
    regularizer = regkit.keras_regularizer(lam, "l1")
    assert isinstance(regularizer, keras.regularizers.L1)
    # Keras 3 stores the L1 strength as a float32 tensor, so it reads back rounded to float32
    # (relative error <= 2**-24); Keras's L2 keeps the Python float.
    assert regularizer.get_config()["l1"] == pytest.approx(lam / 2, rel=2**-24)


@pytest.mark.parametrize("penalty", ["l1", "l2"])
def test_keras_regularizer_is_none_at_lam_zero(penalty):
    assert regkit.keras_regularizer(0.0, penalty) is None
    assert regkit.keras_regularizer(0, penalty) is None


@pytest.mark.parametrize("penalty", ["l1", "l2"])
def test_keras_regularizer_value_is_the_course_penalty(penalty):
    w = np.array([[0.5, -2.0], [1.5, 0.0]], np.float32)
    expected = 0.3 / 2 * (np.sum(w.astype(np.float64) ** 2) if penalty == "l2" else 4.0)
    value = float(regkit.keras_regularizer(0.3, penalty)(tf.constant(w)))
    assert value == pytest.approx(expected, rel=FLOAT32_RTOL)


def test_same_seed_gives_identical_weights():
    first = regkit.build_mlp(INPUT_DIM, hidden=(16, 8), seed=7).get_weights()
    second = regkit.build_mlp(INPUT_DIM, hidden=(16, 8), seed=7).get_weights()
    assert len(first) == len(second) == 6
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)


def test_different_seeds_give_different_kernels():
    first = regkit.build_mlp(INPUT_DIM, hidden=(16, 8), seed=7)
    second = regkit.build_mlp(INPUT_DIM, hidden=(16, 8), seed=8)
    for a, b in zip(kernels_of(first), kernels_of(second), strict=True):
        assert not np.array_equal(a, b)


BAD_ARGUMENTS = [
    (dict(input_dim=0), ValueError, "input_dim"),
    (dict(input_dim=-3), ValueError, "input_dim"),
    (dict(input_dim=2.5), TypeError, "input_dim"),
    (dict(num_classes=1), ValueError, "num_classes"),
    (dict(num_classes="10"), TypeError, "num_classes"),
    (dict(hidden=(0,)), ValueError, "hidden"),
    (dict(hidden=(8, 0)), ValueError, "hidden"),
    (dict(hidden=(2.5,)), ValueError, "hidden"),
    (dict(hidden=(8, "4")), ValueError, "hidden"),
    (dict(hidden=(True,)), ValueError, "hidden"),
    (dict(hidden="8"), TypeError, "hidden"),
    (dict(hidden=8), TypeError, "hidden"),
    (dict(lam=-0.1), ValueError, "lam"),
    (dict(lam=math.nan), ValueError, "lam"),
    (dict(lam=math.inf), ValueError, "lam"),
    (dict(lam="0.1"), TypeError, "lam"),
    (dict(seed=-1), ValueError, "seed"),
]


@pytest.mark.parametrize(
    ("kwargs", "error", "name"), BAD_ARGUMENTS, ids=[str(a[0]) for a in BAD_ARGUMENTS]
)
def test_build_mlp_rejects_bad_arguments_naming_them(kwargs, error, name):
    arguments = dict(input_dim=INPUT_DIM, hidden=(8,), num_classes=10, lam=0.1, seed=0)
    with pytest.raises(error, match=name):
        regkit.build_mlp(**{**arguments, **kwargs})


@pytest.mark.parametrize(
    ("penalty", "error"), [("l3", ValueError), ("L2", ValueError), (None, TypeError)]
)
def test_build_mlp_rejects_unknown_penalty(penalty, error):
    with pytest.raises(error, match="l1"):
        regkit.build_mlp(INPUT_DIM, lam=0.1, penalty=penalty)


def test_build_mlp_unknown_penalty_message_names_penalty():
    with pytest.raises(ValueError, match="penalty"):
        regkit.build_mlp(INPUT_DIM, lam=0.1, penalty="l3")


@pytest.mark.parametrize(
    ("lam", "penalty", "error", "name"),
    [
        (-1.0, "l2", ValueError, "lam"),
        (math.nan, "l1", ValueError, "lam"),
        (0.1, "l3", ValueError, "l1"),
    ],
)
def test_keras_regularizer_rejects_bad_arguments(lam, penalty, error, name):
    with pytest.raises(error, match=name):
        regkit.keras_regularizer(lam, penalty)


def test_keras_regularizer_rejects_unknown_penalty_even_at_lam_zero():
    with pytest.raises(ValueError):
        regkit.keras_regularizer(0.0, "l3")
