"""The playground's engine: compiles and runs its rules in one background thread, remembers
the results.

Every rule runs as its own XLA-compiled run (hyperparameters are tensors, so new values do not
retrace). Compiling is what takes time (one to two seconds a rule), so it happens in a worker
thread, the rules a playground shows ahead of the warm-up. A run is compiled for 500 (or 1000)
epochs and shorter runs are its first epochs, bit-for-bit the same numbers (XLA compiles a new
program for every length).

All its TensorFlow work happens in its own compiled runs and walks, never in the course's shared
ones (`cu.train`'s cache), so a notebook cell training beside it never shares variables with
the worker thread.
"""

import atexit
import heapq
import itertools
import threading
import weakref
from collections import Counter
from collections.abc import Hashable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field

import numpy as np
import tensorflow as tf

from course_utils import surfaces, update
from course_utils.rules import RULES
from course_utils.training import CompiledRun, History, default_problem, learning_rate_per_step
from course_utils.walk import CompiledWalk

VIEWS = {
    "Iris: loss and accuracy": None,
    "2-D: ravine 0.1 x1² + 2 x2²": (surfaces.ravine, (-9.0, 1.5), (-10, 2), (-2, 2), (0, 0)),
    "2-D: Rosenbrock": (surfaces.rosenbrock, (-1.5, 2.0), (-2, 2), (-1, 3), (1, 1)),
}
IRIS = "Iris: loss and accuracy"

# XLA compiles one program per run length: runs are this long, and shorter ones are their start.
RUN_LENGTHS = (500, 1000)


def run_length(epochs: int) -> int:
    """The length of the compiled run whose first `epochs` epochs are shown."""
    return next((n for n in RUN_LENGTHS if n >= epochs), epochs)


@dataclass(frozen=True)
class Job:
    """What to compute: a rule's Iris run of `length` epochs, or its walk of `length` steps over
    a 2-D view, for one setting of its hyperparameters."""

    view: str
    rule: str
    length: int
    hyperparameters: tuple[tuple[str, float], ...]

    def runner_key(self) -> tuple[str, str]:
        return self.view, self.rule

    def warm_key(self) -> Hashable:
        # An XLA run is compiled per length; a (graph) walk once for every length.
        return (self.view, self.rule, self.length if self.view == IRIS else None)


@dataclass
class _Task:
    job: Job
    future: Future = field(default_factory=Future)
    started: bool = False
    priority: int = 99  # the most urgent it was queued with


_ENGINES: weakref.WeakSet = weakref.WeakSet()


class Engine:
    """Compiles and runs the playground's rules, remembers their results, in one worker thread.

    `result(job)` returns a Future. A job whose run is compiled already runs at once in the
    calling thread (a few hundredths of a second); one that needs compiling goes to the worker
    thread, the shown rules ahead of the warm-up. `runs` counts how often each job was really
    computed (the tests read it). Listeners are told when a background job has finished.
    """

    def __init__(self, keep: int = 512):
        # The Iris problem is built here, in the constructing thread: building it draws the
        # initial weights (tf.random.set_seed, then two draws), and random draws in the worker
        # thread would race with the notebook's own and change its weights.
        self._problem = default_problem()
        self._lock = threading.Lock()
        self._wakeup = threading.Condition(self._lock)
        self._queue: list[tuple[int, int, _Task]] = []
        self._order = itertools.count()
        self._tasks: dict[Job, _Task] = {}
        self._runners: dict[tuple[str, str], tuple[object, threading.Lock]] = {}
        self._warm: set[Hashable] = set()
        self._keep = keep
        self._listeners: weakref.WeakSet = weakref.WeakSet()
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._active = 0  # jobs being computed, in any thread
        self.runs: Counter = Counter()
        _ENGINES.add(self)

    # -- what the panels call ---------------------------------------------------------------
    def result(self, job: Job, priority: int = 0) -> Future:
        """The job's Future: done if remembered or if it could run here at once, else queued."""
        with self._lock:
            task = self._tasks.get(job)
            if task is None:
                task = self._tasks[job] = _Task(job)
                self._forget_old()
            if task.future.done() or task.started:
                return task.future
            if self._stopping:
                task.future.cancel()
                return task.future
            run_here = job.warm_key() in self._warm
            if run_here:
                task.started = True
            else:
                self._enqueue(task, priority)
        if run_here:
            self._run(task)
        return task.future

    def warm_up(self, jobs: Sequence[Job], priority: int = 1) -> None:
        """Queue jobs to compile in the background, behind anything a panel is waiting for."""
        for job in jobs:
            with self._lock:
                if job not in self._tasks:
                    self._tasks[job] = _Task(job)
                task = self._tasks[job]
                if not (task.started or task.future.done()):
                    self._enqueue(task, priority)

    def cancel_warm_up(self) -> None:
        """Drop every queued job nobody waits for (priority > 0); a running one finishes."""
        with self._lock:
            kept = []
            for item in self._queue:
                _, _, task = item
                if task.priority == 0:
                    kept.append(item)
                elif not task.started and not task.future.done():
                    task.future.cancel()
                    self._tasks.pop(task.job, None)
            self._queue = kept
            heapq.heapify(self._queue)

    def stop(self, timeout: float = 60.0) -> None:
        """Drop the queue and let the job running finish (Python exits only after it: a thread
        still inside TensorFlow when the process ends would abort it)."""
        with self._lock:
            self._stopping = True
            for _, _, task in self._queue:
                task.future.cancel()
            self._queue.clear()
            self._wakeup.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        with self._lock:  # and any run a redraw started in its own thread
            self._wakeup.wait_for(lambda: self._active == 0, timeout)

    def is_warm(self, job: Job) -> bool:
        """Whether the job's compiled program exists already (it then runs at once)."""
        return job.warm_key() in self._warm

    def idle(self) -> bool:
        """Whether no job is queued or running."""
        with self._lock:
            queued = any(not t.started and not t.future.done() for _, _, t in self._queue)
            running = any(t.started and not t.future.done() for t in self._tasks.values())
            return not queued and not running

    def add_listener(self, listener: object) -> None:
        """`listener.job_done(job)` is called (in the worker thread) after each background job."""
        self._listeners.add(listener)

    # -- inside -------------------------------------------------------------------------------
    def _enqueue(self, task: _Task, priority: int) -> None:
        """Queue (or re-queue ahead) a task; start the worker thread if need be. Lock held."""
        if priority >= task.priority:
            return
        task.priority = priority
        heapq.heappush(self._queue, (priority, next(self._order), task))
        if self._stopping:
            return
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(
                target=self._work, name="playground-compiler", daemon=True
            )
            self._thread.start()
        self._wakeup.notify()

    def _forget_old(self) -> None:
        """Keep the newest `keep` finished results. Lock held."""
        if len(self._tasks) <= self._keep:
            return
        finished = [job for job, task in self._tasks.items() if task.future.done()]
        for job in finished[: len(self._tasks) - self._keep]:
            del self._tasks[job]

    def _work(self) -> None:
        while True:
            with self._lock:
                while not self._queue and not self._stopping:
                    self._wakeup.wait()
                if self._stopping:
                    return
                _, _, task = heapq.heappop(self._queue)
                if task.started or task.future.done():
                    continue
                task.started = True
            self._run(task)
            for listener in list(self._listeners):
                listener.job_done(task.job)

    def _run(self, task: _Task) -> None:
        """Compute the task's job and settle its future: with the result or the exception."""
        with self._lock:
            self._active += 1
        try:
            result = self._compute(task.job)
        except Exception as error:  # reaches the status line through the future
            task.future.set_exception(error)  # remembered: the same job would fail again
        else:
            task.future.set_result(result)
        finally:
            with self._lock:
                self._active -= 1
                self._wakeup.notify_all()

    def _runner(self, job: Job) -> tuple[object, threading.Lock]:
        with self._lock:
            if job.runner_key() not in self._runners:
                rule = RULES[job.rule]
                runner = (
                    CompiledRun(rule, self._problem, jit_compile=True)
                    if job.view == IRIS
                    else CompiledWalk(rule, VIEWS[job.view][0])
                )
                self._runners[job.runner_key()] = (runner, threading.Lock())
            return self._runners[job.runner_key()]

    def _compute(self, job: Job) -> History | np.ndarray:
        """What `cu.train(..., jit_compile=True)` (or `walk`) computes, in private runners."""
        rule = RULES[job.rule]
        values = rule.resolve(dict(job.hyperparameters))
        runner, lock = self._runner(job)
        with lock:
            self.runs[job] += 1
            if job.view == IRIS:
                problem = runner.problem
                rates = learning_rate_per_step(
                    values["lr"], job.length, len(problem.batches), None, None
                )
                result = runner(values, rates)
            else:
                start = tf.constant(VIEWS[job.view][1], tf.float32)
                steps = tf.constant(job.length)
                result = runner._walk(start, update.as_tensors(values), steps).numpy()
        with self._lock:
            self._warm.add(job.warm_key())
        return result


@atexit.register
def _stop_engines() -> None:
    for engine in list(_ENGINES):
        engine.stop()


ENGINE = Engine()
