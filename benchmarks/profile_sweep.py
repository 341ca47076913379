"""Where the time of a sweep goes: XLA's operations per training step, and the step's floor.

``make profile`` (``python benchmarks/profile_sweep.py [course|mnist-sized]``, default
``mnist-sized``) trains the workload of ``bench_sweep.py`` for one epoch, as the benchmark
does (``shared_batches=True``), once to compile and once under TensorFlow's profiler, and
prints:

- the fixed cost of a call: its time minus the time of its steps;
- the matrix products XLA runs, with their shapes, from the optimized HLO of the loop;
- the operations that take the most time per training step (XLA's thunks, traced with
  ``--xla_cpu_enable_xprof_traceme``), each as a share of the step;
- the *floor*: the same step without anything but the products and Adam (no penalty, no
  gather, no bookkeeping), timed in the same process, and what it would mean for the
  benchmark's grid.

Times are per training step of all 40 models. The profiler adds a little to every operation;
the shares are what it is for.
"""

from __future__ import annotations

import collections
import glob
import os
import re
import sys
import tempfile
import time

DUMP = tempfile.mkdtemp(prefix="regkit-hlo-")
os.environ["XLA_FLAGS"] = (
    os.environ.get("XLA_FLAGS", "")
    + f" --xla_cpu_enable_xprof_traceme=true --xla_dump_to={DUMP} --xla_dump_hlo_as_text"
)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

import regkit as rk  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
import bench_sweep  # noqa: E402


def one_epoch(name):
    settings = bench_sweep.WORKLOADS[name]
    x, y = bench_sweep.data(name)
    steps = int(np.ceil(np.sum(rk.stratified_folds(y, 5) != 0) / settings["batch_size"]))
    training = rk.Training(learning_rate=1e-3, epochs=1, batch_size=settings["batch_size"])

    def call():
        start = time.perf_counter()
        rk.sweep(
            x,
            y,
            bench_sweep.LAMS,
            k=5,
            hidden=settings["hidden"],
            training=training,
            shared_batches=True,
        )
        return time.perf_counter() - start

    return call, steps, x.shape[1], settings


def traced_ops(tf, call, steps):
    """Run ``call`` under the profiler; return {operation: milliseconds per step}."""
    from tensorflow.tsl.profiler.protobuf import xplane_pb2

    logs = tempfile.mkdtemp(prefix="regkit-profile-")
    tf.profiler.experimental.start(logs)
    call()
    tf.profiler.experimental.stop()
    space = xplane_pb2.XSpace()
    with open(glob.glob(f"{logs}/**/*.xplane.pb", recursive=True)[0], "rb") as file:
        space.ParseFromString(file.read())
    totals = collections.Counter()
    for plane in space.planes:
        names = {key: meta.name for key, meta in plane.event_metadata.items()}
        for line in plane.lines:
            for event in line.events:
                totals[names.get(event.metadata_id, "?")] += event.duration_ps / 1e9 / steps
    return totals


def products():
    """The dot operations of the compiled training loop, with their operand shapes."""
    loops = [p for p in glob.glob(f"{DUMP}/*after_optimizations.txt") if "_loop_fn" in p]
    with open(max(loops, key=os.path.getsize)) as file:
        text = file.read()
    shapes = re.findall(r"%(\S+) = (f32\[[\d,]*\])\S* dot\(([^)]*)\)", text)
    declared = dict(re.findall(r"%(\S+) = (f32\[[\d,]*\])", text))
    for name, result, operands in shapes:
        names = [o.strip().lstrip("%") for o in operands.split(",")]
        yield name, [declared.get(o, "?") for o in names], result


def floor_step(tf, features, hidden, batch, groups=5, size=8, classes=10, repeats=20):
    """Milliseconds per step of the bare work: both layers forward and back, and Adam."""
    rng = np.random.default_rng(0)
    x = tf.constant(rng.random((groups, batch, features), dtype=np.float32))
    labels = tf.constant(rng.integers(0, classes, (groups, size, batch)).astype(np.int32))
    shapes = [
        (groups, features, size * hidden),
        (groups, size * hidden),
        (groups, size, hidden, classes),
        (groups, size, classes),
    ]
    weights = [tf.Variable(rng.normal(0, 0.05, s).astype(np.float32)) for s in shapes]
    moments = [(tf.Variable(tf.zeros(s)), tf.Variable(tf.zeros(s))) for s in shapes]

    def step():
        with tf.GradientTape() as tape:
            h = tf.matmul(x, weights[0]) + weights[1][:, None, :]
            h = tf.transpose(tf.reshape(h, [groups, batch, size, hidden]), [0, 2, 1, 3])
            logits = tf.matmul(tf.nn.relu(h), weights[2]) + weights[3][:, :, None, :]
            loss = tf.reduce_sum(
                tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
            )
        for w, (m, v), g in zip(weights, moments, tape.gradient(loss, weights), strict=True):
            m.assign(m + (g - m) * 0.1)
            v.assign(v + (tf.square(g) - v) * 0.001)
            w.assign(w - 1e-3 * m / (tf.sqrt(v) + 1e-7))

    @tf.function(jit_compile=True)
    def loop():
        for _ in tf.range(repeats):
            step()

    loop()
    best = np.inf
    for _ in range(3):
        start = time.perf_counter()
        loop()
        weights[0].numpy()
        best = min(best, (time.perf_counter() - start) / repeats)
    return best * 1e3


def main():
    name = sys.argv[1] if len(sys.argv) > 1 else "mnist-sized"
    tf = rk.import_tensorflow()
    call, steps, features, settings = one_epoch(name)
    call()  # traces and compiles the loop
    seconds = min(call() for _ in range(2))
    ops = traced_ops(tf, call, steps)
    loop_ms = max(ms for op, ms in ops.items() if op.startswith("__inference__loop_fn"))
    print(f"== {name}, one epoch: {steps} steps of all 40 models")
    print(f"call {seconds:.2f} s; the compiled loop {loop_ms * steps / 1e3:.2f} s under the")
    print(f"profiler, {loop_ms:.2f} ms per step; the rest of the call (checks, batch schedules,")
    print(f"transfers) {seconds - loop_ms * steps / 1e3:.2f} s\n")
    print("matrix products of the loop (operands -> result):")
    for op, operands, result in products():
        print(f"   {op:14s} {' @ '.join(operands)} -> {result}")
    print("\noperations by time per step (one line per XLA thunk; 'fusion' = fused elementwise):")
    shown = [(op, ms) for op, ms in ops.most_common() if re.match(r"[a-zA-Z_]+[-_.\w]*$", op)]
    inside = [(op, ms) for op, ms in shown if "fusion" in op or "MatMul" in op or "wrapped" in op]
    for op, ms in inside[:16]:
        print(f"   {op:32s} {ms:7.2f} ms  {ms / loop_ms:6.1%}")
    floor = floor_step(tf, features, settings["hidden"][0], settings["batch_size"])
    epochs = settings["epochs"]
    print(f"\nthe bare step (products and Adam only, no penalty, no gather): {floor:.2f} ms")
    print(f"floor of the benchmark's {epochs} epochs: {floor * steps * epochs / 1e3:.2f} s")


if __name__ == "__main__":
    main()
