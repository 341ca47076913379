"""Write a variant of the book's _config.yml for the Makefile's other builds.

The variant lives in _build/, so the paths of local extensions, which Jupyter Book resolves
against the config file's folder, are made absolute. Used by ``make book-student`` (adds the
``student_edition`` extension), by ``make build-strict`` (renders the committed outputs,
which nbval has just compared with a fresh run, instead of executing every notebook again),
and by ``make translations`` and ``make book-zh`` (``--language``: the catalogs in
``locales/``, one per page, and the ``translation`` extension).
"""

import argparse
from pathlib import Path

import yaml

BOOK = Path(__file__).resolve().parents[1]


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
