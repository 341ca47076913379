"""Every page of the built book, in both editions, as a reader sees it in headless Chromium.

Needs the site in _build/html, the English edition at its root and the Chinese one in zh/
(``make test-site`` builds both first). Each page of _toc.yml is visited in each edition, in
light and in dark mode, with no network but the local server: a console error, a failed
request, a formula left untypeset, an image that did not load or a link to a missing page or
anchor fails the page's test. Screenshots are written to _build/screenshots/.
"""

import re
import subprocess
from collections import Counter
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
ZH = "zh/"  # the Chinese edition's folder in the site
ZH_PAGES = [ZH + page for page in PAGES]
ALL_PAGES = PAGES + ZH_PAGES
MODES = ["light", "dark"]
NOTEBOOK_PAGES = [page for page in PAGES if (ROOT / page.replace(".html", ".ipynb")).is_file()]
CJK = re.compile(r"[\u4e00-\u9fff]")
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def reports():
    if not (SITE / "index.html").is_file():
        pytest.fail("no site in _build/html: run `make test-site`, which builds it first")
    found = check_site(SITE, ALL_PAGES, SCREENSHOTS)
    return {(report.path, report.mode): report for report in found}


def test_toc_lists_every_chapter():
    assert len(PAGES) == 17
    assert len(NOTEBOOK_PAGES) == 11


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("page", ALL_PAGES)
def test_page_shows_nothing_broken(reports, page, mode):
    report = reports[(page, mode)]
    assert report.problems == {}


@pytest.mark.parametrize("mode", MODES)
def test_colour_mode_follows_the_reader(reports, mode):
    assert {reports[(page, mode)].theme for page in ALL_PAGES} == {mode}


def test_math_is_typeset_on_the_pages_that_have_it(reports):
    # Not vacuous: the formula pages do hold many formulas, and all were typeset.
    for page in ["chapters/ch3/l1.html", "chapters/ch3/l2.html", "chapters/intro.html"]:
        for edition in ("", ZH):
            report = reports[(edition + page, "light")]
            assert report.math_total >= 10, edition + page
            assert report.untypeset_math == 0 and report.math_errors == []
        report = reports[(page, "light")]
        assert report.math_total >= 10, page
        assert report.untypeset_math == 0 and report.math_errors == []


def test_notebook_figures_are_on_their_pages(reports):
    for edition in ("", ZH):
        with_images = [
            page for page in NOTEBOOK_PAGES if reports[(edition + page, "light")].image_total > 0
        ]
        assert len(with_images) >= 8, with_images


def test_pages_link_to_each_other(reports):
    # Not vacuous: every page has internal links (navigation, cross-references) that were checked.
    for page in ALL_PAGES:
        internal = [link for link in reports[(page, "light")].links if "127.0.0.1" in link]
        assert len(internal) >= 10, page


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("page", ALL_PAGES)
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


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("正则化", "chapters/ch2/l1-vs-l2.html"),
        ("权重衰减", "chapters/ch5/trends.html"),
    ],
)
def test_chinese_search_finds(query, expected):
    # Sphinx's Chinese search: the index is segmented into words by jieba at build time.
    found = search(SITE / "zh", query)
    assert expected in found, found


def test_a_cjk_font_is_installed_for_the_browser():
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    assert fonts.strip(), "no CJK font: the Chinese edition would show boxes (make browser)"


@pytest.mark.parametrize("page", PAGES)
def test_each_edition_links_to_the_same_page_in_the_other(page):
    for here, there in ((page, ZH + page), (ZH + page, page)):
        html = (SITE / here).read_text(encoding="utf-8")
        switch = re.search(r'<a class="btn btn-sm language-switch" href="([^"]+)"', html)
        assert switch, f"no language switch on {here}"
        assert (SITE / here).parent.joinpath(switch.group(1)).resolve() == (SITE / there).resolve()


def _pasted(page: Path) -> list[str]:
    return re.findall(
        r'<span class="pasted-text">([^<]*)</span>', page.read_text(encoding="utf-8")
    )


def _numbers(values: list[str]) -> Counter:
    numbers = (re.findall(r"\d+(?:,\d{3})*(?:\.\d+)?", value) for value in values)
    return Counter(n for found in numbers for n in found)


@pytest.mark.parametrize("page", NOTEBOOK_PAGES)
def test_every_glued_number_reaches_the_chinese_page(page):
    # A glued phrase has a Chinese wording of its own (key + "-zh"): compare the numbers.
    english, chinese = _numbers(_pasted(SITE / page)), _numbers(_pasted(SITE / ZH / page))
    assert sum(english.values()) >= 5
    assert chinese == english, (english - chinese, chinese - english)


ENGLISH_WORDS = re.compile(
    r"\b(and|in|of|the|with|from|over|against|sample|median|seeds|images|measurably|interval|clocks?|contains?|standard)\b"
)


@pytest.mark.parametrize("page", NOTEBOOK_PAGES)
def test_glued_phrases_on_the_chinese_page_are_in_chinese(page):
    english = [value for value in _pasted(SITE / ZH / page) if ENGLISH_WORDS.search(value)]
    assert english == [], english


class _Prose(HTMLParser):
    """The paragraphs, headings, list items and table cells of a page's article, outside code
    cells, their outputs, regkit's docstrings (which stay in English, like the code) and the
    bibliography's entries."""

    SKIP = (
        "cell_input",
        "cell_output",
        "highlight",
        "py function",
        "py class",
        "py method",
        "citation",
    )

    def __init__(self):
        super().__init__()
        self.blocks, self._depth, self._skip_depth, self._inside, self._text = [], 0, None, 0, []
        self._glossary, self._column = False, -1

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "hr", "meta", "link", "input"):
            return
        self._depth += 1
        classes = dict(attrs).get("class") or ""
        if tag == "table":
            self._glossary = "glossary" in classes.split()
        elif tag == "tr":
            self._column = -1
        elif tag in ("td", "th"):
            self._column += 1
        english_column = self._glossary and tag in ("td", "th") and self._column == 1
        if self._skip_depth is None and (
            tag in ("script", "style", "pre", "code", "nav", "header", "footer")
            or any(name in classes for name in self.SKIP)
            or "math" in classes.split()
            or english_column  # the glossary's column of English equivalents
        ):
            self._skip_depth = self._depth
        if tag in ("p", "h1", "h2", "h3", "li", "td", "th", "figcaption", "dt"):
            self._inside += 1

    def handle_endtag(self, tag):
        if tag in ("br", "img", "hr", "meta", "link", "input"):
            return
        if tag in ("p", "h1", "h2", "h3", "li", "td", "th", "figcaption", "dt") and self._inside:
            self._inside -= 1
            if not self._inside:
                self.blocks.append("".join(self._text).strip())
                self._text = []
        if self._skip_depth == self._depth:
            self._skip_depth = None
        self._depth -= 1

    def handle_data(self, data):
        if self._inside and self._skip_depth is None:
            self._text.append(data)


def _article(html: str) -> str:
    start = html.find("<article")
    return html[start : html.find("</article>", start)]


def _blocks(page: Path) -> list[str]:
    parser = _Prose()
    parser.feed(_article(page.read_text(encoding="utf-8")))
    return parser.blocks


@pytest.mark.parametrize("page", PAGES)
def test_the_chinese_page_has_no_english_paragraph(page):
    blocks = _blocks(SITE / ZH / page)
    # Appendix E: the modules' docstrings stay in English, as on the English page.
    docstrings = set(_blocks(SITE / page)) if page.endswith("appendix/api.html") else set()
    english = [
        block
        for block in blocks
        if not CJK.search(block)
        and len(re.findall(r"[A-Za-z]{3,}", block)) >= 4
        and block not in docstrings
    ]
    assert len(blocks) >= 5
    assert english == [], english[:5]


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
