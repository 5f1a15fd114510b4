"""A student's code in a Python process of its own, called from the grader through a pipe.

The grader runs the course's checks in its own process and hands them a `RemoteFunction` for
each function a student wrote. A call sends the arguments to the student's process, runs the
student's function there and sends back the result as plain data (JSON, arrays as lists with
their dtype and shape): never a pickle, so nothing the student's process sends can run code in
the grader, and nothing the student's code defines or patches can reach a check.
"""

import io
import json
import multiprocessing
import sys
from typing import Any

import numpy as np

MAX_MESSAGE_BYTES = 20_000_000  # a result larger than this is refused, not sent


class SandboxFailure(BaseException):
    """The student's process timed out or stopped; the grader reports it and starts a new one.

    A BaseException, not an Exception: a check's `except Exception` must not swallow it.
    """


class _Discard(io.TextIOBase):
    """A stdout that drops what a student's code prints (a flood of prints costs nothing)."""

    def write(self, text: str) -> int:
        return len(text)


def encode(value: Any) -> Any:
    """Plain JSON data for tensors, arrays, numbers, strings, None, lists, tuples and dicts."""
    if hasattr(value, "numpy") and callable(value.numpy):  # a TensorFlow tensor or variable
        return {"tensor": encode(np.asarray(value.numpy()))["array"]}
    if isinstance(value, np.ndarray | np.generic):
        array = np.asarray(value)
        if array.dtype.kind not in "biuf":
            raise TypeError(f"an array of {array.dtype} cannot be sent")
        return {"array": {"dtype": array.dtype.str, "shape": list(array.shape),
                          "values": array.ravel().tolist()}}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if value is Ellipsis:  # an answer not given yet
        return {"ellipsis": None}
    if isinstance(value, list | tuple):
        return {type(value).__name__: [encode(v) for v in value]}
    if isinstance(value, dict):
        return {"dict": [[encode(k), encode(v)] for k, v in value.items()]}
    raise TypeError(f"a {type(value).__name__} cannot be sent")


def decode(data: Any, tensors: bool) -> Any:
    """The inverse of `encode`; tensors come back as tf tensors where `tensors`, else arrays."""
    if not isinstance(data, dict):
        return data
    (kind, content), = data.items()
    if kind in ("array", "tensor"):
        array = np.array(content["values"], dtype=np.dtype(content["dtype"]))
        array = array.reshape(content["shape"])
        if kind == "tensor" and tensors:
            import tensorflow as tf

            return tf.constant(array)
        return array
    if kind in ("list", "tuple"):
        items = [decode(v, tensors) for v in content]
        return items if kind == "list" else tuple(items)
    if kind == "dict":
        return {decode(k, tensors): decode(v, tensors) for k, v in content}
    if kind == "ellipsis":
        return Ellipsis
    raise ValueError(f"unknown data kind {kind!r}")


def _serve(conn) -> None:
    """The student's process: run sources, call functions, answer in plain data."""
    import tensorflow as tf  # noqa: F401 (loaded once, before any student code)

    namespace: dict[str, Any] = {}
    sys.stdout = sys.stderr = _Discard()
    conn.send_bytes(b'{"ok": true}')  # ready: what follows is the student's time
    while True:
        request = json.loads(conn.recv_bytes())
        try:
            if request["op"] == "exec":
                namespace = {"__name__": "__student__"}
                exec(request["setup"], namespace)  # the instructor's import cell
                errors = []  # a cell that raises does not stop the others
                for index, source in enumerate(request["sources"]):
                    try:
                        exec(compile(source, "<your solution cell>", "exec"), namespace)
                    except Exception as err:
                        errors.append([index, type(err).__name__, str(err)[:500]])
                reply: dict[str, Any] = {"ok": True, "errors": errors}
            elif request["op"] == "value":
                if request["name"] not in namespace:
                    raise NameError(f"no `{request['name']}`")
                reply = {"ok": True, "value": encode(namespace[request["name"]])}
            else:
                function = namespace.get(request["name"])
                if not callable(function):
                    raise NameError(f"no function `{request['name']}`")
                args = decode(request["args"], tensors=True)
                kwargs = decode(request["kwargs"], tensors=True)
                reply = {"ok": True, "value": encode(function(*args, **kwargs))}
        except NotImplementedError:
            reply = {"ok": False, "type": "NotImplementedError", "message": ""}
        except BaseException as err:  # a student's bug, of any kind, goes back as a message
            reply = {"ok": False, "type": type(err).__name__, "message": str(err)[:500]}
        payload = json.dumps(reply).encode()
        if len(payload) > MAX_MESSAGE_BYTES:
            payload = json.dumps({"ok": False, "type": "ValueError",
                                  "message": "the result is far too large"}).encode()
        conn.send_bytes(payload)


class Sandbox:
    """One student's Python process. Start it with `start`, stop it with `close`."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.process = None
        self.conn = None

    def start(self, start_limit: float = 300.0) -> None:
        """Start the process and wait until it has loaded TensorFlow, before any student code."""
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child,), daemon=True)
        self.process.start()
        child.close()
        if not self.conn.poll(start_limit):
            self.close()
            raise RuntimeError(f"the grader's Python process did not start in {start_limit:g} s")
        self.conn.recv_bytes()

    def close(self) -> None:
        """Stop the process, whatever it is doing."""
        if self.process is not None:
            self.process.kill()
            self.process.join(5)
        self.process = self.conn = None

    def request(self, message: dict) -> dict:
        """Send one request and wait `timeout` s for its reply; SandboxFailure if none comes."""
        if self.process is None:
            self.start()  # its start-up is not the student's time
        limit = self.timeout
        try:
            self.conn.send_bytes(json.dumps(message).encode())
            if not self.conn.poll(limit):
                self.close()
                raise SandboxFailure(f"no answer within {limit:.0f} s, the notebook's time limit"
                                     " (an endless loop?)")
            return json.loads(self.conn.recv_bytes())
        except (EOFError, BrokenPipeError, ConnectionResetError, OSError):
            self.process.join(5)
            code = self.process.exitcode
            self.close()
            message = f"the Python process running your code stopped (exit code {code})"
            raise SandboxFailure(message) from None

    def run_sources(self, setup: str, sources: list[str]) -> dict:
        """Run the set-up cell and the student's cells in a fresh namespace; the reply lists
        each cell that raised as [index, exception type, message]."""
        return self.request({"op": "exec", "setup": setup, "sources": sources})

    def value(self, name: str) -> Any:
        """The value the student's cells gave `name` (a predicted number, a choice ...)."""
        reply = self.request({"op": "value", "name": name})
        if not reply["ok"]:
            raise ValueError(f"{reply['type']}: {reply['message']}")
        return decode(reply["value"], tensors=False)

    def function(self, name: str) -> "RemoteFunction":
        """A callable that runs the student's function `name` in the process."""
        return RemoteFunction(self, name)


class RemoteFunction:
    """Calls a student's function in its sandbox; a check sees an ordinary function."""

    def __init__(self, sandbox: Sandbox, name: str) -> None:
        self.sandbox, self.__name__ = sandbox, name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        reply = self.sandbox.request(
            {"op": "call", "name": self.__name__, "args": encode(list(args)),
             "kwargs": encode(dict(kwargs))}
        )
        if reply["ok"]:
            return decode(reply["value"], tensors=False)
        if reply["type"] == "NotImplementedError":
            raise NotImplementedError
        name = reply["type"] if reply["type"].isidentifier() else "Exception"
        raise type(name, (Exception,), {})(reply["message"])
