"""Weights saved by the Python DeZero's Layer.save_weights, for the C# LoadWeights tests.

Usage: PYTHONPATH=<checkout of oreilly-japan/deep-learning-from-scratch-3> /usr/bin/python3 tools/gen_weights_ref.py
Writes tests/data/npy/dezero_mlp.npz and tests/data/weights.json.
"""
import os

import numpy as np
from dezero.models import MLP

from refdata import DATA, arr, write

np.random.seed(0)
model = MLP((5, 3))
x = np.random.rand(4, 2).astype(np.float32)
y = model(x)
model.save_weights(os.path.join(DATA, "npy", "dezero_mlp.npz"))
write("weights", {"x": arr(x), "y": arr(y.data)})
