"""Reference values of the book's stage 1-3 programs, computed by the Python DeZero on NumPy.

Usage: PYTHONPATH=<checkout of oreilly-japan/deep-learning-from-scratch-3> /usr/bin/python3 tools/gen_autograd_ref.py
Writes tests/data/autograd.json.
"""
import numpy as np
from dezero import Variable
import dezero.functions as F

from refdata import arr, write

out = {}

# Step 43: linear -> sigmoid -> linear on sin(2*pi*x) + noise, plain gradient descent.
np.random.seed(0)
x = np.random.rand(100, 1)
y = np.sin(2 * np.pi * x) + np.random.rand(100, 1)
I, H, O = 1, 10, 1
W1 = Variable(0.01 * np.random.randn(I, H))
b1 = Variable(np.zeros(H))
W2 = Variable(0.01 * np.random.randn(H, O))
b2 = Variable(np.zeros(O))


def predict(x):
    y = F.linear(x, W1, b1)
    y = F.sigmoid(y)
    return F.linear(y, W2, b2)


losses = []
for i in range(10000):
    loss = F.mean_squared_error(y, predict(x))
    for p in (W1, b1, W2, b2):
        p.cleargrad()
    loss.backward()
    for p in (W1, b1, W2, b2):
        p.data -= 0.2 * p.grad.data
    if i % 1000 == 0:
        losses.append(float(loss.data))
out["step43_losses"] = losses
out["step43_first_print"] = str(Variable(np.array(losses[0])))

# Derivatives of tanh at 1.0 up to the 6th order (step 35).
x = Variable(np.array(1.0))
y = F.tanh(x)
x.cleargrad()
y.backward(create_graph=True)
derivs = []
for i in range(6):
    gx = x.grad
    derivs.append(float(gx.data))
    x.cleargrad()
    gx.backward(create_graph=True)
out["tanh_derivatives"] = derivs

# Newton's method on x^4 - 2x^2 with second derivatives by double backprop (step 33).
x = Variable(np.array(2.0))
newton = []
for i in range(10):
    newton.append(float(x.data))
    y = x ** 4 - 2 * x ** 2
    x.cleargrad()
    y.backward(create_graph=True)
    gx = x.grad
    x.cleargrad()
    gx.backward()
    gx2 = x.grad
    x.data -= gx.data / gx2.data
out["newton"] = newton

# Double backprop: z = (dy/dx)^3 + y with y = x^2 at x = 2 (step 36).
x = Variable(np.array(2.0))
y = x ** 2
y.backward(create_graph=True)
gx = x.grad
x.cleargrad()
z = gx ** 3 + y
z.backward()
out["double_backprop"] = float(x.grad.data)


# Sphere, Matyas and Goldstein-Price gradients at (1, 1) (step 24).
def sphere(x, y):
    return x ** 2 + y ** 2


def matyas(x, y):
    return 0.26 * (x ** 2 + y ** 2) - 0.48 * x * y


def goldstein(x, y):
    return (1 + (x + y + 1) ** 2 * (19 - 14 * x + 3 * x ** 2 - 14 * y + 6 * x * y + 3 * y ** 2)) * \
        (30 + (2 * x - 3 * y) ** 2 * (18 - 32 * x + 12 * x ** 2 + 48 * y - 36 * x * y + 27 * y ** 2))


for name, f in [("sphere", sphere), ("matyas", matyas), ("goldstein", goldstein)]:
    a, b = Variable(np.array(1.0)), Variable(np.array(1.0))
    z = f(a, b)
    z.backward()
    out[name] = [float(z.data), float(a.grad.data), float(b.grad.data)]

# Rosenbrock by gradient descent, lr 0.001, 1000 iterations from (0, 2) (step 28).
x0, x1 = Variable(np.array(0.0)), Variable(np.array(2.0))
for i in range(1000):
    y = 100 * (x1 - x0 ** 2) ** 2 + (x0 - 1) ** 2
    x0.cleargrad()
    x1.cleargrad()
    y.backward()
    x0.data -= 0.001 * x0.grad.data
    x1.data -= 0.001 * x1.grad.data
out["rosenbrock"] = [float(x0.data), float(x1.data)]

# Linear regression (step 42): 100 points, lr 0.1, 100 iterations.
np.random.seed(0)
x = np.random.rand(100, 1)
y = 5 + 2 * x + np.random.rand(100, 1)
W = Variable(np.zeros((1, 1)))
b = Variable(np.zeros(1))
for i in range(100):
    loss = F.mean_squared_error(y, F.matmul(x, W) + b)
    W.cleargrad()
    b.cleargrad()
    loss.backward()
    W.data -= 0.1 * W.grad.data
    b.data -= 0.1 * b.grad.data
out["linear_regression"] = {"W": arr(W.data), "b": arr(b.data), "loss": float(loss.data)}

write("autograd", out)
