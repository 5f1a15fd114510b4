"""`make slides` and `make site` in headless Chromium, opened from disk as from a USB stick.

Every page must load nothing from outside the machine: each request is recorded, and any
that is not local is refused and fails the test. Math must be typeset by MathJax without an
error, every figure must be there, and arrowing through a deck must show its fragments in
the order the notebook's metadata gives. The last tests show that these checks turn red on
broken math and on a CDN address.
"""

import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import NOTEBOOK_DIR, ROOT, png_outputs

from course_utils import deck, publish
from course_utils.release import BEGIN, END, student_notebook

pytestmark = pytest.mark.ui
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
SCREENSHOTS = ROOT / "build" / "screenshots"
LOCAL = ("file:", "data:", "blob:", "about:")
MATHJAX_DONE = """() => window.MathJax && MathJax.Hub && MathJax.Hub.queue
  && MathJax.Hub.queue.pending === 0 && !MathJax.Hub.queue.running"""
MATHJAX_TEX_FONTS = "/_static/mathjax/fonts/HTML-CSS/TeX/"
DECK_READY = "() => window.Reveal && Reveal.isReady()"


def course_copy(folder: Path, notebooks: list[Path]) -> Path:
    """A course root with the README and the given notebooks, to build from."""
    (folder / "notebooks").mkdir(parents=True)
    shutil.copy2(ROOT / "README.md", folder / "README.md")
    for path in notebooks:
        shutil.copy2(path, folder / "notebooks" / path.name)
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The decks and the site of the notebooks under test, built once."""
    root = course_copy(tmp_path_factory.mktemp("course"), NOTEBOOKS)
    out = tmp_path_factory.mktemp("release")
    publish.write_slides(root, out / "slides")
    publish.write_site(root, out / "site")
    return out


class Offline:
    """A browser page whose every request is recorded; what is not local is refused."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self.route)
        self.page = self.context.new_page()
        self.page.on("requestfailed", lambda request: self.failed.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def route(self, route):
        self.requests.append(route.request.url)
        if route.request.url.startswith(LOCAL):
            route.continue_()
        else:
            route.abort()

    def open(self, path: Path, ready: str) -> None:
        for record in (self.requests, self.failed, self.errors):
            record.clear()
        self.page.goto(path.as_uri())
        self.page.wait_for_function(ready, timeout=60_000)
        self.page.wait_for_function(MATHJAX_DONE, timeout=120_000, polling=250)

    def assert_nothing_left_the_machine(self) -> None:
        outside = [url for url in self.requests if not url.startswith(LOCAL)]
        assert not outside, f"requests that leave the machine: {outside}"
        # By design MathJax measures with a blank font at about:blank, and now and then probes
        # for its TeX fonts, which the local copy leaves out (it draws with STIX-Web); anything
        # else that fails is a file the folder lacks.
        missing = [url for url in self.failed
                   if not url.startswith("about:") and MATHJAX_TEX_FONTS not in url]
        assert not missing, f"local files that failed to load: {missing}"
        assert not self.errors, f"JavaScript errors: {self.errors}"


@pytest.fixture
def offline(browser):
    page = Offline(browser)
    yield page
    page.context.close()


def assert_math_rendered(page, expect_math: bool) -> int:
    """MathJax typeset the page's math, none of it failed, no `$$` is left as text."""
    errors = page.locator(".merror").all_text_contents()
    assert not errors, f"MathJax could not typeset: {errors[:3]}"
    raw = page.evaluate(
        "() => [...document.querySelectorAll('.jp-RenderedMarkdown, .jp-MarkdownOutput')]"
        ".map(e => e.innerText).filter(t => t.includes('$$')).map(t => t.slice(0, 80))"
    )
    assert not raw, f"LaTeX left as text: {raw[:3]}"
    typeset = page.locator(".MathJax, .MathJax_Display").count()
    if expect_math:
        assert typeset, "no math typeset"
    return typeset


def output_images(page, scope: str) -> int:
    """Images in cell outputs, not counting those a stored widget draws."""
    return page.evaluate(
        f"() => [...document.querySelectorAll('{scope} img')]"
        ".filter(i => !i.closest('.jupyter-widgets')).length"
    )


def has_math(cells) -> bool:
    return any("$" in c.source for c in cells if c.cell_type == "markdown")


def shown(notebook) -> list:
    return [c for c in notebook.cells if deck.slide_type(c) not in ("skip", "notes")]


def solution_lines(notebook) -> list[str]:
    """The distinctive lines inside the notebook's solution regions."""
    lines = []
    for cell in notebook.cells:
        if BEGIN in cell.source:
            region = cell.source.split(BEGIN, 1)[1].split(END, 1)[0]
            lines += [line.strip() for line in region.splitlines() if len(line.strip()) > 12]
    return lines


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_deck_opens_offline_with_its_math_and_figures(built, offline, path):
    notebook = nbformat.read(path, as_version=4)
    file = built / "slides" / f"{path.stem}.slides.html"
    offline.open(file, DECK_READY)
    slides = deck.outline(notebook)
    assert offline.page.evaluate("() => Reveal.getTotalSlides()") == len(slides)
    assert_math_rendered(offline.page, has_math(shown(notebook)))
    assert output_images(offline.page, ".reveal .slides") == png_outputs(shown(notebook))
    if "widgets" in notebook.metadata:  # the stored state of what the deck shows is drawn
        offline.page.locator(".reveal .widget-slider").first.wait_for(state="attached")
    html = file.read_text(encoding="utf-8")
    leaked = [line for line in solution_lines(notebook) if line in html]
    assert not leaked, f"solution lines in the deck: {leaked[:3]}"
    offline.assert_nothing_left_the_machine()


def fragment_steps(notebook) -> list[tuple[int, int, int]]:
    """(h, v, visible fragments) after each press, from the notebook's metadata alone."""
    steps = []
    for s in deck.outline(notebook):
        steps += [(s.h, s.v, k) for k in range(s.fragments + 1)]
    return steps


def test_arrowing_through_a_deck_shows_the_fragments_in_order(built, offline):
    """Arrow keys as a presenter uses them: right, or down into a subslide, one press at a
    time; after each press exactly the first k fragments of the slide are visible."""
    path = max(NOTEBOOKS, key=lambda p: sum(s.fragments for s in deck.outline(
        nbformat.read(p, as_version=4))))
    notebook = nbformat.read(path, as_version=4)
    offline.open(built / "slides" / f"{path.stem}.slides.html", DECK_READY)
    page, seen = offline.page, []
    state = """() => { const i = Reveal.getIndices(); const s = Reveal.getCurrentSlide();
      const own = [...s.querySelectorAll('.fragment')].filter(f => f.closest('section') === s);
      const visible = own.map(f => f.classList.contains('visible'));
      return {h: i.h, v: i.v, visible, routes: Reveal.availableRoutes(),
              more: visible.includes(false)}; }"""
    while True:
        now = page.evaluate(state)
        k = sum(now["visible"])
        assert now["visible"] == [True] * k + [False] * (len(now["visible"]) - k), (
            f"slide {now['h']}.{now['v']}: fragments shown out of order {now['visible']}")
        seen.append((now["h"], now["v"], k))
        if now["more"] or (now["routes"]["right"] and not now["routes"]["down"]):
            page.keyboard.press("ArrowRight")
        elif now["routes"]["down"]:
            page.keyboard.press("ArrowDown")
        else:
            break
        page.wait_for_timeout(60)
    assert seen == fragment_steps(notebook)
    offline.assert_nothing_left_the_machine()


def open_slide_showing(page, selector: str, screenshot: str) -> None:
    """Go to the first slide with `selector`, show all its fragments, and take a picture."""
    page.evaluate(
        f"""() => {{ const s = Reveal.getSlides().find(s => s.querySelector("{selector}"));
          const i = Reveal.getIndices(s); Reveal.slide(i.h, i.v, 99); }}"""
    )
    page.wait_for_function(MATHJAX_DONE, timeout=60_000)
    page.wait_for_timeout(800)  # the slide transition
    page.evaluate(f"""() => Reveal.getCurrentSlide().querySelector("{selector}")
                   .scrollIntoView({{block: "center"}})""")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / screenshot))


def test_screenshots_of_a_slide_with_math_and_one_with_a_figure(built, offline):
    name = next(p.stem for p in NOTEBOOKS if "nesterov" in p.stem)
    offline.open(built / "slides" / f"{name}.slides.html", DECK_READY)
    open_slide_showing(offline.page, ".MathJax_Display", "slides_math.png")
    open_slide_showing(offline.page, "img", "slides_figure.png")
    offline.assert_nothing_left_the_machine()


def test_site_index_links_every_notebook(built, offline):
    offline.page.goto((built / "site" / "index.html").as_uri())
    links = offline.page.eval_on_selector_all("table a", "as => as.map(a => a.href)")
    expected = [(built / "site" / f"{p.stem}.html").as_uri() for p in NOTEBOOKS]
    assert links == expected, "the index's table should link each notebook's page, in order"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    offline.page.screenshot(path=str(SCREENSHOTS / "site_index.png"), full_page=True)
    outside = [url for url in offline.requests if not url.startswith(LOCAL)]
    assert not outside, f"requests that leave the machine: {outside}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_site_page_opens_offline_with_its_math_figures_and_widgets(built, offline, path):
    """Each page shows the student edition with its committed outputs; the playground's
    stored widget state (08) is drawn as widgets, with the figure it last showed."""
    notebook = student_notebook(nbformat.read(path, as_version=4))
    offline.open(built / "site" / f"{path.stem}.html", "() => document.readyState === 'complete'")
    assert_math_rendered(offline.page, has_math(notebook.cells))
    assert output_images(offline.page, "main") == png_outputs(notebook.cells), "figures on the page"
    if "widgets" in notebook.metadata:
        offline.page.locator(".widget-slider").first.wait_for(timeout=60_000)
        offline.page.locator(".jupyter-widgets img").first.wait_for(timeout=60_000)
        text = offline.page.inner_text("main")
        assert "VBox(" not in text and "Error displaying widget" not in text
        offline.page.locator(".widget-slider").first.scroll_into_view_if_needed()
        offline.page.screenshot(path=str(SCREENSHOTS / "site_widgets.png"))
    offline.assert_nothing_left_the_machine()


def small_course(folder: Path, math: str) -> Path:
    """A one-notebook course whose deck has a title slide and a slide with `math`."""
    cells = [
        nbformat.v4.new_markdown_cell(text, metadata={"slideshow": {"slide_type": "slide"}})
        for text in ("# 0 · A test", f"## Math\n\n$$\n{math}\n$$")
    ]
    path = folder / "00_test.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return course_copy(folder / "course", [path])


def test_broken_math_turns_the_math_check_red(tmp_path, offline):
    root = small_course(tmp_path, r"\frac{1}{")
    slides, = publish.write_slides(root, tmp_path / "slides")
    offline.open(slides, DECK_READY)
    with pytest.raises(AssertionError, match="MathJax could not typeset"):
        assert_math_rendered(offline.page, expect_math=True)
    site = publish.write_site(root, tmp_path / "site")[1]
    offline.open(site, "() => document.readyState === 'complete'")
    with pytest.raises(AssertionError, match="MathJax could not typeset"):
        assert_math_rendered(offline.page, expect_math=True)


def test_a_cdn_address_turns_the_request_check_red(tmp_path, offline, monkeypatch):
    """nbconvert's own default for MathJax is a CDN: were it back, the check must say so."""
    cdn = "https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/latest.js?config=TeX-AMS_CHTML"
    local = publish.urls()
    monkeypatch.setattr(publish, "urls", lambda: {**local, "mathjax_url": cdn})
    root = small_course(tmp_path, r"\frac{1}{2}")
    slides, = publish.write_slides(root, tmp_path / "slides")
    offline.page.goto(slides.as_uri())
    offline.page.wait_for_function(DECK_READY, timeout=60_000)
    with pytest.raises(AssertionError, match=r"leave the machine.*cdnjs"):
        offline.assert_nothing_left_the_machine()
