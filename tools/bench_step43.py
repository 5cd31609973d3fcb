"""Times the book's step-43 training loop (10 000 iterations) in the Python DeZero, for comparison with
`dotnet run -c Release --project bench/DeZero.Bench -- seed`.

Usage: PYTHONPATH=<checkout of oreilly-japan/deep-learning-from-scratch-3> /usr/bin/python3 tools/bench_step43.py
"""
import time
import numpy as np
from dezero import Variable
import dezero.functions as F
np.random.seed(0)
x = np.random.rand(100, 1)
y = np.sin(2 * np.pi * x) + np.random.rand(100, 1)
W1 = Variable(0.01 * np.random.randn(1, 10)); b1 = Variable(np.zeros(10))
W2 = Variable(0.01 * np.random.randn(10, 1)); b2 = Variable(np.zeros(1))
def step():
    loss = F.mean_squared_error(y, F.linear(F.sigmoid(F.linear(x, W1, b1)), W2, b2))
    for p in (W1, b1, W2, b2): p.cleargrad()
    loss.backward()
    for p in (W1, b1, W2, b2): p.data -= 0.2 * p.grad.data
step()
t = time.perf_counter()
for i in range(10000): step()
dt = time.perf_counter() - t
print(f"python dezero step43: {10000/dt:.0f} it/s")
