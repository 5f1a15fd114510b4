"""`make slides` and `make site` without a browser (tests/ui opens what they write)."""

import subprocess
import sys
from pathlib import Path

import pytest

from course_utils import publish, web_assets

ROOT = Path(__file__).resolve().parent.parent


def test_every_asset_address_is_relative_and_its_file_is_shipped(tmp_path):
    static = web_assets.copy_assets(tmp_path)
    for name, url in web_assets.urls().items():
        assert "://" not in url and not url.startswith("/"), f"{name} = {url}"
        file = url.split("?")[0].removeprefix(f"{web_assets.STATIC}/")
        if name == "reveal_url_prefix":
            file += "/dist/reveal.js"
        assert (static / file).is_file(), f"{name}: {file} is not in the copy"


def test_the_index_table_links_each_notebook_to_its_page():
    table = publish.readme_table(ROOT)
    for path in publish.notebooks(ROOT):
        assert f'href="{path.stem}.html"' in table
    assert ".ipynb" not in table


def test_a_readme_without_the_table_is_named(tmp_path):
    (tmp_path / "README.md").write_text("# A course\n\n## Elsewhere\n")
    with pytest.raises(ValueError, match="no table under '## The notebooks'"):
        publish.readme_table(tmp_path)


def test_a_missing_vendor_folder_gets_one_line_not_a_traceback(tmp_path):
    """The student edition ships course_utils without vendor/: `make site` there says so."""
    (tmp_path / "notebooks").mkdir()
    code = (
        "import sys, pathlib; from course_utils import web_assets, publish;"
        f"web_assets.VENDOR = pathlib.Path({str(tmp_path / 'vendor')!r});"
        f"sys.argv = ['publish', 'site', '--out', {str(tmp_path / 'site')!r}]; publish.main()"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.strip().endswith("vendor is missing: the slides and site need its copies")
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "site").exists(), "nothing is written (or deleted) before the check"
