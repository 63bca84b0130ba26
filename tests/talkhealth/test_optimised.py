"""Production's Python processes run optimised (PYTHONOPTIMIZE=2 in the Procfile: no docstrings, no
assert statements), which saves each about 4 MB. The code they run must not need either: checks
belong in `if ... raise`, and text a person reads in a string of its own. The real-worker tests and
the gunicorn test start their processes with the Procfile's variables, so they run optimised too."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

from .conftest import procfile, procfile_env

ROOT = Path(settings.BASE_DIR)
PACKAGES = ("talkhealth", "accounts", "forums", "programmes")


@pytest.mark.parametrize("process", ["web", "worker", "analysis"])
def test_the_procfile_runs_each_long_lived_python_process_optimised(process):
    assert procfile_env(process)["PYTHONOPTIMIZE"] == "2"
    assert procfile()[process].startswith("PYTHONOPTIMIZE=2 ")


def uses_of_what_optimising_removes(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assert):
            found.append(f"line {node.lineno}: assert")
        elif isinstance(node, ast.Attribute) and node.attr == "__doc__":
            found.append(f"line {node.lineno}: .__doc__")
        elif isinstance(node, ast.Name) and node.id == "__doc__":
            found.append(f"line {node.lineno}: __doc__")
    return found


def test_the_check_finds_an_assert_and_a_docstring_read():
    source = 'def f(x):\n    """Doc."""\n    assert x\n    return f.__doc__ + __doc__\n'
    assert uses_of_what_optimising_removes(source) == ["line 3: assert", "line 4: .__doc__", "line 4: __doc__"]


def test_no_production_code_needs_an_assert_or_a_docstring():
    found = {
        str(path.relative_to(ROOT)): uses
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if (uses := uses_of_what_optimising_removes(path.read_text()))
    }
    assert found == {}
