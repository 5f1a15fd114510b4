"""What every exercise check must print: exactly one line, never a traceback."""

from collections.abc import Callable


def one_line(check: Callable, student: Callable, capsys) -> str:
    """Run `check` on `student` and return its single line of output."""
    check(student)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.endswith("\n"), out
    assert "Traceback" not in out
    return out
