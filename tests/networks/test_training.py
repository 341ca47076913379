"""Tests of regkit.training: device choice, strategy selection, and train().

choose_devices is a pure function of the GPU names. select_strategy is tested with TensorFlow's
device listing and MirroredStrategy replaced by fakes. The real multi-device path runs in a
subprocess that splits the CPU into two logical devices (this must happen before TensorFlow
initialises its devices, which the test process has already done). Training runs are kept small
(<= 256 digits examples, one hidden layer of 8 units, <= 3 epochs).
"""

import json
import math
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import regkit
from regkit.backend import import_tensorflow

tf = import_tensorflow()

SMALL = dict(hidden=(8,), epochs=3, batch_size=32, seed=0)


@pytest.fixture(scope="module")
def digits():
    """256 training and 64 validation examples of the 8x8 digits."""
    (x_train, y_train), (x_test, y_test) = regkit.load_digits(seed=0)
    return x_train[:256], y_train[:256], x_test[:64], y_test[:64]


@pytest.fixture(scope="module")
def trained(digits):
    x, y, x_val, y_val = digits
    return regkit.train(x, y, validation_data=(x_val, y_val), **SMALL)


def kernel_norm(model):
    return math.sqrt(sum(float(np.sum(layer.kernel.numpy() ** 2)) for layer in model.layers))


# choose_devices ------------------------------------------------------------------------------


def test_no_gpu_chooses_the_cpu():
    assert regkit.choose_devices([]) == ("one", ["/cpu:0"])


def test_one_gpu_is_used_alone():
    assert regkit.choose_devices(["/device:GPU:0"]) == ("one", ["/device:GPU:0"])


def test_two_gpus_are_mirrored():
    gpus = ["/device:GPU:0", "/device:GPU:1"]
    assert regkit.choose_devices(gpus) == ("mirrored", gpus)


def test_choose_devices_accepts_any_iterable():
    gpus = ("/device:GPU:0", "/device:GPU:1")
    assert regkit.choose_devices(iter(gpus)) == ("mirrored", list(gpus))


@pytest.mark.parametrize("gpus", [[], ["/device:GPU:0"], ["/device:GPU:0", "/device:GPU:1"]])
def test_prefer_cpu_ignores_gpus(gpus):
    assert regkit.choose_devices(gpus, prefer="cpu") == ("one", ["/cpu:0"])


def test_prefer_gpu_uses_the_gpus():
    assert regkit.choose_devices(["/device:GPU:0"], prefer="gpu") == ("one", ["/device:GPU:0"])


def test_prefer_gpu_without_gpu_says_to_install_the_gpu_extra():
    with pytest.raises(RuntimeError, match=r"gpu extra") as raised:
        regkit.choose_devices([], prefer="gpu")
    assert "[gpu]" in str(raised.value)


@pytest.mark.parametrize("prefer", ["GPU", "tpu", "", 0])
def test_bad_prefer_is_rejected(prefer):
    with pytest.raises(ValueError, match="prefer"):
        regkit.choose_devices([], prefer=prefer)


# select_strategy -----------------------------------------------------------------------------


class FakeDevice:
    def __init__(self, name):
        self.name = name


def recording_strategy(calls):
    """Return a stand-in for a tf.distribute strategy class that appends its devices to calls."""

    class RecordingStrategy:
        def __init__(self, devices=None):
            calls.append(devices if isinstance(devices, str) else list(devices))
            names = [devices] if isinstance(devices, str) else list(devices)
            self.extended = type("Extended", (), {"worker_devices": tuple(names)})()

    return RecordingStrategy


@pytest.fixture
def fake_gpus(monkeypatch):
    """Make TensorFlow list two logical GPUs; return the devices MirroredStrategy was given."""
    real_list = tf.config.list_logical_devices

    def list_logical_devices(device_type=None):
        if device_type == "GPU":
            return [FakeDevice("/device:GPU:0"), FakeDevice("/device:GPU:1")]
        return real_list(device_type)

    calls = []
    monkeypatch.setattr(tf.config, "list_logical_devices", list_logical_devices)
    monkeypatch.setattr(tf.distribute, "MirroredStrategy", recording_strategy(calls))
    monkeypatch.delenv("REGKIT_DEVICE", raising=False)
    return calls


def test_select_strategy_on_this_cpu_machine(monkeypatch):
    monkeypatch.delenv("REGKIT_DEVICE", raising=False)
    assert tf.config.list_logical_devices("GPU") == []
    strategy = regkit.select_strategy()
    assert strategy is tf.distribute.get_strategy()
    devices = regkit.strategy_devices(strategy)
    assert len(devices) == 1
    assert devices[0].endswith("device:CPU:0")


def test_select_strategy_mirrors_over_two_gpus(fake_gpus):
    strategy = regkit.select_strategy()
    assert fake_gpus == [["/device:GPU:0", "/device:GPU:1"]]
    assert regkit.strategy_devices(strategy) == ["/device:GPU:0", "/device:GPU:1"]


def test_regkit_device_cpu_forces_the_cpu_despite_gpus(fake_gpus, monkeypatch):
    monkeypatch.setenv("REGKIT_DEVICE", "cpu")
    strategy = regkit.select_strategy()
    assert fake_gpus == []
    assert isinstance(strategy, tf.distribute.OneDeviceStrategy)
    assert regkit.strategy_devices(strategy)[0].endswith("device:CPU:0")


def test_prefer_argument_overrides_regkit_device(fake_gpus, monkeypatch):
    monkeypatch.setenv("REGKIT_DEVICE", "cpu")
    regkit.select_strategy(prefer="gpu")
    assert fake_gpus == [["/device:GPU:0", "/device:GPU:1"]]


def test_one_gpu_gets_the_default_strategy_which_places_ops_on_it(monkeypatch):
    monkeypatch.delenv("REGKIT_DEVICE", raising=False)
    monkeypatch.setattr(
        tf.config,
        "list_logical_devices",
        lambda device_type=None: [FakeDevice("/device:GPU:0")] if device_type == "GPU" else [],
    )
    calls = []
    monkeypatch.setattr(tf.distribute, "OneDeviceStrategy", recording_strategy(calls))
    monkeypatch.setattr(tf.distribute, "MirroredStrategy", None)  # must not be used
    strategy = regkit.select_strategy()
    assert calls == []
    assert strategy is tf.distribute.get_strategy()
    assert regkit.strategy_devices(strategy) == ["/device:GPU:0"]


def test_regkit_device_gpu_without_gpu_raises(monkeypatch):
    monkeypatch.setenv("REGKIT_DEVICE", "gpu")
    with pytest.raises(RuntimeError, match="gpu extra"):
        regkit.select_strategy()


def test_strategy_devices_of_a_one_device_strategy():
    devices = regkit.strategy_devices(tf.distribute.OneDeviceStrategy("/cpu:0"))
    assert devices == ["/job:localhost/replica:0/task:0/device:CPU:0"]


def test_check_single_machine_accepts_one_machine_strategies():
    tf = import_tensorflow()
    default = tf.distribute.get_strategy()
    assert regkit.check_single_machine(default) is default
    one_device = tf.distribute.OneDeviceStrategy("/cpu:0")
    assert regkit.check_single_machine(one_device) is one_device


@pytest.mark.parametrize("bad", [None, "mirrored", 2])
def test_check_single_machine_rejects_what_is_not_a_strategy(bad):
    with pytest.raises(TypeError, match=r"strategy must be a tf\.distribute\.Strategy"):
        regkit.check_single_machine(bad)


def test_strategy_devices_of_the_default_strategy():
    assert len(regkit.strategy_devices(tf.distribute.get_strategy())) >= 1


# The multi-device path, for real, in a subprocess ---------------------------------------------

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
    x, y = x[:128], y[:128]
    initial = regkit.build_mlp(64, hidden=(8,), lam=0.1, seed=0).get_weights()


    def one_step(strategy, lam=0.1):
        result = regkit.train(
            x, y, hidden=(8,), lam=lam, optimizer="sgd", learning_rate=0.5,
            epochs=1, batch_size=len(x), seed=0, strategy=strategy, verbose=0,
        )
        return result.model.get_weights(), result.devices


    def max_gap(first, second):
        return max(float(np.max(np.abs(a - b))) for a, b in zip(first, second, strict=True))


    mirrored, mirrored_devices = one_step(tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"]))
    single, single_devices = one_step(tf.distribute.OneDeviceStrategy("/cpu:0"))
    unpenalized, _ = one_step(tf.distribute.OneDeviceStrategy("/cpu:0"), lam=0.0)
    print(json.dumps({
        "logical_cpus": len(tf.config.list_logical_devices("CPU")),
        "mirrored_vs_single": max_gap(mirrored, single),
        "smallest_move": min(
            float(np.max(np.abs(a - b))) for a, b in zip(single, initial, strict=True)
        ),
        "penalty_effect": max_gap(single, unpenalized),
        "mirrored_devices": mirrored_devices,
        "single_devices": single_devices,
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


def test_mirrored_strategy_uses_two_logical_cpus(mirrored_run):
    assert mirrored_run["logical_cpus"] == 2
    assert len(mirrored_run["mirrored_devices"]) == 2
    assert mirrored_run["mirrored_devices"][0].endswith("device:CPU:0")
    assert mirrored_run["mirrored_devices"][1].endswith("device:CPU:1")
    assert len(mirrored_run["single_devices"]) == 1


def test_mirrored_step_equals_single_device_step(mirrored_run):
    # One full-batch SGD step: each replica computes the gradient of its half of the batch and
    # the halves are averaged, which is the full-batch gradient up to the order of the float32
    # sums; after a step with learning rate 0.5 that leaves differences of a few 1e-8.
    assert mirrored_run["mirrored_vs_single"] <= 1e-5


def test_mirrored_comparison_is_not_vacuous(mirrored_run):
    # Every weight array moved, and the penalty alone moves the weights far more than the
    # tolerance, so a penalty counted once per replica (or not at all) would be caught.
    assert mirrored_run["smallest_move"] > 1e-3
    assert mirrored_run["penalty_effect"] > 1e-3


# train ---------------------------------------------------------------------------------------


def test_validation_history_is_that_of_the_returned_model(trained, digits):
    # After the last epoch the weights no longer change: the recorded validation accuracy is
    # the accuracy of the returned model's predictions (up to one example, float32 ties).
    _, _, x_val, y_val = digits
    predicted = np.argmax(trained.model.predict(x_val, verbose=0), axis=1)
    accuracy = float(np.mean(predicted == y_val))
    assert abs(trained.history["val_accuracy"][-1] - accuracy) <= 1 / len(y_val) + 1e-7


def test_train_returns_a_training_result(trained):
    assert isinstance(trained, regkit.TrainingResult)
    assert set(trained.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    for name, values in trained.history.items():
        assert isinstance(values, np.ndarray), name
        assert values.shape == (SMALL["epochs"],), name
        assert np.all(np.isfinite(values)), name
    assert trained.devices
    assert trained.devices[0].endswith("device:CPU:0")


def test_trained_model_outputs_logits_for_every_class(trained, digits):
    x = digits[0][:5]
    assert np.asarray(trained.model(x)).shape == (5, 10)


def test_training_lowers_the_loss(trained):
    assert trained.history["loss"][-1] < trained.history["loss"][0]


def test_history_without_validation_has_no_val_entries(digits):
    x, y, _, _ = digits
    result = regkit.train(x[:64], y[:64], hidden=(8,), epochs=1, batch_size=64)
    assert set(result.history) == {"loss", "accuracy"}
    assert result.history["loss"].shape == (1,)


def test_same_seed_gives_identical_history(trained, digits):
    x, y, x_val, y_val = digits
    again = regkit.train(x, y, validation_data=(x_val, y_val), **SMALL)
    for name, values in trained.history.items():
        np.testing.assert_array_equal(again.history[name], values, err_msg=name)
    for a, b in zip(again.model.get_weights(), trained.model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_penalty_shrinks_the_kernels(digits):
    x, y, _, _ = digits
    common = dict(hidden=(8,), optimizer="sgd", learning_rate=0.1, epochs=2, batch_size=64)
    free = regkit.train(x, y, lam=0.0, **common)
    penalized = regkit.train(x, y, lam=1.0, **common)
    # 8 SGD steps multiply the kernels by (1 - 0.1 * 1.0) each, besides the data gradient, so
    # the penalized norm should be well below the free one, not merely below it.
    assert kernel_norm(penalized.model) < 0.8 * kernel_norm(free.model)


def test_diverging_loss_raises_floating_point_error(digits):
    x, y, _, _ = digits
    with pytest.raises(FloatingPointError, match="lower learning_rate") as raised:
        regkit.train(x, y, hidden=(8,), optimizer="sgd", learning_rate=1.0, lam=10.0, epochs=3)
    message = str(raised.value)
    assert "lam" in message
    assert any(word in message for word in ("nan", "inf"))


def test_verbose_defaults_to_silent_under_pytest(digits, capsys, monkeypatch):
    # Pretend stdout is a terminal, so that only the pytest rule can keep training silent.
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    x, y, _, _ = digits
    regkit.train(x[:64], y[:64], hidden=(8,), epochs=2, batch_size=32)
    out = capsys.readouterr().out
    assert "Epoch" not in out
    assert "━" not in out


def test_verbose_one_shows_progress_that_capsys_would_catch(digits, capsys):
    x, y, _, _ = digits
    regkit.train(x[:64], y[:64], hidden=(8,), epochs=2, batch_size=64, verbose=1)
    out = capsys.readouterr().out
    assert "Epoch 2/2" in out
    assert "━" in out


BAD_DATA = [
    ("labels out of range", lambda x, y: (x, np.where(y == 0, 10, y)), ValueError, r"0\.\.9"),
    ("negative labels", lambda x, y: (x, y - 1), ValueError, r"0\.\.9"),
    ("float labels", lambda x, y: (x, y.astype(np.float64)), TypeError, "integer"),
    ("2-D labels", lambda x, y: (x, y[:, None]), ValueError, "y_train"),
    ("1-D x", lambda x, y: (x[:, 0], y), ValueError, "x_train"),
    ("3-D x", lambda x, y: (x.reshape(-1, 8, 8), y), ValueError, "x_train"),
    ("mismatched lengths", lambda x, y: (x, y[:-1]), ValueError, r"\(32, 64\).*\(31,\)"),
    ("empty x", lambda x, y: (x[:0], y[:0]), ValueError, "empty"),
    ("NaN in x", lambda x, y: (np.where(x == x.max(), np.nan, x), y), ValueError, "finite"),
    ("inf in x", lambda x, y: (np.where(x == x.max(), np.inf, x), y), ValueError, "finite"),
    ("string x", lambda x, y: ("x", y), TypeError, "x_train"),
]


@pytest.mark.parametrize(
    ("make", "error", "pattern"), [b[1:] for b in BAD_DATA], ids=[b[0] for b in BAD_DATA]
)
def test_train_rejects_bad_data(digits, make, error, pattern):
    x, y = make(digits[0][:32], digits[1][:32])
    with pytest.raises(error, match=pattern):
        regkit.train(x, y, hidden=(8,), epochs=1)


def test_out_of_range_labels_follow_num_classes(digits):
    x, y = digits[0][:32], digits[1][:32]
    with pytest.raises(ValueError, match=r"0\.\.4; got values from 0 to 9"):
        regkit.train(x, y, num_classes=5, hidden=(8,), epochs=1)


BAD_OPTIONS = [
    (dict(lam=-0.1), ValueError, "lam"),
    (dict(lam=math.nan), ValueError, "lam"),
    (dict(penalty="l3"), ValueError, "l1"),
    (dict(optimizer="rmsprop"), ValueError, "optimizer"),
    (dict(learning_rate=0.0), ValueError, "learning_rate"),
    (dict(epochs=0), ValueError, "epochs"),
    (dict(epochs=1.5), TypeError, "epochs"),
    (dict(batch_size=0), ValueError, "batch_size"),
    (dict(validation_data="validation"), TypeError, "validation_data"),
    (dict(validation_data=(1, 2, 3)), TypeError, "validation_data"),
    (dict(validation_data=([[0.0] * 64],)), TypeError, "validation_data"),
]


@pytest.mark.parametrize(
    ("kwargs", "error", "name"), BAD_OPTIONS, ids=[str(b[0]) for b in BAD_OPTIONS]
)
def test_train_rejects_bad_options(digits, kwargs, error, name):
    x, y = digits[0][:32], digits[1][:32]
    with pytest.raises(error, match=name):
        regkit.train(x, y, **{**dict(hidden=(8,), epochs=1), **kwargs})


def test_validation_with_wrong_feature_count_is_rejected(digits):
    x, y, x_val, y_val = digits
    with pytest.raises(ValueError, match=r"x_val must have 64 features.*\(64, 63\)"):
        regkit.train(x, y, validation_data=(x_val[:, :63], y_val), hidden=(8,), epochs=1)


def test_validation_labels_are_checked_like_training_labels(digits):
    x, y, x_val, y_val = digits
    with pytest.raises(ValueError, match="y_val"):
        regkit.train(x, y, validation_data=(x_val, y_val + 10), hidden=(8,), epochs=1)


def test_unknown_penalty_message_names_penalty(digits):
    with pytest.raises(ValueError, match="penalty"):
        regkit.train(digits[0][:32], digits[1][:32], penalty="l3", epochs=1)
