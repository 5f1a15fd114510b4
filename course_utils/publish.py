"""`make slides` and `make site`: the notebooks as reveal.js decks and as a static website.

- Slides: one deck per notebook in `release/slides/`, cut by each cell's
  `metadata.slideshow.slide_type` (the same metadata RISE reads live in JupyterLab), with
  speaker notes (press S). Solutions and checks are not in the decks.
- Site: `release/site/index.html` with the README's table of notebooks, and every notebook
  as a page with its committed outputs: math typeset, figures embedded, the playground's
  stored widget state drawn. The site is the student edition (`make student`): solutions are
  replaced by their placeholders and answer-revealing outputs cleared, so it can be public.

Both folders load nothing from outside (course_utils.web_assets): put one on any web server
or open its HTML files from a USB stick.
"""

import argparse
import re
import shutil
from pathlib import Path

import mistune
import nbformat
from nbconvert import HTMLExporter, SlidesExporter

from course_utils.release import student_notebook
from course_utils.web_assets import check_assets, copy_assets, urls

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "templates"
COURSE = "How neural-network optimizers work"
NOTEBOOK_LINK = re.compile(r"\(notebooks/(\d\d_[a-z0-9_]+)\.ipynb\)")
INDEX_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.5;
       max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
table { border-collapse: collapse; }
th, td { border-bottom: 1px solid #ddd; padding: 0.4em 0.6em; text-align: left;
         vertical-align: top; }
code { background: #f3f3f3; padding: 0 0.2em; }
"""


def notebooks(root: Path) -> list[Path]:
    """The course's notebooks, in teaching order."""
    found = sorted((root / "notebooks").glob("*.ipynb"))
    if not found:
        raise FileNotFoundError(f"no notebooks in {root / 'notebooks'}")
    return found


def title(notebook: nbformat.NotebookNode) -> str:
    """A notebook's title: its first heading, without the '#'."""
    for cell in notebook.cells:
        for line in cell.source.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return "Untitled"


def prepared_folder(folder: Path) -> Path:
    """`folder` emptied of an earlier build and holding the local assets; nothing is touched
    when the assets are missing."""
    check_assets()
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    copy_assets(folder)
    return folder


def template_dirs() -> dict[str, list[str]]:
    """Where nbconvert finds the course's templates (and the MathJax macro they share)."""
    return {"extra_template_basedirs": [str(TEMPLATES)], "extra_template_paths": [str(TEMPLATES)]}


def slides_exporter() -> SlidesExporter:
    """nbconvert's reveal.js exporter with the course's template and local assets."""
    return SlidesExporter(
        **template_dirs(),
        template_name="course_slides",
        reveal_theme="white",
        reveal_number="c/t",
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        **urls(),
    )


def site_exporter() -> HTMLExporter:
    """nbconvert's JupyterLab-style HTML exporter with the course's template and assets."""
    return HTMLExporter(
        **template_dirs(),
        template_name="course_site",
        **urls(),
    )


def write_slides(root: Path = ROOT, target: Path | None = None) -> list[Path]:
    """One reveal.js deck per notebook in `target` (default root/release/slides)."""
    target = prepared_folder(target or root / "release" / "slides")
    exporter, written = slides_exporter(), []
    for path in notebooks(root):
        notebook = nbformat.read(path, as_version=4)
        resources = {"metadata": {"name": title(notebook)}}
        body, _ = exporter.from_notebook_node(notebook, resources=resources)
        written.append(target / f"{path.stem}.slides.html")
        written[-1].write_text(body, encoding="utf-8")
    return written


def readme_table(root: Path) -> str:
    """The README's table of notebooks as HTML, each row linking to its page."""
    text = (root / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## The notebooks\n", 1)[-1].split("\n## ", 1)[0]
    table = "\n".join(line for line in section.splitlines() if line.startswith("|"))
    if not table:
        raise ValueError("README.md has no table under '## The notebooks'")
    return mistune.html(NOTEBOOK_LINK.sub(r"(\1.html)", table))


def index_page(root: Path) -> str:
    """The site's front page: the course's name, what it is, and its table of notebooks."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{COURSE}</title><style>{INDEX_CSS}</style></head>
<body>
<h1>{COURSE}</h1>
<p>SGD, momentum, Nesterov, AdaGrad, RMSProp, AdaDelta and Adam, then AdamW, AMSGrad, Nadam,
Lion and Muon: each derived from one recipe, written by hand in TensorFlow 2, trained on Iris
and checked against TensorFlow's own optimizer. These pages show the notebooks with their
outputs; the exercises' solutions are left out. To run them, get the course and type
<code>make lab</code>; for a lecture, <code>make slides</code> gives each as a deck.</p>
<h2>The notebooks</h2>
{readme_table(root)}
</body>
</html>
"""


def write_site(root: Path = ROOT, target: Path | None = None) -> list[Path]:
    """The static website in `target` (default root/release/site); returns its pages."""
    target = prepared_folder(target or root / "release" / "site")
    paths = notebooks(root)
    books = [student_notebook(nbformat.read(p, as_version=4)) for p in paths]
    pages = [(f"{p.stem}.html", title(nb)) for p, nb in zip(paths, books, strict=True)]
    exporter, written = site_exporter(), []
    for i, (notebook, (href, name)) in enumerate(zip(books, pages, strict=True)):
        nav = {
            "course": COURSE,
            "previous": i > 0 and {"href": pages[i - 1][0], "title": pages[i - 1][1]},
            "next": i + 1 < len(pages) and {"href": pages[i + 1][0], "title": pages[i + 1][1]},
        }
        resources = {"metadata": {"name": name}, "course_nav": nav}
        body, _ = exporter.from_notebook_node(notebook, resources=resources)
        written.append(target / href)
        written[-1].write_text(body, encoding="utf-8")
    (target / "index.html").write_text(index_page(root), encoding="utf-8")
    return [target / "index.html", *written]


def main() -> None:
    """Build what the command line names: `slides` or `site`."""
    parser = argparse.ArgumentParser(description="Write the slides or the static website.")
    parser.add_argument("what", choices=["slides", "site"])
    parser.add_argument("--out", type=Path, help="the folder to write (default release/WHAT)")
    args = parser.parse_args()
    try:
        written = (write_slides if args.what == "slides" else write_site)(ROOT, args.out)
    except (FileNotFoundError, ValueError) as error:  # a folder or a README section missing
        raise SystemExit(f"make {args.what}: {error}") from None
    print(f"wrote {len(written)} pages to {written[0].parent}")


if __name__ == "__main__":
    main()
