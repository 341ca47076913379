"""Sphinx extension: write each script of a page once.

With Jupyter Book 1.0.4, sphinx-thebe's inline configuration script (``const THEBE_JS_URL =
...``) reaches every page twice, and the second copy is a JavaScript error ("Identifier
'THEBE_JS_URL' has already been declared") in every reader's console. This handler drops
repeated scripts, same file or same inline body, from the page context before the page is
written. The browser test (tests/site) fails on any console error, so it would notice if a
later release stopped needing this.
"""


def _script_key(script):
    # An inline script's filename is None or "", depending on who added it.
    attributes = getattr(script, "attributes", None) or {}
    return getattr(script, "filename", None) or "", attributes.get("body")


def drop_repeated_scripts(app, pagename, templatename, context, doctree):
    seen = set()
    unique = []
    for script in context.get("script_files", []):
        key = _script_key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    # In place: the list is the builder's own, which later handlers may still extend.
    context["script_files"][:] = unique


def setup(app):
    # Late (default 500), after the handlers that add a page's scripts.
    app.connect("html-page-context", drop_repeated_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
