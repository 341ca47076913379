"""The course against its source: the tutorial's text, read from the shared folder beside the
repository, ``../shared/source/`` relative to its root (CI lays it there too).

Outside CI a checkout without that folder skips these tests; under CI (``CI`` set) a missing
source fails them, so that they never pass by skipping. ``REGKIT_SOURCE`` names another copy.
"""

import ast
import json
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCE = Path(
    os.environ.get("REGKIT_SOURCE", ROOT.parent / "shared" / "source" / "000_b9ae682dc72b4fd6.txt")
)
FAQ_PAGE = ROOT / "chapters" / "ch6" / "faq.ipynb"
# Each page and the section of the source it follows.
PAGES = {
    "ch1/overfitting.ipynb": "1",
    "ch2/l1-vs-l2.ipynb": "2",
    "ch3/index.md": "3",
    "ch3/l1.ipynb": "3.1",
    "ch3/l2.ipynb": "3.2",
    "ch3/gradient-descent.ipynb": "3.3",
    "ch4/code-example.ipynb": "4",
    "ch5/trends.ipynb": "5",
    "ch6/faq.ipynb": "6",
}


@pytest.fixture(scope="module")
def source_text():
    if not SOURCE.is_file():
        message = f"the source is not at {SOURCE} (set REGKIT_SOURCE to its path)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return SOURCE.read_text(encoding="utf-8")


def source_sections(text):
    """The numbers of the source's numbered headings, in order: "1", "2", "3", "3.1", ..."""
    return re.findall(r"^#{1,2} (\d(?:\.\d)?)[. ]", text, flags=re.MULTILINE)


def faq_headings(text):
    """The question headings ("Q：...") of the source's section 6, in order."""
    section = text.split("\n# 6.", 1)[1]
    return [
        line.removeprefix("Q：").strip() for line in section.splitlines() if line.startswith("Q：")
    ]


def page_questions():
    """The list ``SOURCE_QUESTIONS`` as the FAQ page writes it, read without running the page."""
    cells = json.loads(FAQ_PAGE.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        tree = ast.parse("".join(cell["source"])) if cell["cell_type"] == "code" else None
        for node in tree.body if tree else []:
            target = node.targets[0] if isinstance(node, ast.Assign) else None
            if isinstance(target, ast.Name) and target.id == "SOURCE_QUESTIONS":
                return ast.literal_eval(node.value)
    raise AssertionError("the FAQ page defines no SOURCE_QUESTIONS")


def first_paragraphs(path):
    """The opening of a page: its first Markdown cell, or the first 1,500 characters."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return "".join(next(c for c in cells if c["cell_type"] == "markdown")["source"])
    return path.read_text(encoding="utf-8")[:1500]


def test_the_source_has_the_six_sections_the_course_follows(source_text):
    assert source_sections(source_text) == ["1", "2", "3", "3.1", "3.2", "3.3", "4", "5", "6"]


def test_the_faq_page_holds_the_source_questions_in_order(source_text):
    headings = faq_headings(source_text)
    assert len(headings) > 40  # the repeated block the page deduplicates
    assert page_questions() == headings


@pytest.mark.parametrize(("page", "section"), PAGES.items())
def test_each_page_names_the_section_it_follows_at_its_start(source_text, page, section):
    assert section in source_sections(source_text)
    opening = first_paragraphs(ROOT / "chapters" / page)
    number = re.escape(section)
    named = rf"(Section {number} of the source|§{number} of the source|source's §{number}\b)"
    assert re.search(named, opening), (
        f"{page} does not say at its start that it follows §{section}"
    )


def test_the_introduction_cites_the_source():
    intro = (ROOT / "chapters" / "intro.md").read_text(encoding="utf-8")
    bibliography = (ROOT / "references.bib").read_text(encoding="utf-8")
    assert "{cite:p}`sourcetutorial`" in intro
    assert re.search(r"@\w+\{sourcetutorial,", bibliography)
