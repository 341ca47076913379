"""The Chinese edition's catalogs: complete, current with the English text, faithful to its markup.

``make translations`` regenerates the catalogs from the English pages; a changed paragraph then
comes back untranslated or fuzzy, and these tests fail until it is translated. They also fail
when the English text changed and the catalogs were not regenerated: the messages are
extracted here again and compared with the catalogs.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from catalogs import LOCALES, catalogs, page_messages, problems, read
from test_source import PAGES as SOURCE_SECTIONS
from test_source import source_text  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = catalogs("zh_CN")
PAGE_FILES = sorted(
    p.relative_to(ROOT / "chapters").with_suffix("")
    for p in [*(ROOT / "chapters").rglob("*.ipynb"), *(ROOT / "chapters").rglob("*.md")]
    if ".ipynb_checkpoints" not in p.parts
)


def catalog_path(page: Path) -> Path:
    return LOCALES / "zh_CN" / "LC_MESSAGES" / "chapters" / page.with_suffix(".po")


def test_every_page_has_a_catalog():
    assert {catalog_path(page) for page in PAGE_FILES} == set(CATALOGS)
    assert len(CATALOGS) == 17


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(LOCALES)))
def test_every_message_is_translated_and_keeps_its_markup(path):
    found = problems(read(path))
    assert found == [], "\n".join(found[:10])


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages of the English pages now, extracted as ``make translations`` does."""
    out = tmp_path_factory.mktemp("gettext")
    config = out / "config.yml"
    python = sys.executable
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    subprocess.run(
        [python, "_ext/derive_config.py", str(config), "--execute", "off", "--language", "zh_CN"],
        cwd=ROOT,
        check=True,
    )
    book = Path(python).with_name("jupyter-book")
    command = [str(book), "build", ".", "--config", str(config), "--path-output", str(out)]
    command += ["--builder", "custom", "--custom-builder", "gettext"]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, env=env)
    return out / "_build" / "gettext" / "chapters"


@pytest.mark.parametrize("page", PAGE_FILES, ids=str)
def test_the_catalogs_hold_the_english_text_of_today(extracted, page):
    with (extracted / page.with_suffix(".pot")).open("rb") as handle:
        english = {m.id for m in page_messages(read_po(handle))}
    translated = {m.id for m in page_messages(read(catalog_path(page)))}
    missing = sorted(english - translated)
    assert missing == [], f"run `make translations` and translate: {missing[:3]}"
    assert translated - english == set(), "run `make translations`: the catalog has old messages"


def _heading(source, number):
    """The title of the source's section ``number`` ("3.1" -> "L1正则化")."""
    match = re.search(rf"^#{{1,2}} {re.escape(number)}[. ]\s*(.+)$", source, flags=re.MULTILINE)
    return match.group(1).strip()


@pytest.mark.parametrize(("page", "section"), SOURCE_SECTIONS.items())
def test_each_chinese_page_names_the_source_section_in_chinese(source_text, page, section):  # noqa: F811
    heading = _heading(source_text, section)
    opening = [m for m in page_messages(read(catalog_path(Path(page).with_suffix(""))))][:8]
    named = rf"第\s*{re.escape(section)}\s*节|§\s*{re.escape(section)}"
    assert any(re.search(named, m.string) and heading in m.string for m in opening), (
        f"the Chinese {page} does not name §{section} ({heading}) at its start"
    )
