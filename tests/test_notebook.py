"""regkit.short_tracebacks: a page's deliberate error shows the reader's line and the error."""

import re

import pytest
from IPython.core.interactiveshell import InteractiveShell

import regkit


@pytest.fixture
def shell():
    shell = InteractiveShell.instance()
    yield shell
    shell.set_custom_exc((), None)
    InteractiveShell.clear_instance()


def strip_colours(text):
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def run(shell, capsys, code):
    result = shell.run_cell(code)
    return result, capsys.readouterr()


def test_error_shows_the_cells_line_and_the_exception_only(shell, capsys):
    regkit.short_tracebacks(shell)
    result, shown = run(shell, capsys, "import json\njson.loads('{bad')")
    assert isinstance(result.error_in_exec, ValueError)  # still an error
    text = shown.out + shown.err
    assert re.search(r"----> 2 json\.loads\('\{bad'\)", strip_colours(text))
    assert "JSONDecodeError: Expecting property name" in strip_colours(text)
    assert "decoder.py" not in text and "File " not in strip_colours(text)


def test_without_it_the_library_frames_show(shell, capsys):
    _, shown = run(shell, capsys, "import json\njson.loads('{bad')")
    assert "decoder.py" in shown.out + shown.err  # what the helper removes


def test_needs_a_shell_outside_ipython():
    with pytest.raises(RuntimeError, match="needs a running IPython shell"):
        regkit.short_tracebacks()
