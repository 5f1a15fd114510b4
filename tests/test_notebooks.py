"""The notebooks follow the course's conventions (nbval then checks their outputs)."""

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def code_cells(notebook):
    return [c for c in notebook.cells if c.cell_type == "code" and c.source.strip()]


def test_notebooks_are_numbered_in_teaching_order():
    assert NOTEBOOKS, "no notebooks found"
    numbers = [int(re.match(r"(\d\d)_[a-z0-9_]+\.ipynb$", p.name).group(1)) for p in NOTEBOOKS]
    assert numbers == list(range(len(NOTEBOOKS)))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_executed_top_to_bottom_without_errors(path):
    notebook = nbformat.read(path, as_version=4)
    counts = [c.execution_count for c in code_cells(notebook)]
    assert counts == list(range(1, len(counts) + 1)), "re-run with `make notebooks`"
    for cell in code_cells(notebook):
        assert all(o.output_type != "error" for o in cell.outputs), cell.source[:80]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_opens_in_any_jupyter_and_sets_up_tensorflow_first(path):
    """The kernel every Jupyter has (`python3`: its own environment's Python), so no "select
    kernel" prompt; log level and oneDNN are read when TensorFlow loads: set before it."""
    notebook = nbformat.read(path, as_version=4)
    assert notebook.metadata.kernelspec.name == "python3"
    first = code_cells(notebook)[0].source
    assert first.index("TF_CPP_MIN_LOG_LEVEL") < first.index("import tensorflow")
    assert first.index('"TF_ENABLE_ONEDNN_OPTS", "0"') < first.index("import tensorflow")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_exercises_follow_the_solution_convention(path):
    notebook = nbformat.read(path, as_version=4)
    solutions = [c for c in notebook.cells if "solution" in c.metadata.get("tags", [])]
    assert any(c.cell_type == "code" for c in solutions), "every notebook has an exercise"
    for cell in solutions:
        if cell.cell_type == "code":
            lines = [line.strip() for line in cell.source.splitlines()]
            assert lines.count("# BEGIN SOLUTION") == lines.count("# END SOLUTION") == 1
    for cell in notebook.cells:
        if "# BEGIN SOLUTION" in cell.source:
            assert "solution" in cell.metadata.get("tags", []), "untagged solution region"


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading: lower case, punctuation dropped, '-' for ' '."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def readme_anchors() -> set[str]:
    readme = NOTEBOOKS[0].parent.parent / "README.md"
    return {github_anchor(line.lstrip("#")) for line in readme.read_text().splitlines()
            if line.startswith("#")}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_local_link_leads_somewhere(path):
    """Links to other notebooks and to the README name a file that exists, and a README
    section that exists (so renaming a section cannot silently break the chapters' links)."""
    notebook = nbformat.read(path, as_version=4)
    anchors = readme_anchors()
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        for target in re.findall(r"\]\(([^)\s]+)\)", cell.source):
            if "://" in target:
                continue
            file, _, anchor = target.partition("#")
            assert (path.parent / file).exists(), f"{target}: no such file"
            if file.endswith("README.md") and anchor:
                assert anchor in anchors, f"{target}: no such section in the README"
