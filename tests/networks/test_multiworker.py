"""Training on several machines, tried for real with two worker processes on 127.0.0.1.

Keras 3's ``fit`` fails under a two-worker ``MultiWorkerMirroredStrategy`` (Keras 3.15,
TensorFlow 2.21), so ``regkit.train`` and ``regkit.sweep`` refuse such a strategy with a clear
error instead of failing deep inside Keras. The first test shows the Keras failure itself: when
a release fixes it, that test fails and says that the refusal can be lifted.
"""

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

WORKER = Path(__file__).with_name("multiworker") / "worker.py"
TIMEOUT = 90  # seconds for the whole cluster; each run takes about 15 s on 2 cores


def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def tf_config(ports, index):
    cluster = {"worker": [f"127.0.0.1:{port}" for port in ports]}
    return json.dumps({"cluster": cluster, "task": {"type": "worker", "index": index}})


def run_cluster(mode, workers=2):
    """Start ``workers`` processes of worker.py; return each one's JSON record."""
    ports = free_ports(workers)
    processes = []
    try:
        for index in range(workers):
            env = dict(os.environ, TF_CONFIG=tf_config(ports, index), TF_CPP_MIN_LOG_LEVEL="3")
            processes.append(
                subprocess.Popen(
                    [sys.executable, str(WORKER), mode],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                    start_new_session=True,
                )
            )
        outputs = [process.communicate(timeout=TIMEOUT) for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    records = []
    for process, (stdout, stderr) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, stderr[-3000:]
        records.append(json.loads(stdout.strip().splitlines()[-1]))
    return records


def test_keras_fit_still_fails_on_two_workers():
    records = run_cluster("keras")
    for record in records:
        assert record["workers"] == 2
        assert record["fit"]["error"] is not None, (
            "Keras's fit now trains under a two-worker MultiWorkerMirroredStrategy: lift the "
            "refusal in regkit.check_single_machine and test multi-worker training instead"
        )


def test_regkit_refuses_two_workers_with_a_clear_error():
    records = run_cluster("regkit")
    for record in records:
        for call in ("train", "sweep"):
            assert record[call]["error"] == "ValueError", record
            assert "spans 2 workers" in record[call]["message"]
            assert "MirroredStrategy" in record[call]["message"]
