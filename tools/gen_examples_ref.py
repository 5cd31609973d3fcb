"""Reference output of the book's stage 4 programs (steps 44, 46 and 48), run with the Python DeZero.

Usage: PYTHONPATH=<checkout of oreilly-japan/deep-learning-from-scratch-3> /usr/bin/python3 tools/gen_examples_ref.py
Writes tests/data/examples.json.
"""
import math

import numpy as np
import dezero
import dezero.functions as F
import dezero.layers as L
from dezero import optimizers
from dezero.models import MLP

from refdata import write

out = {}


def sin_data():
    np.random.seed(0)
    x = np.random.rand(100, 1)
    y = np.sin(2 * np.pi * x) + np.random.rand(100, 1)
    return x, y


# Step 44: two L.Linear layers, hand-written update.
x, y = sin_data()
l1, l2 = L.Linear(10), L.Linear(1)
losses = []
for i in range(10000):
    loss = F.mean_squared_error(y, l2(F.sigmoid(l1(x))))
    l1.cleargrads()
    l2.cleargrads()
    loss.backward()
    for l in (l1, l2):
        for p in l.params():
            p.data -= 0.2 * p.grad.data
    if i % 1000 == 0:
        losses.append(float(loss.data))
out["sin_layers"] = losses

# Step 46: MLP((10, 1)) with SGD(0.2).
x, y = sin_data()
model = MLP((10, 1))
optimizer = optimizers.SGD(0.2).setup(model)
losses = []
for i in range(10000):
    loss = F.mean_squared_error(y, model(x))
    model.cleargrads()
    loss.backward()
    optimizer.update()
    if i % 1000 == 0:
        losses.append(float(loss.data))
out["sin_optimizer"] = losses

# Step 48: spiral classification, 300 epochs of hand-drawn mini-batches.
x, t = dezero.datasets.get_spiral(train=True)
model = MLP((10, 3))
optimizer = optimizers.SGD(1.0).setup(model)
data_size, batch_size = len(x), 30
max_iter = math.ceil(data_size / batch_size)
losses = []
for epoch in range(300):
    index = np.random.permutation(data_size)
    sum_loss = 0
    for i in range(max_iter):
        batch_index = index[i * batch_size:(i + 1) * batch_size]
        loss = F.softmax_cross_entropy(model(x[batch_index]), t[batch_index])
        model.cleargrads()
        loss.backward()
        optimizer.update()
        sum_loss += float(loss.data) * len(batch_index)
    losses.append(sum_loss / data_size)
out["spiral"] = losses

# Step 60: LSTM(100) + Linear(1) on the sine curve, truncated backprop every 30 steps, Adam; 3 epochs.
from dezero import Model, SeqDataLoader


class BetterRNN(Model):
    def __init__(self, hidden_size, out_size):
        super().__init__()
        self.rnn = L.LSTM(hidden_size)
        self.fc = L.Linear(out_size)

    def reset_state(self):
        self.rnn.reset_state()

    def forward(self, x):
        return self.fc(self.rnn(x))


np.random.seed(0)  # the book's step 60 does not seed; the C# example seeds 0 so runs are reproducible
train_set = dezero.datasets.SinCurve(train=True)
dataloader = SeqDataLoader(train_set, batch_size=30)
seqlen = len(train_set)
model = BetterRNN(100, 1)
optimizer = optimizers.Adam().setup(model)
losses = []
for epoch in range(3):
    model.reset_state()
    loss, count = 0, 0
    for x, t in dataloader:
        loss += F.mean_squared_error(model(x), t)
        count += 1
        if count % 30 == 0 or count == seqlen:
            model.cleargrads()
            loss.backward()
            loss.unchain_backward()
            optimizer.update()
    losses.append(float(loss.data) / count)
out["lstm"] = losses

write("examples", out)
