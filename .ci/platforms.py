"""Do the course's pins install on every platform and Python it supports? (Needs the index.)

For each of 4 platforms x 3 Pythons, `uv pip compile` resolves pyproject.toml (with the test
extra) for that target, evaluating the environment markers as the target would, from wheels only
(`--only-binary :all:`: a student's machine must not need a compiler). Prints which TensorFlow
package each target gets. Intel Macs must *not* resolve (TensorFlow 2.21 has no wheel for them;
the README sends them to Binder or a JupyterHub): if they start to, the README is out of date.

Run by `.ci/run` after `make test`, or by hand: `make platforms`. Exit status 1 on any surprise.
"""

import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent
PLATFORMS = {
    "Linux x86-64": "x86_64-unknown-linux-gnu",
    "Linux aarch64": "aarch64-unknown-linux-gnu",
    "Windows x86-64": "x86_64-pc-windows-msvc",
    "macOS arm64": "aarch64-apple-darwin",
}
UNSUPPORTED = {"macOS x86-64 (Intel)": "x86_64-apple-darwin"}
CANDIDATE_PYTHONS = ["3.10", "3.11", "3.12", "3.13", "3.14"]


def supported_pythons() -> list[str]:
    """The minor versions that pyproject.toml's requires-python admits."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    spec = SpecifierSet(project["requires-python"])
    return [v for v in CANDIDATE_PYTHONS if spec.contains(f"{v}.0")]


def resolve(target: str, python: str) -> tuple[bool, str]:
    """Resolve for one target; return (resolved, TensorFlow line or uv's last error lines)."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "requirements.txt"
        done = subprocess.run(
            [sys.executable, "-m", "uv", "pip", "compile", str(ROOT / "pyproject.toml"),
             "--extra", "test", "--python-platform", target, "--python-version", python,
             "--only-binary", ":all:", "--quiet", "--no-header", "-o", str(out)],
            capture_output=True, text=True,
        )
        if done.returncode != 0:
            return False, " ".join(done.stderr.strip().splitlines()[-2:])
        pins = out.read_text().splitlines()
        return True, next(line for line in pins if line.startswith(("tensorflow==",
                                                                   "tensorflow-cpu==")))


def main() -> int:
    """Resolve every combination, print a table, return the exit status."""
    failures = 0
    for label, target in {**PLATFORMS, **UNSUPPORTED}.items():
        for python in supported_pythons():
            resolved, detail = resolve(target, python)
            expected = label in PLATFORMS
            verdict = "ok" if resolved == expected else "UNEXPECTED"
            failures += resolved != expected
            state = "resolves" if resolved else "does not resolve"
            print(f"{verdict:>10}  {label:<21} Python {python}: {state}: {detail}", flush=True)
    combos = len(PLATFORMS) * len(supported_pythons())
    print(f"{combos} supported combinations; {failures} unexpected result(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
