"""Every page of the built book, as a reader sees it in headless Chromium.

Needs the site in _build/html (``make test-site`` builds it first). Each page of _toc.yml is
visited in light and in dark mode, with no network but the local server: a console error, a
failed request, a formula left untypeset, an image that did not load or a link to a missing
page or anchor fails the page's test. Screenshots are written to _build/screenshots/.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import matplotlib.image
import pytest
import yaml
from sitecheck import check_site, read_static_page, search, toc_pages

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
PAGES = toc_pages(ROOT / "_toc.yml")
MODES = ["light", "dark"]
NOTEBOOK_PAGES = [page for page in PAGES if (ROOT / page.replace(".html", ".ipynb")).is_file()]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def reports():
    if not (SITE / "index.html").is_file():
        pytest.fail("no site in _build/html: run `make test-site`, which builds it first")
    found = check_site(SITE, PAGES, SCREENSHOTS)
    return {(report.path, report.mode): report for report in found}


def test_toc_lists_every_chapter():
    assert len(PAGES) == 17
    assert len(NOTEBOOK_PAGES) == 11


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("page", PAGES)
def test_page_shows_nothing_broken(reports, page, mode):
    report = reports[(page, mode)]
    assert report.problems == {}


@pytest.mark.parametrize("mode", MODES)
def test_colour_mode_follows_the_reader(reports, mode):
    assert {reports[(page, mode)].theme for page in PAGES} == {mode}


def test_math_is_typeset_on_the_pages_that_have_it(reports):
    # Not vacuous: the formula pages do hold many formulas, and all were typeset.
    for page in ["chapters/ch3/l1.html", "chapters/ch3/l2.html", "chapters/intro.html"]:
        report = reports[(page, "light")]
        assert report.math_total >= 10, page
        assert report.untypeset_math == 0 and report.math_errors == []


def test_notebook_figures_are_on_their_pages(reports):
    with_images = [page for page in NOTEBOOK_PAGES if reports[(page, "light")].image_total > 0]
    assert len(with_images) >= 8, with_images


def test_pages_link_to_each_other(reports):
    # Not vacuous: every page has internal links (navigation, cross-references) that were checked.
    for page in PAGES:
        internal = [link for link in reports[(page, "light")].links if "127.0.0.1" in link]
        assert len(internal) >= 10, page


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("page", PAGES)
def test_screenshot_saved(reports, page, mode):
    shot = SCREENSHOTS / (page.removesuffix(".html").replace("/", "__") + f".{mode}.png")
    image = matplotlib.image.imread(shot)
    assert image.shape[1] == 1280 and image.shape[0] >= 900


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lasso", "chapters/ch3/l1.html"),
        ("weight decay", "chapters/ch5/trends.html"),
    ],
)
def test_search_finds(query, expected):
    found = search(SITE, query)
    assert expected in found, found


def test_search_finds_nothing_for_a_word_that_is_not_there():
    assert search(SITE, "zyzzyva") == []


@pytest.mark.parametrize("page", NOTEBOOK_PAGES)
def test_notebook_page_has_launch_download_and_repository_buttons(page):
    hrefs = read_static_page(SITE / page).hrefs
    repo = CONFIG["repository"]["url"]
    owner_name = repo.removeprefix("https://github.com/")
    notebook = page.replace(".html", ".ipynb")
    expected = [
        f"https://colab.research.google.com/github/{owner_name}/blob/main/{notebook}",
        f"https://mybinder.org/v2/gh/{owner_name}/main?urlpath=lab/tree/{notebook}",
        f"{repo}/edit/main/{notebook}",
        repo,
    ]
    for href in expected:
        assert href in hrefs, href
    assert any(href.startswith(f"{repo}/issues/new") for href in hrefs)
    downloads = [href for href in hrefs if re.search(r"_sources/.*\.ipynb$", href)]
    assert downloads, "no .ipynb download"
    assert (SITE / page).parent.joinpath(downloads[0]).resolve().is_file()


class _VisibleText(HTMLParser):
    """The text of a page outside <script> and <style>."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


@pytest.mark.parametrize("page", PAGES)
def test_pages_show_the_subject_not_the_test_harness(page):
    if not (SITE / page).is_file():
        pytest.fail("no site in _build/html: run `make test-site`, which builds it first")
    html = (SITE / page).read_text(encoding="utf-8")
    parser = _VisibleText()
    parser.feed(html)
    text = "".join(parser.parts)
    assert "NBVAL" not in text, "nbval markers belong in cell tags"
    assert "site-packages" not in text, "an error shows library frames"
    assert str(ROOT) not in text and "ipykernel_" not in text, "a path of the build machine"
    # Pygments marks the keyword of a visible code cell; claim-guarding asserts are hidden.
    assert '<span class="k">assert</span>' not in html


def test_api_appendix_documents_every_public_name():
    import regkit

    page = SITE / "chapters/appendix/api.html"
    if not page.is_file():
        pytest.fail("no site in _build/html: run `make test-site`, which builds it first")
    anchors = set(re.findall(r'id="(regkit\.[\w.]+)"', page.read_text(encoding="utf-8")))
    assert {f"regkit.{name}" for name in regkit.__all__} <= anchors
    # ... with the docstring's sections, not just a signature.
    html = page.read_text(encoding="utf-8")
    assert html.count("Parameters") >= 40 and html.count("Returns") >= 40
