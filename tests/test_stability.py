"""The twin-run test for chaos, and the course's numerics settings."""

import os
import subprocess
import sys

import numpy as np

from course_utils import stability


def test_nudged_weights_are_one_float32_step_up():
    weights = [np.array([0.0, 1.0, -2.5], np.float32), np.array([[3.0]], np.float32)]
    for before, after in zip(weights, stability.nudged(weights), strict=True):
        after = after.numpy()
        assert after.dtype == np.float32 and np.all(after > before)
        assert np.array_equal(after, np.nextafter(before, np.float32(np.inf)))


def test_a_stable_run_and_its_twin_agree_a_chaotic_one_does_not():
    stable = stability.twin_runs("sgd", {"lr": 0.1}, epochs=100)
    assert not stability.is_chaotic(*stable)
    assert 0 < stability.relative_gap(*stable) < 1e-5
    chaotic = stability.twin_runs("sgd", {"lr": 1.0}, epochs=500)
    assert stability.is_chaotic(*chaotic)
    assert stability.relative_gap(*chaotic) > 0.1


def test_the_course_turns_onednn_off_unless_told_otherwise():
    assert os.environ["TF_ENABLE_ONEDNN_OPTS"] in ("0", "1")
    env = {k: v for k, v in os.environ.items() if k != "TF_ENABLE_ONEDNN_OPTS"}
    code = "import os, course_utils; print(os.environ['TF_ENABLE_ONEDNN_OPTS'])"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "0" and "oneDNN" not in out.stderr
    env["TF_ENABLE_ONEDNN_OPTS"] = "1"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "1"


def test_importing_tensorflow_first_gets_a_warning_not_silence():
    env = {k: v for k, v in os.environ.items() if k != "TF_ENABLE_ONEDNN_OPTS"}
    code = "import tensorflow, course_utils"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0 and "imported before course_utils" in out.stderr
