"""Writes the .npy/.npz fixtures for tests/DeZero.Tests/IO/ with NumPy, or verifies a file against JSON.

    /usr/bin/python3 tools/gen_npy_fixtures.py
        writes tests/data/npy/*.npy, *.npz and expected.json, which maps each fixture
        (and each key of each .npz, as "<file>:<key>") to the array NumPy stored in it.
    /usr/bin/python3 tools/gen_npy_fixtures.py --verify FILE.npz EXPECTED.json
        loads FILE with NumPy and checks that its keys (in order), dtypes, shapes and values equal
        EXPECTED, a JSON object {key: array} in the format of tools/refdata.py; for FILE.npy,
        EXPECTED is a single array object. Exits with status 1 on any difference.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import refdata  # noqa: E402

OUT = os.path.join(refdata.DATA, "npy")


def weights():
    """Arrays shaped like an MLP's save_weights file, keyed as the book's Layer.save_weights keys them."""
    rs = np.random.RandomState(0)
    return {
        "l1/W": rs.randn(3, 4).astype(np.float32),
        "l1/b": np.zeros(4, dtype=np.float32),
        "l2/W": rs.randn(4, 2),
        "l2/b": np.array([0.5, -0.25]),
        "step": np.array(7, dtype=np.int64),
        "count": np.arange(6, dtype=np.int32).reshape(2, 3),
        "mask": np.array([True, False, True]),
        "empty": np.zeros((0, 2), dtype=np.float32),
    }


def npy_fixtures():
    rs = np.random.RandomState(1)
    return {
        "f8_2x3": np.array([[-1.5, 0.1, np.nan], [np.inf, -np.inf, 1e-300]]),
        "f4_5": rs.randn(5).astype(np.float32),
        "i8_scalar": np.array(-1234567890123, dtype=np.int64),
        "i4_2x2x3": (np.arange(12, dtype=np.int32) - 6).reshape(2, 2, 3) * 1000003,
        "b1_4": np.array([True, False, False, True]),
        "f8_empty_0x3": np.zeros((0, 3)),
        "f4_empty_0": np.zeros(0, dtype=np.float32),
        "f8_4d": rs.randn(2, 1, 3, 2),
        # The header of this shape fills 128 bytes exactly, so NumPy pads it with a full 64 spaces.
        "f8_pad64": np.zeros((0, 1000, 10000, 10000, 1, 1, 1, 1, 1, 1, 1)),
    }


def generate():
    os.makedirs(OUT, exist_ok=True)
    expected = {}
    for name, a in npy_fixtures().items():
        np.save(os.path.join(OUT, name + ".npy"), a)
        expected[name] = refdata.arr(a)

    # Files np.save never writes for C-ordered data but that readers must accept.
    f = np.asfortranarray(np.arange(6, dtype=np.float64).reshape(2, 3) / 8)
    with open(os.path.join(OUT, "f8_fortran_2x3.npy"), "wb") as fp:
        np.lib.format.write_array(fp, f)
    expected["f8_fortran_2x3"] = refdata.arr(f)
    g = np.arange(6, dtype=np.int32).reshape(3, 2)
    for v in (2, 3):
        with open(os.path.join(OUT, "i4_3x2_v%d.npy" % v), "wb") as fp:
            np.lib.format.write_array(fp, g, version=(v, 0))
        expected["i4_3x2_v%d" % v] = refdata.arr(g)

    w = weights()
    np.savez(os.path.join(OUT, "weights.npz"), **w)
    np.savez_compressed(os.path.join(OUT, "weights_compressed.npz"), **w)
    expected["weights"] = {k: refdata.arr(v) for k, v in w.items()}
    refdata.write("npy/expected", expected)


def from_json(e):
    data = [float(x) if isinstance(x, str) else x for x in e["data"]]
    return np.array(data, dtype=e["dtype"]).reshape(e["shape"])


def same(a, b):
    return (a.dtype == b.dtype and a.shape == b.shape
            and np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))


def verify(path, expected_path):
    with open(expected_path) as fp:
        expected = json.load(fp)
    if path.endswith(".npy"):
        a, e = np.load(path), from_json(expected)
        ok = same(a, e)
        print("%s: %s" % (path, "ok" if ok else "differs: %r %s vs expected %r %s" % (a.dtype, a.shape, e.dtype, e.shape)))
        return ok
    ok = True
    with np.load(path) as z:
        keys = list(z.files)
        if keys != list(expected):
            print("%s: keys %r, expected %r" % (path, keys, list(expected)))
            ok = False
        for k in expected:
            if k not in keys:
                continue
            a, e = z[k], from_json(expected[k])
            if not same(a, e):
                print("%s[%r]: %r %s differs from expected %r %s" % (path, k, a.dtype, a.shape, e.dtype, e.shape))
                ok = False
    print("%s: %s" % (path, "ok" if ok else "FAILED"))
    return ok


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--verify":
        sys.exit(0 if verify(sys.argv[2], sys.argv[3]) else 1)
    if len(sys.argv) != 1:
        sys.exit(__doc__)
    generate()
