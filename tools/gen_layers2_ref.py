"""Reference values for the CNN/RNN layers and the model zoo, computed by the Python DeZero on NumPy.

Usage: PYTHONPATH=<checkout of oreilly-japan/deep-learning-from-scratch-3> /usr/bin/python3 -W ignore tools/gen_layers2_ref.py
Writes tests/data/layers2.json (layers) and layers2_zoo.json (models; VGG16's forward takes ~40 s).
Every case seeds np.random first and draws its inputs before building the layer, so the layer's lazily drawn
weights come next from the same stream, as in the C# tests.
"""
import numpy as np
import dezero
import dezero.functions as F
import dezero.layers as L
from dezero import Function, Layer, Model, Variable
from dezero.models import VGG16, ResNet50, ResNet101, ResNet152

from refdata import arr, write


def flat(layer):
    """Parameters by key, sorted: the book keeps them in a set, whose order changes from run to run."""
    d = {}
    layer._flatten_params(d)
    return dict(sorted(d.items()))


def grads(layer):
    return {k: arr(p.grad.data) for k, p in flat(layer).items() if p.grad is not None}


out = {}


# Conv2d / Deconv2d: a lazy layer on x, loss = sum(y * c).
def conv_case(cls, args, kwargs, xshape, dtype):
    np.random.seed(0)
    x = Variable(np.random.rand(*xshape).astype(dtype))
    layer = cls(*args, **kwargs)
    y = layer(x)
    c = np.random.rand(*y.shape).astype(dtype)
    F.sum(y * c).backward()
    r = {"x": arr(x.data), "c": arr(c), "W": arr(layer.W.data), "y": arr(y.data),
         "gx": arr(x.grad.data), "gW": arr(layer.W.grad.data)}
    if layer.b is not None:
        r["gb"] = arr(layer.b.grad.data)
    return r


out["conv_f32"] = conv_case(L.Conv2d, (4, 3), dict(stride=1, pad=1), (2, 3, 5, 5), np.float32)
out["conv_f64"] = conv_case(L.Conv2d, (4, 3), dict(stride=2, pad=1, dtype=np.float64), (2, 3, 7, 7), np.float64)
out["conv_rect"] = conv_case(L.Conv2d, (3, (3, 2)), dict(stride=(2, 1), pad=(1, 0), nobias=True, dtype=np.float64),
                             (1, 2, 6, 5), np.float64)
out["deconv_f32"] = conv_case(L.Deconv2d, (3, 4), dict(stride=2, pad=1), (2, 4, 3, 3), np.float32)
out["deconv_f64"] = conv_case(L.Deconv2d, (2, 3), dict(dtype=np.float64), (1, 3, 4, 4), np.float64)
out["deconv_rect"] = conv_case(L.Deconv2d, (2, (3, 2)), dict(stride=(2, 1), pad=(1, 0), nobias=True, dtype=np.float64),
                               (1, 3, 3, 4), np.float64)
np.random.seed(0)
out["conv_eager_W"] = arr(L.Conv2d(4, 3, in_channels=3).W.data)
np.random.seed(0)
out["deconv_eager_W"] = arr(L.Deconv2d(4, (3, 2), in_channels=3).W.data)


# RNN: 3 steps with a loss on every output, then reset_state and 2 more steps.
np.random.seed(0)
xs = np.random.rand(5, 2, 2)
cs = np.random.rand(3, 2, 3)
rnn = L.RNN(3)
hs = [rnn(Variable(xs[t])) for t in range(3)]
loss = sum(F.sum(h * c) for h, c in zip(hs, cs))
loss.backward()
rnn.reset_state()
after = [rnn(Variable(xs[t])) for t in (3, 4)]
out["rnn"] = {"xs": arr(xs), "cs": arr(cs), "hs": [arr(h.data) for h in hs], "grads": grads(rnn),
              "after_reset": [arr(h.data) for h in after]}
np.random.seed(0)
out["rnn_eager"] = {k: arr(p.data) for k, p in flat(L.RNN(3, in_size=3)).items()}


# LSTM: unrolled for 3 steps with a loss on every output, then reset_state and 3 more steps.
np.random.seed(0)
xs = np.random.rand(6, 2, 3)
cs = np.random.rand(3, 2, 4)
lstm = L.LSTM(4)
xvs = [Variable(xs[t]) for t in range(3)]
hs, cells = [], []
for xv in xvs:
    hs.append(lstm(xv))
    cells.append(lstm.c)
loss = sum(F.sum(h * c) for h, c in zip(hs, cs))
loss.backward()
lstm.reset_state()
after = [lstm(Variable(xs[t])) for t in (3, 4, 5)]
out["lstm"] = {"xs": arr(xs), "cs": arr(cs), "hs": [arr(h.data) for h in hs], "cells": [arr(c.data) for c in cells],
               "W": {k: arr(p.data) for k, p in flat(lstm).items()}, "grads": grads(lstm),
               "gxs": [arr(xv.grad.data) for xv in xvs], "after_reset": [arr(h.data) for h in after]}
np.random.seed(0)
out["lstm_eager"] = {k: arr(p.data) for k, p in flat(L.LSTM(4, in_size=3)).items()}


# BatchNorm: two training calls (the second with a loss), then one in test mode.
def bn_case(shape, dtype):
    np.random.seed(0)
    x1 = (np.random.rand(*shape) * 2 + 1).astype(dtype)
    x2 = (np.random.rand(*shape) * 3 - 1).astype(dtype)
    c = np.random.rand(*shape).astype(dtype)
    bn = L.BatchNorm()
    y1 = bn(Variable(x1))
    x2v = Variable(x2)
    y2 = bn(x2v)
    F.sum(y2 * c).backward()
    with dezero.test_mode():
        y3 = bn(Variable(x1))
    return {"x1": arr(x1), "x2": arr(x2), "c": arr(c), "y1": arr(y1.data), "y2": arr(y2.data), "y_test": arr(y3.data),
            "avg_mean": arr(bn.avg_mean.data), "avg_var": arr(bn.avg_var.data),
            "gx": arr(x2v.grad.data), "ggamma": arr(bn.gamma.grad.data), "gbeta": arr(bn.beta.grad.data)}


out["bn_2d_f64"] = bn_case((5, 3), np.float64)
out["bn_4d_f32"] = bn_case((2, 3, 2, 2), np.float32)


# EmbedID: W = randn(in, out) in float64; ids of shape (2, 2).
np.random.seed(0)
emb = L.EmbedID(5, 3)
ids = np.array([[0, 2], [4, 2]])
c = np.random.rand(2, 2, 3)
y = emb(ids)
F.sum(y * c).backward()
out["embed"] = {"ids": arr(ids), "c": arr(c), "W": arr(emb.W.data), "y": arr(y.data), "gW": arr(emb.W.grad.data)}

write("layers2", out)


# ----------------------------------------------------------------------------------------------------------------
# Model zoo: keys and parameter shapes after a forward pass; ResNet50 and SqueezeNet forward values.
def shapes(model):
    return {k: list(p.data.shape) for k, p in flat(model).items()}


zoo = {}
np.random.seed(0)
x = np.random.rand(1, 3, 224, 224).astype(np.float32)
vgg = VGG16()
with dezero.test_mode(), dezero.no_grad():
    y = vgg(x)
zoo["vgg16"] = {"shapes": shapes(vgg), "y_shape": list(y.shape)}
del vgg


def run_model(model):
    """A training-mode forward of a (2, 3, 64, 64) batch, then a test-mode one with the updated statistics."""
    np.random.seed(0)
    x = np.random.rand(2, 3, 64, 64).astype(np.float32)
    y = model(x)
    with dezero.test_mode():
        y_test = model(x)
    return {"y": arr(y.data), "y_test": arr(y_test.data), "shapes": shapes(model)}


resnet = ResNet50()
zoo["resnet50"] = run_model(resnet)
zoo["resnet50"]["stats"] = {k: arr(flat(resnet)[k].data) for k in ("bn1/avg_mean", "res5/b2/bn3/avg_var")}
zoo["resnet101_keys"] = sorted(flat(ResNet101()))
zoo["resnet152_keys"] = sorted(flat(ResNet152()))


# The book's SqueezeNet is a stub: this is SqueezeNet 1.0 written here on DeZero the way the C# model builds it
# (same keys, layer creation and forward order), to check the C# forward numerically.
class ChannelConcat(Function):
    def forward(self, a, b):
        return np.concatenate([a, b], axis=1)

    def backward(self, gy):
        c = self.inputs[0].shape[1]
        return gy[:, :c], gy[:, c:]


class Fire(Layer):
    def __init__(self, s, e1, e3):
        super().__init__()
        self.squeeze = L.Conv2d(s, 1)
        self.expand1x1 = L.Conv2d(e1, 1)
        self.expand3x3 = L.Conv2d(e3, 3, pad=1)

    def forward(self, x):
        s = F.relu(self.squeeze(x))
        return ChannelConcat()(F.relu(self.expand1x1(s)), F.relu(self.expand3x3(s)))


class SqueezeNet(Model):
    def __init__(self):
        super().__init__()
        self.conv1 = L.Conv2d(96, 7, stride=2)
        self.fire2, self.fire3, self.fire4 = Fire(16, 64, 64), Fire(16, 64, 64), Fire(32, 128, 128)
        self.fire5, self.fire6, self.fire7 = Fire(32, 128, 128), Fire(48, 192, 192), Fire(48, 192, 192)
        self.fire8, self.fire9 = Fire(64, 256, 256), Fire(64, 256, 256)
        self.conv10 = L.Conv2d(1000, 1)

    def forward(self, x):
        x = F.pooling(F.relu(self.conv1(x)), 3, 2)
        x = F.pooling(self.fire4(self.fire3(self.fire2(x))), 3, 2)
        x = F.pooling(self.fire8(self.fire7(self.fire6(self.fire5(x)))), 3, 2)
        x = F.relu(self.conv10(F.dropout(self.fire9(x))))
        N, C, H, W = x.shape
        return F.reshape(F.average_pooling(x, (H, W), 1), (N, C))


zoo["squeezenet"] = run_model(SqueezeNet())

# One Fire module's gradients, which run through the channel concatenation.
np.random.seed(0)
x = Variable(np.random.rand(2, 3, 4, 4).astype(np.float32))
fire = Fire(2, 3, 4)
y = fire(x)
c = np.random.rand(*y.shape).astype(np.float32)
F.sum(y * c).backward()
zoo["fire"] = {"y": arr(y.data), "gx": arr(x.grad.data), "grads": grads(fire)}

write("layers2_zoo", zoo)
