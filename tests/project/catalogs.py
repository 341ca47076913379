"""The translation catalogs of locales/: reading them and checking a translation's markup.

A translated message must keep everything of its English message that is not prose: the
glued values, cross-references, citations, equations, math, inline code and link targets. The
text of a reference with an explicit title (``{ref}`Section 3.2 <sec-l2-stable>```) may be
translated; its target may not. A glued phrase (words, not only a number) has a Chinese
variant glued under the same key plus ``-zh``, which the translation uses instead. Run as a
script to check catalogs by hand::

    python tests/project/catalogs.py locales/zh_CN/LC_MESSAGES/chapters/ch1/overfitting.po
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "locales"
LANGUAGES = ("zh_CN",)

ROLE = re.compile(r"\{([\w:.+-]+)\}`([^`]*)`")
TITLED = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.S)
MATH = re.compile(r"\$\$.+?\$\$|\$[^$]+?\$", re.S)
CODE = re.compile(r"`([^`\n]+)`")
LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")


def catalogs(language: str) -> list[Path]:
    return sorted((LOCALES / language / "LC_MESSAGES").rglob("*.po"))


def read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def is_docstring(message) -> bool:
    """Messages from regkit's docstrings (Appendix E) stay in English, like the code."""
    # Babel reads the location "of regkit.core.penalties:5" as two: ("of", None), (module, 5).
    files = [file for file, _ in message.locations]
    return bool(files) and not any(file.endswith((".md", ".ipynb")) for file in files)


def page_messages(catalog):
    """The messages of the pages' own text: everything but the header and the docstrings."""
    return [m for m in catalog if m.id and not is_docstring(m)]


def markup(text: str) -> Counter:
    """What a translation must keep: roles (targets only where titled), math, code, links."""
    found = Counter()
    without_roles = ROLE.sub(" ", text)
    for name, content in ROLE.findall(text):
        titled = TITLED.match(content)
        target = titled.group(2) if titled else content
        if name == "glue:text":
            target = target.removesuffix("-zh")  # the Chinese wording of a glued phrase
        found[(name, target)] += 1
    without_math = MATH.sub(" ", without_roles)
    for math in MATH.findall(without_roles):
        found[("math", math)] += 1
    for code in CODE.findall(without_math):
        found[("code", code)] += 1
    for target in LINK_TARGET.findall(text):
        found[("link", target)] += 1
    return found


def problems(catalog) -> list[str]:
    """Untranslated, fuzzy, or markup not kept: one line per message at fault."""
    found = []
    for message in page_messages(catalog):
        where = message.locations[0] if message.locations else ("?", 0)
        label = f"{where[0]}:{where[1]}: {message.id[:60]!r}"
        if not message.string:
            found.append(f"{label}: untranslated")
        elif message.fuzzy:
            found.append(f"{label}: fuzzy")
        else:
            missing = markup(message.id) - markup(message.string)
            extra = markup(message.string) - markup(message.id)
            if missing or extra:
                found.append(
                    f"{label}: markup differs: missing {dict(missing)} extra {dict(extra)}"
                )
    return found


def main(paths: list[str]) -> int:
    paths = [Path(p) for p in paths] or [p for lang in LANGUAGES for p in catalogs(lang)]
    total = 0
    for path in paths:
        catalog = read(path)
        messages = page_messages(catalog)
        faults = problems(catalog)
        total += len(faults)
        print(f"{path}: {len(messages)} messages, {len(faults)} problems")
        for fault in faults:
            print("  " + fault)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
