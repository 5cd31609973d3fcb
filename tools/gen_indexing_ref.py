"""Reference data for NDArray indexing, index assignment, AddAt and GetItemGrad (NumPy 1.24).

Writes tests/data/indexing.json. An index tuple is a list of entries:
{"int": i}, {"slice": [start, stop, step]} (null for None), {"newaxis": true}, {"ellipsis": true} or
{"array": <array>}. A case that NumPy rejects stores "error": "range" for an out-of-bounds IndexError
and "arg" for every other error, instead of a result.
"""
import numpy as np

from refdata import arr, write

rs = np.random.RandomState(0)


def enc(idx):
    if not isinstance(idx, tuple):
        idx = (idx,)
    out = []
    for e in idx:
        if e is None:
            out.append({"newaxis": True})
        elif e is Ellipsis:
            out.append({"ellipsis": True})
        elif isinstance(e, slice):
            out.append({"slice": [e.start, e.stop, e.step]})
        elif isinstance(e, (int, np.integer)):
            out.append({"int": int(e)})
        else:
            out.append({"array": arr(np.asarray(e))})
    return out


def kind(e):
    return "range" if "out of bounds" in str(e) else "arg"


def sample(shape, dtype):
    if dtype == "bool":
        return rs.rand(*shape) > 0.5
    if dtype in ("int32", "int64"):
        return rs.randint(-50, 50, size=shape).astype(dtype)
    return rs.randn(*shape).astype(dtype)


def I(*v, dtype="int64"):
    return np.array(v, dtype=dtype)


reads = []


def read(a, idx, name):
    case = {"name": f"{len(reads)}: {name}", "array": arr(a), "index": enc(idx)}
    try:
        case["result"] = arr(np.array(a[idx], copy=True))
    except Exception as e:
        case["error"] = kind(e)
    reads.append(case)


a1 = sample((7,), "float64")
a2 = sample((4, 5), "float64")
a3 = sample((2, 3, 4), "float64")
a4 = sample((2, 3, 4, 5), "float64")

for dt in ["float64", "float32", "int64", "int32", "bool"]:
    x = sample((4, 5), dt)
    read(x, 1, f"int {dt}")
    read(x, (-1, 2), f"int pair {dt}")
    read(x, (slice(1, None), slice(None, None, -2)), f"slices {dt}")
    read(x, I(3, 0, 3), f"take rows {dt}")
    read(x, (np.arange(4), I(1, 0, 4, 2)), f"rows cols {dt}")
    read(x, x.astype(np.float64) > 0 if dt != "bool" else x, f"mask {dt}")

# integers
for idx in [0, -1, 6, -7, 7, -8]:
    read(a1, idx, f"1d int {idx}")
for idx in [(1,), (-1, -2), (1, 2, 3), (-2, 0, -1), (0, 0, 0, 0)]:
    read(a3, idx, f"3d int {idx}")
read(a3, (0, 3), "3d int out of range axis 1")
read(a3, (1, 1, 1, 1), "too many ints")

# slices: random start/stop/step on every axis length 0..7
bounds = [None, -9, -7, -5, -3, -1, 0, 1, 2, 3, 5, 7, 9]
steps = [None, 1, 2, 3, -1, -2, -3, 7]
for n in range(0, 8):
    x = sample((n,), "float64")
    for _ in range(12):
        s = slice(bounds[rs.randint(len(bounds))], bounds[rs.randint(len(bounds))], steps[rs.randint(len(steps))])
        read(x, s, f"1d slice n={n} {s}")
for _ in range(30):
    idx = tuple(slice(bounds[rs.randint(len(bounds))], bounds[rs.randint(len(bounds))], steps[rs.randint(len(steps))])
                for _ in range(rs.randint(1, 4)))
    read(a3, idx, f"3d slices {idx}")
read(a2, (slice(None), 1), "column")
read(a3, (slice(None), -1, slice(1, 3)), "slice int slice")
read(a4, (1, slice(None, None, -1), 2), "int revslice int")

# newaxis and ellipsis
read(a2, None, "newaxis")
read(a2, (slice(None), None), "slice newaxis")
read(a2, (None, 1, Ellipsis, None), "newaxis int ellipsis newaxis")
read(a3, (Ellipsis, 0), "ellipsis int")
read(a3, (0, Ellipsis), "int ellipsis")
read(a3, (Ellipsis, slice(None, None, -1)), "ellipsis revslice")
read(a3, (Ellipsis,), "ellipsis only")
read(a3, (Ellipsis, 1, 2, 3), "ellipsis of nothing")
read(a3, (Ellipsis, 0, Ellipsis), "two ellipses")
read(a1.reshape(()) if False else np.array(2.5), (), "0-d empty tuple")
read(np.array(2.5), Ellipsis, "0-d ellipsis")
read(np.array(2.5), None, "0-d newaxis")
read(np.array(2.5), 0, "0-d int")

# integer arrays
read(a2, I(0, 0, 3, -1), "take repeated negative")
read(a2, I(0, 1, dtype="int32"), "take int32")
read(a2, np.array([[0, 1], [3, 2], [-1, -4]]), "take 2-d")
read(a2, np.array([], dtype=np.int64), "take empty")
read(a2, np.zeros((0, 3), dtype=np.int64), "take empty 2-d")
read(a1, np.array([[6, 0], [1, -7]]), "1d take 2-d")
read(a2, I(4), "take out of range")
read(a2, I(-5), "take negative out of range")
read(a2, np.array([0.0, 1.0]), "take float")
read(a2, np.array(2), "0-d int array")
read(a3, (np.array(1), I(0, 2)), "0-d int array with array")
read(a2, (np.arange(4), I(1, 0, 4, 2)), "arange t")
read(a2, (np.arange(4), I(1, 0, 4, 2, dtype="int32")), "arange t int32")
read(a2, (I(0, 3)[:, None], I(1, 2, 4)[None, :]), "rows cols broadcast")
read(a2, (I(0, 3), I(1, 2, 4)), "rows cols mismatch")
read(a2, (I(0, 3), 2), "array int")
read(a2, (I(0, 3), 5), "array int out of range")
read(a2, (I(0, 3), I(0, 5)), "rows cols out of range")
read(a3, (I(1, 0), I(0, 2), I(3, 3)), "three arrays")
read(a3, (slice(None), I(2, 0, 1)), "slice array")
read(a3, (I(1, 0, 1), slice(1, None)), "array slice")
read(a3, (slice(None), I(0, 2), I(1, 3)), "slice array array")
read(a3, (I(0, 1), slice(None), I(1, 3)), "array slice array")
read(a3, (0, slice(None), I(1, 2)), "int slice array")
read(a3, (slice(None), 0, I(1, 2)), "slice int array")
read(a3, (I(0, 1), None, I(0, 1)), "array newaxis array")
read(a3, (1, Ellipsis, I(0, 1)), "int ellipsis array")
read(a4, (slice(None), I(0), Ellipsis, I(0)), "slice array ellipsis array")
read(a4, (slice(None), I(0, 2)[:, None], I(1, 3, 3), slice(None, None, 2)), "broadcast arrays in the middle")
read(a4, (Ellipsis, I(1, 4)), "ellipsis array")
read(a4, (slice(None), I(0, 1, 2), slice(None), I(1, 2, 0)), "slice array slice array")
read(a4, (slice(1, None), 2, None, I(3, 0)), "slice int newaxis array")
read(a4, (slice(None), I(2, 0), 1, slice(None, None, -1)), "slice array int revslice")

# boolean masks
m2 = a2 > 0
read(a2, m2, "full mask")
read(a2, m2[:, 0], "leading mask")
read(a2, (slice(None), m2[0]), "mask axis 1")
read(a3, a3 > 0.5, "3d full mask")
read(a3, (a3 > 0)[:, :, 0], "3d leading 2-d mask")
read(a3, (slice(None, None, -1), (a3 > 0)[0]), "revslice 2-d mask")
read(a2, np.zeros((4, 5), dtype=bool), "all-false mask")
read(a2, (m2[:, 0], I(0, 1, 2, 3)[:int(m2[:, 0].sum())]), "mask with array")
read(a2, np.ones(3, dtype=bool), "mask wrong length")
read(a2, np.ones((4, 4), dtype=bool), "mask wrong shape")
read(a2, np.ones((4, 5, 1), dtype=bool), "mask too many dims")

write_cases = []


def assign(a, idx, v, name):
    case = {"name": name, "array": arr(a), "index": enc(idx), "value": arr(v)}
    b = a.copy()
    try:
        b[idx] = v
        case["result"] = arr(b)
    except Exception as e:
        case["error"] = kind(e)
    write_cases.append(case)


assign(a2, 1, np.array(7.5), "row scalar")
assign(a2, (slice(None), -1), np.arange(4.0), "column vector")
assign(a2, (slice(None, None, -1), slice(1, None, 2)), np.array([[1.0], [2.0], [3.0], [4.0]]), "revslice broadcast column")
assign(a2, I(0, 0, 2), np.array([[1.0] * 5, [2.0] * 5, [3.0] * 5]), "repeated rows last wins")
assign(a2, (np.arange(4), I(1, 0, 4, 2)), np.array([10.0, 20.0, 30.0, 40.0]), "rows cols")
assign(a2, a2 > 0, np.array(0.0), "mask scalar")
assign(a2, (slice(None), a2[0] > 0), np.array(-1.0), "mask axis 1 scalar")
assign(a2, 2, np.ones((1, 1, 5)) * 3, "leading ones in value")
assign(a2, Ellipsis, np.arange(5.0), "ellipsis broadcast")
assign(sample((4, 5), "int64"), 0, np.array([1.7, -1.7, 2.5, -0.5, 9.9]), "float into int truncates")
assign(sample((4, 5), "int32"), (slice(1, 3), 1), np.array([5, 6], dtype=np.int64), "int64 into int32")
assign(sample((4, 5), "float32"), 1, np.array([1e-8, 1.1, 2.2, 3.3, 1e30]), "float64 into float32")
assign(sample((4, 5), "bool"), I(1), np.array([0.0, 2.0, -1.0, 0.0, 0.5]), "float into bool")
assign(sample((4, 5), "float64"), I(1), np.array([True, False, True, False, True]), "bool into float")
assign(a2, 1, np.ones(4), "value shape mismatch")
assign(a2, 1, np.ones((2, 5)), "value too many rows")
assign(a2, (I(0, 1), I(0, 7)), np.array(1.0), "assign out of range")
assign(a2, (0, 0, 0), np.array(1.0), "assign too many indices")
assign(np.array(2.5), (), np.array(7.0), "0-d assign")

add_at = []


def addat(t, idx, v, name):
    case = {"name": name, "target": arr(t), "index": enc(idx), "values": arr(v)}
    b = t.copy()
    try:
        np.add.at(b, idx, v)
        case["result"] = arr(b)
    except Exception as e:
        case["error"] = kind(e)
    add_at.append(case)


addat(np.zeros((4, 3)), I(0, 2, 0, 0, 3), sample((5, 3), "float64"), "repeated rows")
addat(np.zeros((4, 3)), I(0, 2, 0, 0, 3), np.array(1.5), "repeated rows scalar")
addat(np.zeros((4, 3)), I(1, 1), np.array([1.0, 2.0, 3.0]), "repeated rows broadcast row")
addat(np.zeros((4, 3)), np.array([[0, 1], [1, 1]]), sample((2, 2, 3), "float64"), "2-d indices")
addat(np.ones((4, 3)), (I(0, 0, 3, 0), I(1, 1, 2, 1)), np.array([1.0, 2.0, 3.0, 4.0]), "rows cols repeated")
addat(np.zeros((5, 4)), (np.arange(5), I(3, 0, 3, 1, 0)), sample((5,), "float64"), "arange t")
addat(np.zeros((7,)), slice(None, None, -2), np.arange(4.0), "revslice")
addat(np.zeros((4, 3)), (slice(None), I(2, 2)), np.ones((4, 2)), "slice repeated array")
addat(np.zeros((3, 4)), np.array([True, False, True]), sample((2, 4), "float64"), "mask")
addat(np.zeros((4, 3), dtype=np.float32), I(0, 0), sample((2, 3), "float32"), "float32")
addat(np.ones((2,), dtype=np.float32), I(0), np.array([2.0 ** -24 + 2.0 ** -50]), "float32 target float64 values rounds once")
addat(np.ones((2,), dtype=np.float32), I(0), np.float64(2.0 ** -24 + 2.0 ** -50), "float32 target 0-d float64 value")
addat(np.ones((3,), dtype=np.int64), I(0, 0, 1), np.array([1.5, 2.5, -0.5]), "int target float values")
addat(np.ones((3,), dtype=np.int32), I(0, 2), np.array([2 ** 40 + 5, -7], dtype=np.int64), "int32 target int64 values wrap")
addat(np.zeros((3,), dtype=np.int64), I(2, 2, 2), np.array([1, 2, 3], dtype=np.int32), "int64 target int32 values")
addat(np.array([True, False, False]), I(0, 1), np.array([1, 0]), "bool target int values")
addat(np.array([True, False, True]), I(0, 1, 2), np.array([-1, 2, 0]), "bool target int values sum to zero")
addat(np.array([True, False, False]), I(0, 1, 1), np.array([False, True, True]), "bool target bool values")
addat(np.zeros((4, 3)), I(4), np.ones(3), "out of range")
addat(np.zeros((4, 3)), I(0, 1), np.ones((3, 3)), "values mismatch")
addat(np.zeros((4, 3)), I(0, 1), np.ones((1, 2, 3)), "values extra leading axis")

grads = []


def grad(shape, dtype, idx, name):
    x = np.zeros(shape, dtype=dtype)
    gy = sample(np.shape(x[idx]), dtype)
    gx = np.zeros(shape, dtype=dtype)
    np.add.at(gx, idx, gy)
    grads.append({"name": name, "shape": list(shape), "index": enc(idx), "gy": arr(gy), "gx": arr(gx)})


grad((4, 3), "float64", I(0, 2, 0), "take")
grad((4, 3), "float32", (np.arange(4), I(2, 2, 0, 1)), "rows cols")
grad((2, 3, 4), "float64", (slice(None), 1, slice(None, None, -2)), "basic")
grad((2, 3, 4), "float64", (Ellipsis, I(1, 1, 3)), "ellipsis array")
grad((4, 3), "float64", a2[:, :3] > 0, "mask")
grad((4, 3), "float64", (None, 1), "newaxis int")

slices = []
for _ in range(300):
    n = rs.randint(0, 9)
    s = slice(bounds[rs.randint(len(bounds))], bounds[rs.randint(len(bounds))], steps[rs.randint(len(steps))])
    start, stop, step = s.indices(n)
    slices.append({"slice": [s.start, s.stop, s.step], "length": n, "indices": [start, stop, step],
                   "count": len(range(start, stop, step))})

write("indexing", {"reads": reads, "writes": write_cases, "add_at": add_at, "grads": grads, "slices": slices})
