"""Tests of regkit.overfitting: the polynomial experiment of Chapter 1 and its checks.

Oracles: numpy.polynomial.legendre (legvander, legval), numpy.linalg.lstsq and solve,
scikit-learn's Ridge, numerical integration of Legendre polynomials, closed forms.
"""

import numpy as np
import pytest
from numpy.polynomial import legendre
from sklearn.linear_model import Ridge

import regkit
import regkit.overfitting as of

# The chapter's configuration: 20 noisy points, least squares up to degree 17, L2 at 17.
M_TRAIN, DEGREES, LAMS = 20, list(range(18)), list(np.logspace(-7, 1, 33))
SEEDS = [0, 1, 2, 3, 4, 5, 6, 7]


@pytest.fixture(scope="module", params=SEEDS)
def problem(request):
    return of.make_curve_problem(M_TRAIN, seed=request.param)


def test_checks_pass_on_the_chapters_configuration(problem):
    table = of.overfitting_checks(problem, DEGREES, LAMS)
    assert len(table) == 6
    assert table.all_passed, table.failures()


@pytest.mark.parametrize("noise", [0.1, 0.4])
def test_checks_pass_for_other_noise_levels(noise):
    problem = of.make_curve_problem(M_TRAIN, noise=noise, seed=11)
    table = of.overfitting_checks(problem, DEGREES, LAMS)
    assert table.all_passed, table.failures()


def test_checks_fail_when_data_are_plentiful():
    # 500 points and degrees up to 9: no overfitting to see, and nothing for the penalty to fix.
    problem = of.make_curve_problem(500, seed=0)
    table = of.overfitting_checks(problem, list(range(10)), LAMS)
    failed = {check.claim for check in table.failures()}
    assert any("its minimum over degrees" in claim for claim in failed)
    assert any("best lam / least squares" in claim for claim in failed)
    # The exact properties still hold.
    assert all(check.passed for check in table if "non-" in check.claim)


def test_checks_fail_for_a_solver_that_ignores_lam(monkeypatch, problem):
    real_ridge = of.ridge
    monkeypatch.setattr(of, "ridge", lambda X, y, lam: real_ridge(X, y, 0.0))
    table = of.overfitting_checks(problem, DEGREES, LAMS)
    failed = {check.claim for check in table.failures()}
    assert any("sklearn" in claim for claim in failed)
    assert any("best lam / least squares" in claim for claim in failed)


def test_checks_fail_for_a_non_nested_design(monkeypatch, problem):
    # A design that drops the constant column at odd degrees breaks the nesting.
    real = of.legendre_design

    def broken(x, degree):
        X = real(x, degree)
        return X[:, 1:] if degree % 2 else X

    monkeypatch.setattr(of, "legendre_design", broken)
    table = of.overfitting_checks(problem, DEGREES, LAMS)
    assert not table[0].passed


@pytest.mark.parametrize("degree", [0, 1, 5, 17])
def test_legendre_design_is_scaled_legvander(degree):
    x = np.linspace(-1, 1, 23)
    expected = legendre.legvander(x, degree) * np.sqrt(2 * np.arange(degree + 1) + 1)
    np.testing.assert_allclose(of.legendre_design(x, degree), expected, rtol=0, atol=1e-13)


def test_legendre_columns_are_orthonormal_for_the_uniform_distribution():
    # Gauss-Legendre quadrature with 40 nodes integrates polynomials of degree <= 79 exactly.
    nodes, weights = legendre.leggauss(40)
    X = of.legendre_design(nodes, 15)
    gram = X.T @ (weights[:, None] * X) / 2  # mean over the uniform distribution on [-1, 1]
    np.testing.assert_allclose(gram, np.eye(16), rtol=0, atol=1e-12)


def test_designs_are_nested():
    x = np.linspace(-1, 1, 9)
    np.testing.assert_array_equal(of.legendre_design(x, 8)[:, :4], of.legendre_design(x, 3))


def test_curve_predict_matches_legval():
    rng = np.random.default_rng(0)
    w = rng.standard_normal(7)
    x = np.linspace(-1, 1, 31)
    expected = legendre.legval(x, w * np.sqrt(2 * np.arange(7) + 1))
    np.testing.assert_allclose(of.curve_predict(w, x), expected, rtol=1e-12, atol=1e-12)


def test_curve_target_is_sine():
    x = np.array([-1.0, -0.5, 0.0, 0.25, 1.0])
    np.testing.assert_allclose(of.curve_target(x), np.sin(np.pi * x))


def test_make_curve_problem_shapes_grid_and_determinism():
    problem = of.make_curve_problem(12, m_test=50, noise=0.3, seed=4)
    again = of.make_curve_problem(12, m_test=50, noise=0.3, seed=4)
    for a, b in zip(problem[:4], again[:4], strict=True):
        np.testing.assert_array_equal(a, b)
    assert problem.x_train.shape == problem.y_train.shape == (12,)
    assert problem.x_test.shape == problem.y_test.shape == (50,)
    # One training point per interval of length 2/12.
    bins = np.floor((problem.x_train + 1) * 12 / 2).astype(int)
    np.testing.assert_array_equal(bins, np.arange(12))
    assert np.all(np.abs(problem.x_test) <= 1)
    assert problem.noise == 0.3


def test_noise_free_problem_is_the_target():
    problem = of.make_curve_problem(10, m_test=20, noise=0.0, seed=1)
    np.testing.assert_array_equal(problem.y_train, of.curve_target(problem.x_train))
    np.testing.assert_array_equal(problem.y_test, of.curve_target(problem.x_test))


def test_test_noise_has_the_requested_standard_deviation():
    problem = of.make_curve_problem(5, m_test=20_000, noise=0.5, seed=2)
    residual = problem.y_test - of.curve_target(problem.x_test)
    assert np.std(residual) == pytest.approx(0.5, rel=0.03)


def independent_errors(problem, degree, lam):
    X = legendre.legvander(problem.x_train, degree) * np.sqrt(2 * np.arange(degree + 1) + 1)
    m = X.shape[0]
    if lam == 0:
        w = np.linalg.lstsq(X, problem.y_train, rcond=None)[0]
    else:
        w = Ridge(alpha=m * lam, fit_intercept=False).fit(X, problem.y_train).coef_
    T = legendre.legvander(problem.x_test, degree) * np.sqrt(2 * np.arange(degree + 1) + 1)
    return np.mean((problem.y_train - X @ w) ** 2), np.mean((problem.y_test - T @ w) ** 2)


def test_capacity_curve_against_lstsq(problem):
    degrees = [0, 2, 5, 9, 13]
    train, test = of.capacity_curve(problem, degrees)
    expected = np.array([independent_errors(problem, d, 0.0) for d in degrees])
    np.testing.assert_allclose(train, expected[:, 0], rtol=1e-8)
    np.testing.assert_allclose(test, expected[:, 1], rtol=1e-8)


def test_penalty_curve_against_sklearn(problem):
    lams = [1e-5, 1e-3, 0.1, 1.0]
    train, test = of.penalty_curve(problem, 17, lams)
    expected = np.array([independent_errors(problem, 17, lam) for lam in lams])
    np.testing.assert_allclose(train, expected[:, 0], rtol=1e-8)
    np.testing.assert_allclose(test, expected[:, 1], rtol=1e-8)


def test_interpolation_at_degree_m_minus_one():
    problem = of.make_curve_problem(8, seed=3)
    train, _ = of.capacity_curve(problem, [7])
    assert train[0] <= 1e-20


def test_fit_curve_solves_the_normal_equations():
    problem = of.make_curve_problem(15, seed=5)
    X = of.legendre_design(problem.x_train, 20)
    lam = 0.01
    expected = np.linalg.solve(X.T @ X + 15 * lam * np.eye(21), X.T @ problem.y_train)
    np.testing.assert_allclose(of.fit_curve(problem, 20, lam), expected, rtol=1e-9)


def test_huge_lam_gives_near_zero_coefficients():
    problem = of.make_curve_problem(15, seed=5)
    assert np.max(np.abs(of.fit_curve(problem, 10, 1e8))) < 1e-7


def test_functions_are_exported_by_regkit():
    for name in of.__all__:
        assert getattr(regkit, name) is getattr(of, name)


@pytest.mark.parametrize(
    ("call", "error", "argument"),
    [
        (lambda: of.legendre_design([0.0, 1.5], 3), ValueError, "x"),
        (lambda: of.legendre_design([[0.0]], 3), ValueError, "x"),
        (lambda: of.legendre_design([0.0, np.nan], 3), ValueError, "x"),
        (lambda: of.legendre_design([0.0], -1), ValueError, "degree"),
        (lambda: of.legendre_design([0.0], 2.0), TypeError, "degree"),
        (lambda: of.make_curve_problem(0), ValueError, "m_train"),
        (lambda: of.make_curve_problem(5, m_test=0), ValueError, "m_test"),
        (lambda: of.make_curve_problem(5, noise=-1.0), ValueError, "noise"),
        (lambda: of.make_curve_problem(5, seed=-1), ValueError, "seed"),
        (lambda: of.fit_curve((1, 2, 3, 4, 5), 2), TypeError, "problem"),
        (lambda: of.fit_curve(of.make_curve_problem(5), 2, -1.0), ValueError, "lam"),
        (lambda: of.fit_curve(of.make_curve_problem(5), 5), ValueError, "lam=0"),
        (lambda: of.capacity_curve(of.make_curve_problem(5), [2, 5]), ValueError, "degrees"),
        (lambda: of.capacity_curve(of.make_curve_problem(5), []), ValueError, "degrees"),
        (lambda: of.capacity_curve(of.make_curve_problem(5), 3), TypeError, "degrees"),
        (lambda: of.penalty_curve(of.make_curve_problem(5), 3, [0.1, -1.0]), ValueError, "lam"),
        (lambda: of.curve_predict([[1.0]], [0.0]), ValueError, "w"),
        (
            lambda: of.overfitting_checks(of.make_curve_problem(20), [3, 2], [0.1, 1.0]),
            ValueError,
            "increasing",
        ),
        (
            lambda: of.overfitting_checks(of.make_curve_problem(20), [2, 3], [0.0, 1.0]),
            ValueError,
            "lams",
        ),
        (lambda: of.digits_subset(5), ValueError, "n_train"),
        (lambda: of.digits_subset(5000), ValueError, "n_train"),
        (lambda: of.learning_curve_summary([0.1, 0.2]), TypeError, "history"),
        (lambda: of.learning_curve_summary({"loss": [0.1]}), ValueError, "val_loss"),
        (
            lambda: of.learning_curve_summary(
                {"loss": [0.1, 0.2], "val_loss": [0.1], "accuracy": [0.5, 0.6]}
            ),
            ValueError,
            "epoch",
        ),
        (lambda: regkit.cross_entropy("model", [[0.0]], [0]), TypeError, "model"),
        (lambda: of.network_checks(None, None, None, None), TypeError, "plain"),
    ],
)
def test_bad_input_raises_naming_the_argument(call, error, argument):
    with pytest.raises(error, match=argument):
        call()


def test_learning_curve_summary_reads_the_history():
    history = {
        "loss": np.array([2.0, 1.0, 0.5, 0.2]),
        "val_loss": np.array([2.1, 1.2, 1.1, 1.3]),
        "accuracy": np.array([0.2, 0.6, 0.9, 1.0]),
    }
    summary = of.learning_curve_summary(history)
    assert summary.best_epoch == 3
    assert summary.best_val_loss == 1.1
    assert summary.final_val_loss == 1.3
    assert summary.rise == pytest.approx(0.2)
    assert summary.gap == pytest.approx(1.1)
    assert summary.final_accuracy == 1.0


def test_digits_subset_is_stratified_and_deterministic():
    (x, y), (x_val, y_val) = of.digits_subset(100, seed=0)
    (x2, y2), _ = of.digits_subset(100, seed=0)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    assert x.shape == (100, 64) and x.dtype == np.float32
    assert x_val.shape == (450, 64) and y_val.shape == (450,)
    assert np.bincount(y, minlength=10).min() >= 9
    assert np.bincount(y, minlength=10).max() <= 11
    # The slice comes from load_digits's training split; the validation set is its held-out split.
    (full_x, _), (held_x, _) = regkit.load_digits(seed=0)
    full_rows = {row.tobytes() for row in full_x}
    assert all(row.tobytes() in full_rows for row in x)
    np.testing.assert_array_equal(x_val, held_x)


def test_digits_subset_of_everything_is_the_training_split():
    (x, _), _ = of.digits_subset(1347, seed=0)
    (full_x, _), _ = regkit.load_digits(seed=0)
    np.testing.assert_array_equal(x, full_x)


class _Logits:
    """A stand-in model: returns fixed logits."""

    def __init__(self, logits):
        self.logits = np.asarray(logits, dtype=np.float32)

    def __call__(self, x, training=False):
        return self.logits[: len(x)]


def test_cross_entropy_against_a_closed_form():
    logits = np.array([[2.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    expected = (-np.log(np.exp(2) / (np.exp(2) + 2)) - np.log(1 / 3)) / 2
    value = regkit.cross_entropy(_Logits(logits), np.zeros((2, 4)), np.array([0, 1]))
    assert value == pytest.approx(expected, rel=1e-6)


@pytest.fixture(scope="module")
def trained_pair():
    # A smaller version of the chapter's network: it overfits after about 14 epochs.
    (x, y), (x_val, y_val) = of.digits_subset(60, seed=0)
    x_val, y_val = x_val[:150], y_val[:150]
    common = dict(
        validation_data=(x_val, y_val),
        hidden=(64,),
        epochs=30,
        batch_size=60,
        learning_rate=0.02,
        seed=0,
        verbose=0,
    )
    plain = regkit.train(x, y, lam=0.0, **common)
    penalized = regkit.train(x, y, lam=0.01, **common)
    return plain, penalized, (x, y), (x_val, y_val)


def test_network_checks_on_a_small_network(trained_pair):
    plain, penalized, train, validation = trained_pair
    table = of.network_checks(plain, penalized, train, validation)
    assert len(table) == 3
    assert table.all_passed, table.failures()
    # With the roles swapped the gap ratio exceeds 1 and that check fails.
    swapped = of.network_checks(penalized, plain, train, validation)
    assert not swapped[2].passed


def test_cross_entropy_of_an_unpenalized_model_is_keras_loss(trained_pair):
    plain, _, train, _ = trained_pair
    keras_loss = plain.model.evaluate(*train, verbose=0, return_dict=True)["loss"]
    assert regkit.cross_entropy(plain.model, *train) == pytest.approx(keras_loss, rel=1e-4)


def test_docstring_examples(run_doctests):
    attempted, report = run_doctests(of)
    assert attempted >= 2
    assert not report, report
