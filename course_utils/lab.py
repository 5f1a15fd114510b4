"""Open the course in JupyterLab: `python -m course_utils.lab` (what `make lab` runs).

Needs no `make` (Windows, conda): it writes the course's JupyterLab defaults into the running
environment, never into the user's home, and starts JupyterLab on the `notebooks` folder.
`python -m course_utils.lab --settings-only` writes the defaults and stops (Binder's postBuild).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

# Defaults for everyone who runs JupyterLab from this environment (a user's own settings still
# win): no "Would you like to get notified about official Jupyter news?" pop-up, no update check,
# and RISE's slides in reveal.js' `white` theme, whose fonts RISE bundles (its default `simple`
# theme loads two fonts from Google, so a lecture without network would show fallback fonts).
OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "jupyterlab-rise:plugin": {"theme": "white"},
}


def overrides_file(prefix: Path | None = None) -> Path:
    """Where JupyterLab looks for an environment's setting overrides."""
    return Path(prefix or sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def write_settings(prefix: Path | None = None) -> Path:
    """Merge the course's defaults into the environment's overrides.json; return its path."""
    path = overrides_file(prefix)
    settings = json.loads(path.read_text()) if path.exists() else {}
    for plugin, values in OVERRIDES.items():
        settings.setdefault(plugin, {}).update(values)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(settings, indent=2) + "\n")
    return path


def running_as_root() -> bool:
    """Whether this is a POSIX root user (JupyterLab then refuses to start without a flag)."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def lab_command(extra: list[str], folder: Path | None = None) -> list[str]:
    """The JupyterLab command line: on `folder` (default ./notebooks, else .), plus `extra`."""
    if folder is None:
        folder = Path("notebooks") if Path("notebooks").is_dir() else Path(".")
    command = [sys.executable, "-m", "jupyterlab", f"--notebook-dir={folder}"]
    if running_as_root():
        command.append("--allow-root")
    return command + extra


def main(argv: list[str]) -> int:
    """Write the defaults, then (unless --settings-only) run JupyterLab with `argv`."""
    path = write_settings()
    if argv == ["--settings-only"]:
        print(f"JupyterLab defaults written to {path}")
        return 0
    command = lab_command(argv)
    if os.name == "posix":  # become JupyterLab, so Ctrl-C and its prompt reach it alone
        os.execv(command[0], command)
    try:
        return subprocess.call(command)
    except KeyboardInterrupt:  # Windows: JupyterLab has seen the Ctrl-C too and stops
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
