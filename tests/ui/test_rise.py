"""Presenting live with RISE (jupyterlab-rise, installed by `make lab`) in the course's
JupyterLab: a deck opens with its math, Space walks its slides and fragments in the order the
notebook's metadata gives, and nothing is loaded from outside the machine."""

import re

import nbformat
import pytest
from conftest import NOTEBOOK_DIR, ROOT

from course_utils import deck

pytestmark = pytest.mark.ui
SCREENSHOTS = ROOT / "build" / "screenshots"
HASH = re.compile(r"#/slide-(\d+)-(\d+)(?:/(\d+))?$")


def rise_url(lab, path: str) -> str:
    base, token, _ = lab
    return f"{base}/rise/{path}?token={token}"


def test_rise_presents_a_deck_with_math_and_its_fragments_in_order(page, lab):
    name = next(p.name for p in sorted(NOTEBOOK_DIR.glob("*.ipynb")) if "nesterov" in p.name)
    notebook = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
    base = lab[0]
    outside = []
    page.on("request", lambda r: None if r.url.startswith((base, "data:", "blob:"))
            else outside.append(r.url))
    page.goto(rise_url(lab, f"notebooks/{name}"))
    page.locator(".reveal .slides > section").first.wait_for(timeout=120_000)
    page.locator(".reveal mjx-container").first.wait_for(state="attached", timeout=60_000)
    slides = deck.outline(notebook)
    assert page.locator(".reveal .slides > section").count() == len({s.h for s in slides})
    assert not page.locator(".reveal mjx-merror").all_inner_texts(), "MathJax errors"
    expected = [(s.h, s.v, k) for s in slides for k in range(s.fragments + 1)]
    shot = next(i for i, step in enumerate(expected, 1) if step[2] == 2)
    seen, where = [], None
    for _ in expected:
        page.wait_for_function(
            "before => /#\\/slide-/.test(location.hash) && location.hash !== before",
            arg=where, timeout=10_000,
        )
        where = page.evaluate("() => location.hash")
        h, v, f = HASH.search(where).groups()
        seen.append((int(h), int(v), 0 if f is None else int(f) + 1))
        if len(seen) == shot:  # two fragments of a slide shown, after the transition
            page.wait_for_timeout(1500)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "rise_slide.png"))
        # RISE leaves the up and down arrows to the notebook (they move between cells), so
        # a presenter goes on with Space (reveal.js' "next": fragment, subslide, then slide).
        page.keyboard.press("Space")
    assert seen == expected
    assert not outside, f"requests that leave the machine: {outside}"
