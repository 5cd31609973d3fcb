"""Reference values for layers, models and optimizers, computed by the Python DeZero on NumPy.

Usage: PYTHONPATH=<checkout of oreilly-japan/deep-learning-from-scratch-3> /usr/bin/python3 -W ignore tools/gen_layers_ref.py
Writes tests/data/layers.json.
"""
import numpy as np
import dezero.functions as F
import dezero.layers as L
from dezero import Layer, Model, Parameter, Variable, optimizers
from dezero.models import MLP

from refdata import arr, write

out = {}

# Eager initialisation: W = randn(I, O).astype(dtype) * sqrt(1 / I), b = zeros(O).
np.random.seed(0)
l = L.Linear(5, in_size=3)
out["linear_init_f32"] = {"W": arr(l.W.data), "b": arr(l.b.data)}
np.random.seed(0)
l = L.Linear(5, in_size=3, dtype=np.float64)
out["linear_init_f64"] = {"W": arr(l.W.data), "b": arr(l.b.data)}


def lazy_linear(dtype, nobias=False):
    """Linear(4) initialised by its first input; loss = sum(y * c) gives a non-trivial gy."""
    np.random.seed(0)
    x = Variable(np.random.rand(2, 3).astype(dtype))
    layer = L.Linear(4, nobias=nobias)
    y = layer(x)
    c = np.random.rand(2, 4).astype(dtype)
    loss = F.sum(y * c)
    loss.backward()
    r = {"x": arr(x.data), "c": arr(c), "W": arr(layer.W.data), "y": arr(y.data),
         "gx": arr(x.grad.data), "gW": arr(layer.W.grad.data)}
    if not nobias:
        r["gb"] = arr(layer.b.grad.data)
    return r


out["linear_lazy_f64"] = lazy_linear(np.float64)
out["linear_lazy_f32"] = lazy_linear(np.float32)
out["linear_nobias"] = lazy_linear(np.float64, nobias=True)


def sin_data():
    np.random.seed(0)
    x = np.random.rand(100, 1)
    y = np.sin(2 * np.pi * x) + np.random.rand(100, 1)
    return x, y


# Step 45: a two-layer Model trained by hand-written gradient descent.
class TwoLayerNet(Model):
    def __init__(self, hidden_size, out_size):
        super().__init__()
        self.l1 = L.Linear(hidden_size)
        self.l2 = L.Linear(out_size)

    def forward(self, x):
        return self.l2(F.sigmoid(self.l1(x)))


x, y = sin_data()
model = TwoLayerNet(10, 1)
losses = []
for i in range(10000):
    loss = F.mean_squared_error(y, model(x))
    model.cleargrads()
    loss.backward()
    for p in model.params():
        p.data -= 0.2 * p.grad.data
    if i % 1000 == 0:
        losses.append(float(loss.data))
out["step45_losses"] = losses
out["step45_W1"] = arr(model.l1.W.data)


def train_sin(optimizer, iters):
    """Step 46: MLP((10, 1)) on the sin data; the loss every 100 iterations and the last one."""
    x, y = sin_data()
    model = MLP((10, 1))
    optimizer.setup(model)
    losses = []
    for i in range(iters):
        loss = F.mean_squared_error(y, model(x))
        model.cleargrads()
        loss.backward()
        optimizer.update()
        if i % 100 == 0:
            losses.append(float(loss.data))
    losses.append(float(loss.data))
    return losses


out["step46_losses"] = train_sin(optimizers.SGD(0.2), 10000)[:-1:10]
out["train"] = {
    "MomentumSGD": train_sin(optimizers.MomentumSGD(0.2), 1000),
    "AdaGrad": train_sin(optimizers.AdaGrad(0.3), 1000),
    "AdaDelta": train_sin(optimizers.AdaDelta(), 4000),
    "Adam": train_sin(optimizers.Adam(0.05), 1000),
}

# Step 47: the output of a freshly initialised MLP((10, 3)).
np.random.seed(0)
model = MLP((10, 3))
out["step47_y"] = arr(model(np.array([[0.2, -0.4]])).data)


# Optimizers: three parameters (float32 with float32 grads, float32 with float64 grads as in
# step 45, float64), three updates with fixed gradients; the data after each update.
rs = np.random.RandomState(1)
init = [rs.randn(2, 3).astype(np.float32), rs.randn(3).astype(np.float32), rs.randn(2, 2)]
grads = [[rs.randn(2, 3).astype(np.float32), rs.randn(3), rs.randn(2, 2)] for _ in range(3)]
out["opt_init"] = [arr(a) for a in init]
out["opt_grads"] = [[arr(g) for g in step] for step in grads]


class Holder(Layer):
    def __init__(self):
        super().__init__()
        self.a = Parameter(init[0].copy())
        self.b = Parameter(init[1].copy())
        self.c = Parameter(init[2].copy())


def run(optimizer, hooks=()):
    h = Holder()
    optimizer.setup(h)
    for hook in hooks:
        optimizer.add_hook(hook)
    steps = []
    for g in grads:
        for p, gi in zip((h.a, h.b, h.c), g):
            p.grad = Variable(gi.copy())
        optimizer.update()
        steps.append([arr(p.data) for p in (h.a, h.b, h.c)])
    return steps


out["opt"] = {
    "SGD": run(optimizers.SGD()),
    "SGD_custom": run(optimizers.SGD(0.5)),
    "MomentumSGD": run(optimizers.MomentumSGD()),
    "MomentumSGD_custom": run(optimizers.MomentumSGD(0.05, 0.5)),
    "AdaGrad": run(optimizers.AdaGrad()),
    "AdaGrad_custom": run(optimizers.AdaGrad(0.5, 1e-3)),
    "AdaDelta": run(optimizers.AdaDelta()),
    "AdaDelta_custom": run(optimizers.AdaDelta(0.8, 1e-3)),
    "Adam": run(optimizers.Adam()),
    "Adam_custom": run(optimizers.Adam(0.05, 0.8, 0.9, 1e-3)),
    "WeightDecay": run(optimizers.SGD(0.1), [optimizers.WeightDecay(0.1)]),
    "ClipGrad": run(optimizers.SGD(0.1), [optimizers.ClipGrad(1.0)]),
    "ClipGrad_loose": run(optimizers.SGD(0.1), [optimizers.ClipGrad(100.0)]),
    "WeightDecay_ClipGrad": run(optimizers.SGD(0.1), [optimizers.WeightDecay(0.1), optimizers.ClipGrad(1.0)]),
}
adam = optimizers.Adam(0.05, 0.8, 0.9, 1e-3)
adam.t = 3
out["adam_custom_lr_t3"] = adam.lr

write("layers", out)
