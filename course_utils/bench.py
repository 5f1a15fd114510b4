"""`make bench`: how fast each way of running the course's 500-epoch Iris training is.

Four ways, each for SGD and Adam at the course's settings (lr 0.1; Adam's betas 0.9, 0.999):
the lecture's eager loop, the compiled `course_utils` trainer, Keras `model.fit` with its
built-in optimizer on the same one-layer model, and a plain NumPy loop. Every way reports the
training loss of its final weights, measured the same way, so the table shows that they agree.
A second table gives every rule's first run (tracing, and compiling for XLA) and later runs of
the compiled trainer, with and without XLA: what a chapter and the playground wait for.
"""

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import tensorflow as tf

import course_utils as cu
from course_utils import update
from course_utils.problem import Problem

EPOCHS = 500
SETTINGS = {"sgd": {"lr": 0.1}, "adam": {"lr": 0.1, "beta1": 0.9, "beta2": 0.999}}
Weights = tuple[np.ndarray, np.ndarray]


def final_loss(problem: Problem, weights: Weights) -> float:
    """Mean of the batch losses at the given weights: one yardstick for every method."""
    tensors = [tf.constant(w) for w in weights]
    losses = [problem.batch_loss(tensors, x, y) for x, y in problem.batches]
    return float(np.mean([loss.numpy() for loss in losses]))


def run_eager(problem: Problem, rule: str, epochs: int = EPOCHS) -> Weights:
    """The lecture's loop: Python over epochs and batches, TensorFlow op by op."""
    rule_ = cu.get_rule(rule)
    variables = [tf.Variable(w) for w in problem.initial_weights]
    slots = update.new_state(rule_, variables)
    hp = update.as_tensors(rule_.resolve(SETTINGS[rule]))
    t = 0
    for _ in range(epochs):
        for x, y in problem.batches:
            t += 1
            with tf.GradientTape() as tape:
                loss = problem.batch_loss(variables, x, y)
            grads = tape.gradient(loss, variables)
            update.apply_update(rule_, variables, grads, slots, hp, tf.constant(float(t)))
    return tuple(v.numpy() for v in variables)


def run_compiled(problem: Problem, rule: str, epochs: int = EPOCHS) -> Weights:
    """`course_utils.train`: the whole run in one tf.function (traced before timing)."""
    return cu.train(rule, SETTINGS[rule], epochs, problem=problem).final_weights


def run_compiled_xla(problem: Problem, rule: str, epochs: int = EPOCHS) -> Weights:
    """The same run compiled with XLA (what the playground uses; not bit-identical)."""
    history = cu.train(rule, SETTINGS[rule], epochs, problem=problem, jit_compile=True)
    return history.final_weights


def run_keras_fit(problem: Problem, rule: str, epochs: int = EPOCHS) -> Weights:
    """Keras' own Dense layer, MSE loss and optimizer, `model.fit` without shuffling."""
    optimizers = {
        "sgd": lambda: tf.keras.optimizers.SGD(learning_rate=0.1),
        "adam": lambda: tf.keras.optimizers.Adam(learning_rate=0.1, epsilon=0.0),
    }
    split = cu.load_iris_split()
    model = tf.keras.Sequential(
        [tf.keras.Input((4,)), tf.keras.layers.Dense(3, activation="softmax")]
    )
    model.set_weights([w.numpy() for w in problem.initial_weights])
    model.compile(optimizer=optimizers[rule](), loss="mse")
    one_hot = tf.one_hot(split.y_train, 3)
    model.fit(split.x_train, one_hot, batch_size=32, epochs=epochs, shuffle=False, verbose=0)
    return tuple(model.get_weights())


def run_numpy(problem: Problem, rule: str, epochs: int = EPOCHS) -> Weights:
    """The same model, loss gradient and rule written with NumPy arrays in float32."""
    hp = cu.get_rule(rule).resolve(SETTINGS[rule])
    w, b = (np.array(v, np.float32) for v in problem.initial_weights)
    batches = [(x.numpy(), np.eye(3, dtype=np.float32)[y.numpy()]) for x, y in problem.batches]
    state = {"m_w": 0.0, "m_b": 0.0, "v_w": 0.0, "v_b": 0.0}
    t = 0
    for _ in range(epochs):
        for x, one_hot in batches:
            t += 1
            z = x @ w + b
            p = np.exp(z - z.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            d_p = 2.0 * (p - one_hot) / p.size  # d mean((p - y)^2) / dp
            d_z = p * (d_p - (d_p * p).sum(axis=1, keepdims=True))  # through the softmax
            for name, param, grad in (("w", w, x.T @ d_z), ("b", b, d_z.sum(axis=0))):
                param -= numpy_step(rule, hp, grad, state, name, t)
    return w, b


def numpy_step(rule: str, hp: dict, g: np.ndarray, state: dict, name: str, t: int) -> np.ndarray:
    """eta_t for SGD or Adam, keeping Adam's moments in `state`."""
    if rule == "sgd":
        return np.float32(hp["lr"]) * g
    state[f"m_{name}"] = hp["beta1"] * state[f"m_{name}"] + (1 - hp["beta1"]) * g
    state[f"v_{name}"] = hp["beta2"] * state[f"v_{name}"] + (1 - hp["beta2"]) * g * g
    m_hat = state[f"m_{name}"] / (1 - hp["beta1"] ** t)
    v_hat = state[f"v_{name}"] / (1 - hp["beta2"] ** t)
    return (hp["lr"] * m_hat / np.sqrt(v_hat)).astype(np.float32)


METHODS: dict[str, Callable[..., Weights]] = {
    "eager loop (lecture)": run_eager,
    "compiled trainer": run_compiled,
    "compiled trainer, XLA": run_compiled_xla,
    "Keras model.fit": run_keras_fit,
    "NumPy loop": run_numpy,
}


def time_method(method: Callable[..., Weights], rule: str, repeats: int) -> tuple[float, float]:
    """Median seconds over `repeats` runs (after one untimed warm-up) and the final loss."""
    problem = cu.iris_problem()
    weights = method(problem, rule)  # warm-up: traces, builds, fills caches
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        method(problem, rule)
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), final_loss(problem, weights)


def benchmark_training(repeats: int) -> None:
    """Print the training-speed table."""
    print(f"500 epochs of Iris (4 steps each), median of {repeats} runs after a warm-up\n")
    print("| rule | method | seconds | speed-up vs eager | final training loss |")
    print("|---|---|---:|---:|---:|")
    for rule in SETTINGS:
        eager_seconds = None
        for label, method in METHODS.items():
            seconds, loss = time_method(method, rule, repeats)
            eager_seconds = eager_seconds or seconds
            print(
                f"| {rule} | {label} | {seconds:.3f} | {eager_seconds / seconds:.3g}x "
                f"| {loss:.6f} |",
                flush=True,
            )


def first_and_later_seconds(rule: str, jit_compile: bool, repeats: int) -> tuple[float, float]:
    """Seconds of a rule's first 500-epoch Iris run (tracing, compiling) and the median of
    `repeats` later runs with other learning rates (no retracing), in a problem of its own."""
    problem = cu.iris_problem()
    seconds = []
    for lr in np.linspace(0.01, 0.02, repeats + 1):
        hp = {} if rule == "adadelta" else {"lr": float(lr)}
        start = time.perf_counter()
        cu.train(rule, hp, EPOCHS, problem=problem, jit_compile=jit_compile)
        seconds.append(time.perf_counter() - start)
    return seconds[0], statistics.median(seconds[1:])


def benchmark_rules(repeats: int) -> None:
    """Print every rule's first and later run, compiled and compiled with XLA."""
    print(f"\nEvery rule, 500 epochs of Iris: first run, then median of {repeats} later runs\n")
    print("| rule | first run | later runs | first run, XLA | later runs, XLA |")
    print("|---|---:|---:|---:|---:|")
    for rule in cu.RULES:
        graph = first_and_later_seconds(rule, False, repeats)
        xla = first_and_later_seconds(rule, True, repeats)
        cells = " | ".join(f"{seconds:.3f}" for seconds in (*graph, *xla))
        print(f"| {rule} | {cells} |", flush=True)


def benchmark_notebooks(root: Path) -> None:
    """Time the strict nbval run of each notebook, then of the whole suite."""
    notebooks = sorted((root / "notebooks").glob("*.ipynb"))
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--nbval",
        "--nbval-sanitize-with",
        str(root / "tests" / "nbval_sanitize.cfg"),
    ]
    print("\n| notebook | nbval seconds |\n|---|---:|")
    for path in [*notebooks, root / "notebooks"]:
        start = time.perf_counter()
        result = subprocess.run([*command, str(path)], cwd=root, capture_output=True, text=True)
        status = "" if result.returncode == 0 else " (FAILED)"
        name = path.name if path.suffix else "whole suite"
        print(f"| {name} | {time.perf_counter() - start:.1f}{status} |", flush=True)


def main() -> None:
    """Parse the options and print both tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per method")
    parser.add_argument("--skip-notebooks", action="store_true", help="only the training table")
    args = parser.parse_args()
    benchmark_training(args.repeats)
    benchmark_rules(args.repeats)
    if not args.skip_notebooks:
        benchmark_notebooks(Path(__file__).resolve().parent.parent)


if __name__ == "__main__":
    main()
