"""The optimizer playground: sliders for the hyperparameters, plots that redraw at once.

Every rule runs as its own XLA-compiled run (hyperparameters are tensors, so new values do not
retrace). Compiling is what takes time (one to two seconds a rule), so it starts in a
background thread (`playground_engine`) as soon as this module is imported, for the
playground's default rules; any other rule compiles when a playground first shows it. By the
time the playground's cell runs, its default rules are usually ready. A rule that is not yet
compiled is drawn as soon as it is ("compiling Nadam…" in the status line meanwhile), and the
figure is redrawn then. Each rule's last runs are remembered for their settings, so a slider
that only some rules read re-runs only those, and the epochs slider re-runs nothing: a run
is compiled for 500 (or 1000) epochs and shorter runs are its first epochs, which are
bit-for-bit the same numbers (XLA compiles a new program for every length).

All TensorFlow work of the playground happens in its own compiled runs and walks, never in
the course's shared ones (`cu.train`'s cache), so a notebook cell training beside it can never
share variables with the background thread.
"""

import io
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import ipywidgets as widgets
import numpy as np
import tensorflow as tf
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from course_utils import plots
from course_utils.figures.comparison import RULE_COLORS, RULE_LINESTYLES
from course_utils.playground_engine import ENGINE, IRIS, VIEWS, Engine, Job, run_length
from course_utils.rules import RULES
from course_utils.training import (
    History,
    TrainingDivergedError,
    raise_if_diverged,
)

DEFAULT_RULES = ("sgd", "sgdm", "adagrad", "rmsprop", "adam")
DEFAULT_SETTINGS = {
    "lr": 0.1,
    "beta": 0.9,
    "beta1": 0.9,
    "beta2": 0.999,
    "epsilon": 1e-8,  # a log slider cannot reach the course's 0
    "weight_decay": 0.004,
}

# Which rules each shared setting moves; a rule keeps its own default for what no slider sets
# (AdaDelta its lr 1 and beta 0.95, Lion its beta2 0.99, Muon its momentum 0.95, and Muon's
# Adam part, for the biases, beta1 0.9 and beta2 0.999).
MOVES = {
    "lr": tuple(name for name in RULES if name != "adadelta"),
    "beta": ("sgdm", "nesterov", "rmsprop"),
    "beta1": ("adam", "adamw", "amsgrad", "nadam", "lion"),
    "beta2": ("adam", "adamw", "amsgrad", "nadam"),
    "epsilon": ("adagrad", "rmsprop", "adadelta", "adam", "adamw", "amsgrad", "nadam", "muon"),
    "weight_decay": ("adamw", "muon"),
}
ADADELTA_MIN_EPSILON = 1e-6

FIRST_DRAW_WAIT = 0.5  # seconds the first figure waits for rules still compiling
DPI = 100  # the inline backend's


def hyperparameters_for(rule: str, settings: Mapping[str, float]) -> dict[str, float]:
    """The playground's settings, restricted to what the sliders set for `rule` (`MOVES`).

    AdaDelta keeps its own lr (1: the paper has none) and beta (0.95), and needs
    epsilon > 0: at least 1e-6.
    """
    values = {
        name: settings[name] for name, rules in MOVES.items() if rule in rules and name in settings
    }
    if rule == "adadelta" and "epsilon" in values:
        values["epsilon"] = max(values["epsilon"], ADADELTA_MIN_EPSILON)
    return values


def job_for(rule: str, settings: Mapping[str, float], epochs: int, view: str) -> Job:
    """The job that gives `rule`'s run (or walk) for these settings."""
    values = tuple(sorted(hyperparameters_for(rule, settings).items()))
    return Job(view, rule, run_length(epochs) if view == IRIS else epochs, values)


def first_epochs(history: History, epochs: int) -> History:
    """The first `epochs` epochs of a run: the numbers a run of that length computes."""
    if history.epochs == epochs:
        return history
    return replace(
        history,
        loss=history.loss[:epochs],
        test_accuracy=history.test_accuracy[:epochs],
        learning_rates=history.learning_rates[:epochs],
        validation_loss=history.validation_loss[:epochs],
        final_weights=(),  # the weights after `epochs` epochs were not kept
    )


@dataclass
class Outcome:
    """What a redraw found: the runs or paths ready, the problems, the rules still compiling."""

    runs: dict[str, History | np.ndarray] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)


def collect(
    rules: Sequence[str],
    settings: Mapping[str, float],
    epochs: int,
    view: str,
    engine: Engine | None = None,
    wait: float = 0.0,
) -> Outcome:
    """Every chosen rule's run (or walk), waiting up to `wait` seconds for those compiling."""
    engine = engine or ENGINE
    futures = {rule: engine.result(job_for(rule, settings, epochs, view)) for rule in rules}
    deadline = time.perf_counter() + wait
    outcome = Outcome()
    for rule, future in futures.items():
        title = RULES[rule].title
        try:
            left = max(0.0, deadline - time.perf_counter())
            result = future.result(timeout=None if left == float("inf") else left)
        except TimeoutError:
            outcome.pending.append(rule)
            continue
        except Exception as error:  # a failed compile or run: say so, draw the others
            outcome.failures[rule] = f"{title} failed: {type(error).__name__}: {error}"
            continue
        if view == IRIS:
            history = first_epochs(result, epochs)
            try:
                raise_if_diverged(history)
            except TrainingDivergedError as error:
                outcome.failures[rule] = f"{title} diverged: {error}"
                continue
            outcome.runs[rule] = history
        else:
            if not np.isfinite(result).all():
                outcome.failures[rule] = (
                    f"{title} left the picture: its path became infinite or NaN"
                )
            outcome.runs[rule] = result
    return outcome


class Canvas:
    """One figure per view, kept and redrawn (not rebuilt), rendered to PNG bytes.

    A Matplotlib `Figure` with its own Agg canvas, not pyplot: it may be drawn from the
    worker's notification as well as from a slider, under the panel's lock.
    """

    def __init__(self):
        self._figures: dict[str, tuple[Figure, list]] = {}

    def _figure(self, view: str) -> tuple[Figure, list]:
        if view not in self._figures:
            if view == IRIS:
                figure = Figure(figsize=(11, 4.6), dpi=DPI)
                axes = list(figure.subplots(1, 2))
                figure.subplots_adjust(left=0.07, right=0.985, top=0.87, wspace=0.2)
                loss_ax, acc_ax = axes
                loss_ax.set(title="Loss", xlabel="Epoch", ylabel="Loss (log scale)", yscale="log")
                acc_ax.set(
                    title="Test accuracy",
                    xlabel="Epoch",
                    ylabel="Test accuracy",
                    ylim=(-0.02, 1.02),
                )
                for ax in axes:
                    ax.grid(True, which="major", alpha=0.3)
            else:
                figure = Figure(figsize=(7, 5.4), dpi=DPI)
                axes = [figure.subplots()]
                figure.subplots_adjust(left=0.1, right=0.97, top=0.93)
                surface, _, xlim, ylim, minimum = VIEWS[view]
                x1, x2 = np.meshgrid(np.linspace(*xlim, 300), np.linspace(*ylim, 200))
                heights = surface(tf.constant(np.stack([x1, x2]), tf.float32)).numpy()
                levels = np.unique(np.quantile(heights, np.linspace(0.0, 1.0, 25) ** 2))
                axes[0].contour(x1, x2, heights, levels=levels, colors="0.75", linewidths=0.7)
                axes[0].plot(
                    *minimum, marker="*", markersize=14, color="black", linestyle="none", zorder=5
                )
                axes[0].set(xlim=xlim, ylim=ylim, xlabel="$x_1$", ylabel="$x_2$", title=view)
            FigureCanvasAgg(figure)
            self._figures[view] = (figure, axes)
        return self._figures[view]

    def draw(self, outcome: Outcome, epochs: int, view: str) -> bytes:
        """The outcome's runs (or paths) in the view's figure, as PNG; colours by rule."""
        figure, axes = self._figure(view)
        for legend in list(figure.legends):
            legend.remove()
        handles = (self._iris if view == IRIS else self._paths)(axes, outcome.runs, epochs)
        ncols = 4 if len(handles) > 9 else 3
        rows = -(-len(handles) // ncols)
        inch = 1 / figure.get_figheight()  # room below the axes for the legend's rows
        figure.subplots_adjust(bottom=(0.75 + 0.2 * rows) * inch)
        if handles:
            figure.legend(handles=handles, loc="lower center", ncols=ncols, fontsize=8)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
        return buffer.getvalue()

    @staticmethod
    def _iris(axes: list, runs: Mapping[str, History], epochs: int) -> list:
        """Loss (log scale) and test accuracy, drawn as `plots.plot_runs` draws them: each
        run a little thinner than the one before, so a line on top of another leaves that
        one's colour at its edges. The axes are kept; only the lines are new."""
        loss_ax, acc_ax = axes
        for ax in axes:
            for line in list(ax.lines):
                line.remove()
        widest = 1.2 + min(2.4, 0.8 * (len(runs) - 1))
        handles = []
        for index, (rule, run) in enumerate(runs.items()):
            share = 1 - index / (len(runs) - 1) if len(runs) > 1 else 0
            style = {
                "color": RULE_COLORS[rule],
                "linestyle": RULE_LINESTYLES[rule],
                "linewidth": 1.2 + (widest - 1.2) * share,
            }
            (line,) = loss_ax.plot(run.loss, label=RULES[rule].title, **style)
            acc_ax.plot(run.test_accuracy, **style)
            handles.append(line)
        for ax in axes:
            ax.set_xlim(0, epochs)
        if runs:
            loss_ax.relim()
            loss_ax.autoscale_view(scalex=False)
            plots.tidy_log_axis(loss_ax)
        loss_ax.figure.suptitle(f"Iris, {epochs} epochs")
        return handles

    @staticmethod
    def _paths(axes: list, paths: Mapping[str, np.ndarray], epochs: int) -> list:
        """Paths over the (kept) contour lines, one colour per rule."""
        (ax,) = axes
        for line in ax.lines[1:]:  # the first is the minimum's star
            line.remove()
        handles = []
        for rule, path in paths.items():
            (line,) = ax.plot(
                path[:, 0],
                path[:, 1],
                marker="o",
                markersize=2.5,
                linewidth=1.2,
                color=RULE_COLORS[rule],
                label=RULES[rule].title,
            )
            handles.append(line)
        return handles


def draw(
    rules: Sequence[str], settings: Mapping[str, float], epochs: int, view: str
) -> dict[str, str]:
    """Run every chosen rule with `settings` (waiting for each) and draw the chosen view into
    a PNG; return any failures, by rule title."""
    outcome = collect(rules, settings, epochs, view, wait=float("inf"))
    Canvas().draw(outcome, epochs, view)
    return {RULES[rule].title: message for rule, message in outcome.failures.items()}


def _rule_list(rules: Sequence[str]) -> str:
    return ", ".join(RULES[rule].title for rule in rules)


class Playground(widgets.VBox):
    """The playground's panel: the controls, the status line and the figure (an Image)."""

    def __init__(self, rules: Sequence[str], epochs: int, engine: Engine):
        self.engine = engine
        self._lock = threading.RLock()  # one redraw at a time
        self._flag = threading.Lock()  # guards _repaint_pending; never held while waiting
        self._repaint_pending = False
        self.outcome = Outcome()
        self._canvas = Canvas()
        self.errors: list[str] = []  # what a background redraw raised, if anything
        style = {"description_width": "95px"}
        # A fixed width that does not shrink beside its note: every track as long as the others.
        fixed = widgets.Layout(width="380px", flex="0 0 auto")
        slider = {
            "continuous_update": False,
            "style": style,
            "readout_format": ".3g",
            "layout": fixed,
        }
        self.chooser = widgets.SelectMultiple(
            options=[(rule.title, name) for name, rule in RULES.items()],
            value=tuple(rules),
            rows=len(RULES),
            description="optimizers",
            style=style,
        )
        self.controls = {
            "lr": widgets.FloatLogSlider(
                DEFAULT_SETTINGS["lr"], base=10, min=-4, max=1, description="lr", **slider
            ),
            "beta": widgets.FloatSlider(
                DEFAULT_SETTINGS["beta"], min=0, max=0.99, step=0.01, description="β", **slider
            ),
            "beta1": widgets.FloatSlider(
                DEFAULT_SETTINGS["beta1"],
                min=0,
                max=0.99,
                step=0.01,
                description="β₁",
                **slider,
            ),
            "beta2": widgets.FloatSlider(
                DEFAULT_SETTINGS["beta2"],
                min=0.9,
                max=0.9999,
                step=0.0001,
                description="β₂",
                **slider,
            ),
            "epsilon": widgets.FloatLogSlider(
                DEFAULT_SETTINGS["epsilon"],
                base=10,
                min=-12,
                max=-1,
                description="ε",
                **slider,
            ),
            "weight_decay": widgets.FloatSlider(
                DEFAULT_SETTINGS["weight_decay"],
                min=0,
                max=0.1,
                step=0.001,
                description="weight decay",
                **slider,
            ),
        }
        self.epochs = widgets.IntSlider(
            epochs,
            min=10,
            max=1000,
            step=10,
            description="epochs",
            continuous_update=False,
            style=style,
            layout=fixed,
        )
        self.view = widgets.Dropdown(options=list(VIEWS), description="view", style=style)
        self.status = widgets.HTML()
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        # The figure sits in an Output area, as a plotted figure would.
        self.output = widgets.Output()
        self.output.outputs = (
            {
                "output_type": "display_data",
                "data": {
                    "application/vnd.jupyter.widget-view+json": {
                        "model_id": self.image.model_id,
                        "version_major": 2,
                        "version_minor": 0,
                    },
                    "text/plain": "Image(format='png')",
                },
                "metadata": {},
            },
        )
        rows = [
            widgets.HBox([control, widgets.HTML(f"<small>{self.label(name)}</small>")])
            for name, control in self.controls.items()
        ]
        rows.append(widgets.HBox([self.epochs, widgets.HTML("<small>(2-D: steps)</small>")]))
        super().__init__(
            [
                widgets.HBox([self.chooser, widgets.VBox([*rows, self.view])]),
                self.status,
                self.output,
            ]
        )
        engine.add_listener(self)
        for control in (self.chooser, self.epochs, self.view, *self.controls.values()):
            control.observe(self._changed, names="value")

    @staticmethod
    def label(name: str) -> str:
        """The rules a setting moves, for the slider's label."""
        text = _rule_list(MOVES[name])
        if name == "lr":
            return "all but AdaDelta (its lr is 1)"
        if name == "epsilon":
            return text.replace("AdaDelta", "AdaDelta (≥ 1e-6)")
        return text

    def settings(self) -> dict[str, float]:
        """The sliders' values."""
        return {name: control.value for name, control in self.controls.items()}

    def redraw(self, _change: object = None, wait: float = 0.0) -> Outcome:
        """Run what the chosen rules need (compiled ones at once), draw, update the status."""
        with self._lock:
            start = time.perf_counter()
            rules = [rule for rule in RULES if rule in self.chooser.value]  # RULES' order
            epochs, view = self.epochs.value, self.view.value
            outcome = collect(rules, self.settings(), epochs, view, self.engine, wait)
            png = self._canvas.draw(outcome, epochs, view)
            self.image.value = png
            seconds = time.perf_counter() - start
            status = f"<small>redrawn in {seconds:.2f} s"
            if outcome.pending:
                status += f"; compiling {_rule_list(outcome.pending)}… (added when ready)"
            status += "</small>"
            status += "".join(f"<br>⚠ {message}" for message in outcome.failures.values())
            self.status.value = status
            self.outcome = outcome
            return outcome

    def _changed(self, _change: object) -> None:
        """A control moved: redraw; anything unexpected goes to the status line."""
        try:
            self.redraw()
        except Exception as error:
            self.errors.append(repr(error))
            self.status.value = f"<small>⚠ the redraw failed: {error!r}</small>"

    def job_done(self, job: Job) -> None:
        """A background job finished (worker thread): redraw if this panel waits for it."""
        if job.rule not in self.chooser.value or job != job_for(
            job.rule, self.settings(), self.epochs.value, self.view.value
        ):
            return
        with self._flag:
            if self._repaint_pending or self.engine._stopping:
                return
            self._repaint_pending = True
        threading.Thread(target=self._repaint, name="playground-redraw", daemon=True).start()

    def _repaint(self) -> None:
        with self._lock:
            with self._flag:
                self._repaint_pending = False
            self._changed(None)  # never a silent failure: it goes to the status line

    def wait(self, timeout: float = 300.0) -> Outcome:
        """Block until every chosen rule is drawn (for scripts and tests); the last outcome."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            outcome = self.redraw(wait=max(0.0, deadline - time.perf_counter()))
            if not outcome.pending:
                return outcome
        raise TimeoutError(f"still compiling {_rule_list(self.outcome.pending)}")


def playground(rules: Sequence[str] = DEFAULT_RULES, epochs: int = 500) -> widgets.VBox:
    """Build the playground and draw its first figure; show it by making it a cell's value.

    The first figure waits at most about a second for rules still compiling; they are added
    when ready.
    """
    unknown = [rule for rule in rules if rule not in RULES]
    if unknown:
        raise ValueError(f"unknown optimizer(s) {unknown}; choose from: {', '.join(RULES)}")
    panel = Playground(rules, epochs, ENGINE)
    shown = [job_for(rule, panel.settings(), epochs, IRIS) for rule in rules]
    ENGINE.warm_up(shown, priority=0)
    panel.redraw(wait=FIRST_DRAW_WAIT)
    return panel


# On import, the default rules' runs start compiling (a few seconds of one core, in the
# background); any other rule compiles when a playground first shows it (one to two seconds,
# "compiling ..." in the status line), so a program that imports this module and never shows
# a playground (a test session, a notebook run by nbval) does not compile all twelve.
ENGINE.warm_up([job_for(rule, DEFAULT_SETTINGS, 500, IRIS) for rule in DEFAULT_RULES], priority=1)
