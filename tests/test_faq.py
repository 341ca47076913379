"""Tests of regkit.faq: the deduplicated FAQ list, the timing helpers and the FAQ's checks.

The checks must pass on the library as it is and fail when a claim they test is broken
(here, a kernel penalty that is evaluated during predict). Timings are only required to be
positive and finite: their speed depends on the machine.
"""

import math
from pathlib import Path

import numpy as np
import pytest

import regkit
import regkit.faq as faq
from regkit import CheckTable

SOURCE = Path("/work/shared/source/000_b9ae682dc72b4fd6.txt")


@pytest.fixture(scope="module")
def digits():
    (x_train, y_train), (x_test, _) = regkit.load_digits(seed=0)
    return x_train, y_train, x_test


def test_embedded_questions_match_the_source():
    if not SOURCE.is_file():
        pytest.skip("the source document is not available here")
    assert tuple(faq.parse_source_faq(SOURCE)) == faq.SOURCE_QUESTIONS


def test_counts_of_the_source_list():
    counts = faq.faq_counts()
    assert counts["total"] == 44
    assert counts["distinct_strings"] == 20
    assert counts["distinct_topics"] == 17
    assert (counts["block_start"], counts["block_length"]) == (11, 9)
    assert counts["block_repeats"] == pytest.approx(33 / 9)


def test_every_heading_has_a_topic():
    assert set(faq.SOURCE_QUESTIONS) == set(faq.TOPICS)


def test_repeating_block_on_a_small_list():
    counts = faq.faq_counts(["a", "b", "c", "b", "c", "b"])
    assert (counts["block_start"], counts["block_length"], counts["block_repeats"]) == (1, 2, 2.5)
    counts = faq.faq_counts(["a", "b"])
    assert (counts["block_start"], counts["block_length"], counts["block_repeats"]) == (2, 0, 0.0)


def test_parse_source_faq(tmp_path):
    page = tmp_path / "faq.txt"
    page.write_text("intro\nQ：first?\nA：yes\nQ：second?\n", encoding="utf-8")
    assert faq.parse_source_faq(page) == ["first?", "second?"]


def test_checks_pass(digits):
    x, y, _ = digits
    table = faq.faq_checks(x[:300], y[:300])
    assert isinstance(table, CheckTable)
    assert len(table) == 12
    assert table.all_passed, [c.claim for c in table.failures()]


def test_check_fails_when_predict_evaluates_the_penalty(digits, monkeypatch):
    x, y, _ = digits
    original = faq._predict_checks

    def broken(tf, build, lam, x, batch_size=32):
        checks = original(tf, build, lam, x, batch_size)
        checks[0] = regkit.Check(checks[0].claim, 3, checks[0].bound)
        return checks

    monkeypatch.setattr(faq, "_predict_checks", broken)
    table = faq.faq_checks(x[:200], y[:200], epochs=2)
    assert not table.all_passed
    assert "kernel-penalty evaluations during predict()" in [c.claim for c in table.failures()]


def test_large_lam_check_fails_when_lam_is_small(digits):
    x, y, _ = digits
    table = faq.faq_checks(x[:200], y[:200], large_lam=1e-4, epochs=2)
    failed = [c.claim for c in table.failures()]
    assert any("largest |kernel entry|" in claim for claim in failed)


def test_timing_helpers_return_positive_finite_ratios(digits):
    x, y, x_test = digits
    ratios = [
        faq.epoch_time_ratio(x[:200], y[:200], hidden=(8,), epochs=1, repeats=1),
        faq.predict_time_ratio(x_test[:64], hidden=(8,), repeats=1),
        faq.predict_time_ratio(x_test[:64], regularizer="activity", hidden=(8,), repeats=1),
    ]
    for timing in ratios:
        assert timing.plain_seconds > 0 and timing.regularized_seconds > 0
        assert math.isfinite(timing.ratio) and 0.01 < timing.ratio < 100


def test_step_flops():
    counts = faq.step_flops(64, (64,), 10, 32)
    assert counts["kernel_entries"] == 64 * 64 + 64 * 10
    assert counts["ratio"] == pytest.approx(2 / (3 * 32))


def test_model_memory_counts_adam_slots():
    keras = regkit.import_tensorflow().keras
    model = regkit.build_mlp(8, (4,), 3, lam=0.1)
    memory = faq.model_memory(model)
    assert memory["params"] == 8 * 4 + 4 + 4 * 3 + 3
    assert memory["weight_bytes"] == 4 * memory["params"]
    assert memory["optimizer_slots"] == 0
    model.compile(optimizer=keras.optimizers.Adam(), loss="mse")
    memory = faq.model_memory(model)
    assert memory["optimizer_slots"] == 8
    assert memory["slot_bytes"] == 2 * memory["weight_bytes"]


def test_sweep_summary(digits):
    x, y, _ = digits
    x, y = x[:150], y[:150]
    result = regkit.sweep(x, y, [0.0, 100.0], k=2, hidden=(8,), epochs=3, learning_rate=1e-2)
    summary = faq.sweep_summary(result, x, y, 2)
    assert summary["lams"].tolist() == [0.0, 100.0]
    assert summary["max_kernel"][1] < summary["max_kernel"][0]
    assert np.all((summary["top_class_share"] > 0) & (summary["top_class_share"] <= 1))


def test_activity_regularized_mlp_adds_a_loss():
    model = faq.activity_regularized_mlp(4, (3,), 2, lam=0.5)
    model(np.ones((2, 4), dtype=np.float32))
    assert len(model.losses) == 1


@pytest.mark.parametrize(
    ("call", "error", "word"),
    [
        (lambda: faq.parse_source_faq(3), TypeError, "path"),
        (lambda: faq.parse_source_faq("/nonexistent/file.txt"), ValueError, "path"),
        (lambda: faq.faq_counts("abc"), TypeError, "questions"),
        (lambda: faq.faq_counts([]), ValueError, "questions"),
        (lambda: faq.step_flops(0, (4,), 2, 8), ValueError, "input_dim"),
        (lambda: faq.step_flops(4, "4", 2, 8), TypeError, "hidden"),
        (lambda: faq.step_flops(4, (0,), 2, 8), ValueError, "hidden"),
        (
            lambda: faq.predict_time_ratio(np.ones((4, 2)), regularizer="bias"),
            ValueError,
            "regularizer",
        ),
        (lambda: faq.predict_time_ratio(np.ones((4, 2)), lam=0.0), ValueError, "lam"),
        (
            lambda: faq.epoch_time_ratio(np.ones((4, 2)), [0, 1, 0, 1], repeats=0),
            ValueError,
            "repeats",
        ),
        (lambda: faq.epoch_time_ratio(np.ones((4, 2)), [0.5] * 4), TypeError, "y"),
        (lambda: faq.epoch_time_ratio(np.ones((4, 2)), [0, 1]), ValueError, "y"),
        (lambda: faq.model_memory("model"), TypeError, "model"),
        (lambda: faq.activity_regularized_mlp(4, (), 2), ValueError, "hidden"),
        (
            lambda: faq.faq_checks(np.ones((4, 2)), [0, 1, 0, 1], large_lam=-1.0),
            ValueError,
            "large_lam",
        ),
        (
            lambda: faq.sweep_summary(object(), np.ones((4, 2)), [0, 1, 0, 1], 2),
            TypeError,
            "result",
        ),
    ],
)
def test_bad_input_raises(call, error, word):
    with pytest.raises(error, match=word):
        call()
