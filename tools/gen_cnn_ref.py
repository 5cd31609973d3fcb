"""Reference values of the CNN and regularisation functions, computed by the book's Python DeZero on NumPy.

Usage: PYTHONPATH=<checkout of oreilly-japan/deep-learning-from-scratch-3> /usr/bin/python3 -W ignore tools/gen_cnn_ref.py
Writes tests/data/cnn.json.

Each case stores float64 inputs, the forward output and the gradients of sum(y * gy) for a random gy, once
computed in float64 and once with the inputs cast to float32 (keys suffixed "32").
"""
import numpy as np
import dezero
from dezero import Variable
import dezero.functions as F
import dezero.functions_conv as FC

from refdata import arr, write

rng = np.random.RandomState(1234)


def randn(*shape):
    return rng.randn(*shape)


def pair(v):
    return [v, v] if isinstance(v, int) else list(v)


def case(f, names, inputs, backward=True, **params):
    """Applies f to Variables of `inputs` (None stays None) in float64 and float32, backprops sum(y * gy) for one
    random gy, and returns the inputs, gy, the outputs and the input gradients."""
    c = dict(params)
    for n, a in zip(names, inputs):
        c[n] = None if a is None else arr(a)
    gy = None
    for dtype, sfx in ((np.float64, ""), (np.float32, "32")):
        vs = [None if a is None else Variable(a.astype(dtype)) for a in inputs]
        y = f(*vs)
        assert y.dtype == dtype, (names, y.dtype)
        c["y" + sfx] = arr(y.data)
        if not backward:
            continue
        if gy is None:
            gy = randn(*y.shape)
            c["gy"] = arr(gy)
        F.sum(y * gy.astype(dtype)).backward()
        for n, v in zip(names, vs):
            c["g" + n + sfx] = None if v is None or v.grad is None else arr(v.grad.data)
    return c


out = {}

# conv2d: (N, C, H, W), (OC, KH, KW), stride, pad, bias
conv = []
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
]:
    x, W, b = randn(n, c, h, w), randn(oc, c, kh, kw), randn(oc) if bias else None
    conv.append(case(lambda x, W, b, s=s, p=p: FC.conv2d(x, W, b, s, p), ["x", "W", "b"], [x, W, b],
                     name=name, stride=pair(s), pad=pair(p)))
out["conv2d"] = conv

# deconv2d: x (N, C, H, W), W (C, OC, KH, KW)
deconv = []
for name, (n, c, h, w), (oc, kh, kw), s, p, outsize, bias in [
    ("basic", (1, 1, 3, 3), (1, 3, 3), 1, 0, None, False),
    ("c2_oc3_bias", (2, 2, 3, 4), (3, 3, 3), 1, 1, None, True),
    ("stride2_pad1", (2, 3, 3, 3), (2, 3, 3), 2, 1, None, True),
    ("stride2_outsize", (1, 2, 3, 3), (2, 3, 3), 2, 1, (6, 6), True),
    ("nonsquare_pairs", (2, 2, 3, 4), (3, 2, 3), (2, 1), (0, 1), None, False),
    ("pairs_outsize", (1, 2, 4, 3), (2, 4, 2), (3, 2), (1, 0), (12, 7), True),
]:
    x, W, b = randn(n, c, h, w), randn(c, oc, kh, kw), randn(oc) if bias else None
    deconv.append(case(lambda x, W, b, s=s, p=p, o=outsize: FC.deconv2d(x, W, b, s, p, o), ["x", "W", "b"], [x, W, b],
                       name=name, stride=pair(s), pad=pair(p), outsize=None if outsize is None else list(outsize)))
out["deconv2d"] = deconv

# pooling (max) and average_pooling: (N, C, H, W), kernel, stride, pad
pool_cases = [
    ("k2_s2", (2, 3, 4, 4), 2, 2, 0),
    ("k3_s1", (1, 2, 5, 5), 3, 1, 0),
    ("k2_s1_pad1", (2, 2, 4, 5), 2, 1, 1),
    ("k3_s2_pad1", (1, 3, 7, 6), 3, 2, 1),
    ("k3_s2_odd", (2, 1, 6, 7), 3, 2, 0),
    ("k2_s2_pad1", (1, 2, 5, 5), 2, 2, 1),
    ("pairs", (1, 2, 5, 7), (2, 3), (1, 2), (1, 0)),
]
maxpool = []
for name, shape, k, s, p in pool_cases + [("negative_pad1", (1, 2, 4, 4), 3, 1, 1)]:
    x = randn(*shape)
    if name.startswith("negative"):
        x = -np.abs(x) - 0.1  # every padded window picks a padding zero
    maxpool.append(case(lambda x, k=k, s=s, p=p: FC.pooling(x, k, s, p), ["x"], [x],
                        name=name, kernel=pair(k), stride=pair(s), pad=pair(p)))
out["pooling"] = maxpool

avgpool = []
for name, shape, k, s, p in pool_cases:
    x = randn(*shape)
    kh, kw = pair(k)
    # The book's average_pooling backward swaps KH and KW and fails for non-square windows; there the
    # gradient is taken as its definition instead: gy / (KH * KW) summed back into the image by col2im.
    square = kh == kw
    c = case(lambda x, k=k, s=s, p=p: FC.average_pooling(x, k, s, p), ["x"], [x], backward=square,
             name=name, kernel=pair(k), stride=pair(s), pad=pair(p))
    if not square:
        gy = randn(*c["y"]["shape"])
        c["gy"] = arr(gy)
        for dtype, sfx in ((np.float64, ""), (np.float32, "32")):
            gcol = np.broadcast_to((gy.astype(dtype) / dtype(kh * kw))[:, :, None, None], gy.shape[:2] + (kh, kw) + gy.shape[2:])
            c["gx" + sfx] = arr(FC.col2im_array(gcol, x.shape, k, s, p, to_matrix=False))
    avgpool.append(c)
out["average_pooling"] = avgpool

# im2col and col2im (col2im's gradient is im2col of gy and vice versa)
cols = []
for name, (n, c, h, w), k, s, p in [
    ("k3_s1", (1, 2, 4, 4), 3, 1, 0),
    ("k3_s2_pad1", (2, 2, 5, 6), 3, 2, 1),
    ("pairs", (1, 3, 6, 5), (2, 3), (2, 1), (1, 2)),
]:
    kh, kw = pair(k)
    sh, sw = pair(s)
    ph, pw = pair(p)
    oh, ow = (h + 2 * ph - kh) // sh + 1, (w + 2 * pw - kw) // sw + 1
    for to_matrix in (True, False):
        x = randn(n, c, h, w)
        cols.append(dict(case(lambda x, k=k, s=s, p=p, t=to_matrix: FC.im2col(x, k, s, p, t), ["x"], [x]),
                         op="im2col", name=name + ("_matrix" if to_matrix else "_6d"), kernel=pair(k), stride=pair(s), pad=pair(p), to_matrix=to_matrix))
        col = randn(n * oh * ow, c * kh * kw) if to_matrix else randn(n, c, kh, kw, oh, ow)
        cols.append(dict(case(lambda col, k=k, s=s, p=p, t=to_matrix, sh=(n, c, h, w): FC.col2im(col, sh, k, s, p, t),
                              ["x"], [col]),
                         op="col2im", name=name + ("_matrix" if to_matrix else "_6d"), image_shape=[n, c, h, w], kernel=pair(k), stride=pair(s), pad=pair(p),
                         to_matrix=to_matrix))
out["im2col"] = cols

# batch_norm: two training calls (running statistics after each), gradients of the second; then test mode
bn = []
for name, shape in [("2d", (6, 3)), ("4d", (2, 3, 3, 4)), ("2d_batch1", (1, 4))]:
    c = shape[1]
    x1, x2 = randn(*shape) * 2 + 1, randn(*shape) * 0.5 - 1
    gamma, beta = randn(c), randn(c)
    mean0, var0 = randn(c) * 0.1, np.abs(randn(c)) + 0.5
    item = dict(name=name, x1=arr(x1), x=arr(x2), gamma=arr(gamma), beta=arr(beta), mean0=arr(mean0), var0=arr(var0))
    gy = randn(*shape)
    item["gy"] = arr(gy)
    for dtype, sfx in ((np.float64, ""), (np.float32, "32")):
        mean, var = mean0.astype(dtype), var0.astype(dtype)
        g, b = Variable(gamma.astype(dtype)), Variable(beta.astype(dtype))
        y1 = F.batch_nrom(x1.astype(dtype), g, b, mean, var)
        item["y1" + sfx], item["mean1" + sfx], item["var1" + sfx] = arr(y1.data), arr(mean), arr(var)
        xv = Variable(x2.astype(dtype))
        g.cleargrad()
        b.cleargrad()
        y2 = F.batch_nrom(xv, g, b, mean, var, decay=0.8, eps=1e-3)
        F.sum(y2 * gy.astype(dtype)).backward()
        item["y" + sfx], item["mean2" + sfx], item["var2" + sfx] = arr(y2.data), arr(mean), arr(var)
        item["gx" + sfx], item["ggamma" + sfx], item["gbeta" + sfx] = arr(xv.grad.data), arr(g.grad.data), arr(b.grad.data)
        with dezero.test_mode():
            yt = F.batch_nrom(x2.astype(dtype), g, b, mean, var)
        item["ytest" + sfx] = arr(yt.data)
        assert np.array_equal(item["mean2" + sfx]["data"], arr(mean)["data"])  # test mode leaves statistics alone
    bn.append(item)
out["batch_norm"] = bn

# embed_id: W[ids] (negative ids index from the end, as in NumPy)
emb = []
for name, ids, wshape in [
    ("ids_2x3_repeats", np.array([[0, 2, 4], [2, 2, 1]]), (5, 3)),
    ("ids_1d_negative", np.array([3, -1, 0, -5]), (5, 2)),
    ("scalar_id", np.array(1), (4, 3)),
    ("w_3d", np.array([1, 0, 1]), (2, 2, 3)),
]:
    W = randn(*wshape)
    c = case(lambda W, ids=ids: F.embed_id(ids, W), ["W"], [W], name=name)
    c["ids"] = arr(ids.astype(np.int64))
    emb.append(c)
out["embed_id"] = emb

# dropout: np.random.seed(seed) then F.dropout, mask from np.random.rand(*shape) > ratio
drop = []
for name, seed, shape, ratio in [("half", 0, (4, 5), 0.5), ("ratio02", 7, (2, 3, 4), 0.2), ("ratio09", 42, (50,), 0.9)]:
    x = randn(*shape)
    item = dict(name=name, seed=seed, ratio=ratio, x=arr(x))
    gy = randn(*shape)
    item["gy"] = arr(gy)
    for dtype, sfx in ((np.float64, ""), (np.float32, "32")):
        np.random.seed(seed)
        xv = Variable(x.astype(dtype))
        y = F.dropout(xv, ratio)
        F.sum(y * gy.astype(dtype)).backward()
        assert y.dtype == dtype
        item["y" + sfx], item["gx" + sfx] = arr(y.data), arr(xv.grad.data)
    drop.append(item)
out["dropout"] = drop

write("cnn", out)
