"""Reference data for NDArray.ToString and Repr: NumPy 1.24's str(a) and repr(a) with default print options.

Writes tests/data/format.json: a list of {"name", "array", "str", "repr"}.
"""
import numpy as np

from refdata import arr, write

assert np.__version__.startswith("1.24"), np.__version__
rs = np.random.RandomState(1)
cases = []


def add(name, a):
    a = np.asarray(a)
    cases.append({"name": f"{len(cases)}: {name} {a.dtype} {a.shape}", "array": arr(a), "str": str(a), "repr": repr(a)})


def both(name, a):
    add(name, np.asarray(a, dtype=np.float64))
    with np.errstate(over="ignore"):  # values beyond float32's range become inf, as NumPy prints them
        add(name, np.asarray(a, dtype=np.float32))


# 0-d arrays: str is the scalar's str, repr goes through the array formatter.
for v in [0.8473695850105871, 1.0, 1e-05, 1e-4, 9.99e-5, 1e16, 9999999999999998.0, 1e15, -0.0, 0.0, 0.1, -2.5,
          123456789.0, 1.5e-7, 5e-324, 1.7976931348623157e308, 3.4e38, 1 / 3, -1e-300, float("nan"), float("inf"),
          float("-inf"), 100.0, 12345.678]:
    both("scalar", np.array(v))
for v in [0, 7, -12, 2 ** 40]:
    add("scalar", np.array(v, dtype=np.int64))
    add("scalar", np.array(v if abs(v) < 2 ** 31 else -5, dtype=np.int32))
add("scalar", np.array(True))
add("scalar", np.array(False))

# 1-d floats across the positional/scientific switch, widths and signs.
for scale in [1e-9, 1e-5, 1e-3, 0.1, 1.0, 10.0, 1e3, 1e5, 1e7, 1e9, 1e20]:
    both(f"randn*{scale:g}", rs.randn(6) * scale)
    both(f"rand*{scale:g}", rs.rand(4) * scale)
both("ratio 999", [1.0, 999.0])
both("ratio 1001", [1.0, 1001.0])
both("just below 1e8", [99999999.0, 1.0])
both("1e8", [1e8, 1.0])
both("min 1e-4", [1e-4, 0.01])
both("below 1e-4", [9.9e-5, 0.01])
both("integers as floats", [1.0, 2.0, 3.0, -10.0])
both("zeros", np.zeros(5))
both("negative zero", [-0.0, 0.0, 1.0])
both("all negative zero", [-0.0, -0.0])
both("thirds", [1 / 3, 2 / 3, 1.0])
both("tenths", [0.1, 0.2, 0.3, 0.1 + 0.2])
both("nan inf", [np.nan, np.inf, -np.inf, 1.5])
both("nan only", [np.nan, np.nan])
both("inf only", [np.inf])
both("neg inf only", [-np.inf, np.inf])
both("nan with sci", [np.nan, 1e-10, 1.0])
both("inf with sci", [-np.inf, 1e10, 1.0])
both("zero with sci", [0.0, 1.5e-5, -2e-7])
both("ties", [0.001953125, 1.0])
both("ties 2", [0.005859375, 0.125, 0.375])
both("carry", [0.999999999, 0.5])
both("carry sci", [9.9999999999e-5, 1.0])
both("big exponents", [1e100, 1e-100])
both("huge tiny", [1e-300, 1.0, 5e-324])
both("max", [1.7976931348623157e308, -1.0])
add("float32 min digits", np.array([0.1, 1.2345678e-5], dtype=np.float32))
add("float32 min digits 2", np.array([16777217.0, 0.5], dtype=np.float32))
add("float32 integer digits exact", np.array([79646952.0, 33554436.0, -100000.5], dtype=np.float32))
add("float32 integer digits exact", np.array(79646952.0, dtype=np.float32))
add("float32 sevenths", np.arange(1, 8, dtype=np.float32) / np.float32(7))
add("float64 sevenths", np.arange(1, 8) / 7)
both("long mixed", rs.randn(30) * 10)
both("long sci", rs.randn(25) * 1e-6)
both("long wrap", np.linspace(-1, 1, 23))
both("wide", rs.randn(12) * 1e4)
both("neg and pos", [-1.5, 2.25, -3.0])
both("single", [3.14159])

# integers and bools
for dt in [np.int64, np.int32]:
    add("ints", np.arange(10, dtype=dt))
    add("negative ints", np.array([-5, 10, -100, 3], dtype=dt))
    add("random ints", rs.randint(-1000, 1000, size=(4, 5)).astype(dt))
    add("long ints", rs.randint(-10 ** 6, 10 ** 6, size=40).astype(dt))
    add("int 3-d", rs.randint(0, 20, size=(2, 3, 4)).astype(dt))
add("int64 extremes", np.array([2 ** 62, -2 ** 62, 0], dtype=np.int64))
add("int32 extremes", np.array([2 ** 31 - 1, -2 ** 31], dtype=np.int32))
add("bools", np.array([True, False, True]))
add("bools 2-d", rs.rand(3, 4) > 0.5)
add("all false", np.zeros(3, dtype=bool))
add("long bools", rs.rand(40) > 0.5)

# 2-d, 3-d, 4-d
for shape in [(1, 1), (2, 1), (1, 5), (3, 4), (4, 3), (10, 10), (2, 3, 4), (3, 2, 2), (2, 2, 2, 2), (2, 1, 3), (5, 12)]:
    both(f"randn", rs.randn(*shape))
    both(f"randn sci", rs.randn(*shape) * 1e-5)
both("2-d with nan", [[1.0, np.nan], [-np.inf, 2.5]])
both("2-d wide rows", rs.randn(3, 15) * 100)
both("3-d wrap", rs.randn(2, 2, 13))

# empty
for dt in [np.float64, np.float32, np.int64, np.int32, np.bool_]:
    for shape in [(0,), (2, 0), (0, 3), (1, 0, 2)]:
        add("empty", np.zeros(shape, dtype=dt))

# summarization (size > 1000)
both("1001", np.arange(1001) * 0.5)
both("2000 randn", rs.randn(2000))
add("2000 ints", np.arange(2000, dtype=np.int64))
add("2000 int32", np.arange(2000, dtype=np.int32) - 1000)
add("2000 bools", rs.rand(2000) > 0.5)
both("50x50", rs.randn(50, 50))
both("3x400", rs.rand(3, 400))
both("400x3", rs.rand(400, 3))
both("10x11x12", rs.randn(10, 11, 12))
both("1001x1", rs.randn(1001, 1))
both("summary sci", np.logspace(-10, 10, 1500))
both("summary hides extremes", np.concatenate([[1.0, 2.0, 3.0], np.full(1000, 1e-9), [4.0, 5.0, 6.0]]))
add("1000 exactly", np.arange(1000.0))

# repr puts dtype on its own line when the last line is full
for n in range(5, 12):
    add("dtype wrap", np.arange(n, dtype=np.float32) * np.float32(1.1))
    add("dtype wrap", (np.arange(n) * 1234567).astype(np.int32))

# random mixes: magnitudes, short decimals, signs, special values and shapes drawn at random
for k in range(120):
    shape = tuple(rs.randint(1, 6, size=rs.randint(1, 4)))
    n = int(np.prod(shape))
    kind = k % 4
    if kind == 0:
        v = rs.randn(n) * 10.0 ** rs.randint(-6, 9, size=n)
    elif kind == 1:
        v = rs.randint(-999, 999, size=n) * 10.0 ** rs.randint(-4, 4)
    elif kind == 2:
        v = rs.randn(n) * 10.0 ** rs.randint(-3, 4)
    else:
        v = rs.rand(n) * 10.0 ** rs.randint(-2, 3)
        v[rs.rand(n) < 0.3] = rs.choice([np.nan, np.inf, -np.inf, 0.0, -0.0])
    both("random", v.reshape(shape))
for k in range(20):
    add("random ints", rs.randint(-10 ** rs.randint(1, 12), 10 ** rs.randint(1, 12), size=rs.randint(1, 30)))

write("format", cases)
print(len(cases), "cases")
