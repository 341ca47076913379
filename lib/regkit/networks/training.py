"""Training Keras models on the best available devices, with the course's penalty.

:func:`regkit.select_strategy` picks a ``tf.distribute`` strategy (several GPUs, one GPU, or
the CPU); :func:`regkit.train` builds, compiles and fits a model from
:func:`regkit.build_mlp` inside it.
"""

from __future__ import annotations

import logging
import math
import os
from dataclasses import dataclass, field

import numpy as np

from .._validation import (
    check_classification_data,
    check_count,
    check_kind,
    check_lam,
    check_scalar,
)
from ..backend import import_tensorflow
from .models import build_mlp

__all__ = [
    "TrainingResult",
    "check_single_machine",
    "choose_devices",
    "select_strategy",
    "strategy_devices",
    "train",
]

logger = logging.getLogger("regkit")

DEVICE_VARIABLE = "REGKIT_DEVICE"
OPTIMIZERS = ("adam", "sgd")


def choose_devices(gpu_names, prefer=None):
    """Decide which devices to train on, from the names of the visible GPUs.

    Parameters
    ----------
    gpu_names : sequence of str
        Names of the visible (logical) GPUs, e.g. ``["/device:GPU:0"]``.
    prefer : {None, "cpu", "gpu"}
        ``"cpu"`` forces the CPU; ``"gpu"`` requires at least one GPU.

    Returns
    -------
    (str, list of str)
        ``("mirrored", gpus)`` for several GPUs, ``("one", [gpu])`` for one, and
        ``("one", ["/cpu:0"])`` for none or when the CPU is preferred.

    Raises
    ------
    ValueError
        If ``prefer`` is not None, "cpu" or "gpu".
    RuntimeError
        If ``prefer == "gpu"`` and there is no GPU.
    """
    if prefer not in (None, "cpu", "gpu"):
        raise ValueError(f"prefer must be None, 'cpu' or 'gpu'; got {prefer!r}")
    gpu_names = list(gpu_names)
    if prefer == "gpu" and not gpu_names:
        raise RuntimeError(
            "prefer='gpu' but TensorFlow sees no GPU; install the gpu extra "
            "(pip install -e '.[gpu]') on a machine with an NVIDIA GPU, or use prefer='cpu'"
        )
    if prefer == "cpu" or not gpu_names:
        return "one", ["/cpu:0"]
    if len(gpu_names) == 1:
        return "one", gpu_names
    return "mirrored", gpu_names


def select_strategy(prefer=None):
    """Return a ``tf.distribute.Strategy`` for the devices of this machine.

    ``MirroredStrategy`` over all GPUs when there are several (one replica per GPU, gradients
    averaged across replicas at every step). With one GPU, or none, TensorFlow's default
    strategy, which places every operation on that GPU, or on the CPU: a ``OneDeviceStrategy``
    would do the same with a per-step overhead that makes small models several times slower.
    When the CPU is preferred although a GPU is present, ``OneDeviceStrategy("/cpu:0")``. The
    choice is logged on the ``"regkit"`` logger and can be read back with
    :func:`strategy_devices`.

    Parameters
    ----------
    prefer : {None, "cpu", "gpu"}, optional
        Overrides the choice; when None, the environment variable ``REGKIT_DEVICE`` is used if
        set (e.g. ``REGKIT_DEVICE=cpu`` forces the CPU).

    Returns
    -------
    tf.distribute.Strategy
    """
    tf = import_tensorflow()
    if prefer is None and os.environ.get(DEVICE_VARIABLE):
        prefer = os.environ[DEVICE_VARIABLE].strip().lower()
        if prefer not in ("cpu", "gpu"):
            raise ValueError(
                f"the environment variable {DEVICE_VARIABLE} must be 'cpu' or 'gpu'; "
                f"got {os.environ[DEVICE_VARIABLE]!r}"
            )
    gpus = [device.name for device in tf.config.list_logical_devices("GPU")]
    kind, devices = choose_devices(gpus, prefer)
    if kind == "mirrored":
        strategy = tf.distribute.MirroredStrategy(devices=devices)
    elif not gpus or devices == gpus[:1]:
        strategy = tf.distribute.get_strategy()
    else:
        strategy = tf.distribute.OneDeviceStrategy(devices[0])
    logger.info("regkit trains on %s", ", ".join(strategy_devices(strategy)))
    return strategy


def check_single_machine(strategy):
    """Return ``strategy`` if all its replicas are on this machine; raise otherwise.

    Keras 3's ``fit`` (3.15 with TensorFlow 2.21) fails under a
    ``tf.distribute.MultiWorkerMirroredStrategy`` whose cluster has more than one worker: it
    reduces a whole ``(x, y)`` batch across workers to build the model symbolically, which
    ``Strategy.reduce`` does not support for nested values, and its loss and metric
    aggregation then fails too. ``tests/networks/test_multiworker.py`` runs plain Keras on two
    local workers to show both, so that a release that fixes them is noticed. Until then the course
    trains on one machine (any number of GPUs through ``MirroredStrategy``).

    Parameters
    ----------
    strategy : tf.distribute.Strategy

    Returns
    -------
    tf.distribute.Strategy
        The same object.

    Raises
    ------
    TypeError
        If ``strategy`` is not a ``tf.distribute.Strategy``.
    ValueError
        If its cluster has more than one worker.
    """
    tf = import_tensorflow()
    if not isinstance(strategy, tf.distribute.Strategy):
        raise TypeError(
            f"strategy must be a tf.distribute.Strategy; got {type(strategy).__name__}"
        )
    resolver = getattr(strategy, "cluster_resolver", None)
    spec = resolver.cluster_spec() if resolver is not None else None
    workers = spec.num_tasks("worker") if spec is not None and "worker" in spec.jobs else 1
    if workers > 1:
        raise ValueError(
            f"strategy spans {workers} workers; regkit trains on one machine only, because "
            "Keras 3's fit fails under a multi-worker MultiWorkerMirroredStrategy. Use "
            "MirroredStrategy (several GPUs of one machine) or the default strategy."
        )
    return strategy


def strategy_devices(strategy):
    """Return the names of the devices that ``strategy`` computes on.

    For TensorFlow's default strategy (no ``tf.distribute`` scope), which has no device list
    of its own, this is the device TensorFlow places operations on by default: the first GPU
    if there is one, else the CPU.
    """
    try:
        return [str(device) for device in strategy.extended.worker_devices]
    except RuntimeError:
        tf = import_tensorflow()
        gpus = tf.config.list_logical_devices("GPU")
        return [gpus[0].name if gpus else tf.config.list_logical_devices("CPU")[0].name]


@dataclass
class TrainingResult:
    """What :func:`train` returns.

    Attributes
    ----------
    model : keras.Model
        The trained model (its outputs are logits).
    history : dict of str to numpy.ndarray
        One array per metric, one entry per epoch: ``loss`` and ``accuracy``, and
        ``val_loss`` and ``val_accuracy`` (one entry per validation) when validation data were
        given. Losses include the penalty, as Keras reports them.
    validation_epochs : numpy.ndarray
        The epochs (counted from 1) at which the validation metrics were computed.
    devices : list of str
        The devices the model was trained on.
    """

    model: object
    history: dict = field(default_factory=dict)
    devices: list = field(default_factory=list)
    validation_epochs: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))


def train(
    x_train,
    y_train,
    *,
    validation_data=None,
    validation_freq=1,
    hidden=(32,),
    num_classes=10,
    lam=0.0,
    penalty="l2",
    dropout=0.0,
    early_stopping=None,
    optimizer="adam",
    learning_rate=1e-3,
    epochs=10,
    batch_size=32,
    seed=0,
    strategy=None,
    verbose=None,
):
    """Build, compile and train an MLP classifier with the course's penalty.

    The model is :func:`regkit.build_mlp`, built and compiled inside the strategy's scope, and
    trained with ``SparseCategoricalCrossentropy(from_logits=True)`` plus the penalty
    ``(lam/2) * sum(W**2)`` (or ``|W|``) over kernels, which Keras adds to the loss through
    ``model.losses``. For reproducible runs it seeds Python, NumPy and TensorFlow with
    ``seed`` and turns on TensorFlow's op determinism (a process-wide setting).

    Parameters
    ----------
    x_train : array_like, shape (count, features)
    y_train : array_like of int, shape (count,)
        Labels in ``0 .. num_classes - 1``.
    validation_data : (x, y), optional
    validation_freq : int, default 1
        Evaluate on the validation data every ``validation_freq`` epochs (at epochs
        ``validation_freq, 2 * validation_freq, ...``); evaluation costs about as much as a
        training epoch on small data, so a larger value saves time.
    hidden, num_classes, lam, penalty, seed, dropout
        As for :func:`regkit.build_mlp`.
    early_stopping : int, optional
        If given, stop when the validation loss has not improved for this many validations
        and restore the weights of the best one (Keras's ``EarlyStopping`` with
        ``restore_best_weights=True``; Prechelt, 1998). Needs ``validation_data``.
    optimizer : {"adam", "sgd"}, default "adam"
    learning_rate : float, default 1e-3
    epochs : int, default 10
    batch_size : int, default 32
    strategy : tf.distribute.Strategy, optional
        Defaults to :func:`select_strategy`. Must compute on this machine alone (see
        :func:`check_single_machine`).
    verbose : int or "auto", optional
        Keras's progress display; by default "auto" (a progress bar) in an interactive
        session and 0 (silent) under pytest or when stdout is not a terminal.

    Returns
    -------
    TrainingResult

    Raises
    ------
    FloatingPointError
        If the training loss stops being finite; lower ``learning_rate`` or ``lam``.
    ValueError, TypeError
        On bad input (shapes, labels out of range, empty data, non-finite values).
    """
    tf = import_tensorflow()
    keras = tf.keras
    x, y = check_classification_data(x_train, y_train, num_classes, "x_train", "y_train")
    if validation_data is not None:
        validation_data = _check_validation(validation_data, x.shape[1], num_classes)
    lam, penalty = check_lam(lam), check_kind(penalty, "penalty")
    learning_rate = check_scalar(learning_rate, "learning_rate", positive=True)
    epochs = check_count(epochs, "epochs", minimum=1)
    validation_freq = check_count(validation_freq, "validation_freq", minimum=1)
    batch_size = check_count(batch_size, "batch_size", minimum=1)
    seed = check_count(seed, "seed")
    callbacks = [_stop_on_non_finite_loss(keras, learning_rate, lam)]
    if early_stopping is not None:
        patience = check_count(early_stopping, "early_stopping", minimum=1)
        if validation_data is None:
            raise ValueError("early_stopping needs validation_data")
        callbacks.append(
            keras.callbacks.EarlyStopping(patience=patience, restore_best_weights=True)
        )
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {OPTIMIZERS}; got {optimizer!r}")
    strategy = select_strategy() if strategy is None else check_single_machine(strategy)
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    with strategy.scope():
        model = build_mlp(x.shape[1], hidden, num_classes, lam, penalty, seed, dropout=dropout)
        model.compile(
            optimizer=_optimizer(keras, optimizer, learning_rate),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=["accuracy"],
        )
    fitted = model.fit(
        x,
        y,
        validation_data=validation_data,
        validation_freq=validation_freq,
        epochs=epochs,
        batch_size=batch_size,
        verbose=_default_verbose() if verbose is None else verbose,
        callbacks=callbacks,
    )
    history = {name: np.asarray(values) for name, values in fitted.history.items()}
    trained_epochs = len(history["loss"])
    validated = np.arange(validation_freq, trained_epochs + 1, validation_freq)
    return TrainingResult(
        model=model,
        history=history,
        devices=strategy_devices(strategy),
        validation_epochs=validated if validation_data is not None else validated[:0],
    )


def _optimizer(keras, name, learning_rate):
    if name == "adam":
        return keras.optimizers.Adam(learning_rate=learning_rate)
    return keras.optimizers.SGD(learning_rate=learning_rate)


def _default_verbose():
    import sys

    if "PYTEST_CURRENT_TEST" in os.environ or not sys.stdout.isatty():
        return 0
    return "auto"


def _check_validation(validation_data, features, num_classes):
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
        raise TypeError("validation_data must be a pair (x_val, y_val)")
    x_val, y_val = check_classification_data(*validation_data, num_classes, "x_val", "y_val")
    if x_val.shape[1] != features:
        raise ValueError(
            f"x_val must have {features} features like x_train; got shape {x_val.shape}"
        )
    return x_val, y_val


def _stop_on_non_finite_loss(keras, learning_rate, lam):
    """Return a Keras callback that raises as soon as the training loss is NaN or inf."""

    class StopOnNonFiniteLoss(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            loss = (logs or {}).get("loss")
            if loss is not None and not math.isfinite(float(loss)):
                raise FloatingPointError(
                    f"the training loss became {float(loss)} at batch {batch}; lower "
                    f"learning_rate (now {learning_rate}) or lam (now {lam})"
                )

    return StopOnNonFiniteLoss()
