"""What nbval compares in a code cell's outputs, so that a second run can be compared the same way.

The portability check (tests/test_release.py) runs the student edition under another numerics
configuration and compares every cell that nbval compares with the committed instructor
notebook: the same masks (tests/nbval_sanitize.cfg), streams merged, images and widget views
skipped, NBVAL_IGNORE_OUTPUT cells left out.
"""

import configparser
import re
from pathlib import Path

import nbformat

SANITIZE_CFG = Path(__file__).with_name("nbval_sanitize.cfg")
# TensorFlow's notice when oneDNN is on: expected in the oneDNN run, and only there.
ONEDNN_NOTICE = re.compile(
    r"^(WARNING: All log messages before absl::InitializeLog\(\).*|.*oneDNN custom operations"
    r" are on\..*)\n?",
    re.MULTILINE,
)
TEXT_TYPES = ("text/plain", "text/html", "text/latex", "text/markdown")


def sanitize_patterns() -> list[tuple[re.Pattern, str]]:
    """The (regex, replacement) pairs of tests/nbval_sanitize.cfg, as nbval applies them."""
    parser = configparser.ConfigParser()
    parser.read(SANITIZE_CFG)
    return [(re.compile(parser[s]["regex"]), parser[s]["replace"]) for s in parser.sections()]


def comparable_outputs(cell: nbformat.NotebookNode, patterns=None) -> list[str]:
    """A cell's outputs as nbval compares them: masked text, one entry per output."""
    patterns = sanitize_patterns() if patterns is None else patterns
    entries, stream = [], ""
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            stream += ONEDNN_NOTICE.sub("", output.text)
            continue
        if output.output_type == "error":
            entries.append(f"error: {output.ename}: {output.evalue}")
        for mime in TEXT_TYPES:
            if mime in output.get("data", {}):
                entries.append(f"{mime}: {output.data[mime]}")
    if stream:
        entries.insert(0, f"stream: {stream}")
    masked = []
    for entry in entries:
        for regex, replacement in patterns:
            entry = regex.sub(replacement, entry)
        masked.append(entry)
    return masked


def is_compared(cell: nbformat.NotebookNode) -> bool:
    """Whether nbval compares this cell's outputs."""
    return cell.cell_type == "code" and "NBVAL_IGNORE_OUTPUT" not in cell.source
