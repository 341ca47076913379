"""Benchmark: the batched lambda x fold sweep against sequential Keras ``fit`` calls.

The grid of the course's cross-validation: 8 strengths (0 and seven log-spaced values) x 5
folds, an MLP 64-64-10 on the training split of the 8x8 digits, 30 epochs, batch 64, Adam.
Both ways run in this process, one after the other, so that machine noise affects both; the
last line is the ratio, ``sweep speedup: 23.4x``.
"""

from __future__ import annotations

import os
import resource
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import itertools

import numpy as np

import regkit as rk

LAMS = np.concatenate([[0.0], np.logspace(-4, -1, 7)])
FOLDS, HIDDEN, EPOCHS, BATCH, LEARNING_RATE = 5, (64,), 30, 64, 1e-3


def sequential(x, y):
    """Train the 40 models one after another, each with Keras's ``fit``."""
    fold_of = rk.stratified_folds(y, FOLDS, seed=0)
    for lam in LAMS:
        for fold in range(FOLDS):
            train, held_out = fold_of != fold, fold_of == fold
            rk.train(
                x[train],
                y[train],
                validation_data=(x[held_out], y[held_out]),
                hidden=HIDDEN,
                lam=float(lam),
                learning_rate=LEARNING_RATE,
                epochs=EPOCHS,
                batch_size=BATCH,
                seed=fold,
                verbose=0,
            )


def batched(x, y):
    training = rk.Training(learning_rate=LEARNING_RATE, epochs=EPOCHS, batch_size=BATCH)
    return rk.sweep(x, y, LAMS, k=FOLDS, hidden=HIDDEN, training=training)


def training_flops(x):
    """Multiply-adds of all training steps, x2 for flops, x3 for forward and backward."""
    sizes = [x.shape[1], *HIDDEN, 10]
    per_example = sum(a * b for a, b in itertools.pairwise(sizes))
    examples = len(x) * (FOLDS - 1) / FOLDS * EPOCHS * len(LAMS) * FOLDS
    return 2 * 3 * per_example * examples


def matmul_gflops(tf, size=1024, repeats=20):
    a = tf.random.normal((size, size))
    b = tf.random.normal((size, size))
    (a @ b).numpy()
    start = time.perf_counter()
    for _ in range(repeats):
        c = a @ b
    c.numpy()
    return 2 * size**3 * repeats / (time.perf_counter() - start) / 1e9


def timed(function, *args):
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def main():
    tf = rk.import_tensorflow()
    (x, y), _ = rk.load_digits()
    batched(x[:200], y[:200])  # compile-free warm-up of TensorFlow itself
    engine = timed(batched, x, y)
    baseline = timed(sequential, x, y)
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    achieved = training_flops(x) / engine / 1e9
    reference = matmul_gflops(tf)
    print(f"grid: {len(LAMS)} lambdas x {FOLDS} folds, MLP {x.shape[1]}-64-10, {EPOCHS} epochs")
    print(f"machine: {os.cpu_count()} CPU cores, TensorFlow {tf.__version__}")
    print(f"sequential Keras fit (40 models): {baseline:8.1f} s")
    print(f"batched sweep (40 models):        {engine:8.1f} s")
    print(
        f"sweep arithmetic: {achieved:.1f} GFLOP/s; float32 matmul here: {reference:.1f} GFLOP/s"
    )
    print(f"peak memory: {peak_gb:.2f} GB")
    print(f"sweep speedup: {baseline / engine:.1f}x")


if __name__ == "__main__":
    main()
