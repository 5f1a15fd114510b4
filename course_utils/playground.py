"""The optimizer playground: sliders for the hyperparameters, plots that redraw at once.

Every redraw reuses the compiled runs (hyperparameters are tensors, so nothing retraces),
compiled with XLA: all seven optimizers for 500 epochs redraw in a fraction of a second.
"""

import time
from collections.abc import Mapping, Sequence

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from course_utils import plots, surfaces
from course_utils.rules import RULES
from course_utils.training import TrainingDivergedError, train
from course_utils.walk import walk

VIEWS = {
    "Iris: loss and accuracy": None,
    "2-D: ravine 0.1 x1² + 2 x2²": (surfaces.ravine, (-9.0, 1.5), (-10, 2), (-2, 2), (0, 0)),
    "2-D: Rosenbrock": (surfaces.rosenbrock, (-1.5, 2.0), (-2, 2), (-1, 3), (1, 1)),
}


def hyperparameters_for(rule: str, settings: Mapping[str, float]) -> dict[str, float]:
    """The playground's settings, restricted to what `rule` takes.

    AdaDelta keeps its own lr (1: the paper has none) and beta (0.95), and needs
    epsilon > 0.
    """
    if rule == "adadelta":  # its own lr and beta; the shared epsilon, but at least 1e-6
        return {"epsilon": max(settings["epsilon"], 1e-6)}
    names = RULES[rule].hyperparameters
    return {name: settings[name] for name in names if name in settings}


def draw(
    rules: Sequence[str], settings: Mapping[str, float], epochs: int, view: str
) -> dict[str, str]:
    """Run every chosen rule with `settings` and draw the chosen view; return any failures."""
    failures = {}
    if VIEWS[view] is None:
        histories = {}
        for rule in rules:
            try:
                histories[RULES[rule].title] = train(
                    rule, hyperparameters_for(rule, settings), epochs, jit_compile=True
                )
            except TrainingDivergedError as error:
                failures[rule] = str(error)
        plots.plot_runs(histories, title=f"Iris, {epochs} epochs")
    else:
        surface, start, xlim, ylim, minimum = VIEWS[view]
        paths = {
            RULES[rule].title: walk(
                rule, hyperparameters_for(rule, settings), surface, start, epochs
            )
            for rule in rules
        }
        failures = {
            title: f"{title} left the picture: its path became infinite or NaN"
            for title, path in paths.items()
            if not np.isfinite(path).all()
        }
        plots.plot_trajectories(surface, paths, xlim, ylim, title=view, minimum=minimum)
    return failures


def playground(
    rules: Sequence[str] = ("sgd", "sgdm", "adagrad", "rmsprop", "adam"), epochs: int = 500
) -> widgets.VBox:
    """Build the playground and draw its first figure; show it by making it a cell's value."""
    style = {"description_width": "70px"}
    slider = {"continuous_update": False, "style": style, "readout_format": ".3g"}
    chooser = widgets.SelectMultiple(
        options=[(rule.title, name) for name, rule in RULES.items()],
        value=tuple(rules),
        rows=len(RULES),
        description="optimizers",
        style=style,
    )
    controls = {
        "lr": widgets.FloatLogSlider(0.1, base=10, min=-4, max=1, description="lr", **slider),
        # Not AdaDelta's: it keeps its own 0.95 (hyperparameters_for). A wider label, and a
        # wider slider so that its track is as long as the others'.
        "beta": widgets.FloatSlider(
            0.9,
            min=0,
            max=0.99,
            step=0.01,
            description="β (SGDM, Nesterov, RMSProp)",
            **{**slider, "style": {"description_width": "initial"}},
            layout=widgets.Layout(width="430px"),
        ),
        "beta1": widgets.FloatSlider(0.9, min=0, max=0.99, step=0.01, description="β₁", **slider),
        "beta2": widgets.FloatSlider(
            0.999, min=0.9, max=0.9999, step=0.0001, description="β₂", **slider
        ),
        "epsilon": widgets.FloatLogSlider(
            1e-8, base=10, min=-12, max=-1, description="ε", **slider
        ),
    }
    epoch_slider = widgets.IntSlider(
        epochs, min=10, max=1000, step=10, description="epochs", continuous_update=False
    )
    view = widgets.Dropdown(options=list(VIEWS), description="view", style=style)
    status = widgets.HTML()
    output = widgets.Output()

    def redraw(_change: object = None) -> None:
        settings = {name: control.value for name, control in controls.items()}
        start = time.perf_counter()
        with output:
            output.clear_output(wait=True)
            failures = draw(chooser.value, settings, epoch_slider.value, view.value)
            plt.close("all")
        seconds = time.perf_counter() - start
        problems = "".join(f"<br>⚠ {message}" for message in failures.values())
        status.value = f"<small>redrawn in {seconds:.2f} s</small>{problems}"

    for control in (chooser, epoch_slider, view, *controls.values()):
        control.observe(redraw, names="value")
    redraw()
    panel = widgets.VBox(
        [
            widgets.HBox(
                [
                    chooser,
                    widgets.VBox([*controls.values(), epoch_slider, view]),
                ]
            ),
            status,
            output,
        ]
    )
    return panel
