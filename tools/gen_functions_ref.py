"""Reference values of the functions of F (tests/DeZero.Tests/Functions), computed by the Python DeZero on NumPy.

Usage: PYTHONPATH=<checkout of oreilly-japan/deep-learning-from-scratch-3> /usr/bin/python3 -W ignore tools/gen_functions_ref.py
Writes tests/data/functions.json: {case name: {"inputs": [...], "gy": ..., "y": ..., "grads": [...]}}.

Each case draws its inputs from a seeded np.random, runs the DeZero function, seeds the backward pass with a
random output gradient gy and records the output and the gradient of every input (null for integer labels).
Float inputs and gy are rounded to float32 values first, so the float32 tests start from exactly the same
numbers. Where the Python DeZero has no such function or gives a wrong gradient, the reference is written
with NumPy directly and the case says so in a comment.
"""
import numpy as np
from dezero import Variable
import dezero.functions as F
from dezero.utils import sum_to

from refdata import arr, write

out = {}


def f32(a):
    """The array rounded to float32 values, kept as float64."""
    return np.asarray(a, dtype=np.float64).astype(np.float32).astype(np.float64)


def randn(*shape):
    return f32(np.random.randn(*shape))


def away(a, points, margin=0.05):
    """Moves values within margin of a kink (0 for ReLU, the bounds of clip) off it, so central differences are valid."""
    a = a.copy()
    for p in points:
        near = np.abs(a - p) < margin
        a[near] = p + np.where(a[near] >= p, margin, -margin)
    return f32(a)


def dezero_case(name, fn, *inputs, seed=0):
    """Runs fn on Variables of the inputs with DeZero and records output and input gradients."""
    xs = [Variable(np.array(a)) for a in inputs]
    y = fn(*xs)
    gy = f32(np.random.RandomState(seed + 1000).randn(*y.shape))
    y.grad = Variable(gy)
    y.backward()
    grads = []
    for a, x in zip(inputs, xs):
        if not np.issubdtype(np.asarray(a).dtype, np.floating):
            grads.append(None)
            continue
        g = np.asarray(x.grad.data, dtype=np.float64)
        # DeZero leaves a broadcast gradient unsummed in a few places (e.g. mean_squared_error); sum it
        # to the input's shape, as every gradient must have.
        grads.append(arr(sum_to(g, np.shape(a)) if g.shape != np.shape(a) else g))
    out[name] = {"inputs": [arr(a) for a in inputs], "gy": arr(gy), "y": arr(y.data), "grads": grads}


def numpy_case(name, inputs, y, gy, grads):
    out[name] = {"inputs": [arr(a) for a in inputs], "gy": arr(gy), "y": arr(y),
                 "grads": [None if g is None else arr(g) for g in grads]}


def case(name, fn, *shapes_or_arrays):
    """A case whose float inputs are drawn from randn with a seed derived from the name."""
    seed = sum(map(ord, name))
    np.random.seed(seed)
    inputs = [randn(*s) if isinstance(s, tuple) else s for s in shapes_or_arrays]
    dezero_case(name, fn, *inputs, seed=seed)


def positive(*shape):
    return f32(np.random.rand(*shape) + 0.5)


# ---- arithmetic ----
case("add", lambda a, b: a + b, (2, 3), (2, 3))
case("add_bcast", lambda a, b: a + b, (2, 3), (3,))
case("add_bcast2", lambda a, b: a + b, (2, 1, 3), (4, 1))
case("add_scalar", lambda a, b: a + b, (2, 3), ())
case("sub", lambda a, b: a - b, (2, 3), (2, 3))
case("sub_bcast", lambda a, b: a - b, (3, 1), (2, 1, 4))
case("mul", lambda a, b: a * b, (2, 3), (2, 3))
case("mul_bcast", lambda a, b: a * b, (2, 3), (2, 1))
np.random.seed(1)
case("div", lambda a, b: a / b, (2, 3), positive(2, 3))
case("div_bcast", lambda a, b: a / b, (4, 3), -positive(3))
case("neg", lambda a: -a, (2, 3))
case("pow", lambda a: a ** 3, (2, 3))
case("pow_frac", lambda a: a ** 2.5, positive(2, 3))
case("pow_neg", lambda a: a ** -1.5, positive(3, 2))

# ---- elementwise math ----
case("sin", F.sin, (2, 3))
case("cos", F.cos, (2, 3))
case("tanh", F.tanh, (3, 2))
case("exp", F.exp, (2, 3))
case("log", F.log, positive(2, 3))
case("square", lambda a: a ** 2, (2, 3))
np.random.seed(2)
case("clip", lambda a: F.clip(a, -0.5, 0.8), away(np.random.randn(3, 4), [-0.5, 0.8]))

# ---- shapes ----
case("reshape", lambda a: F.reshape(a, (3, 2)), (2, 3))
case("reshape_infer", lambda a: F.reshape(a, (4, -1)), (2, 3, 4))
case("transpose", F.transpose, (2, 3))
case("transpose_axes", lambda a: F.transpose(a, (1, 2, 0)), (2, 3, 4))
case("transpose_neg_axes", lambda a: F.transpose(a, (-1, 0, 1)), (2, 3, 4))
case("expand_dims", lambda a: F.expand_dims(a, 1), (2, 3))
case("expand_dims_last", lambda a: F.expand_dims(a, 2), (2, 3))
case("flatten", F.flatten, (2, 3, 4))
case("broadcast_to", lambda a: F.broadcast_to(a, (2, 3)), (3,))
case("broadcast_to2", lambda a: F.broadcast_to(a, (2, 4, 3)), (2, 1, 3))
case("sum_to", lambda a: F.sum_to(a, (3,)), (2, 3))
case("sum_to_keep", lambda a: F.sum_to(a, (2, 1, 3)), (2, 4, 3))
case("sum_to_ones", lambda a: F.sum_to(a, (1, 1)), (2, 3))

# ---- reductions ----
case("sum", F.sum, (2, 3))
case("sum_axis0", lambda a: F.sum(a, axis=0), (2, 3))
case("sum_axis1_keep", lambda a: F.sum(a, axis=1, keepdims=True), (2, 3))
case("sum_axes", lambda a: F.sum(a, axis=(0, 2)), (2, 3, 4))
case("sum_neg_axis", lambda a: F.sum(a, axis=-1), (2, 3, 4))
case("average", F.average, (2, 3))
case("average_axis1_keep", lambda a: F.average(a, axis=1, keepdims=True), (2, 3))
case("mean_axis0", lambda a: F.mean(a, axis=0), (3, 4))
# DeZero's max/min backward does not normalise negative axes, so the cases use positive ones;
# the C# tests call the negative spellings of the same axes too.
case("max", F.max, (2, 3))
case("max_axis1", lambda a: F.max(a, axis=1), (3, 4))
case("max_axis0_keep", lambda a: F.max(a, axis=0, keepdims=True), (3, 4))
case("max_axes", lambda a: F.max(a, axis=(0, 2)), (2, 3, 4))
case("min", F.min, (2, 3))
case("min_axis1", lambda a: F.min(a, axis=1), (3, 4))
case("min_axis1_keep", lambda a: F.min(a, axis=1, keepdims=True), (3, 4))

# ---- matmul / linear ----
case("matmul", F.matmul, (3, 4), (4, 5))
case("matmul_transA", lambda a, b: F.matmul(F.transpose(a), b), (4, 3), (4, 5))
case("matmul_transB", lambda a, b: F.matmul(a, F.transpose(b)), (3, 4), (5, 4))
case("matmul_transAB", lambda a, b: F.matmul(F.transpose(a), F.transpose(b)), (4, 3), (5, 4))


def matmul_numpy(name, sa, sb):
    """np.matmul with 1-D and batched operands. DeZero's matmul is np.dot with full transposes in backward,
    which is wrong for these, so the gradients come from the matrix rules applied with NumPy."""
    seed = sum(map(ord, name))
    np.random.seed(seed)
    a, b = randn(*sa), randn(*sb)
    y = np.matmul(a, b)
    gy = f32(np.random.RandomState(seed + 1000).randn(*y.shape))
    a2 = a.reshape(1, -1) if a.ndim == 1 else a
    b2 = b.reshape(-1, 1) if b.ndim == 1 else b
    g = gy.reshape(np.matmul(a2, b2).shape)
    ga = sum_to(np.matmul(g, np.swapaxes(b2, -1, -2)), a2.shape).reshape(a.shape)
    gb = sum_to(np.matmul(np.swapaxes(a2, -1, -2), g), b2.shape).reshape(b.shape)
    numpy_case(name, [a, b], y, gy, [ga, gb])


matmul_numpy("matmul_batched", (2, 3, 4), (2, 4, 5))
matmul_numpy("matmul_batched_bcast", (2, 3, 4), (4, 5))
matmul_numpy("matmul_batched_bcast2", (2, 1, 3, 4), (5, 4, 2))
matmul_numpy("matmul_vec_mat", (4,), (4, 5))
matmul_numpy("matmul_mat_vec", (3, 4), (4,))
matmul_numpy("matmul_vec_vec", (4,), (4,))
case("linear", F.linear, (3, 4), (4, 5), (5,))
case("linear_nobias", F.linear, (3, 4), (4, 2))
case("linear_bias_row", F.linear, (3, 4), (4, 5), (1, 5))
case("linear_bias_scalar", F.linear, (3, 4), (4, 5), ())

# ---- activations ----
case("sigmoid", F.sigmoid, f32(2 * np.random.RandomState(3).randn(3, 4)))
case("relu", F.relu, away(np.random.RandomState(4).randn(3, 4), [0.0]))
case("leaky_relu", F.leaky_relu, away(np.random.RandomState(5).randn(3, 4), [0.0]))
case("leaky_relu_slope", lambda a: F.leaky_relu(a, 0.05), away(np.random.RandomState(6).randn(3, 4), [0.0]))
case("softmax", F.softmax, (3, 4))
case("softmax_axis0", lambda a: F.softmax(a, axis=0), (3, 4))
case("softmax_axis_last", lambda a: F.softmax(a, axis=2), (2, 3, 4))
case("softmax_3d", F.softmax, (2, 3, 4))
case("softmax_large", F.softmax, f32(np.random.RandomState(7).randn(2, 3) + 1000))
case("log_softmax", F.log_softmax, (3, 4))
case("log_softmax_axis0", lambda a: F.log_softmax(a, axis=0), (3, 4))
case("log_softmax_axis_last", lambda a: F.log_softmax(a, axis=2), (2, 3, 4))
case("log_softmax_large", F.log_softmax, f32(np.random.RandomState(8).randn(2, 3) - 1000))

# ---- losses ----
case("mse", F.mean_squared_error, (4, 3), (4, 3))
case("mse_bcast", F.mean_squared_error, (4, 3), (3,))
case("mse_vec", F.mean_squared_error, (5,), (5,))
labels = np.random.RandomState(9).randint(0, 3, size=5)
case("softmax_ce", F.softmax_cross_entropy, (5, 3), labels)
case("softmax_ce_int32", F.softmax_cross_entropy, (5, 3), labels.astype(np.int32))
case("softmax_ce_large", F.softmax_cross_entropy, f32(100 * np.random.RandomState(10).randn(4, 3)),
     np.array([0, 2, 1, 1]))
targets = np.random.RandomState(11).randint(0, 2, size=4)
case("sigmoid_ce", F.sigmoid_cross_entropy, (4, 1), targets)
case("sigmoid_ce_2d", F.sigmoid_cross_entropy, (4, 3), f32(np.random.RandomState(12).randint(0, 2, size=(4, 3))))
case("sigmoid_ce_soft", F.sigmoid_cross_entropy, (4, 2), f32(np.random.RandomState(13).rand(4, 2)))
probs = f32(np.random.RandomState(14).rand(4) * 0.98 + 0.01)
case("binary_ce", F.binary_cross_entropy, probs, targets)
case("binary_ce_2d", F.binary_cross_entropy, f32(np.random.RandomState(15).rand(4, 1) * 0.98 + 0.01), targets)


def sigmoid_ce_saturated():
    """Saturated logits, where DeZero's log(1 - clip(sigmoid(x), 1e-15, 1)) is log(0) and its loss NaN.
    The reference is written with NumPy: each term is -log of the clipped probability of the target class
    (0 for x = ±40, whose probability rounds to 1; -log(1e-15) for x = -60 with t = 1, where the clip holds),
    and the gradient is gy·(sigmoid(x) - t)/N where the clip does not hold."""
    x = np.array([[40.0], [-40.0], [0.5], [-60.0]])
    t = np.array([1, 0, 1, 1])
    gy = np.array(1.5)
    y = (np.logaddexp(0, -0.5) - np.log(1e-15)) / 4
    gx = gy * (1 / (1 + np.exp(-x)) - t.reshape(x.shape)) / 4
    gx[3, 0] = 0.0
    numpy_case("sigmoid_ce_saturated", [x, t], np.array(y), gy, [gx, None])


sigmoid_ce_saturated()

np.random.seed(16)
yacc = randn(6, 3)
tacc = np.argmax(yacc, axis=1)
tacc[[1, 4]] = (tacc[[1, 4]] + 1) % 3
out["accuracy"] = {"inputs": [arr(yacc), arr(tacc)], "y": arr(F.accuracy(yacc, tacc).data)}

write("functions", out)
