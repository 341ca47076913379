"""The reference for the sweep engine: one model trained by Keras itself, batch by batch.

Used by the tests of ``regkit.sweep`` and ``regkit.cross_validate``; not part of the library.
"""

import numpy as np

import regkit


def keras_optimizer(name, learning_rate, weight_decay):
    """Keras's own SGD, Adam or AdamW (decay excluded from the biases)."""
    keras = regkit.import_tensorflow().keras
    if name == "sgd":
        return keras.optimizers.SGD(learning_rate)
    if name == "adam":
        return keras.optimizers.Adam(learning_rate)
    optimizer = keras.optimizers.AdamW(learning_rate, weight_decay=weight_decay)
    optimizer.exclude_from_weight_decay(var_names=["bias"])
    return optimizer


def train_alone(
    x,
    y,
    train_rows,
    lam,
    init,
    *,
    penalty="l2",
    num_classes=10,
    optimizer="adam",
    learning_rate=1e-3,
    weight_decay=0.0,
    epochs=30,
    batch_size=64,
    seed=(0, 0),
):
    """Train one model with Keras on the batches a stacked model would see.

    Builds ``regkit.build_mlp`` with the layers of ``init``, sets ``init``, and calls
    ``model.fit`` once per epoch on the rows of ``regkit.batch_schedule(train_rows, epochs,
    batch_size, seed)`` in order (``shuffle=False``). Returns the final weights and the
    per-epoch training loss that Keras reports.
    """
    keras = regkit.import_tensorflow().keras
    x, y = np.asarray(x, dtype=np.float32), np.asarray(y)
    hidden = tuple(w.shape[1] for w in init[0:-2:2])
    model = regkit.build_mlp(x.shape[1], hidden, num_classes, lam, penalty)
    model.set_weights(init)
    model.compile(
        optimizer=keras_optimizer(optimizer, learning_rate, weight_decay),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    losses = []
    for epoch_batches in regkit.batch_schedule(train_rows, epochs, batch_size, seed):
        order = np.concatenate(epoch_batches)
        fitted = model.fit(x[order], y[order], batch_size=batch_size, shuffle=False, verbose=0)
        losses.append(fitted.history["loss"][0])
    return model.get_weights(), np.asarray(losses)
