"""Sphinx extension for the student edition of the book: removes every exercise solution.

sphinx-exercise's own ``hide_solutions`` option does not handle the gated syntax
(``solution-start`` / ``solution-end``) that lets solutions contain executed code cells: the
build stops on an unknown ``solution_end_node``. This transform runs after sphinx-exercise has
merged each gated pair into one solution node, and deletes those nodes, code cells included.
``make book-student`` loads it; the normal build does not.
"""

from sphinx.transforms import SphinxTransform
from sphinx_exercise.nodes import solution_node


class RemoveSolutions(SphinxTransform):
    # After sphinx-exercise's MergeGatedSolutions (priority 10).
    default_priority = 11

    def apply(self):
        for node in list(self.document.findall(solution_node)):
            node.parent.remove(node)


def setup(app):
    app.setup_extension("sphinx_exercise")
    app.add_transform(RemoveSolutions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
