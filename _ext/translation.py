"""Sphinx extension for the translated edition: two gaps of Sphinx's gettext with MyST notebooks.

1. **Glued values in a translated paragraph.** Sphinx's i18n transform parses each translated
   message as a small document of its own. myst-nb's ``{glue:text}`` role looks its value up in
   the notebook that the document was parsed from, which that small document does not carry, so
   the role fails ("No key ... found in glue data") and the number is lost. The notebook's
   renderer is recorded while the page itself is parsed (every glue role of the English text
   looks it up first), and a translated message of the same page falls back to it.
2. **Tables inside directives.** MyST parses the content of a directive such as ``{table}``
   without recording the source file on the cells' paragraphs, and Sphinx neither extracts nor
   translates a paragraph without one. A transform gives those paragraphs the source of the
   nearest enclosing node that has one, before the i18n transform runs.

``make translations`` and ``make book-zh`` load this extension; the English build does not.
"""

from docutils import nodes
from myst_nb.ext.glue import directives as glue_directives
from myst_nb.ext.glue import roles as glue_roles
from myst_nb.ext.glue import utils as glue_utils
from sphinx.transforms import SphinxTransform

_RENDERERS = {}  # docname -> the notebook renderer of that page, recorded while it is parsed
_original_retrieve = glue_utils.retrieve_glue_data


def _retrieve_glue_data(document, key):
    env = getattr(document.settings, "env", None)
    docname = getattr(env, "docname", None)
    if "nb_renderer" in document or docname not in _RENDERERS:
        if "nb_renderer" in document:
            _RENDERERS[docname] = document["nb_renderer"]
        return _original_retrieve(document, key)
    # A translated message of a page parsed before: lend it the page's renderer, then take it
    # back, since the message's nodes keep a reference to their document, which is pickled.
    document["nb_renderer"] = _RENDERERS[docname]
    try:
        return _original_retrieve(document, key)
    finally:
        del document["nb_renderer"]


class SourceForTableCells(SphinxTransform):
    """Give the paragraphs of table cells the source of their table, so they are translated."""

    default_priority = 19  # before sphinx.transforms.i18n.Locale (20)

    def apply(self):
        for table in self.document.findall(nodes.table):
            source, line = _nearest_source(table)
            if source is None:
                continue
            for paragraph in table.findall(nodes.paragraph):
                if not paragraph.source:
                    paragraph.source, paragraph.line = source, line


def _nearest_source(node):
    while node is not None and not node.source:
        node = node.parent
    return (node.source, node.line) if node is not None else (None, None)


def setup(app):
    glue_roles.retrieve_glue_data = _retrieve_glue_data
    glue_directives.retrieve_glue_data = _retrieve_glue_data
    app.add_transform(SourceForTableCells)
    return {"parallel_read_safe": False, "parallel_write_safe": True}
