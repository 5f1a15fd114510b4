"""Walking a rule over a 2-D surface uses the same rules and gives the same steps."""

import numpy as np
import pytest

from course_utils.surfaces import ravine, rosenbrock
from course_utils.walk import walk


def test_sgd_on_the_ravine_follows_the_closed_form():
    # grad = (0.2 x1, 4 x2): SGD multiplies x1 by (1 - 0.2 lr) and x2 by (1 - 4 lr)
    path = walk("sgd", {"lr": 0.1}, ravine, [2.0, 1.0], steps=5)
    t = np.arange(6)
    np.testing.assert_allclose(path[:, 0], 2.0 * 0.98**t, rtol=1e-6)
    np.testing.assert_allclose(path[:, 1], 1.0 * 0.6**t, rtol=1e-5)


def test_adam_reaches_the_rosenbrock_valley():
    path = walk("adam", {"lr": 0.05}, rosenbrock, [-1.5, 2.0], steps=2000)
    assert path.shape == (2001, 2)
    assert np.linalg.norm(path[-1] - [1.0, 1.0]) < 0.1


def test_bad_start_is_refused():
    with pytest.raises(ValueError, match="two numbers"):
        walk("sgd", {"lr": 0.1}, ravine, [1.0, 2.0, 3.0])
