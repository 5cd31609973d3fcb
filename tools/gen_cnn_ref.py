"""Reference values of the CNN and regularisation functions, computed by the book's Python DeZero on NumPy.

Usage: PYTHONPATH=<checkout of oreilly-japan/deep-learning-from-scratch-3> /usr/bin/python3 -W ignore tools/gen_cnn_ref.py
Writes tests/data/cnn.json in the schema of functions.json (tests/data/README.md):
{case name: {"inputs": [...], "gy": ..., "y": ..., "grads": [...]}}, read by the tests of
tests/DeZero.Tests/Functions/Cnn through FunctionTestCase. A case's parameters (stride, pad, ...) are in its name and
in the C# call of the same name.

Each case draws its inputs from a seeded np.random, rounded to float32 values (so the float32 tests start from the
same numbers), runs the DeZero function in float64, seeds the backward pass with a random output gradient gy and
records the output and every input gradient. A null gradient marks an input that is not differentiated: integer ids,
the running statistics of batch normalisation. Where the book's backward is wrong, the gradients are written by
their definition with NumPy and the case says so. Cases with only "inputs" and "y" have no gradient (the running
statistics after a training call).
"""
import types

import numpy as np
import dezero
from dezero import Variable
import dezero.functions as F
import dezero.functions_conv as FC

from refdata import arr, write

out = {}
rng = np.random.RandomState(1234)


def f32(a):
    """The array rounded to float32 values, kept as float64."""
    return np.asarray(a, dtype=np.float64).astype(np.float32).astype(np.float64)


def randn(*shape):
    return f32(rng.randn(*shape))


def record(name, inputs, y, gy, grads):
    assert name not in out, name
    out[name] = {"inputs": [arr(a) for a in inputs], "gy": arr(gy), "y": arr(y),
                 "grads": [None if g is None else arr(g) for g in grads]}


def dezero_case(name, fn, inputs, differentiated=None):
    """Runs fn on the inputs with DeZero in float64 and records the output and the gradients of sum(y * gy).
    Inputs listed as not differentiated are passed as arrays and get a null gradient."""
    differentiated = differentiated or [True] * len(inputs)
    xs = [Variable(a) if d else a for a, d in zip(inputs, differentiated)]
    y = fn(*xs)
    assert y.dtype == np.float64, (name, y.dtype)
    gy = randn(*y.shape)
    y.grad = Variable(gy)
    y.backward()
    record(name, inputs, y.data, gy, [x.grad.data if d else None for x, d in zip(xs, differentiated)])


def pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


# conv2d: x (N, C, H, W), W (OC, C, KH, KW), b (OC,) when there is one
for name, (n, c, h, w), (oc, kh, kw), s, p, bias in [
    ("1x1_k3", (1, 1, 5, 5), (1, 3, 3), 1, 0, False),
    ("c2_oc3_pad1_bias", (2, 2, 5, 4), (3, 3, 3), 1, 1, True),
    ("stride2_pad1", (2, 3, 7, 6), (2, 3, 3), 2, 1, True),
    ("stride2_odd", (1, 2, 6, 5), (2, 2, 2), 2, 0, False),
    ("pad2_k5", (1, 2, 4, 4), (2, 5, 5), 1, 2, True),
    ("nonsquare_kernel", (2, 2, 6, 7), (3, 2, 3), 1, 0, True),
    ("pairs", (1, 3, 7, 8), (2, 3, 2), (2, 1), (1, 0), True),
    ("pairs2", (2, 1, 5, 9), (2, 2, 4), (1, 3), (0, 2), False),
    ("k1", (2, 3, 3, 3), (4, 1, 1), 1, 0, True),
    ("pad_larger_than_image", (1, 1, 3, 3), (1, 3, 3), 1, 2, True),
    ("stride2_pad1_narrow", (1, 2, 5, 6), (2, 2, 3), (2, 1), (1, 0), True),
]:
    inputs = [randn(n, c, h, w), randn(oc, c, kh, kw)] + ([randn(oc)] if bias else [])
    dezero_case("conv2d_" + name, lambda x, W, b=None, s=s, p=p: FC.conv2d(x, W, b, s, p), inputs)

# deconv2d: x (N, C, H, W), W (C, OC, KH, KW), b (OC,) when there is one
for name, (n, c, h, w), (oc, kh, kw), s, p, outsize, bias in [
    ("basic", (1, 1, 3, 3), (1, 3, 3), 1, 0, None, False),
    ("c2_oc3_bias", (2, 2, 3, 4), (3, 3, 3), 1, 1, None, True),
    ("stride2_pad1", (2, 3, 3, 3), (2, 3, 3), 2, 1, None, True),
    ("stride2_outsize", (1, 2, 3, 3), (2, 3, 3), 2, 1, (6, 6), True),
    ("nonsquare_pairs", (2, 2, 3, 4), (3, 2, 3), (2, 1), (0, 1), None, False),
    ("pairs_outsize", (1, 2, 4, 3), (2, 4, 2), (3, 2), (1, 0), (12, 7), True),
    ("pairs_outsize_small", (1, 2, 2, 3), (1, 2, 3), (3, 2), (0, 1), (7, 6), False),
]:
    inputs = [randn(n, c, h, w), randn(c, oc, kh, kw)] + ([randn(oc)] if bias else [])
    dezero_case("deconv2d_" + name, lambda x, W, b=None, s=s, p=p, o=outsize: FC.deconv2d(x, W, b, s, p, o), inputs)

# conv2d_gradw(x, gy): the filter gradient of conv2d as a function of its own. The book's Conv2DGradW.backward
# reads its output where it needs the output's gradient, so the gradients are written by their definition
# (gx = deconv2d(gy, g), ggy = conv2d(x, g) for the output gradient g).
for name, (n, c, h, w), (oc, kh, kw), s, p in [
    ("k3", (1, 1, 4, 4), (1, 3, 3), 1, 0),
    ("c2_oc3_pad1", (2, 2, 4, 5), (3, 3, 3), 1, 1),
    ("stride2_pad1", (1, 2, 5, 5), (2, 3, 3), 2, 1),
    ("pairs", (1, 2, 5, 6), (2, 2, 3), (2, 1), (1, 0)),
    ("k2_s2", (1, 1, 5, 4), (2, 2, 2), 2, 0),
    ("pad2", (1, 1, 3, 3), (1, 3, 3), 1, 2),
]:
    (sh, sw), (ph, pw) = pair(s), pair(p)
    oh, ow = (h + 2 * ph - kh) // sh + 1, (w + 2 * pw - kw) // sw + 1
    x, gy_in = randn(n, c, h, w), randn(n, oc, oh, ow)
    conv = types.SimpleNamespace(inputs=[None, np.empty((oc, c, kh, kw))], stride=pair(s), pad=pair(p))
    y = FC.Conv2DGradW(conv).forward(x, gy_in)
    g = randn(*y.shape)
    gx = FC.deconv2d(gy_in, g, None, s, p, (h, w)).data
    ggy = FC.conv2d(x, g, None, s, p).data
    record("conv2d_gradw_" + name, [x, gy_in], y, g, [gx, ggy])

# pooling (max) and average_pooling: x (N, C, H, W), kernel, stride, pad
pool_cases = [
    ("k2_s2", (2, 3, 4, 4), 2, 2, 0),
    ("k3_s1", (1, 2, 5, 5), 3, 1, 0),
    ("k3_s1_pad1", (1, 2, 4, 5), 3, 1, 1),
    ("k2_s1_pad1", (2, 2, 4, 5), 2, 1, 1),
    ("k3_s2_pad1", (1, 3, 7, 6), 3, 2, 1),
    ("k3_s2_odd", (2, 1, 6, 7), 3, 2, 0),
    ("k2_s2_pad1", (1, 2, 5, 5), 2, 2, 1),
    ("pairs", (1, 2, 5, 7), (2, 3), (1, 2), (1, 0)),
]
for name, shape, k, s, p in pool_cases + [("negative_pad1", (1, 2, 4, 4), 3, 1, 1)]:
    x = randn(*shape)
    if name.startswith("negative"):
        x = -np.abs(x) - 0.1  # every padded window picks a padding zero
    dezero_case("pooling_" + name, lambda x, k=k, s=s, p=p: FC.pooling(x, k, s, p), [x])

for name, shape, k, s, p in pool_cases:
    x = randn(*shape)
    kh, kw = pair(k)
    if kh == kw:
        dezero_case("average_pooling_" + name, lambda x, k=k, s=s, p=p: FC.average_pooling(x, k, s, p), [x])
        continue
    # The book's average_pooling backward swaps KH and KW and fails for non-square windows; there the gradient
    # is written by its definition: gy / (KH * KW) summed back into the image by col2im.
    y = FC.average_pooling(Variable(x), k, s, p).data
    gy = randn(*y.shape)
    gcol = np.broadcast_to((gy / (kh * kw))[:, :, None, None], gy.shape[:2] + (kh, kw) + gy.shape[2:])
    record("average_pooling_" + name, [x], y, gy, [FC.col2im_array(gcol, x.shape, k, s, p, to_matrix=False)])

# im2col and col2im, as a matrix and as the 6-D array (N, C, KH, KW, OH, OW)
for name, (n, c, h, w), k, s, p in [
    ("k3_s1", (1, 2, 4, 4), 3, 1, 0),
    ("k3_s2_pad1", (2, 2, 5, 6), 3, 2, 1),
    ("pairs", (1, 3, 6, 5), (2, 3), (2, 1), (1, 2)),
    ("pairs2", (1, 2, 4, 5), (2, 3), (2, 1), (1, 2)),
]:
    (kh, kw), (sh, sw), (ph, pw) = pair(k), pair(s), pair(p)
    oh, ow = (h + 2 * ph - kh) // sh + 1, (w + 2 * pw - kw) // sw + 1
    for to_matrix, form in ((True, "matrix"), (False, "6d")):
        dezero_case(f"im2col_{name}_{form}", lambda x, k=k, s=s, p=p, t=to_matrix: FC.im2col(x, k, s, p, t),
                    [randn(n, c, h, w)])
        col = randn(n * oh * ow, c * kh * kw) if to_matrix else randn(n, c, kh, kw, oh, ow)
        dezero_case(f"col2im_{name}_{form}", lambda col, k=k, s=s, p=p, t=to_matrix, sh=(n, c, h, w): FC.col2im(col, sh, k, s, p, t),
                    [col])

# batch_norm(x, gamma, beta, mean, var): mean and var are the running statistics, not differentiated (the book
# updates them in place, so each call gets copies). Training with the default decay and eps, training with
# decay 0.8 and eps 1e-3, test mode; and the running statistics after a training call, as [mean, var].
for name, shape in [("2d", (6, 3)), ("4d", (2, 3, 3, 4)), ("2d_batch1", (1, 4))]:
    c = shape[1]
    x = f32(randn(*shape) * 2 + 1)
    gamma, beta = randn(c), randn(c)
    mean0, var0 = f32(randn(c) * 0.1), f32(np.abs(randn(c)) + 0.5)
    inputs = [x, gamma, beta, mean0, var0]
    stats = [True, True, True, False, False]
    dezero_case(f"batch_norm_{name}", lambda x, g, b, m, v: F.batch_nrom(x, g, b, m.copy(), v.copy()), inputs, stats)
    dezero_case(f"batch_norm_{name}_decay_eps", lambda x, g, b, m, v: F.batch_nrom(x, g, b, m.copy(), v.copy(), decay=0.8, eps=1e-3),
                inputs, stats)
    for decay, sfx in ((0.9, ""), (0.8, "_decay")):
        mean, var = mean0.copy(), var0.copy()
        F.batch_nrom(x, gamma, beta, mean, var, decay=decay)
        out[f"batch_norm_stats_{name}{sfx}"] = {"inputs": [arr(a) for a in inputs], "y": arr(np.stack([mean, var]))}
    # Test mode: the book's backward applies the training formula; the gradients are written by their definition.
    with dezero.test_mode():
        y = F.batch_nrom(x, gamma, beta, mean0.copy(), var0.copy()).data
    gy = randn(*shape)
    axes = (0,) if len(shape) == 2 else (0, 2, 3)
    bshape = (1, c) if len(shape) == 2 else (1, c, 1, 1)
    inv_std = 1 / np.sqrt(var0 + 2e-5)
    xhat = (x - mean0.reshape(bshape)) * inv_std.reshape(bshape)
    grads = [gy * (gamma * inv_std).reshape(bshape), (gy * xhat).sum(axis=axes), gy.sum(axis=axes), None, None]
    record(f"batch_norm_{name}_test", inputs, y, gy, grads)

# embed_id(ids, W) = W[ids] (negative ids index from the end, as in NumPy)
for name, ids, wshape in [
    ("ids_2x3_repeats", np.array([[0, 2, 4], [2, 2, 1]]), (5, 3)),
    ("ids_1d_negative", np.array([3, -1, 0, -5]), (5, 2)),
    ("scalar_id", np.array(1), (4, 3)),
    ("w_3d", np.array([1, 0, 1]), (2, 2, 3)),
    ("ids_2x3_negative_repeats", np.array([[2, 0, 2], [-1, 3, 2]]), (4, 3)),
]:
    dezero_case("embed_id_" + name, F.embed_id, [ids.astype(np.int64), randn(*wshape)], [False, True])

# dropout: np.random.seed(seed) then F.dropout, whose mask is np.random.rand(*shape) > ratio
for name, seed, shape, ratio in [("half", 0, (4, 5), 0.5), ("ratio02", 7, (2, 3, 4), 0.2), ("ratio09", 42, (50,), 0.9),
                                 ("ratio04", 3, (4, 5), 0.4)]:
    def dropout(x, seed=seed, ratio=ratio):
        np.random.seed(seed)
        return F.dropout(x, ratio)
    dezero_case(f"dropout_{name}_seed{seed}", dropout, [randn(*shape)])

write("cnn", out)
