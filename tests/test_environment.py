"""environment.yml (conda, Binder), pyproject.toml (pip) and the Makefile ask for the same."""

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
# Every platform the course supports, as a marker environment sees it.
PLATFORMS = {
    "Linux x86-64": {"sys_platform": "linux", "platform_machine": "x86_64"},
    "Linux aarch64": {"sys_platform": "linux", "platform_machine": "aarch64"},
    "Windows x86-64": {"sys_platform": "win32", "platform_machine": "AMD64"},
    "macOS arm64": {"sys_platform": "darwin", "platform_machine": "arm64"},
}


def requirements(lines: list[str]) -> set[str]:
    """Requirements in a canonical form: the same text for the same name, pin and markers."""
    return {str(Requirement(line)) for line in lines}


def pyproject_requirements() -> set[str]:
    return requirements(PYPROJECT["dependencies"] + PYPROJECT["optional-dependencies"]["test"])


def conda_environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def conda_pip_lines() -> list[str]:
    return next(d["pip"] for d in conda_environment()["dependencies"] if isinstance(d, dict))


def test_conda_pip_section_has_the_same_pins_and_markers_as_pyproject():
    lines = conda_pip_lines()
    assert requirements([line for line in lines if not line.startswith("-e")]) == (
        pyproject_requirements()
    )
    assert "-e ." in lines  # the course package itself


def test_every_supported_platform_gets_exactly_one_tensorflow():
    """The markers pick tensorflow-cpu or tensorflow, never both, never neither."""
    tensorflow = [
        Requirement(line) for line in PYPROJECT["dependencies"] if line.startswith("tensorflow")
    ]
    for label, platform in PLATFORMS.items():
        for python in supported_pythons():
            environment = {**platform, "python_version": python}
            chosen = [r for r in tensorflow if r.marker is None or r.marker.evaluate(environment)]
            assert len(chosen) == 1, f"{label}, Python {python}: {[str(r) for r in chosen]}"
            assert str(chosen[0].specifier) == "==2.21.0"


def supported_pythons() -> list[str]:
    spec = SpecifierSet(PYPROJECT["requires-python"])
    return [f"3.{minor}" for minor in range(8, 20) if spec.contains(f"3.{minor}.0")]


def test_python_versions_agree():
    """requires-python, the Makefile's list and conda's Python name the same versions."""
    assert supported_pythons() == ["3.11", "3.12", "3.13"]
    makefile = (ROOT / "Makefile").read_text()
    listed = re.search(r"^SUPPORTED_PYTHONS := (.+)$", makefile, re.M).group(1).split()
    assert sorted(listed) == supported_pythons() and listed == sorted(listed, reverse=True)
    conda_python = next(
        d for d in conda_environment()["dependencies"] if str(d).startswith("python=")
    )
    assert conda_python.removeprefix("python=") in supported_pythons()
    assert conda_environment()["name"] == "optimizer-course"


def test_every_requirement_is_pinned():
    for requirement in pyproject_requirements():
        assert "==" in requirement, f"{requirement} is not pinned"
