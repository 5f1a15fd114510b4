"""Re-execute notebooks in place, top to bottom, each in a fresh kernel (`make notebooks`).

This is the only way the committed outputs are refreshed: never by editing output JSON.
"""

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

KERNEL_NAME = "python3"  # every Jupyter has it: the kernel of its own environment


def execute_notebook(path: Path, timeout: int = 600) -> None:
    """Run every cell of the notebook at `path` in a new kernel and save it with its outputs."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name=KERNEL_NAME,
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=True,
        record_timing=False,
    )
    client.execute()
    nbformat.write(notebook, path)


def main(paths: list[str]) -> None:
    """Execute each notebook named on the command line."""
    for name in paths:
        print(f"executing {name} ...", flush=True)
        execute_notebook(Path(name))


if __name__ == "__main__":
    main(sys.argv[1:])
