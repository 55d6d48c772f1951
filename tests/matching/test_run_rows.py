import json

import numpy as np

from apps.core.bulk import JSONText
from apps.matching.services import runs


def _expected(components: dict[str, np.ndarray]) -> list[str]:
    # What the run stored before: json.dumps of each pair's values rounded to 3 decimals.
    columns = [
        np.round(v.astype(np.float64), runs.COMPONENT_DIGITS).tolist() for v in components.values()
    ]
    return [
        json.dumps(dict(zip(components, row, strict=True))) for row in zip(*columns, strict=True)
    ]


def test_component_json_is_the_text_json_writes_for_the_rounded_values():
    rng = np.random.default_rng(7)
    edges = [0.0, 1.0, 0.0005, 0.0015, 0.9995, 0.1 + 0.2, 1 / 3, 2 / 3, 1e-9]
    components = {
        "subject": np.concatenate([edges, rng.random(2_000)]).astype(np.float32),
        "salary": np.concatenate([edges[::-1], rng.random(2_000)]),
    }

    texts = runs._components_json(components)

    assert all(type(text) is JSONText for text in texts)
    assert texts == _expected(components)


def test_a_value_outside_zero_to_one_is_still_stored_exactly():
    components = {"subject": np.array([0.25, 1.5]), "level": np.array([-0.0004, 0.5])}

    rows = runs._components_json(components)

    assert [json.dumps(row) for row in rows] == _expected(components)
