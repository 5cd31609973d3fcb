"""Shared helpers for the scripts that generate reference data for the C# tests.

Run the generators with Debian's Python and NumPy (`apt-get install -y python3-numpy`, then
`/usr/bin/python3 tools/<script>.py`); each writes JSON files under tests/data/.
An array is stored as {"dtype": "float64", "shape": [...], "data": [...flat C-order...]};
NaN and infinities are written as the strings "nan", "inf" and "-inf".
"""
import json
import math
import os

import numpy as np

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data")


def _num(v):
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def arr(a):
    """An array (or NumPy scalar) as the JSON object the C# Reference helper reads."""
    a = np.asarray(a)
    return {"dtype": str(a.dtype), "shape": list(a.shape), "data": [_num(v) for v in a.ravel().tolist()]}


def write(name, obj):
    """Writes obj as tests/data/<name>.json."""
    os.makedirs(DATA, exist_ok=True)
    with open(os.path.join(DATA, name + ".json"), "w") as f:
        json.dump(obj, f, indent=None, separators=(",", ":"))
        f.write("\n")
