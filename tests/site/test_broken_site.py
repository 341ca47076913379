"""The browser test can fail: a small book with a broken page must be reported, item by item.

The book is built here, with the course's own MathJax and script settings, from two pages: a
good one (formulas, a figure, a link) and one broken on purpose (a formula with a missing
brace, an unknown macro, a missing image, a dead anchor, a dead page and a NumPy repr).
"""

import subprocess
import sys
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest
import yaml
from sitecheck import check_site

ROOT = Path(__file__).resolve().parents[2]

GOOD = r"""
# A good page

Inline math $a^2 + b^2 = c^2$ and a display:

$$
J(w) = \frac{1}{2m}\lVert y - Xw \rVert^2 + \frac{\lambda}{2}\sum_k w_k^2
$$

![a figure](figure.png)

[The broken page](broken.md).
"""

BROKEN = r"""
# A broken page

A formula with a missing brace, $\frac{1}{2$, and an unknown macro, $\nosuchmacro{w}$.

<img src="missing.png" alt="a missing figure">

A <a href="#no-such-anchor">dead anchor</a> and a <a href="no-such-page.html">dead page</a>.

A number glued without converting it first: np.float64(0.5).
"""


def write_book(folder: Path) -> None:
    course = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]
    config = {
        "title": "Broken on purpose",
        "only_build_toc_files": True,
        "execute": {"execute_notebooks": "off"},
        "html": {"favicon": str(ROOT / "chapters" / "assets" / "favicon.svg")},
        "sphinx": {
            "local_extensions": {"unique_scripts": str(ROOT / "_ext")},
            "config": {
                key: course[key] for key in ("mathjax_path", "mathjax3_config", "html_context")
            }
            | {"html_extra_path": [str(ROOT / "_vendor")]},
        },
    }
    (folder / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    toc = {"format": "jb-book", "root": "index", "chapters": [{"file": "broken"}]}
    (folder / "_toc.yml").write_text(yaml.safe_dump(toc), encoding="utf-8")
    (folder / "index.md").write_text(textwrap.dedent(GOOD), encoding="utf-8")
    (folder / "broken.md").write_text(textwrap.dedent(BROKEN), encoding="utf-8")
    figure, ax = plt.subplots(figsize=(2, 2))
    ax.plot([0, 1], [1, 0])
    figure.savefig(folder / "figure.png")
    plt.close(figure)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not (ROOT / "_vendor" / "mathjax" / "tex-mml-chtml.js").is_file():
        pytest.fail("no local MathJax: run `make mathjax` (make test-site does)")
    book = tmp_path_factory.mktemp("book")
    write_book(book)
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    build = subprocess.run(
        [str(jupyter_book), "build", str(book)], capture_output=True, text=True, check=False
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    return book / "_build" / "html"


@pytest.fixture(scope="module")
def reports(site):
    found = check_site(site, ["index.html", "broken.html"], modes=("light",))
    return {report.path: report for report in found}


def test_the_good_page_passes(reports):
    good = reports["index.html"]
    assert good.problems == {}
    assert good.math_total == 2 and good.image_total >= 1


def test_broken_formulas_are_reported(reports):
    broken = reports["broken.html"]
    # The missing brace swallows the closing delimiter: MathJax leaves that formula as TeX.
    assert broken.untypeset_math == 1
    assert "\\frac" in broken.raw_tex
    # The unknown macro is typeset as an error message.
    assert len(broken.math_errors) == 1
    assert "nosuchmacro" in broken.math_errors[0]


def test_a_missing_image_is_reported(reports):
    broken = reports["broken.html"]
    assert broken.broken_images == ["missing.png"]
    assert any(failure.endswith("/missing.png") for failure in broken.failed_requests)
    assert broken.console_errors


def test_numpy_reprs_are_reported(reports):
    assert reports["broken.html"].numpy_reprs == ["np.float64("]


def test_dead_links_are_reported(reports):
    dead = reports["broken.html"].broken_links
    assert len(dead) == 2
    assert any(link.endswith("broken.html#no-such-anchor") for link in dead)
    assert any(link.endswith("/no-such-page.html") for link in dead)


def test_formulas_left_as_tex_are_reported_when_mathjax_cannot_load(site):
    # What a reader sees when MathJax comes from a CDN and the network is down.
    (good,) = check_site(site, ["index.html"], block="tex-mml-chtml.js", modes=("light",))
    assert good.untypeset_math == good.math_total == 2
    assert "\\frac" in good.raw_tex
    assert any("tex-mml-chtml.js" in failure for failure in good.failed_requests)
