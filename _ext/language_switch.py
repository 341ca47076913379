"""Sphinx extension: every page links to the same page in the book's other language.

The site publishes the English edition at its root and the Chinese edition under ``zh/``
(``make book-zh`` puts it in ``_build/html/zh``), so the link is relative: from an English page
to ``zh/<page>.html`` at the site's root, from a Chinese page to ``../<page>.html``. The link
sits in the page header, before the theme's buttons, and a ``<link rel="alternate">`` tells
search engines about the other edition. Both builds load this extension.
"""

from pathlib import Path

from sphinx.util.osutil import relative_uri

TEMPLATES = Path(__file__).parent / "templates"
EDITIONS = {
    # language of this build: (folder of the other edition from the site root, its language,
    # the link's text in that language, its tooltip in this page's language)
    "en": ("zh/", "zh-CN", "中文", "Read this page in Chinese"),
    "zh_CN": ("../", "en", "English", "阅读本页的英文版"),
}


def _edition(app):
    return EDITIONS.get(app.config.language or "en", EDITIONS["en"])


def add_template(app, config):
    config.templates_path.append(str(TEMPLATES))
    options = config.html_theme_options
    end = options.get("article_header_end", ["article-header-buttons.html"])
    if "language-switch.html" not in end:
        options["article_header_end"] = ["language-switch.html", *end]


def link_other_edition(app, pagename, templatename, context, doctree):
    folder, lang, text, title = _edition(app)
    to_root = relative_uri(app.builder.get_target_uri(pagename), "")
    href = f"{to_root}{folder}{app.builder.get_target_uri(pagename)}"
    context["regkit_other_edition"] = {"href": href, "lang": lang, "text": text, "title": title}
    context["metatags"] = (
        context.get("metatags", "") + f'\n<link rel="alternate" hreflang="{lang}" href="{href}" />'
    )


def setup(app):
    app.connect("config-inited", add_template)
    # Before the theme (priority 500) drops header templates that render empty.
    app.connect("html-page-context", link_other_edition, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
