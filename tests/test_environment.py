"""environment.yml (conda) and pyproject.toml (pip) ask for the same things."""

import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def pyproject_requirements() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return set(project["dependencies"]) | set(project["optional-dependencies"]["test"])


def conda_environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def test_conda_pip_section_has_the_same_pins_as_pyproject():
    env = conda_environment()
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    pins = {line for line in pip_section if not line.startswith("-e")}
    assert pins == pyproject_requirements()
    assert "-e ." in pip_section  # the course package itself


def test_python_versions_agree():
    env = conda_environment()
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert requires == ">=3.11"
    assert "python=3.11" in env["dependencies"]
    assert env["name"] == "optimizer-course"


def test_every_requirement_is_pinned():
    for requirement in pyproject_requirements():
        assert "==" in requirement, f"{requirement} is not pinned"
