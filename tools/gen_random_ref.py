"""Reference sequences of NumPy's legacy np.random.RandomState for tests/DeZero.Tests/Numerics/RandomStateTests.cs.

Each sequence seeds a RandomState and records a list of calls with their outputs; the C# test replays the calls
on DeZero's RandomState and compares every value bit for bit. Run with /usr/bin/python3 (NumPy 1.24).
"""
import numpy as np

from refdata import arr, write


class Recorder:
    """Runs calls on one RandomState and records them in the format the C# test replays."""

    def __init__(self, name, seed):
        self.rs = np.random.RandomState(seed)
        self.seq = {"name": name, "seed": seed, "calls": []}

    def _add(self, op, out=None, **args):
        call = {"op": op, **args}
        if out is not None:
            call["out"] = arr(out)
        self.seq["calls"].append(call)
        return self

    def seed(self, s):
        self.rs.seed(s)
        return self._add("seed", seed=s)

    def rand(self, *shape):
        return self._add("rand", self.rs.rand(*shape), shape=list(shape))

    def randn(self, *shape):
        return self._add("randn", self.rs.randn(*shape), shape=list(shape))

    def randint(self, low, high, *shape):
        out = self.rs.randint(low, high, size=shape)
        assert out.dtype == np.int64
        return self._add("randint", out, low=low, high=high, shape=list(shape))

    def uniform(self, low, high, *shape):
        return self._add("uniform", self.rs.uniform(low, high, size=shape), low=low, high=high, shape=list(shape))

    def normal(self, loc, scale, *shape):
        return self._add("normal", self.rs.normal(loc, scale, size=shape), loc=loc, scale=scale, shape=list(shape))

    def permutation(self, n):
        return self._add("permutation", self.rs.permutation(n), n=n)

    def permutation_array(self, x):
        return self._add("permutation_array", self.rs.permutation(x), input=arr(x))

    def shuffle(self, x):
        y = np.array(x)
        self.rs.shuffle(y)
        return self._add("shuffle", y, input=arr(x))

    def choice(self, a, size, replace=True, p=None):
        out = self.rs.choice(a, size, replace=replace, p=p)
        return self._add("choice", out, a=a, size=size, replace=replace, p=None if p is None else arr(p))

    def next_double(self):
        return self._add("next_double", self.rs.rand())

    def next_gaussian(self):
        return self._add("next_gaussian", self.rs.randn())

    def next_int64(self, low, high):
        return self._add("next_int64", self.rs.randint(low, high), low=low, high=high)


def sequences():
    yield Recorder("rand_shapes_seed0", 0).rand().rand(5).rand(3, 4).rand(2, 3, 4).rand(0).rand(1, 1)
    yield Recorder("rand_seed1", 1).rand(7).rand(2, 2)
    yield Recorder("rand_seed42", 42).rand(10, 3)
    yield Recorder("rand_many_seed1234", 1234).rand(1500).rand(3)  # crosses several twists
    yield Recorder("rand_seed_max", 2**32 - 1).rand(20)
    yield Recorder("randn_odd_even_seed0", 0).randn().randn(3).randn(4).randn(2, 3).randn(1).randn(5)
    yield Recorder("randn_interleaved_seed42", 42).randn(3).rand(2).randn(1).randint(0, 10, 3).randn(5).uniform(0, 1, 1).randn(2)
    yield Recorder("randn_reset_by_seed", 7).randn(3).seed(7).randn(3).randn(1).seed(2**32 - 1).randn(2)
    yield Recorder("randn_large_seed1", 1).randn(1001)
    yield Recorder("randint_small_seed0", 0).randint(0, 10, 20).randint(-5, 5, 4, 5).randint(0, 1, 3).randint(0, 2, 10).randint(3, 4).randint(100, 1000, 6)
    yield Recorder("randint_32bit_edges_seed1", 1).randint(0, 2**31, 5).randint(0, 2**32, 5).randint(-2**31, 2**31, 5).randint(0, 2**32 + 1, 5)
    yield Recorder("randint_large_seed42", 42).randint(0, 2**40, 10).randint(0, 2**62, 10).randint(-2**63, 2**63 - 1, 6).randint(-10**15, 10**15, 2, 3)
    yield Recorder("permutation_seed0", 0).permutation(10).permutation(1).permutation(0).permutation(2)
    yield Recorder("permutation_1000_seed1234", 1234).permutation(1000)
    yield Recorder("shuffle_seed42", 42).shuffle(np.arange(20).reshape(5, 4)).shuffle(np.linspace(0, 1, 9)).shuffle(
        np.arange(24, dtype=np.float32).reshape(4, 3, 2)).shuffle(np.zeros((3, 0))).shuffle(np.array([True, False, True, True]))
    yield Recorder("permutation_array_seed3", 3).permutation_array(np.arange(12.0).reshape(6, 2)).permutation_array(np.arange(5))
    yield Recorder("uniform_seed2", 2).uniform(-1, 2, 10).uniform(5, 5, 3).uniform(3, -2, 4).uniform(-1e300, 1e300, 2, 2).uniform(0, 1)
    yield Recorder("normal_seed5", 5).normal(1.5, 0.3, 7).normal(-2, 0, 2).normal(0, 1).normal(10, 100, 3, 3)
    yield Recorder("choice_replace_seed0", 0).choice(10, 20).choice(1, 4).choice(3, 0).choice(1000, 5)
    yield Recorder("choice_no_replace_seed1", 1).choice(10, 5, replace=False).choice(10, 10, replace=False).choice(7, 0, replace=False).choice(1000, 3, replace=False)
    yield Recorder("choice_p_seed42", 42).choice(5, 8, p=[0.1, 0.2, 0.3, 0.15, 0.25]).choice(4, 6, p=[0.0, 0.5, 0.0, 0.5]).choice(
        3, 5, p=np.array([0.2, 0.3, 0.5], dtype=np.float32)).choice(2, 0, p=[0.5, 0.5])
    yield Recorder("choice_p_no_replace_seed7", 7).choice(5, 3, replace=False, p=[0.1, 0.2, 0.3, 0.15, 0.25]).choice(
        6, 6, replace=False, p=[0.5, 0.3, 0.1, 0.05, 0.03, 0.02]).choice(4, 2, replace=False, p=[0.0, 0.9, 0.0, 0.1])
    yield Recorder("scalars_seed9", 9).next_double().next_gaussian().next_gaussian().next_gaussian().next_int64(0, 10).next_int64(-2**63, 2**63 - 1).rand(2)
    yield (Recorder("mixed_seed1234", 1234).rand(3).randn(3).randint(0, 100, 4).permutation(7).uniform(-3, 3, 2).normal(0, 2, 3)
           .choice(6, 4).choice(6, 4, replace=False).shuffle(np.arange(6).reshape(3, 2)).randn(2, 2).rand(1))
    # The book's step-43 data and a DataLoader-style epoch: rand for x and noise, then an index permutation.
    yield Recorder("book_style_seed0", 0).rand(100, 1).rand(100, 1).randn(1, 10).randn(10, 1).permutation(100)


def main():
    seqs = [r.seq for r in sequences()]
    write("random", {"numpy": np.__version__, "sequences": seqs})
    print(f"wrote {len(seqs)} sequences")


if __name__ == "__main__":
    main()
