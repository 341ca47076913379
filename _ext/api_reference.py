"""The ``regkit-api`` directive: document a module of regkit from its ``__all__``.

``.. regkit-api:: regkit.core.solvers`` expands to the module's docstring and, for every name in
the module's ``__all__``, the object's docstring under its public name ``regkit.<name>``, so
that the library's one list of public names is also the list the appendix documents, and
``:func:`regkit.ridge``` in any docstring or page resolves.
"""

import importlib
import inspect

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective


class RegkitApi(SphinxDirective):
    required_arguments = 1

    def run(self):
        module_name = self.arguments[0]
        module = importlib.import_module(module_name)
        lines = [f".. automodule:: {module_name}", ""]
        for name in module.__all__:
            lines += [*_entry(name, getattr(module, name)), ""]
        content = StringList(lines, source=f"<regkit-api {module_name}>")
        section = nodes.container()
        self.state.nested_parse(content, self.content_offset, section)
        return list(section.children)


def _entry(name, obj):
    if inspect.isclass(obj):
        return [f".. autoclass:: regkit.{name}", "   :members:", "   :exclude-members: make"]
    if callable(obj):
        return [f".. autofunction:: regkit.{name}"]
    return [f".. autodata:: regkit.{name}", "   :no-value:"]


def setup(app):
    app.add_directive("regkit-api", RegkitApi)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
