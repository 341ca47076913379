"""One worker of a two-worker MultiWorkerMirroredStrategy cluster (TF_CONFIG names it).

``python worker.py keras`` trains a small Keras model with ``fit``; ``python worker.py regkit``
calls ``regkit.train`` and ``regkit.sweep``. The last line printed is a JSON record of what
happened, read by ``test_multiworker.py``.
"""

import json
import sys

import numpy as np

import regkit as rk

tf = rk.import_tensorflow()
keras = tf.keras


def outcome(call):
    try:
        call()
    except Exception as error:  # the record says which exception, the test judges it
        return {"error": type(error).__name__, "message": str(error)[:400]}
    return {"error": None}


def keras_fit(strategy):
    rng = np.random.default_rng(0)
    x = rng.random((256, 8), dtype=np.float32)
    y = (x.sum(axis=1) > 4).astype(np.int32)
    with strategy.scope():
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(2)])
        model.compile("sgd", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x, y, batch_size=64, epochs=1, verbose=0)


def main(mode):
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    record = {"workers": strategy.cluster_resolver.cluster_spec().num_tasks("worker")}
    if mode == "keras":
        record["fit"] = outcome(lambda: keras_fit(strategy))
    else:
        (x, y), _ = rk.load_digits()
        record["train"] = outcome(lambda: rk.train(x, y, epochs=1, strategy=strategy))
        record["sweep"] = outcome(
            lambda: rk.sweep(x, y, [0.0, 1e-3], training=rk.Training(epochs=1), strategy=strategy)
        )
    print(json.dumps(record), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
