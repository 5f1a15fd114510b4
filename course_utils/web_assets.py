"""The local copies of what the slides and the website load, so that they work offline.

nbconvert's pages load reveal.js, require.js, MathJax and the widget renderer from public
CDNs. The course ships them instead: MathJax 2.7 from the `jupyter-server-mathjax` package (a
pinned dependency; the version nbconvert's pages are written for), the others committed in
`vendor/` with their licences (vendor/README.md says which versions and from where).
`copy_assets` puts them in a folder's `_static/`, and `urls` gives the relative addresses, so
the folder works on any web server and from a USB stick (file://).
"""

import shutil
from pathlib import Path

import jupyter_server_mathjax

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "vendor"
MATHJAX = Path(jupyter_server_mathjax.__file__).parent / "static"
STATIC = "_static"
# MathJax's TeX input with the HTML-CSS output, and its Safe extension (nbconvert's choice);
# jupyter-server-mathjax ships this combined configuration.
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"


def urls(prefix: str = STATIC) -> dict[str, str]:
    """nbconvert's asset settings pointed at the copies under `prefix` (relative)."""
    return {
        "reveal_url_prefix": f"{prefix}/reveal.js",
        "require_js_url": f"{prefix}/requirejs/require.js",
        "mathjax_url": f"{prefix}/mathjax/MathJax.js?config={MATHJAX_CONFIG}",
        "widget_renderer_url": f"{prefix}/html-manager/dist/embed-amd.js",
    }


def check_assets() -> None:
    """Raise FileNotFoundError, naming the folder, when the committed copies are missing
    (the student edition ships course_utils without them)."""
    if not VENDOR.is_dir():
        raise FileNotFoundError(f"{VENDOR} is missing: the slides and site need its copies")


def copy_assets(folder: Path) -> Path:
    """Copy the local reveal.js, require.js, widget renderer and MathJax to folder/_static."""
    check_assets()
    target = folder / STATIC
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(VENDOR, target, ignore=shutil.ignore_patterns("README.md"))
    # MathJax's translations of its menus are not needed: its messages are off.
    shutil.copytree(MATHJAX, target / "mathjax", ignore=shutil.ignore_patterns("localization"))
    return target
