"""Reference data from the book's Python DeZero for the tests in tests/data/ (datasets, data loaders,
transforms). Writes tests/data/data.json.

Run from the repository root with the book's source on the path:
    PYTHONPATH=/work/ref/dezero /usr/bin/python3 -W ignore tools/gen_data_ref.py
"""
import gzip
import os
import tempfile

import numpy as np

import dezero.datasets as ds
import dezero.transforms as T
from dezero.dataloaders import DataLoader, SeqDataLoader

from refdata import arr, write


class ArrayDataset(ds.Dataset):
    """A dataset over given arrays (the C# tests build the same one with the Dataset(data, label) constructor)."""

    def __init__(self, data, label, transform=None):
        self._d, self._l = data, label
        super().__init__(transform=transform)

    def prepare(self):
        self.data, self.label = self._d, self._l


def epochs(loader, n):
    """All batches of n epochs, and np.random.rand(2) drawn after them (shows where the loader left the global state)."""
    out = [[{"x": arr(x), "t": arr(t)} for x, t in loader] for _ in range(n)]
    return {"epochs": out, "after": arr(np.random.rand(2))}


def spiral():
    out = {}
    for train in (True, False):
        s = ds.Spiral(train=train)
        # The book reseeds the global generator inside get_spiral: the next draws continue from there.
        out["train" if train else "test"] = {"data": arr(s.data), "label": arr(s.label), "after": arr(np.random.rand(3))}
    return out


def sin_curve():
    out = {}
    for train, seed in ((True, 0), (False, 1)):
        np.random.seed(seed)
        s = ds.SinCurve(train=train)
        out["train" if train else "test"] = {"seed": seed, "data": arr(s.data), "label": arr(s.label),
                                             "after": arr(np.random.rand(2))}
    return out


def loaders():
    data = np.arange(30, dtype=np.float64).reshape(10, 3) * 0.5
    label = np.arange(10) % 3
    out = {}
    np.random.seed(42)
    out["shuffle"] = {"seed": 42, "batch": 4, **epochs(DataLoader(ArrayDataset(data, label), 4), 2)}
    np.random.seed(7)
    out["no_shuffle"] = {"seed": 7, "batch": 4, **epochs(DataLoader(ArrayDataset(data, label), 4, shuffle=False), 1)}
    # Per-item path: a transform (x * 2 + 1) on every example.
    np.random.seed(3)
    out["transform"] = {"seed": 3, "batch": 3, **epochs(DataLoader(ArrayDataset(data, label, lambda x: x * 2 + 1), 3), 1)}

    # The step-50 program's order of draws: two Spirals, a shuffling train loader, a plain test loader.
    train_set, test_set = ds.Spiral(train=True), ds.Spiral(train=False)
    train_loader = DataLoader(train_set, 30)
    test_loader = DataLoader(test_set, 30, shuffle=False)
    first = [next(train_loader) for _ in range(2)]
    rest = sum(1 for _ in train_loader)
    test_batches = [t for _, t in test_loader]
    out["step50"] = {"first": [{"x": arr(x), "t": arr(t)} for x, t in first], "rest": rest,
                     "test_t": [arr(t) for t in test_batches], "after": arr(np.random.rand(2))}
    return out


def seq_loaders():
    out = {}
    np.random.seed(0)
    sin = ds.SinCurve(train=True)
    loader = SeqDataLoader(sin, batch_size=30)
    batches = [{"x": arr(x), "t": arr(t)} for x, t in loader]
    out["sin"] = {"seed": 0, "batch": 30, "count": len(batches), "first": batches[:2], "last": batches[-1]}
    data = np.arange(10, dtype=np.float64)[:, None]
    label = data + 100
    out["small"] = {"batch": 3, **epochs(SeqDataLoader(ArrayDataset(data, label), 3), 1)}
    return out


def transforms():
    img = (np.arange(2 * 1 * 3 * 4) * 37 % 256).astype(np.uint8).reshape(2, 1, 3, 4)
    chw = np.arange(3 * 2 * 2, dtype=np.float64).reshape(3, 2, 2) * 1.5 - 4
    return {
        "image": arr(img.astype(np.int64)),
        "mnist_default": [arr(T.Compose([T.Flatten(), T.ToFloat(), T.Normalize(0., 255.)])(x)) for x in img],
        "cifar_default": arr(T.Compose([T.ToFloat(), T.Normalize(mean=0.5, std=0.5)])(img[0])),
        "chw": arr(chw),
        "normalize_channels": arr(T.Normalize(mean=[1.0, 2.0, -3.0], std=[2.0, 0.5, 4.0])(chw)),
        "normalize_scalar": arr(T.Normalize(mean=0.25, std=3.0)(chw)),
        "normalize_f32": arr(T.Normalize(mean=[0.1, 0.2, 0.3], std=[0.7, 0.8, 0.9])(chw.astype(np.float32))),
        "to_int": arr(T.ToInt()(chw)),
        "as_type_f32": arr(T.AsType()(chw)),
        "compose_empty": arr(T.Compose([])(chw)),
    }


def mnist():
    """The book's MNIST reader on a small IDX file whose bytes the C# test recreates: pixel k = (7k + 3) % 256."""
    n = 5
    pixels = ((np.arange(n * 28 * 28) * 7 + 3) % 256).astype(np.uint8)
    labels = (np.arange(n) * 3 % 10).astype(np.uint8)
    with tempfile.TemporaryDirectory() as d:
        img_path, lbl_path = os.path.join(d, "img.gz"), os.path.join(d, "lbl.gz")
        with gzip.open(img_path, "wb") as f:
            f.write(np.array([0x803, n, 28, 28], dtype=">i4").tobytes() + pixels.tobytes())
        with gzip.open(lbl_path, "wb") as f:
            f.write(np.array([0x801, n], dtype=">i4").tobytes() + labels.tobytes())
        m = ds.MNIST.__new__(ds.MNIST)
        m.data, m.label = m._load_data(img_path), m._load_label(lbl_path)
    transform = T.Compose([T.Flatten(), T.ToFloat(), T.Normalize(0., 255.)])
    return {"n": n, "items": [{"index": i, "x": arr(transform(m.data[i])), "t": int(m.label[i])} for i in (0, 3)],
            "label": arr(m.label.astype(np.int64)), "shape": list(m.data.shape)}


def main():
    write("data", {"numpy": np.__version__, "spiral": spiral(), "sin_curve": sin_curve(), "loaders": loaders(),
                   "seq_loaders": seq_loaders(), "transforms": transforms(), "mnist": mnist()})


if __name__ == "__main__":
    main()
