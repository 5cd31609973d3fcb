"""Generates the NumPy 1.24 reference data for the NDArray tests (tests/DeZero.Tests/Numerics).

Run: /usr/bin/python3 tools/gen_ndarray_ref.py   (writes tests/data/ndarray_*.json)

Every file is {"cases": [...]}; each case has a unique "name", its inputs, and either "out" (the array
NumPy returns, with its dtype) or "error" (NumPy raised; the C# side must throw ArgumentException).
A scalar operand {"scalar": "float"|"int", "value": v} is a Python float or int, which the C# side
passes as a C# double or long. "tol" says how results compare: "exact" (bit for bit, sign of zero
included), "exact_nosign" (exact, but -0.0 == 0.0) or "math" (float64 to 1e-12 relative, float32 to 1e-6).
"""
import itertools
import os
import sys
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, "/work/ref/dezero")
from refdata import arr, write, _num  # noqa: E402

warnings.simplefilter("ignore")  # NumPy's RuntimeWarnings (empty means) and the book code's SyntaxWarning

DTYPES = ["bool", "int32", "int64", "float32", "float64"]
SUPPORTED = set(DTYPES)


class Cases:
    def __init__(self):
        self.cases = []
        self.names = set()

    def add(self, name, fn, tol="exact", **inputs):
        """Runs fn(); records its result (or that it raised) with the inputs under a unique name."""
        assert name not in self.names, name
        self.names.add(name)
        case = {"name": name, "tol": tol}
        case.update(inputs)
        try:
            with np.errstate(all="ignore"):
                out = fn()
        except (ValueError, TypeError, IndexError) as e:
            case["error"] = str(e)
        else:
            out = np.asarray(out)
            if str(out.dtype) not in SUPPORTED:
                return False  # NumPy picked a dtype we do not have (int8, float16): tested by hand instead
            case["out"] = arr(out)
        self.cases.append(case)
        return True

    def write(self, name):
        write(name, {"cases": self.cases})
        print(f"{name}: {len(self.cases)} cases")


def operand(x):
    if isinstance(x, np.ndarray):
        return arr(x)
    return {"scalar": "float" if isinstance(x, float) else "int", "value": _num(x)}


def tag(x):
    if isinstance(x, np.ndarray):
        return ("0d:" if x.ndim == 0 else "") + str(x.dtype)
    return ("float:" if isinstance(x, float) else "int:") + str(_num(x))


# ---------------------------------------------------------------- factories and astype

def gen_create():
    c = Cases()
    for shape in [(), (3,), (2, 3), (0, 4)]:
        for dt in DTYPES:
            s = "x".join(map(str, shape))
            c.add(f"zeros/{s}/{dt}", lambda: np.zeros(shape, dt), op="zeros", shape=list(shape), dtype=dt)
            c.add(f"ones/{s}/{dt}", lambda: np.ones(shape, dt), op="ones", shape=list(shape), dtype=dt)
            c.add(f"full/{s}/{dt}", lambda: np.full(shape, -2.75, dt), op="full", shape=list(shape), value=-2.75, dtype=dt)
    for args in [(5,), (0,), (-3,), (2, 9), (2, 9, 3), (9, 2, -2), (-5, 5, 4), (3, 3), (5, 2), (-7, 8, 5)]:
        c.add("arange_int/" + ",".join(map(str, args)), lambda: np.arange(*args), op="arange_int", args=list(args))
    for args in [(0.0, 1.0, 0.1), (0.1, 0.5, 0.1), (1.0, 2.0, 0.3), (0.001, 1.0, 0.1), (-1.0, 1.0, 0.25),
                 (5.0, 0.0, -0.7), (0.0, 1.0, 1.0 / 3.0), (2.5, 2.5, 0.5), (0.5, 4.0, 1.0), (1e-3, 1e-2, 1e-3),
                 (3.0, 1.0, 0.5), (-2.5, 7.0, 1.5), (0.1, 2.0, 0.2), (1e16, 1e16 + 10, 3.0)]:
        c.add("arange_float/" + ",".join(map(repr, args)), lambda: np.arange(*args), op="arange_float", args=list(args))
    c.add("arange_float/stop_only", lambda: np.arange(4.5), op="arange_float", args=[0.0, 4.5, 1.0])
    for start, stop, num, endpoint in [(0, 1, 5, True), (0, 1, 5, False), (-1, 1, 50, True), (2, -3, 7, True),
                                       (1, 10, 1, True), (1, 10, 1, False), (0, 1, 0, True), (0, 1, 2, True),
                                       (0.1, 0.7, 13, False), (3, 3, 4, True), (-2.5, 1e5, 33, True), (0, 1, 10, False)]:
        c.add(f"linspace/{start},{stop},{num},{endpoint}", lambda: np.linspace(start, stop, num, endpoint=endpoint),
              op="linspace", start=float(start), stop=float(stop), num=num, endpoint=endpoint)
    for n, m, dt in [(3, None, "float64"), (3, 5, "float64"), (5, 3, "int32"), (4, 4, "bool"), (0, 2, "float32"),
                     (1, None, "int64"), (2, 0, "float64")]:
        c.add(f"eye/{n},{m},{dt}", lambda: np.eye(n, m, dtype=dt), op="eye", n=n, m=m, dtype=dt)
    for da, db in itertools.product(DTYPES, DTYPES):
        # The result is a 0-d array of the promoted dtype.
        c.add(f"promote_types/{da},{db}", lambda: np.zeros((), np.promote_types(da, db)), op="promote_types", a=da, b=db)
    c.write("ndarray_create")


def gen_astype():
    c = Cases()
    sources = {
        "float64": [[-2.7, -1.5, -0.5, -0.0, 0.0, 0.4, 1.5, 2.9, 123456.75, -2147483648.0, 2147483647.9],
                    [np.nan, np.inf, -np.inf, 0.1, 1e39, -1e39, 1e-46, 3.4028235677973366e38, 1e-320, 2.0 ** 53 + 2]],
        "float32": [[-2.7, -1.5, -0.5, -0.0, 0.0, 0.4, 1.5, 2.9, 123456.75, -2147483648.0, 16777217.0],
                    [np.nan, np.inf, -np.inf, 0.1, 1e-45, 3e38]],
        "int64": [[-2 ** 63, -2 ** 31 - 1, -5, -1, 0, 7, 2 ** 31, 2 ** 33 + 5, 2 ** 53 + 1, 2 ** 24 + 1, 2 ** 63 - 1]],
        "int32": [[-2 ** 31, -1, 0, 1, 16777217, 2 ** 31 - 1]],
        "bool": [[True, False, True]],
    }
    for src, sets in sources.items():
        for k, values in enumerate(sets):
            x = np.array(values, dtype=src)
            for dst in DTYPES:
                # Float to integer of NaN, infinities and out-of-range values is undefined in C (NumPy warns).
                if k == 1 and dst in ("int32", "int64"):
                    continue
                if src.startswith("float") and dst == "int32" and k == 0:
                    x0 = x[np.abs(x) < 2 ** 31]
                else:
                    x0 = x
                c.add(f"{src}[{k}]->{dst}", lambda: x0.astype(dst), x=arr(x0), dtype=dst)
    c.write("ndarray_astype")


# ---------------------------------------------------------------- elementwise

ARITH = ["add", "subtract", "multiply", "divide", "remainder", "floor_divide", "power", "maximum", "minimum"]
COMPARE = ["greater", "greater_equal", "less", "less_equal", "equal", "not_equal"]
BINARY = ARITH + COMPARE


def tol_of(op):
    if op == "power":
        return "math"
    return "exact_nosign" if op in ("maximum", "minimum") else "exact"


def grid_values(dt, op, role):
    """Small (2, 3) left operands and (3,) right operands per dtype."""
    if dt == "bool":
        v = [[True, False, True], [False, True, False]] if role == "a" else [True, False, False]
    elif dt.startswith("int"):
        if op == "power" and role == "b":
            v = [0, 1, 3]
        else:
            v = [[-7, -1, 0], [3, 5, 9]] if role == "a" else [-2, 3, 0]
    else:
        v = [[-2.5, -1.0, -0.0], [0.5, 3.0, 7.25]] if role == "a" else [-1.5, 2.0, 0.0]
    return np.array(v, dtype=dt)


def zero_d(dt, op):
    v = {"bool": True, "int32": 3, "int64": -2, "float32": 2.5, "float64": -1.25}[dt]
    if op == "power" and dt == "int64":
        v = 2
    return np.array(v, dtype=dt)


PY_SCALARS = [2.5, -0.5, 1e39, float("nan"), float("inf"), 3, -2, 0, 70000, -40000, 2 ** 31, 2 ** 31 - 1]


def gen_binary():
    c = Cases()
    ufunc = {op: getattr(np, op) for op in BINARY}
    for op in BINARY:
        f = ufunc[op]
        for da, db in itertools.product(DTYPES, DTYPES):
            a, b = grid_values(da, op, "a"), grid_values(db, op, "b")
            c.add(f"{op}/aa/{da},{db}", lambda: f(a, b), tol_of(op), op=op, a=operand(a), b=operand(b))
            z = zero_d(db, op)
            c.add(f"{op}/a0/{da},{db}", lambda: f(a, z), tol_of(op), op=op, a=operand(a), b=operand(z))
            z = zero_d(da, op)
            c.add(f"{op}/0a/{da},{db}", lambda: f(z, b), tol_of(op), op=op, a=operand(z), b=operand(b))
        for da in DTYPES:
            a = grid_values(da, op, "a")
            for s in PY_SCALARS:
                c.add(f"{op}/as/{da},{tag(s)}", lambda: f(a, s), tol_of(op), op=op, a=operand(a), b=operand(s))
                c.add(f"{op}/sa/{tag(s)},{da}", lambda: f(s, a), tol_of(op), op=op, a=operand(s), b=operand(a))
    # Broadcasting shapes.
    rng = np.random.RandomState(0)
    shapes = [((3, 1), (1, 4)), ((2, 3, 4), (4,)), ((2, 1, 4), (3, 1)), ((), (2, 3)), ((2, 3), ()), ((2, 0), (1,)),
              ((0, 3), (3,)), ((1, 0), (3, 1)), ((4, 1, 3), (1, 5, 1)), ((2, 3), (2, 1)), ((1,), (5,)),
              ((3, 1, 17), (1, 6, 17)), ((5, 1, 1), (1, 1, 6)), ((2, 1, 3, 1), (4, 1, 5))]
    for sa, sb in shapes:
        for op in ["add", "subtract", "multiply", "maximum", "greater", "remainder"]:
            for da, db in [("float64", "float64"), ("int32", "float32"), ("int64", "int32")]:
                a = np.asarray(rng.randint(-9, 10, size=sa)).astype(da)
                b = np.asarray(rng.randint(1, 10, size=sb) * rng.choice([-1, 1], size=sb)).astype(db)
                c.add(f"bcast/{op}/{sa}+{sb}/{da},{db}", lambda: ufunc[op](a, b), tol_of(op), op=op, a=operand(a), b=operand(b))
    for sa, sb in [((2, 3), (4,)), ((3, 1, 2), (4, 3)), ((0,), (2,)), ((2, 0), (2, 3))]:
        a, b = np.ones(sa), np.ones(sb)
        c.add(f"bcast/add/{sa}+{sb}/mismatch", lambda: a + b, op="add", a=operand(a), b=operand(b))
    # NaN, ±inf and ±0 against each other.
    special = [np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, 2.5, -3.0]
    for dt in ["float64", "float32"]:
        a = np.array(special, dtype=dt).reshape(-1, 1)
        b = np.array(special, dtype=dt).reshape(1, -1)
        for op in BINARY:
            c.add(f"special/{op}/{dt}", lambda: ufunc[op](a, b), tol_of(op), op=op, a=operand(a), b=operand(b))
    # Integer edge cases: overflow wraps, MinValue // -1, x % 0, x // 0.
    for dt in ["int32", "int64"]:
        info = np.iinfo(dt)
        a = np.array([info.min, info.max, info.min, -7, 7, 0, info.max, -1], dtype=dt).reshape(-1, 1)
        b = np.array([-1, 1, 0, 2, -3, info.min], dtype=dt).reshape(1, -1)
        for op in ["add", "subtract", "multiply", "remainder", "floor_divide", "maximum", "minimum", "less", "equal"]:
            c.add(f"intedge/{op}/{dt}", lambda: ufunc[op](a, b), op=op, a=operand(a), b=operand(b))
        e = np.array([0, 1, 2, 31, 62, 63], dtype=dt)
        base = np.array([-3, -1, 0, 1, 2, 7], dtype=dt).reshape(-1, 1)
        c.add(f"intedge/power/{dt}", lambda: np.power(base, e), op="power", a=operand(base), b=operand(e))
    # Float floor_divide and remainder are NumPy's divmod (1 // 0.1 is 9, not floor(1 / 0.1) = 10).
    for dt in ["float64", "float32"]:
        a = np.array([1.0, 0.3, 5.0, -1.0, 1e300, 7.0, -7.5, 0.7], dtype=dt).reshape(-1, 1)
        b = np.array([0.1, -0.1, 0.5, 1e-300, 3.0], dtype=dt)
        for op in ["floor_divide", "remainder"]:
            c.add(f"divmod/{op}/{dt}", lambda: ufunc[op](a, b), op=op, a=operand(a), b=operand(b))
    # A length that exercises the SIMD loops with a remainder, and float32 arithmetic.
    for dt in ["float32", "float64"]:
        a = rng.standard_normal(131).astype(dt)
        b = rng.standard_normal(131).astype(dt)
        for op in ["add", "subtract", "multiply", "divide", "remainder", "floor_divide", "maximum", "minimum", "less"]:
            c.add(f"long/{op}/{dt}", lambda: ufunc[op](a, b), tol_of(op), op=op, a=operand(a), b=operand(b))
        c.add(f"long/power/{dt}", lambda: np.power(np.abs(a), b), "math", op="power", a=operand(np.abs(a)), b=operand(b))
        for s in [0.3, 2.0, 3]:
            c.add(f"long/power/{dt},{tag(s)}", lambda: np.power(a, s), "math", op="power", a=operand(a), b=operand(s))
    c.write("ndarray_binary")


UNARY = ["negative", "abs", "sign", "sin", "cos", "tan", "tanh", "exp", "log", "sqrt"]


def gen_unary():
    c = Cases()
    rng = np.random.RandomState(1)
    specials = [-3.5, -1.0, -0.0, 0.0, 0.5, 1.0, 2.0, 10.0, 100.0, 710.0, np.nan, np.inf, -np.inf, 1e-300, -1e-310, 3.0e38]
    inputs = {
        "float64": [np.array(specials), np.linspace(-10, 10, 67), rng.uniform(0.01, 30, size=(3, 11))],
        "float32": [np.array(specials, np.float32), np.linspace(-10, 10, 67).astype(np.float32),
                    rng.uniform(0.01, 30, size=(3, 11)).astype(np.float32)],
        "int32": [np.array([[-2 ** 31, -5, 0], [3, 100, 2 ** 31 - 1]], np.int32)],
        "int64": [np.array([-2 ** 63, -5, 0, 7, 2 ** 40, 2 ** 63 - 1], np.int64)],
        "bool": [np.array([True, False, True])],
    }
    for dt, xs in inputs.items():
        for k, x in enumerate(xs):
            for op in UNARY:
                if op == "sign" and dt == "bool":
                    c.add(f"{op}/{dt}[{k}]", lambda: np.sign(x), op=op, x=arr(x))
                    continue
                tol = "exact" if op in ("negative", "abs", "sign") else "math"
                c.add(f"{op}/{dt}[{k}]", lambda: getattr(np, op)(x), tol, op=op, x=arr(x))
    x = np.array(3.0)
    for op in UNARY:
        c.add(f"{op}/0d", lambda: getattr(np, op)(x), "exact" if op in ("negative", "abs", "sign") else "math", op=op, x=arr(x))
    c.write("ndarray_unary")


def gen_elementwise():
    """where, clip, logical ops, allclose."""
    c = Cases()
    rng = np.random.RandomState(2)
    cond = np.array([[True, False, True], [False, False, True]])
    for dx, dy in itertools.product(DTYPES, DTYPES):
        x, y = grid_values(dx, "add", "a"), grid_values(dy, "add", "b")
        c.add(f"where/{dx},{dy}", lambda: np.where(cond, x, y), op="where", cond=arr(cond), x=operand(x), y=operand(y))
        zy = zero_d(dy, "add")
        c.add(f"where/{dx},0d:{dy}", lambda: np.where(cond, x, zy), op="where", cond=arr(cond), x=operand(x), y=operand(zy))
    for dc in ["int32", "float64"]:
        cc = np.array([0, 2, -1]).astype(dc) if dc == "int32" else np.array([0.0, np.nan, -0.0])
        c.add(f"where/cond_{dc}", lambda: np.where(cc, 1.0, -1.0), op="where", cond=arr(cc), x=operand(np.array(1.0)), y=operand(np.array(-1.0)))
    c.add("where/bcast", lambda: np.where(cond[:, :1], np.arange(3.0), np.array([[10.0], [20.0]])), op="where",
          cond=arr(cond[:, :1]), x=operand(np.arange(3.0)), y=operand(np.array([[10.0], [20.0]])))
    c.add("where/scalars", lambda: np.where(cond, 1.5, -2.0), op="where", cond=arr(cond), x=operand(1.5), y=operand(-2.0))
    c.add("where/mismatch", lambda: np.where(np.ones((2, 3), bool), np.ones(4), 0.0), op="where",
          cond=arr(np.ones((2, 3), bool)), x=operand(np.ones(4)), y=operand(0.0))

    clip_inputs = {"float64": np.array([-3.0, -0.5, 0.0, 0.25, 1.0, 2.5, np.nan]),
                   "float32": np.array([-3.0, -0.5, 0.0, 0.25, 1.0, 2.5, np.nan], np.float32),
                   "int32": np.array([-3, -1, 0, 1, 2, 5], np.int32),
                   "int64": np.array([-3, -1, 0, 1, 2, 5], np.int64),
                   "bool": np.array([True, False])}
    for dt, x in clip_inputs.items():
        for lo, hi in [(0.0, 1.0), (-1, 2), (0.5, 0.25), (-0.5, 70000.0)]:
            c.add(f"clip/{dt}/{lo},{hi}", lambda: np.clip(x, lo, hi), op="clip", x=arr(x), min=operand(lo), max=operand(hi))

    for op in ["logical_and", "logical_or", "logical_xor"]:
        for da, db in itertools.product(DTYPES, DTYPES):
            a, b = grid_values(da, "add", "a"), grid_values(db, "add", "b")
            c.add(f"{op}/{da},{db}", lambda: getattr(np, op)(a, b), op=op, a=operand(a), b=operand(b))
        a = np.array([[np.nan, 0.0, -0.0, 1.0]]).T
        b = np.array([np.nan, 0.0, 2.0])
        c.add(f"{op}/nan", lambda: getattr(np, op)(a, b), op=op, a=operand(a), b=operand(b))
    for dt in DTYPES:
        x = grid_values(dt, "add", "a")
        c.add(f"logical_not/{dt}", lambda: np.logical_not(x), op="logical_not", a=operand(x))
    x = np.array([np.nan, 0.0, -0.0, np.inf])
    c.add("logical_not/special", lambda: np.logical_not(x), op="logical_not", a=operand(x))

    base = rng.standard_normal((3, 4))
    pairs = [
        (base, base + 1e-9, {}), (base, base + 1e-4, {}), (base, base * (1 + 2e-5), {}), (base, base * (1 + 2e-5), {"rtol": 1e-4}),
        (np.array([1.0, np.nan]), np.array([1.0, np.nan]), {}), (np.array([1.0, np.nan]), np.array([1.0, np.nan]), {"equal_nan": True}),
        (np.array([np.inf, -np.inf]), np.array([np.inf, -np.inf]), {}), (np.array([np.inf]), np.array([-np.inf]), {}),
        (np.array([np.inf]), np.array([1e308]), {}), (np.array([0.0]), np.array([1e-9]), {}), (np.array([0.0]), np.array([1e-7]), {}),
        (np.array([0.0]), np.array([1e-7]), {"atol": 1e-6}), (base, base[0], {}), (np.arange(3), np.array([0.0, 1.0, 2.0]), {}),
        (np.array([1e10]), np.array([1.00001e10]), {}), (np.array([100.0]), np.array([101.0]), {"rtol": 0.0, "atol": 1.0}),
        (np.array([True, False]), np.array([1, 0]), {}), (np.array([2.0], np.float32), np.array(2.0000001), {}),
    ]
    for k, (a, b, kw) in enumerate(pairs):
        kw2 = {"rtol": 1e-5, "atol": 1e-8, "equal_nan": False}
        kw2.update(kw)
        c.add(f"allclose/{k}", lambda: np.allclose(a, b, **kw2), op="allclose", a=arr(a), b=arr(b), **kw2)
    a, b = np.ones((2, 3)), np.ones(4)
    c.add("allclose/mismatch", lambda: np.allclose(a, b), op="allclose", a=arr(a), b=arr(b), rtol=1e-5, atol=1e-8, equal_nan=False)
    c.write("ndarray_elementwise")


def gen_inplace():
    c = Cases()
    ops = {"add": np.add, "subtract": np.subtract, "multiply": np.multiply, "divide": np.true_divide}
    for op, f in ops.items():
        for da in DTYPES:
            for other in [*(grid_values(db, "add", "b") for db in DTYPES), 2.5, 3, 2 ** 31, 1e39]:
                a = grid_values(da, "add", "a")
                before = a.copy()

                def run():
                    f(a, other, out=a, casting="same_kind")
                    return a
                c.add(f"{op}/{da},{tag(other)}", run, "exact", op=op, a=arr(before), b=operand(other))
        a = np.ones(3)
        c.add(f"{op}/grow", lambda: f(a, np.ones((2, 3)), out=a), op=op, a=arr(a), b=operand(np.ones((2, 3))))
        a = np.ones((2, 3), np.float32)
        c.add(f"{op}/bcast_col", lambda: f(a, np.array([[2.0], [4.0]]), out=a), op=op, a=arr(a), b=operand(np.array([[2.0], [4.0]])))
    for da, db in itertools.product(DTYPES, DTYPES):
        dst = np.zeros((2, 3), da)
        src = grid_values(db, "add", "b")

        def run():
            np.copyto(dst, src, casting="same_kind")
            return dst
        c.add(f"copyto/{da},{db}", run, op="copyto", a=arr(np.zeros((2, 3), da)), b=operand(src))
    c.add("copyto/grow", lambda: np.copyto(np.zeros(3), np.ones((2, 3))), op="copyto", a=arr(np.zeros(3)), b=operand(np.ones((2, 3))))
    c.write("ndarray_inplace")


# ---------------------------------------------------------------- reductions

def gen_reduction():
    c = Cases()
    rng = np.random.RandomState(3)
    inputs = {
        "float64": rng.standard_normal((2, 3, 4)),
        "float32": rng.standard_normal((2, 3, 4)).astype(np.float32),
        "int32": rng.randint(-4, 5, size=(2, 3, 4)).astype(np.int32),
        "int64": (rng.randint(-4, 5, size=(2, 3, 4)) * 2 ** 40).astype(np.int64),
        "bool": rng.rand(2, 3, 4) > 0.5,
    }
    nan = rng.standard_normal((2, 3, 4))
    nan[0, 1, 2] = nan[1, 2, 0] = np.nan
    inputs["float64_nan"] = nan
    axes = [None, 0, 1, 2, -1, (0, 2), (1, 2), (0, 1), (), (0, 1, 2), (-1, 0)]
    for key, x in inputs.items():
        for op in ["sum", "mean", "max", "min"]:
            tol = "math" if (op in ("sum", "mean") and x.dtype.kind == "f") or (op == "mean") else "exact_nosign"
            for ax in axes:
                for keep in [False, True]:
                    c.add(f"{op}/{key}/{ax}/{keep}", lambda: getattr(x, op)(axis=ax, keepdims=keep), tol,
                          op=op, x=arr(x), axis=ax if not isinstance(ax, tuple) else list(ax), keepdims=keep)
        for ax in [None, 0, 1, -1, (0, 2), ()]:
            for keep in [False, True]:
                c.add(f"var/{key}/{ax}/{keep}", lambda: x.var(axis=ax, keepdims=keep), "math",
                      op="var", x=arr(x), axis=ax if not isinstance(ax, tuple) else list(ax), keepdims=keep)
        for op in ["argmax", "argmin"]:
            for ax in [None, 0, 1, 2, -1, -3]:
                for keep in [False, True]:
                    c.add(f"{op}/{key}/{ax}/{keep}", lambda: getattr(x, op)(axis=ax, keepdims=keep),
                          op=op, x=arr(x), axis=ax, keepdims=keep)
    # Contiguous runs are summed in NumPy's pairwise order, so these match bit for bit.
    big = {"float64": rng.standard_normal((3, 300)), "float32": rng.standard_normal((3, 300)).astype(np.float32)}
    for key, x in big.items():
        for op in ["sum", "mean"]:
            for ax in [None, 0, 1]:
                c.add(f"{op}/big_{key}/{ax}/False", lambda: getattr(x, op)(axis=ax), "exact_nosign", op=op, x=arr(x), axis=ax, keepdims=False)
        for n in [1, 7, 8, 9, 15, 16, 17, 127, 128, 129, 136, 255, 256, 257, 900]:
            y = x.ravel()[:n]
            c.add(f"sum/pairwise_{key}_{n}/None/False", lambda: y.sum(), "exact_nosign", op="sum", x=arr(y), axis=None, keepdims=False)
        # A column is one contiguous run (pairwise); rows of several elements are added row by row.
        for shape in [(300, 1), (90, 10)]:
            y = x.ravel()[:shape[0] * shape[1]].reshape(shape)
            c.add(f"sum/big_{key}_{shape[0]}x{shape[1]}/0/True", lambda: y.sum(axis=0, keepdims=True), "exact_nosign",
                  op="sum", x=arr(y), axis=0, keepdims=True)
    x = np.array(-2.5)
    for op in ["sum", "mean", "max", "min", "argmax"]:
        c.add(f"{op}/0d", lambda: getattr(x, op)(), "math", op=op, x=arr(x), axis=None, keepdims=False)
    x = np.zeros((0, 3))
    for op in ["sum", "mean", "max", "min", "argmax", "argmin"]:
        for ax in [None, 0, 1]:
            c.add(f"{op}/empty/{ax}/False", lambda: getattr(x, op)(axis=ax), "exact_nosign", op=op, x=arr(x), axis=ax, keepdims=False)
    x = np.zeros((2, 0, 3), np.int32)
    for op in ["sum", "max"]:
        for ax in [0, 1, (0, 2)]:
            c.add(f"{op}/empty_int/{ax}/True", lambda: getattr(x, op)(axis=ax, keepdims=True), "exact_nosign",
                  op=op, x=arr(x), axis=ax if not isinstance(ax, tuple) else list(ax), keepdims=True)
    c.write("ndarray_reduction")


# ---------------------------------------------------------------- shape ops

def gen_shape():
    from dezero.utils import sum_to
    c = Cases()
    x = np.arange(24.0).reshape(2, 3, 4)
    xi = np.arange(24, dtype=np.int32).reshape(2, 3, 4)
    for shape in [(-1,), (4, -1), (2, -1, 3), (24,), (1, 24, 1), (-1, 1), (6, 4)]:
        c.add(f"reshape/{shape}", lambda: x.reshape(shape), op="reshape", x=arr(x), shape=list(shape))
    # NumPy 1.24 also reads other negative sizes as -1, e.g. (2, -2); we refuse them (tested by hand).
    for shape in [(5, -1), (-1, -1), (25,)]:
        c.add(f"reshape/{shape}", lambda: x.reshape(shape), op="reshape", x=arr(x), shape=list(shape))
    c.add("reshape/0d", lambda: np.array(7.0).reshape(-1), op="reshape", x=arr(np.array(7.0)), shape=[-1])
    c.add("reshape/empty", lambda: np.zeros((0, 3)).reshape(3, 0), op="reshape", x=arr(np.zeros((0, 3))), shape=[3, 0])
    c.add("reshape/empty_unknown", lambda: np.zeros((0, 3)).reshape(-1, 0), op="reshape", x=arr(np.zeros((0, 3))), shape=[-1, 0])
    for axes in [None, (1, 0, 2), (2, 0, 1), (-1, 0, 1), (0, 1, 2), (0, 1), (0, 0, 1), (0, 1, 3)]:
        c.add(f"transpose/{axes}", lambda: xi.transpose(axes), op="transpose", x=arr(xi), axes=None if axes is None else list(axes))
    for a1, a2 in [(0, 2), (1, -1), (0, 0), (2, 1), (0, 3)]:
        c.add(f"swapaxes/{a1},{a2}", lambda: xi.swapaxes(a1, a2), op="swapaxes", x=arr(xi), axes=[a1, a2])
    for y in [np.arange(6.0).reshape(2, 3), np.arange(3), np.array(5.0), np.zeros((0, 2))]:
        c.add(f"T/{y.shape}", lambda: y.T, op="T", x=arr(y))
    for ax in [0, 1, 3, -1, -4, 4, -5]:
        c.add(f"expand_dims/{ax}", lambda: np.expand_dims(x, ax), op="expand_dims", x=arr(x), axis=ax)
    s = np.arange(6).reshape(1, 3, 1, 2)
    for ax in [None, 0, 2, -2, 1, 4]:
        c.add(f"squeeze/{ax}", lambda: s.squeeze(ax), op="squeeze", x=arr(s), axis=ax)
    c.add("flatten", lambda: xi.flatten(), op="flatten", x=arr(xi))
    c.add("flatten/0d", lambda: np.array(True).flatten(), op="flatten", x=arr(np.array(True)))

    def cat(name, arrays, axis):
        c.add(f"concatenate/{name}", lambda: np.concatenate(arrays, axis), op="concatenate", arrays=[arr(a) for a in arrays], axis=axis)

    cat("rows", [np.arange(6.0).reshape(2, 3), np.array([[7, 8, 9]], np.int32)], 0)
    cat("cols", [np.array([[True], [False]]), np.arange(4, dtype=np.float32).reshape(2, 2)], 1)
    cat("neg", [np.ones((2, 2, 1), np.int64), np.zeros((2, 2, 3), np.int32), np.full((2, 2, 2), 5, np.int64)], -1)
    cat("mid", [np.arange(8).reshape(2, 2, 2), np.arange(4).reshape(2, 1, 2)], 1)
    cat("empty", [np.zeros((0, 3)), np.ones((2, 3))], 0)
    cat("one", [np.arange(3.0)], 0)
    cat("mismatch", [np.ones((2, 3)), np.ones((2, 4))], 0)
    cat("ndim", [np.ones((2, 3)), np.ones(3)], 0)
    cat("axis", [np.ones((2, 3)), np.ones((2, 3))], 2)
    cat("zero_d", [np.array(1.0), np.array(2.0)], 0)

    def stack(name, arrays, axis):
        c.add(f"stack/{name}", lambda: np.stack(arrays, axis), op="stack", arrays=[arr(a) for a in arrays], axis=axis)

    three = [np.arange(6.0).reshape(2, 3) + 10 * i for i in range(3)]
    for ax in [0, 1, 2, -1, -3, 3]:
        stack(f"axis{ax}", three, ax)
    stack("mixed", [np.arange(3, dtype=np.int32), np.arange(3, dtype=np.int64)], 0)
    stack("0d", [np.array(1.0), np.array(2.0)], 0)
    stack("mismatch", [np.ones((2, 3)), np.ones((3, 2))], 0)
    for src, shape in [((3, 1), (2, 3, 4)), ((), (2, 2)), ((1,), (0,)), ((2, 3), (2, 3)), ((4,), (3, 4)),
                       ((3,), (3, 4)), ((2, 3), (3,)), ((1,), (-1,))]:
        y = np.arange(int(np.prod(src))).reshape(src).astype(np.float32)
        c.add(f"broadcast_to/{src}->{shape}", lambda: np.broadcast_to(y, shape), op="broadcast_to", x=arr(y), shape=list(shape))
    z = np.random.RandomState(4).standard_normal((2, 3, 4))
    for shape in [(3, 4), (1, 4), (3, 1), (1, 1), (4,), (1,), (), (2, 3, 4), (2, 1, 4), (1, 3, 1)]:
        c.add(f"sum_to/{shape}", lambda: sum_to(z, shape), "math", op="sum_to", x=arr(z), shape=list(shape))
    zi = np.arange(6, dtype=np.int32).reshape(2, 3)
    c.add("sum_to/int", lambda: sum_to(zi, (1, 3)), op="sum_to", x=arr(zi), shape=[1, 3])
    c.write("ndarray_shape")


# ---------------------------------------------------------------- dot and matmul

def gen_linalg():
    c = Cases()
    rng = np.random.RandomState(5)

    def ints(shape, dt):
        # Small integers: every product and sum is exact in every dtype, so results compare exactly.
        return rng.randint(-4, 5, size=shape).astype(dt) if dt != "bool" else rng.rand(*shape) > 0.5

    shapes = [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((5, 2, 3), (3, 4)), ((2, 3), (5, 3, 4)),
              ((2, 1, 2, 3), (5, 3, 4)), ((5, 2, 3), (5, 3, 4)), ((3,), (5, 3, 4)), ((5, 2, 3), (3,)), ((2, 0), (0, 3)),
              ((0, 3), (3, 2)), ((0, 2, 3), (3, 4)), ((1, 3), (3, 1)), ((4, 1, 2, 5), (3, 5, 2)), ((2, 1, 3, 4), (1, 2, 4, 2))]
    for sa, sb in shapes:
        a, b = ints(sa, "float64"), ints(sb, "float64")
        c.add(f"matmul/{sa}@{sb}", lambda: np.matmul(a, b), "exact_nosign", op="matmul", a=arr(a), b=arr(b))
    for da, db in [("float32", "float32"), ("int32", "int32"), ("int64", "int64"), ("bool", "bool"), ("float32", "float64"),
                   ("int32", "float32"), ("int32", "int64"), ("bool", "int32"), ("int64", "float32")]:
        for sa, sb in [((2, 3), (3, 4)), ((5, 2, 3), (3,)), ((3,), (3,))]:
            a, b = ints(sa, da), ints(sb, db)
            c.add(f"matmul/{sa}@{sb}/{da},{db}", lambda: np.matmul(a, b), "exact_nosign", op="matmul", a=arr(a), b=arr(b))
    a, b = rng.standard_normal((3, 17, 33)), rng.standard_normal((33, 9))
    c.add("matmul/random", lambda: np.matmul(a, b), "math", op="matmul", a=arr(a), b=arr(b))
    a, b = a.astype(np.float32), b.astype(np.float32)
    c.add("matmul/random_f32", lambda: np.matmul(a, b), "math", op="matmul", a=arr(a), b=arr(b))
    for sa, sb in [((2, 3), (4, 2)), ((3,), (4,)), ((2, 2, 3), (3, 3, 2)), ((), (3,)), ((2, 3), (2, 3))]:
        a, b = np.ones(sa), np.ones(sb)
        c.add(f"matmul/{sa}@{sb}/error", lambda: np.matmul(a, b), op="matmul", a=arr(a), b=arr(b))

    dshapes = [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((2, 3, 4), (4,)), ((2, 3, 4), (4, 5)),
               ((2, 3, 4), (5, 4, 6)), ((4,), (2, 4, 3)), ((3, 4), (2, 4, 5)), ((), (2, 3)), ((2, 3), ()),
               ((2, 3, 0), (0, 2)), ((2, 3, 4), (2, 3, 4, 2))]
    for sa, sb in dshapes:
        a, b = ints(sa, "float64"), ints(sb, "float64")
        # The sign of a zero product differs between BLAS and a plain multiply; NumPy uses both.
        c.add(f"dot/{sa}.{sb}", lambda: np.dot(a, b), "exact_nosign", op="dot", a=arr(a), b=arr(b))
    for da, db in [("int32", "int32"), ("bool", "bool"), ("float32", "float32"), ("float32", "int64")]:
        a, b = ints((2, 3, 4), da), ints((5, 4, 2), db)
        c.add(f"dot/nd/{da},{db}", lambda: np.dot(a, b), "exact_nosign", op="dot", a=arr(a), b=arr(b))
    for sa, sb in [((2, 3, 4), (5, 6)), ((3,), (4,)), ((2, 3), (2, 4, 3))]:
        a, b = np.ones(sa), np.ones(sb)
        c.add(f"dot/{sa}.{sb}/error", lambda: np.dot(a, b), op="dot", a=arr(a), b=arr(b))
    c.write("ndarray_linalg")


if __name__ == "__main__":
    gen_create()
    gen_astype()
    gen_binary()
    gen_unary()
    gen_elementwise()
    gen_inplace()
    gen_reduction()
    gen_shape()
    gen_linalg()
