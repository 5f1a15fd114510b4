"""How the course opens: the Python `make` picks, and the JupyterLab defaults it writes."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course_utils import lab

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ("bash", "sh", "uname", "sha256sum", "cut", "cat", "echo", "rm", "touch")


def make_setup(tmp_path: Path, pythons: dict[str, str], *flags: str) -> subprocess.CompletedProcess:
    """`make setup` in a copy of the project, with only `pythons` (name -> script) on PATH."""
    project, bin_dir = tmp_path / "project", tmp_path / "bin"
    project.mkdir()
    bin_dir.mkdir()
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, project / name)
    for tool in TOOLS:
        if found := shutil.which(tool):
            (bin_dir / tool).symlink_to(found)
    for name, script in pythons.items():
        (bin_dir / name).write_text(script)
        (bin_dir / name).chmod(0o755)
    env = {"PATH": str(bin_dir), "HOME": str(tmp_path)}
    return subprocess.run(
        [shutil.which("make"), "--no-print-directory", *flags, "setup"],
        cwd=project, env=env, capture_output=True, text=True,
    )


def shim(version_ok: bool) -> str:
    """A stand-in Python: the real one, or a pyenv shim for a version not selected (fails)."""
    if version_ok:
        return f'#!/bin/sh\nexec "{sys.executable}" "$@"\n'
    return "#!/bin/sh\necho 'pyenv: python: command not found' >&2\nexit 127\n"


@pytest.mark.skipif(os.name != "posix", reason="make is the POSIX route; Windows uses python -m")
def test_make_says_in_one_line_which_pythons_to_install_when_none_runs(tmp_path):
    done = make_setup(tmp_path, {"python3.13": shim(False), "python3": shim(False)})
    assert done.returncode != 0
    message = done.stdout.strip()
    assert message.count("\n") == 0 and "3.13 3.12 3.11" in message and "PYTHON=" in message


@pytest.mark.skipif(os.name != "posix", reason="make is the POSIX route; Windows uses python -m")
def test_make_takes_the_newest_supported_python_that_runs(tmp_path):
    ours = f"python{sys.version_info.major}.{sys.version_info.minor}"
    newer = [f"python3.{m}" for m in range(sys.version_info.minor + 1, 14)]
    pythons = {ours: shim(True), **{name: shim(False) for name in newer}}
    done = make_setup(tmp_path, pythons, "-n")
    assert done.returncode == 0, done.stderr
    assert f"{sys.executable} -m venv .venv" in done.stdout


@pytest.mark.skipif(os.name != "posix", reason="make is the POSIX route; Windows uses python -m")
def test_make_refuses_a_python_the_course_does_not_support(tmp_path):
    """A Python named with PYTHON= that is 3.10 (simulated: the real one told it is 3.10)."""
    old = tmp_path / "python3.10"
    old.write_text(
        f'#!/bin/sh\nexec "{sys.executable}" -c '
        '"import sys; sys.version_info = (3, 10, 0); exec(sys.argv[1])" "$2"\n'
    )
    old.chmod(0o755)
    done = make_setup(tmp_path, {}, f"PYTHON={old}")
    assert done.returncode != 0
    assert "is Python 3.10; the course needs 3.13 3.12 3.11." in done.stderr


def test_settings_are_merged_into_the_environments_overrides(tmp_path):
    path = lab.overrides_file(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"@jupyterlab/apputils-extension:notification": {"x": 1},
                                "other-plugin": {"y": 2}}))
    assert lab.write_settings(tmp_path) == path
    settings = json.loads(path.read_text())
    notification = settings["@jupyterlab/apputils-extension:notification"]
    assert notification == {"x": 1, "fetchNews": "false", "checkForUpdates": False}
    assert settings["other-plugin"] == {"y": 2}  # what was there stays


def test_allow_root_only_for_root(monkeypatch, tmp_path):
    monkeypatch.setattr(lab, "running_as_root", lambda: False)
    assert "--allow-root" not in lab.lab_command([], tmp_path)
    monkeypatch.setattr(lab, "running_as_root", lambda: True)
    command = lab.lab_command(["--no-browser"], tmp_path)
    assert command[-2:] == ["--allow-root", "--no-browser"]
    assert f"--notebook-dir={tmp_path}" in command
