"""The student and lecture editions: no solution survives, the notebooks still run, and
putting the solutions back gives the instructor notebooks again."""

import hashlib
import os
from pathlib import Path

import nbformat
import pytest
from jupyter_client import KernelManager
from nbclient import NotebookClient
from notebook_outputs import comparable_outputs, is_compared, sanitize_patterns

from course_utils import release

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def solution_regions(source: str) -> list[list[str]]:
    """The lines between each BEGIN and END SOLUTION marker."""
    regions, current = [], None
    for line in source.splitlines():
        if line.strip() == release.BEGIN:
            current = []
        elif line.strip() == release.END:
            regions.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return regions


def indentation(region: list[str]) -> str:
    """The indentation of a region's first line (its markers have the same)."""
    return region[0][: len(region[0]) - len(region[0].lstrip())]


def non_trivial(lines: list[str]) -> list[str]:
    """Lines that would give something away: not blank, not a comment, not a docstring."""
    kept = []
    for line in lines:
        text = line.strip()
        if len(text) >= 10 and not text.startswith(("#", '"""', "'''")):
            kept.append(text)
    return kept


def hidden_text(notebook) -> list[str]:
    """Every non-trivial line of every solution region."""
    return [line for cell in notebook.cells if release.is_solution(cell)
            for region in solution_regions(cell.source) for line in non_trivial(region)]


@pytest.fixture(scope="module")
def student(tmp_path_factory) -> Path:
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in NOTEBOOKS}
    target = release.write_edition(ROOT, "student", tmp_path_factory.mktemp("x") / "student")
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in NOTEBOOKS}
    assert before == after, "make student modified the instructor notebooks"
    return target


def test_every_notebook_has_something_to_hide():
    for path in NOTEBOOKS:
        assert hidden_text(nbformat.read(path, as_version=4)), path.name


def test_no_solution_text_survives_anywhere_in_the_release(student):
    # Every line of every file, and every line inside the notebooks' JSON strings
    released_lines = set()
    for path in student.rglob("*"):
        if path.is_file():
            text = path.read_text(errors="ignore")
            released_lines |= {line.strip() for line in text.splitlines()}
    for path in (student / "notebooks").glob("*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            texts = [cell.source] + [
                str(v)
                for o in cell.get("outputs", [])
                for v in [o.get("text", ""), *o.get("data", {}).values()]
            ]
            released_lines |= {line.strip() for text in texts for line in text.splitlines()}
    for path in NOTEBOOKS:
        leaked = [
            line
            for line in hidden_text(nbformat.read(path, as_version=4))
            if line in released_lines
        ]
        assert not leaked, f"{path.name}: {leaked}"


def test_release_has_what_a_student_needs(student):
    needed = ("course_utils/__init__.py", "course_utils/lab.py", "pyproject.toml", "Makefile",
              "environment.yml", "postBuild", "README.md")
    for name in needed:
        assert (student / name).exists(), name
    assert os.access(student / "postBuild", os.X_OK)  # Binder runs it
    assert sorted(p.name for p in (student / "notebooks").glob("*.ipynb")) == [
        p.name for p in NOTEBOOKS
    ]


def test_placeholders_keep_the_indentation_and_outputs_are_cleared(student):
    for path in NOTEBOOKS:
        instructor = nbformat.read(path, as_version=4)
        released = nbformat.read(student / "notebooks" / path.name, as_version=4)
        for ours, theirs in zip(instructor.cells, released.cells, strict=True):
            if release.is_solution(ours) and ours.cell_type == "code":
                for region in solution_regions(ours.source):
                    stub = "\n".join(release.placeholder(region, indentation(region)))
                    assert stub in theirs.source
                assert theirs.outputs == [] and theirs.execution_count is None
            elif theirs.cell_type == "code" and release.CHECK_CALL.search(theirs.source):
                assert theirs.outputs == []
            elif release.SHOWS_ANSWER_TAG in ours.metadata.get("tags", []):
                assert ours.outputs and theirs.outputs == [], "a shows-answer cell kept its output"


def test_a_predicted_value_becomes_a_blank_to_fill_in():
    source = "# Your prediction:\n# BEGIN SOLUTION\nfactor = 39\nbeta = 0.5 ** 2\n# END SOLUTION"
    assert release.strip_solution_regions(source) == (
        "# Your prediction:\n# YOUR ANSWER HERE\nfactor = ...\nbeta = ...")
    with pytest.raises(ValueError, match="only assign answers"):
        release.strip_solution_regions("# BEGIN SOLUTION\nprint(39)\n# END SOLUTION")


def test_a_hidden_answer_cell_is_refused():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "**Answer.** 39", metadata={"tags": ["solution"]})])
    with pytest.raises(ValueError, match="main text"):
        release.student_notebook(notebook)


def test_writing_twice_gives_identical_files(student, tmp_path):
    again = release.write_edition(ROOT, "student", tmp_path / "again")
    for path in student.rglob("*"):
        if path.is_file():
            assert path.read_bytes() == (again / path.relative_to(student)).read_bytes(), path


def test_putting_the_solutions_back_gives_the_instructor_notebooks(student):
    """The round trip: nbval runs the instructor notebooks, so every check passes there."""
    for path in NOTEBOOKS:
        instructor = nbformat.read(path, as_version=4)
        released = nbformat.read(student / "notebooks" / path.name, as_version=4)
        for ours, theirs in zip(instructor.cells, released.cells, strict=True):
            if release.is_solution(ours) and ours.cell_type == "code":
                restored = theirs.source
                for region in solution_regions(ours.source):
                    body = "\n".join(region)
                    indent = indentation(region)
                    restored = restored.replace(
                        "\n".join(release.placeholder(region, indent)),
                        f"{indent}{release.BEGIN}\n{body}\n{indent}{release.END}",
                        1,
                    )
                assert restored == ours.source
            elif not release.is_solution(ours):
                assert theirs.source == ours.source


def other_numerics() -> dict[str, str]:
    """The second run's numerics: oneDNN the other way round from nbval's run.

    The course turns oneDNN off unless the environment says otherwise (course_utils), so nbval
    runs without it and this run with it: other kernels for the matrix products and the
    softmax, other summation orders, other last bits, as on a CPU where TensorFlow turns
    oneDNN on by itself (AVX-512 machines).
    """
    onednn = "0" if os.environ.get("TF_ENABLE_ONEDNN_OPTS", "0") == "1" else "1"
    return {"TF_ENABLE_ONEDNN_OPTS": onednn}


@pytest.mark.parametrize("name", [p.name for p in NOTEBOOKS])
def test_released_notebook_runs_under_other_numerics(student, name, monkeypatch, tmp_path):
    """The portability check. The student edition runs under the other oneDNN setting; every
    check says "not attempted yet", and every cell that nbval compares prints exactly what the
    committed instructor notebook prints: what a notebook prints holds on any CPU."""
    numerics = other_numerics()
    for variable, value in numerics.items():
        monkeypatch.setenv(variable, value)
    notebook = nbformat.read(student / "notebooks" / name, as_version=4)
    # IPC, not TCP: `make test` runs this beside nbval, and two kernels starting at once on TCP
    # can pick the same free port (a kernel then dies before replying).
    kernel = KernelManager(kernel_name="python3", transport="ipc")
    kernel.ip = str(tmp_path / "kernel")
    NotebookClient(
        notebook,
        km=kernel,
        timeout=600,
        resources={"metadata": {"path": str(student / "notebooks")}},
    ).execute()
    checks = [
        "".join(o.get("text", "") for o in cell.outputs)
        for cell in notebook.cells
        if cell.cell_type == "code" and release.CHECK_CALL.search(cell.source)
    ]
    assert checks, "no check cell found"
    for text in checks:
        assert text.count("\n") == 1 and "not attempted yet" in text, text

    instructor = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    patterns = sanitize_patterns()
    differ = []
    for index, (ours, theirs) in enumerate(zip(instructor.cells, notebook.cells, strict=True)):
        solution_or_check = release.is_solution(ours) or release.CHECK_CALL.search(ours.source)
        if not is_compared(ours) or solution_or_check:
            continue
        committed = comparable_outputs(ours, patterns)
        here = comparable_outputs(theirs, patterns)
        if committed != here:
            differ.append(f"cell {index}:\n  committed {committed}\n  this run  {here}")
    assert not differ, (
        f"{numerics} changes what {name} prints; print such"
        " numbers at a precision that last-bit differences cannot change:\n" + "\n".join(differ)
    )


def test_lecture_edition_collapses_every_solution(tmp_path):
    target = release.write_edition(ROOT, "lecture", tmp_path / "lecture")
    for path in NOTEBOOKS:
        lecture = nbformat.read(target / "notebooks" / path.name, as_version=4)
        instructor = nbformat.read(path, as_version=4)
        for ours, theirs in zip(instructor.cells, lecture.cells, strict=True):
            assert theirs.source == ours.source
            hidden = theirs.metadata.get("jupyter", {})
            if release.is_solution(ours):
                assert hidden.get("source_hidden") is True
                if ours.cell_type == "code":
                    assert hidden.get("outputs_hidden") is True
            else:
                assert not hidden
