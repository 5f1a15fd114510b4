"""A real JupyterLab on a free loopback port, driven by headless Chromium through Playwright.

The server serves a temporary copy of the notebooks (running cells in the UI must never
change the committed files) and is always shut down, also when a test fails.
"""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from course_utils.release import write_edition

ROOT = Path(__file__).resolve().parents[2]
# The notebooks to serve; point elsewhere to try the suite on deliberately broken copies.
NOTEBOOK_DIR = Path(os.environ.get("COURSE_NOTEBOOKS_DIR", ROOT / "notebooks"))
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Render every cell (not only those in view), never autosave the copies. Nothing else: the news
# and update settings are the environment's own (course_utils.lab), which the tests check.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


def find_chromium() -> str | None:
    """The Chromium to drive: $CHROMIUM, else Debian's /usr/bin/chromium if present."""
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def png_outputs(cells) -> int:
    """How many figures (image/png outputs) the code cells among `cells` hold."""
    return sum("image/png" in o.get("data", {}) for c in cells if c.cell_type == "code"
               for o in c.outputs)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_settings(folder: Path) -> None:
    for name, values in LAB_SETTINGS.items():
        plugin, _, file = name.rpartition("/")
        path = folder / plugin / file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        pytest.skip("no Chromium found (install Debian's `chromium`, or set $CHROMIUM)")
    return path


@pytest.fixture(scope="session")
def lab(tmp_path_factory, chromium_path):
    """Start JupyterLab on a copy of a folder of notebooks; yield (base URL, token, folder)."""
    served = tmp_path_factory.mktemp("served")
    shutil.copytree(NOTEBOOK_DIR, served / "notebooks")
    write_edition(ROOT, "lecture", served / "lecture_edition")
    settings = tmp_path_factory.mktemp("settings")
    write_settings(settings)
    port, token = free_port(), secrets.token_hex(16)
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        f"--port={port}",
        "--ServerApp.ip=127.0.0.1",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={served}",
        "--LabApp.expose_app_in_browser=True",
        "--ServerApp.disable_check_xsrf=True",
        f"--LabApp.workspaces_dir={tmp_path_factory.mktemp('workspaces')}",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(settings)}
    log = open(served / "server.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError((served / "server.log").read_text()) from None
                time.sleep(0.5)
        yield base, token, served
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


def new_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    return context, context.new_page()


@pytest.fixture
def page(browser):
    """A fresh browser context and page for one test."""
    context, page = new_page(browser)
    yield page
    context.close()


@pytest.fixture(scope="session")
def shared_page(browser):
    """One page kept open across tests, for opening notebook after notebook."""
    context, page = new_page(browser)
    yield page
    context.close()
