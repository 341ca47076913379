"""Benchmark: the batched lambda x fold sweep against scikit-learn, Keras and the matmul limit.

Two workloads, each a grid of 8 strengths (0 and seven log-spaced values, 1e-4 .. 1e-1) x 5
stratified folds = 40 models, trained with Adam (learning rate 1e-3, Keras's betas, epsilon
1e-7), an L2 penalty on the kernels, the same folds (``regkit.stratified_folds``), the same
epochs and the same batch size for every contender:

- **course**: the course's cross-validation, an MLP 64-64-10 on the training split of the 8x8
  digits (1,347 images), 30 epochs, batch 64.
- **mnist-sized**: an MLP 784-256-10 on 12,000 examples of 28x28 pixels, 3 epochs, batch 128.
  No download: the examples are built from the 1,797 bundled 8x8 digits, upsampled to 28x28 by
  bilinear interpolation (``scipy.ndimage.zoom``, order 1), each shifted by a random whole
  number of pixels in -2..2 along each axis and given Gaussian pixel noise (sd 0.05, clipped
  to [0, 1]), all from a generator seeded by 0; 10 classes, float32.

Contenders, all in this one process, one after the other:

- ``regkit.sweep(shared_batches=True)``: all 40 models in one compiled loop, the strengths of
  a fold on the same batches, so that the first layer of a fold is one matrix product. The
  first call of a configuration traces and compiles the loop ("cold"); a second call of the
  same shapes reuses it ("warm"). Both are timed and printed; the speed-ups are given for both.
  The default, ``shared_batches=False`` (every model on batches of its own, as the course's
  pages train them), is timed warm too.
- scikit-learn: ``GridSearchCV(MLPClassifier(...), {"alpha": ...}, cv=<the same folds>,
  n_jobs=2, refit=False)`` with ``solver="adam"``, the same learning rate, betas, epsilon
  1e-7 (scikit-learn's default is 1e-8, Keras's 1e-7), ``batch_size``, ``max_iter=epochs``,
  ``shuffle=True``, ``n_iter_no_change=epochs`` (so every fit runs all its epochs, checked with
  ``n_iter_``), ``early_stopping=False``. scikit-learn computes in the dtype of its input: both
  float32 and float64 are timed, and the ratio is taken against the faster. Its two worker
  processes are started by a small search beforehand, not inside the timed one.
- sequential Keras ``fit`` (``regkit.train``), one model after another. On the MNIST-sized
  grid only the first 4 models are trained and the time is extrapolated to 40 (printed so).

The strength: the course minimises, per batch, the mean cross-entropy + (lam/2) sum(W**2) over
the kernels. scikit-learn's MLP adds (alpha/2) sum(W**2) / n to the mean loss of a batch of n
rows (``_multilayer_perceptron.py``: ``loss += 0.5 * alpha * values / sw_sum``, and the
gradient ``(X^T delta + alpha W) / n``), so ``alpha = lam * batch_size`` is the same problem on
every full batch; on the last, smaller batch of an epoch (n < batch_size) scikit-learn's
penalty weight is ``lam * batch_size / n`` instead of ``lam``.

Flops are counted as the work the algorithm must do, the same count for every contender:
forward 2*a*b per example per layer of a inputs and b outputs; backward 2*a*b for the weight
gradient of every layer and 2*a*b for the input gradient of every layer except the first
(nothing needs the gradient with respect to the data). Biases, activations, the loss, the
optimizer and the validation of the sweep after every epoch are not counted. The matmul
limit is the float32 rate of ``tf.matmul`` on this machine, for a product shaped like the
first layer of the MNIST-sized workload, (640 x 784) @ (784 x 2048), and for a square 2048
product; the better one is "the limit".

The last two lines read ``sweep speedup vs scikit-learn: N.Nx`` for each workload (warm
calls; the cold ratios are printed above them).
"""

from __future__ import annotations

import itertools
import os
import resource
import threading
import time
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np

import regkit as rk

LAMS = np.concatenate([[0.0], np.logspace(-4, -1, 7)])
FOLDS, LEARNING_RATE, SEED = 5, 1e-3, 0
KERAS_SUBSET = 4  # models trained by sequential Keras fit on the MNIST-sized grid


def mnist_sized(count=12_000, seed=0):
    """12,000 float32 examples of 28x28 pixels built from the bundled 8x8 digits (see top)."""
    from scipy import ndimage
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)
    upsampled = np.clip(ndimage.zoom(images, (1, 3.5, 3.5), order=1), 0, 1)
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(images), count)
    shifts = rng.integers(-2, 3, (count, 2))
    x = np.empty((count, 28, 28), dtype=np.float32)
    for dy, dx in itertools.product(range(-2, 3), repeat=2):
        chosen = (shifts[:, 0] == dy) & (shifts[:, 1] == dx)
        x[chosen] = np.roll(upsampled[pick[chosen]], (dy, dx), axis=(1, 2))
    x += rng.normal(0, 0.05, x.shape).astype(np.float32)
    return np.clip(x, 0, 1).reshape(count, 784), digits.target[pick].astype(np.int64)


WORKLOADS = {
    "course": dict(hidden=(64,), epochs=30, batch_size=64),
    "mnist-sized": dict(hidden=(256,), epochs=3, batch_size=128),
}


def data(name):
    if name == "course":
        (x, y), _ = rk.load_digits()
        return x, y
    return mnist_sized()


def training_flops(x, hidden, epochs):
    """Flops of the training steps of all 40 models (convention at the top)."""
    sizes = [x.shape[1], *hidden, 10]
    layers = list(itertools.pairwise(sizes))
    per_example = sum(4 * a * b for a, b in layers) + sum(2 * a * b for a, b in layers[1:])
    examples = len(x) * (FOLDS - 1) / FOLDS * epochs * len(LAMS) * FOLDS
    return per_example * examples


def by_sweep(x, y, hidden, epochs, batch_size, shared_batches=True):
    training = rk.Training(learning_rate=LEARNING_RATE, epochs=epochs, batch_size=batch_size)
    return rk.sweep(
        x,
        y,
        LAMS,
        k=FOLDS,
        hidden=hidden,
        training=training,
        seed=SEED,
        shared_batches=shared_batches,
    )


def sklearn_network(hidden, epochs, batch_size, **options):
    """scikit-learn's MLP with the benchmark's Adam settings; every fit runs all its epochs."""
    from sklearn.neural_network import MLPClassifier

    return MLPClassifier(
        hidden_layer_sizes=hidden,
        solver="adam",
        learning_rate_init=LEARNING_RATE,
        epsilon=1e-7,
        batch_size=batch_size,
        max_iter=epochs,
        n_iter_no_change=epochs,
        random_state=SEED,
        **options,
    )


def by_sklearn(x, y, hidden, epochs, batch_size, dtype=np.float32):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import GridSearchCV

    fold_of = rk.stratified_folds(y, FOLDS, seed=SEED)
    folds = [(np.flatnonzero(fold_of != f), np.flatnonzero(fold_of == f)) for f in range(FOLDS)]
    model = sklearn_network(hidden, epochs, batch_size, shuffle=True, early_stopping=False)
    search = GridSearchCV(
        model, {"alpha": list(LAMS * batch_size)}, cv=folds, n_jobs=2, refit=False
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search.fit(x.astype(dtype), y)
    return search


def check_sklearn_epochs(x, y, hidden, epochs, batch_size):
    """One fit of the grid's settings: scikit-learn ran all ``epochs`` epochs, in float32."""
    from sklearn.exceptions import ConvergenceWarning

    model = sklearn_network(hidden, epochs, batch_size, alpha=1e-3 * batch_size)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(x[:2000], y[:2000])
    return model.n_iter_, model.coefs_[0].dtype


def by_keras(x, y, hidden, epochs, batch_size, models):
    """Train the first ``models`` (lambda, fold) pairs one after another with Keras's fit."""
    fold_of = rk.stratified_folds(y, FOLDS, seed=SEED)
    for lam, fold in itertools.islice(itertools.product(LAMS, range(FOLDS)), models):
        train, held_out = fold_of != fold, fold_of == fold
        rk.train(
            x[train],
            y[train],
            validation_data=(x[held_out], y[held_out]),
            hidden=hidden,
            lam=float(lam),
            learning_rate=LEARNING_RATE,
            epochs=epochs,
            batch_size=batch_size,
            seed=fold,
            verbose=0,
        )


def matmul_gflops(tf, m, k, n, seconds=1.0):
    """Best float32 rate of (m x k) @ (k x n) over repeated runs of about ``seconds``."""
    a, b = tf.random.normal((m, k)), tf.random.normal((k, n))
    product = tf.function(lambda a, b: a @ b)
    product(a, b).numpy()
    best, deadline = 0.0, time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        for _ in range(5):
            c = product(a, b)
        c.numpy()
        best = max(best, 2 * m * k * n * 5 / (time.perf_counter() - start) / 1e9)
    return best


class PeakMemory:
    """Peak resident memory of this process while the block runs (sampled every 2 ms)."""

    def __enter__(self):
        import psutil

        self._process, self.peak, self._done = psutil.Process(), 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._done.is_set():
            self.peak = max(self.peak, self._process.memory_info().rss)
            self._done.wait(0.002)

    def __exit__(self, *exc):
        self._done.set()
        self._thread.join()
        return False


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    function(*args, **kwargs)
    return time.perf_counter() - start


def run(name):
    """Time every contender on one workload; return the lines of its table (seconds, flops)."""
    settings = WORKLOADS[name]
    hidden, epochs, batch_size = settings["hidden"], settings["epochs"], settings["batch_size"]
    x, y = data(name)
    flops = training_flops(x, hidden, epochs)
    sizes = "-".join(str(s) for s in (x.shape[1], *hidden, 10))
    header = [
        f"== {name}: {len(LAMS)} lambdas x {FOLDS} folds, MLP {sizes}, {len(x):,} examples,",
        f"   {epochs} epochs, batch {batch_size}, Adam; {flops / 1e9:.0f} GFLOP of training",
    ]
    n_iter, dtype = check_sklearn_epochs(x, y, hidden, epochs, batch_size)
    header.append(f"   scikit-learn check: n_iter_ = {n_iter} (epochs = {epochs}), in {dtype}")
    with PeakMemory() as memory:
        cold = timed(by_sweep, x, y, hidden, epochs, batch_size)
        warm = timed(by_sweep, x, y, hidden, epochs, batch_size)
        by_sweep(x, y, hidden, epochs, batch_size, shared_batches=False)  # compiles
        own = timed(by_sweep, x, y, hidden, epochs, batch_size, shared_batches=False)
    by_sklearn(x[:500], y[:500], (8,), 1, batch_size)  # starts the two worker processes
    sklearn32 = timed(by_sklearn, x, y, hidden, epochs, batch_size)
    sklearn64 = timed(by_sklearn, x, y, hidden, epochs, batch_size, dtype=np.float64)
    sklearn = min(sklearn32, sklearn64)
    keras_models = len(LAMS) * FOLDS // 10 if name == "course" else KERAS_SUBSET
    keras = timed(by_keras, x, y, hidden, epochs, batch_size, keras_models)
    keras *= len(LAMS) * FOLDS / keras_models
    rows = [
        ("regkit.sweep, first call (traces + compiles)", cold),
        ("regkit.sweep, second call (compiled loop reused)", warm),
        ("regkit.sweep, own batches per model, warm", own),
        ("scikit-learn GridSearchCV, float32, n_jobs=2", sklearn32),
        ("scikit-learn GridSearchCV, float64, n_jobs=2", sklearn64),
        (f"sequential Keras fit ({keras_models} of 40 timed, x{40 // keras_models})", keras),
    ]
    footer = [
        f"   peak resident memory of the process during the sweeps: {memory.peak / 1e9:.2f} GB",
        f"   sweep vs scikit-learn (its faster dtype): {sklearn / cold:.1f}x cold, "
        f"{sklearn / warm:.1f}x warm; vs sequential Keras: {keras / cold:.0f}x cold, "
        f"{keras / warm:.0f}x warm",
    ]
    return header, rows, flops, footer, sklearn / warm


def matmul_limit(tf, rates):
    """Measure both reference products now; append to ``rates`` and print them."""
    shaped = matmul_gflops(tf, 640, 784, 2048)
    square = matmul_gflops(tf, 2048, 2048, 2048)
    rates += [shaped, square]
    print(
        f"float32 matmul: (640x784)@(784x2048) {shaped:.0f} GFLOP/s, 2048^3 {square:.0f} GFLOP/s"
    )


def main():
    tf = rk.import_tensorflow()
    devices = rk.strategy_devices(rk.select_strategy())
    import sklearn

    print(f"machine: {os.cpu_count()} CPU cores; sweep on {', '.join(devices)}")
    print(f"TensorFlow {tf.__version__}, scikit-learn {sklearn.__version__}")
    # The machine's rate varies with other load: the products are measured before, between
    # and after the workloads, and the best rate seen is the limit.
    rates = []
    matmul_limit(tf, rates)
    by_sweep(*data("course")[:2], (16,), 1, 64)  # TensorFlow's own start-up, not a timed shape
    results = {}
    for name in WORKLOADS:
        results[name] = run(name)
        matmul_limit(tf, rates)
    limit = max(rates)
    print(f"the limit (best float32 matmul rate seen): {limit:.0f} GFLOP/s")
    for header, rows, flops, footer, _ in results.values():
        print("\n" + "\n".join(header))
        for label, seconds in rows:
            rate = flops / seconds / 1e9
            print(
                f"   {label:50s} {seconds:7.2f} s {rate:6.1f} GFLOP/s {rate / limit:6.1%} of limit"
            )
        print("\n".join(footer))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(f"\npeak resident memory of the whole process: {peak:.2f} GB")
    print(f"sweep speedup vs scikit-learn: {results['course'][-1]:.1f}x (course grid)")
    print(f"sweep speedup vs scikit-learn: {results['mnist-sized'][-1]:.1f}x (MNIST-sized grid)")


if __name__ == "__main__":
    main()
