"""The reference for the sweep engine: one model trained by Keras itself, batch by batch.

Used by the tests of ``regkit.sweep`` and ``regkit.cross_validate``; not part of the library.
It reads the same :class:`regkit.Training` settings as the engine, so both train alike.
"""

import numpy as np

import regkit


def keras_optimizer(training):
    """Keras's own SGD, Adam or AdamW for a ``regkit.Training`` (decay excluded from biases)."""
    keras = regkit.import_tensorflow().keras
    if training.optimizer == "sgd":
        return keras.optimizers.SGD(training.learning_rate)
    if training.optimizer == "adam":
        return keras.optimizers.Adam(training.learning_rate)
    optimizer = keras.optimizers.AdamW(training.learning_rate, weight_decay=training.weight_decay)
    optimizer.exclude_from_weight_decay(var_names=["bias"])
    return optimizer


def train_alone(x, y, train_rows, lam, init, *, training, num_classes=10, seed=(0, 0)):
    """Train one model with Keras on the batches a stacked model would see.

    Builds ``regkit.build_mlp`` with the layers of ``init`` and ``training.penalty``, sets
    ``init``, and calls ``model.fit`` once per epoch on the rows of
    ``regkit.batch_schedule(train_rows, training.epochs, training.batch_size, seed)`` in order
    (``shuffle=False``), with Keras's own optimizer named by ``training``. Returns the final
    weights and the per-epoch training loss that Keras reports.
    """
    keras = regkit.import_tensorflow().keras
    x, y = np.asarray(x, dtype=np.float32), np.asarray(y)
    hidden = tuple(w.shape[1] for w in init[0:-2:2])
    model = regkit.build_mlp(x.shape[1], hidden, num_classes, lam, training.penalty)
    model.set_weights(init)
    model.compile(
        optimizer=keras_optimizer(training),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    losses = []
    schedule = regkit.batch_schedule(train_rows, training.epochs, training.batch_size, seed)
    for epoch_batches in schedule:
        order = np.concatenate(epoch_batches)
        fitted = model.fit(
            x[order], y[order], batch_size=training.batch_size, shuffle=False, verbose=0
        )
        losses.append(fitted.history["loss"][0])
    return model.get_weights(), np.asarray(losses)
