"""Write a variant of the book's _config.yml for the Makefile's other builds.

The variant lives in _build/, so the paths of local extensions, which Jupyter Book resolves
against the config file's folder, are made absolute. Used by ``make book-student`` (adds the
``student_edition`` extension), by ``make build-strict`` (renders the committed outputs,
which nbval has just compared with a fresh run, instead of executing every notebook again),
and by ``make translations`` and ``make book-zh`` (``--language``: the catalogs in
``locales/``, one per page, and the ``translation`` extension).
"""

import argparse
import re
from pathlib import Path

import yaml

BOOK = Path(__file__).resolve().parents[1]


def search_words(glossary: Path) -> list[str]:
    """The Chinese terms of the glossary (its first column), for Chinese search.

    Sphinx segments the Chinese text of the pages into words with jieba when it builds the
    search index; without these, jieba cuts 正则化 into 正则 + 化, and a reader searching for
    正则化 finds nothing.
    """
    words = {"正则化", "权重衰减", "正则项", "正则化强度", "目标函数", "最小值点", "标准误"}
    for line in glossary.read_text(encoding="utf-8").splitlines():
        cells = line.split("|")
        if len(cells) < 3 or not re.search(r"[\u4e00-\u9fff]", cells[1]):
            continue
        for part in re.split(r"[/、（）()，,†]", cells[1]):
            part = part.strip()
            if len(part) >= 2 and " " not in part and re.search(r"[\u4e00-\u9fff]", part):
                words.add(part)
    return sorted(words)


def derive(student: bool, execute: str | None, language: str | None = None) -> dict:
    config = yaml.safe_load((BOOK / "_config.yml").read_text(encoding="utf-8"))
    extensions = config.setdefault("sphinx", {}).setdefault("local_extensions", {})
    for name, path in extensions.items():
        extensions[name] = str((BOOK / path).resolve())
    if student:
        extensions["student_edition"] = str(BOOK / "_ext")
        config["title"] += " (student edition)"
    if execute is not None:
        config.setdefault("execute", {})["execute_notebooks"] = execute
    if language is not None:
        extensions["translation"] = str(BOOK / "_ext")
        sphinx_config = config["sphinx"].setdefault("config", {})
        sphinx_config["language"] = language
        sphinx_config["locale_dirs"] = [str(BOOK / "locales")]
        sphinx_config["gettext_compact"] = False  # one catalog per page
        sphinx_config["gettext_uuid"] = False
        sphinx_config["gettext_last_translator"] = "regkit course authors"
        if language.startswith("zh"):
            sphinx_config["html_search_language"] = "zh"  # word segmentation by jieba
            words = BOOK / "_build" / "search-words-zh.txt"  # jieba's user dictionary
            words.parent.mkdir(parents=True, exist_ok=True)
            glossary = BOOK / "chapters" / "appendix" / "glossary.md"
            words.write_text("".join(f"{w} 100000\n" for w in search_words(glossary)), "utf-8")
            sphinx_config["html_search_options"] = {"dict": str(words)}
            config["title"] = "L1 与 L2 正则化：用运行结果来检验"
            config["author"] = "regkit 课程作者"
            sphinx_config["nb_code_prompt_show"] = "显示代码"
            sphinx_config["nb_code_prompt_hide"] = "隐藏代码"
    return config


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--student", action="store_true", help="remove exercise solutions")
    parser.add_argument("--execute", choices=["auto", "cache", "force", "off"])
    parser.add_argument("--language", help="a translated edition, e.g. zh_CN")
    arguments = parser.parse_args()
    config = derive(arguments.student, arguments.execute, arguments.language)
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


if __name__ == "__main__":
    main()
