"""What a student sees: every notebook opened in JupyterLab and run from the UI."""

import json
from pathlib import Path

import nbformat
import pytest
from conftest import NOTEBOOK_DIR, ROOT

pytestmark = pytest.mark.ui
NOTEBOOKS = sorted(p.name for p in NOTEBOOK_DIR.glob("*.ipynb"))
SCREENSHOTS = ROOT / "build" / "screenshots"
CURRENT = "window.jupyterapp.shell.currentWidget"

READY = f"""() => {{
  const w = window.jupyterapp && {CURRENT};
  const kernel = w && w.sessionContext && w.sessionContext.session
    && w.sessionContext.session.kernel;
  return Boolean(w && w.context && w.context.isReady && kernel && kernel.status === 'idle');
}}"""
FINISHED = f"""() => {{
  const w = {CURRENT};
  const code = w.content.widgets.filter(c => c.model.type === 'code');
  return w.sessionContext.session.kernel.status === 'idle'
    && code.every(c => c.model.executionCount !== null);
}}"""
OUTPUTS = f"""() => {CURRENT}.content.widgets
  .filter(c => c.model.type === 'code')
  .map(c => c.model.outputs.toJSON())"""


def open_notebook(page, lab, path: str):
    """Open one notebook alone (a fresh workspace) and return a locator for its panel."""
    base, token, _ = lab
    page.goto(f"{base}/lab/tree/{path}?reset&token={token}")
    page.wait_for_function(READY, timeout=120_000)
    panel_id = page.evaluate(f"() => {CURRENT}.id")
    return page.locator(f"[id='{panel_id}']")


def run_all_cells(page) -> list[list[dict]]:
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_timeout(1000)
    page.wait_for_function(FINISHED, timeout=600_000, polling=500)
    return page.evaluate(OUTPUTS)


def count_math(notebook) -> int:
    return sum(c.source.count("$") for c in notebook.cells if c.cell_type == "markdown")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_and_renders_in_jupyterlab(page, lab, name):
    notebook = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
    panel = open_notebook(page, lab, f"notebooks/{name}")
    outputs = run_all_cells(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{Path(name).stem}.png"), full_page=True)

    errors = [
        (i, o.get("ename"), o.get("evalue"))
        for i, cell in enumerate(outputs)
        for o in cell
        if o["output_type"] == "error"
    ]
    assert not errors, f"error outputs after Run All: {errors}"
    stderr = [i for i, cell in enumerate(outputs) for o in cell if o.get("name") == "stderr"]
    assert not stderr, f"cells writing to stderr: {stderr}"

    markdown = panel.locator(".jp-MarkdownCell .jp-RenderedMarkdown").all_text_contents()
    raw = [text[:80] for text in markdown if "$$" in text]
    assert not raw, f"LaTeX left unrendered: {raw}"
    if count_math(notebook):
        assert panel.locator(".jp-RenderedMarkdown mjx-container").count() > 0, "no MathJax"
    broken = panel.locator("mjx-merror").all_inner_texts()
    assert not broken, f"MathJax could not render: {broken}"

    expected_figures = sum(1 for cell in outputs for o in cell if "image/png" in o.get("data", {}))
    shown = panel.locator(".jp-OutputArea-output img").count()
    assert shown >= expected_figures > 0 or expected_figures == 0
    committed = sum(
        1
        for c in notebook.cells
        if c.cell_type == "code"
        for o in c.outputs
        if "image/png" in o.get("data", {})
    )
    assert expected_figures >= committed, "fewer figures than in the committed notebook"

    page_text = panel.inner_text()
    assert "Error displaying widget" not in page_text
    assert "FloatSlider(" not in page_text and "VBox(children" not in page_text


def test_playground_slider_redraws_the_plot(page, lab):
    name = next((n for n in NOTEBOOKS if "comparison" in n), None)
    if name is None:
        pytest.fail("no comparison notebook with the playground")
    panel = open_notebook(page, lab, f"notebooks/{name}")
    run_all_cells(page)
    slider = panel.locator(".widget-slider").first
    slider.wait_for(timeout=30_000)
    figure = panel.locator(".widget-output img").first
    before = figure.get_attribute("src")
    handle = slider.locator(".noUi-handle").first
    handle.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "before => { const img = document.querySelector('.widget-output img');"
        " return img && img.getAttribute('src') !== before; }",
        arg=before,
        timeout=60_000,
    )


def test_lecture_edition_collapses_solutions(page, lab):
    _, _, served = lab
    folder = served / "lecture_edition" / "notebooks"
    name = NOTEBOOKS[1]
    notebook = nbformat.read(folder / name, as_version=4)
    solutions = [c for c in notebook.cells if "solution" in c.metadata.get("tags", [])]
    panel = open_notebook(page, lab, f"lecture_edition/notebooks/{name}")
    hidden = page.evaluate(
        f"() => {CURRENT}.content.widgets"
        ".filter(c => (c.model.getMetadata('tags') || []).includes('solution'))"
        ".map(c => c.inputHidden)"
    )
    assert hidden == [True] * len(solutions), json.dumps(hidden)
    assert panel.locator(".jp-InputPlaceholder").count() >= len(solutions)
