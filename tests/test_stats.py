"""regkit.stats against scipy.stats: standard errors, t quantiles and intervals."""

import math

import numpy as np
import pytest
from scipy import stats

import regkit

RNG = np.random.default_rng(0)
SAMPLES = {
    "normal-5": RNG.normal(0.3, 1.0, 5),
    "normal-10": RNG.normal(-1.0, 0.2, 10),
    "skewed-30": RNG.exponential(2.0, 30),
}


@pytest.mark.parametrize("name", list(SAMPLES))
def test_mean_and_se_equal_scipy_sem(name):
    values = SAMPLES[name]
    mean, se = regkit.mean_and_se(values)
    assert isinstance(mean, float) and isinstance(se, float)
    assert mean == pytest.approx(np.mean(values), rel=1e-14)
    assert se == pytest.approx(stats.sem(values), rel=1e-12)


def test_mean_and_se_along_an_axis():
    table = RNG.normal(size=(6, 4))
    for axis in (0, 1, -1):
        mean, se = regkit.mean_and_se(table, axis=axis)
        np.testing.assert_allclose(mean, table.mean(axis=axis), rtol=1e-14)
        np.testing.assert_allclose(se, stats.sem(table, axis=axis), rtol=1e-12)


@pytest.mark.parametrize(("count", "expected"), [(5, 2.776), (10, 2.262), (6, 2.571)])
def test_t_critical_matches_printed_tables(count, expected):
    # two-sided 95 % values of Student's t for count - 1 degrees of freedom (any statistics table)
    assert regkit.t_critical(count) == pytest.approx(expected, abs=5e-4)


def test_t_critical_tends_to_the_normal_quantile():
    assert regkit.t_critical(100_000) == pytest.approx(stats.norm.ppf(0.975), rel=1e-4)
    assert regkit.t_critical(10, level=0.99) > regkit.t_critical(10) > regkit.t_critical(10, 0.9)


@pytest.mark.parametrize("name", list(SAMPLES))
@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_mean_interval_equals_scipy_one_sample_t_interval(name, level):
    values = SAMPLES[name]
    interval = regkit.mean_interval(values, level)
    theirs = stats.ttest_1samp(values, 0.0).confidence_interval(confidence_level=level)
    assert (interval.low, interval.high) == pytest.approx((theirs.low, theirs.high), rel=1e-10)
    assert interval.count == len(values) and interval.level == level


def test_paired_interval_equals_scipy_paired_t_interval():
    a = RNG.normal(1.0, 1.0, 8)
    b = a - 0.5 + RNG.normal(0, 0.1, 8)  # paired: b shares most of a's variation
    interval = regkit.paired_interval(a, b)
    theirs = stats.ttest_rel(a, b).confidence_interval(confidence_level=0.95)
    assert (interval.low, interval.high) == pytest.approx((theirs.low, theirs.high), rel=1e-10)
    assert interval.excludes(0.0) and not interval.excludes(0.5)
    # unpaired, the same numbers are far less certain: pairing is what cancels the shared part
    unpaired = stats.ttest_ind(a, b).confidence_interval(confidence_level=0.95)
    assert unpaired.high - unpaired.low > 5 * (interval.high - interval.low)


def test_excludes_agrees_with_the_t_test_p_value():
    for seed in range(20):
        values = np.random.default_rng(seed).normal(0.5, 1.0, 6)
        p_value = stats.ttest_1samp(values, 0.0).pvalue
        assert regkit.mean_interval(values).excludes(0.0) == (p_value < 0.05)


def test_seed_and_image_se_are_the_standard_errors_of_the_two_means():
    values = RNG.normal(size=(5, 40))
    mean, se_seeds, se_images = regkit.seed_and_image_se(values)
    assert mean == pytest.approx(values.mean(), rel=1e-14)
    assert se_seeds == pytest.approx(stats.sem(values.mean(axis=1)), rel=1e-12)
    assert se_images == pytest.approx(stats.sem(values.mean(axis=0)), rel=1e-12)


@pytest.mark.parametrize(("p", "n"), [(0.9, 450), (0.5, 10), (0.0, 7), (1.0, 3)])
def test_binomial_se_equals_the_binomial_standard_deviation_over_n(p, n):
    assert regkit.binomial_se(p, n) == pytest.approx(stats.binom.std(n, p) / n, abs=1e-15)


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: regkit.mean_and_se([1.0]), ValueError, "values"),
        (lambda: regkit.mean_and_se([1.0, np.nan]), ValueError, "values"),
        (lambda: regkit.mean_and_se("abc"), TypeError, "values"),
        (lambda: regkit.mean_and_se(np.ones((3, 2)), axis=2), ValueError, "axis"),
        (lambda: regkit.mean_and_se(np.ones((3, 2)), axis=1.0), TypeError, "axis"),
        (lambda: regkit.t_critical(1), ValueError, "count"),
        (lambda: regkit.t_critical(5.0), TypeError, "count"),
        (lambda: regkit.t_critical(5, level=1.0), ValueError, "level"),
        (lambda: regkit.t_critical(5, level=0.0), ValueError, "level"),
        (lambda: regkit.t_critical(5, level="0.95"), TypeError, "level"),
        (lambda: regkit.mean_interval(np.ones((2, 2))), ValueError, "values"),
        (lambda: regkit.paired_interval([1, 2, 3], [1, 2]), ValueError, "a and b"),
        (lambda: regkit.paired_interval([1, 2], None), TypeError, "b"),
        (lambda: regkit.mean_interval([1.0, 2.0]).excludes("0"), TypeError, "value"),
        (lambda: regkit.seed_and_image_se(np.ones(4)), ValueError, "values"),
        (lambda: regkit.seed_and_image_se(np.ones((1, 4))), ValueError, "seeds"),
        (lambda: regkit.seed_and_image_se(np.ones((4, 1))), ValueError, "images"),
        (lambda: regkit.mean_interval([1.0, 2.0]).excludes(math.nan), ValueError, "value"),
        (lambda: regkit.Interval(0.0, -1.0, 5, 0.95), ValueError, "se"),
        (lambda: regkit.Interval(0.0, 1.0, 1, 0.95), ValueError, "count"),
        (lambda: regkit.Interval(0.0, 1.0, 5, 95), ValueError, "level"),
        (lambda: regkit.binomial_se(95.0, 450), ValueError, "proportion"),
        (lambda: regkit.binomial_se(-0.1, 450), ValueError, "proportion"),
        (lambda: regkit.binomial_se(0.5, 0), ValueError, "count"),
        (lambda: regkit.binomial_se("0.5", 10), TypeError, "proportion"),
    ],
)
def test_bad_input_raises_naming_the_argument(call, error, name):
    with pytest.raises(error, match=rf"\b{name}\b"):
        call()


def test_a_constant_sample_has_zero_standard_error_not_nan():
    interval = regkit.mean_interval([2.0, 2.0, 2.0])
    assert interval.se == 0 and interval.low == interval.high == 2.0
    assert not math.isnan(interval.half_width)
