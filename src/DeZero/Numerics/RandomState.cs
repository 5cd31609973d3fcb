using System.Numerics;
using DeZero.Numerics.Kernels;

namespace DeZero;

/// <summary>
/// NumPy's legacy generator <c>np.random.RandomState</c> (MT19937), bit-exact with NumPy 1.24: a seeded instance
/// gives the same numbers, in the same order, as NumPy for every method. Thread-safe like NumPy's (each call holds a
/// lock), but threads sharing one generator get numbers in scheduling order: for reproducible parallel work give each
/// thread or object its own instance (layers take an <c>rng</c> argument).
/// </summary>
/// <remarks>Methods taking a shape return a 0-d array when the shape is omitted; the <c>Next*</c> methods return scalars.</remarks>
public sealed class RandomState
{
    readonly Mt19937 mt = new();
    // Every public method holds this lock while it draws, like NumPy's generator: one instance is safe to share
    // between threads (draws are serialised; which thread gets which numbers depends on the scheduling).
    readonly Lock gate = new();
    // The second value of the last polar Box–Muller pair, returned by the next normal draw (NumPy's has_gauss/gauss).
    bool hasGauss;
    double gauss;

    /// <summary>A generator seeded from the operating system's entropy, like <c>RandomState()</c>.</summary>
    public RandomState() => mt.SeedFromEntropy();

    /// <summary>A generator seeded like <c>RandomState(seed)</c>; the seed must be in 0 … 2^32−1.</summary>
    public RandomState(long seed) => Seed(seed);

    /// <summary>
    /// The shared generator that plays the role of <c>np.random</c>: layers, dropout and data loaders draw from it
    /// unless given another. Seeded from entropy at start-up; safe to use from several threads (calls are serialised).
    /// </summary>
    public static RandomState Global { get; } = new();

    /// <summary>Reseeds like NumPy's <c>seed(seed)</c> (0 … 2^32−1) and forgets the cached normal value.</summary>
    public void Seed(long seed)
    {
        lock (gate)
        {
            if (seed < 0 || seed > uint.MaxValue)
                throw new ArgumentException($"RandomState.Seed: the seed must be between 0 and 2**32 - 1, got {seed}.", nameof(seed));
            mt.Seed((uint)seed);
            hasGauss = false;
            gauss = 0;
        }
    }

    // ---- scalars ----

    /// <summary>A float64 in [0, 1), NumPy's <c>rand()</c>.</summary>
    public double NextDouble()
    {
        lock (gate) return mt.NextDouble();
    }

    /// <summary>A standard normal float64, NumPy's <c>randn()</c>.</summary>
    public double NextGaussian()
    {
        lock (gate) return Gauss();
    }

    /// <summary>An integer in [low, high), NumPy's <c>randint(low, high)</c>.</summary>
    public long NextInt64(long low, long high)
    {
        lock (gate)
        {
            Span<long> one = stackalloc long[1];
            FillInt(one, low, high, "RandomState.NextInt64");
            return one[0];
        }
    }

    // ---- arrays ----

    /// <summary>Uniform float64 values in [0, 1) of the given shape, NumPy's <c>rand(*shape)</c>.</summary>
    public NDArray Rand(params int[] shape)
    {
        lock (gate)
        {
            var r = NewArray(shape, DType.Float64, "RandomState.Rand");
            var s = r.Span<double>();
            for (int i = 0; i < s.Length; i++) s[i] = mt.NextDouble();
            return r;
        }
    }

    /// <summary>Standard normal float64 values of the given shape, NumPy's <c>randn(*shape)</c>.</summary>
    public NDArray Randn(params int[] shape)
    {
        lock (gate)
        {
            var r = NewArray(shape, DType.Float64, "RandomState.Randn");
            var s = r.Span<double>();
            for (int i = 0; i < s.Length; i++) s[i] = Gauss();
            return r;
        }
    }

    /// <summary>Int64 values in [low, high) of the given shape, NumPy's <c>randint(low, high, size)</c>.</summary>
    public NDArray RandInt(long low, long high, params int[] shape)
    {
        lock (gate)
        {
            var r = NewArray(shape, DType.Int64, "RandomState.RandInt");
            FillInt(r.Span<long>(), low, high, "RandomState.RandInt");
            return r;
        }
    }

    /// <summary>Uniform float64 values in [low, high) of the given shape, NumPy's <c>uniform(low, high, size)</c>.</summary>
    public NDArray Uniform(double low, double high, params int[] shape)
    {
        lock (gate)
        {
            double range = high - low;
            if (!double.IsFinite(range))
                throw new ArgumentException($"RandomState.Uniform: high - low must be finite, got low={low}, high={high}.");
            var r = NewArray(shape, DType.Float64, "RandomState.Uniform");
            var s = r.Span<double>();
            for (int i = 0; i < s.Length; i++) s[i] = low + range * mt.NextDouble();
            return r;
        }
    }

    /// <summary>Normal float64 values with mean <paramref name="loc"/> and standard deviation <paramref name="scale"/>, NumPy's <c>normal</c>.</summary>
    public NDArray Normal(double loc, double scale, params int[] shape)
    {
        lock (gate)
        {
            // NumPy rejects any scale with the sign bit set (including -0.0) but lets NaN through.
            if (!double.IsNaN(scale) && double.IsNegative(scale))
                throw new ArgumentException($"RandomState.Normal: scale < 0 (scale={scale}).", nameof(scale));
            var r = NewArray(shape, DType.Float64, "RandomState.Normal");
            var s = r.Span<double>();
            for (int i = 0; i < s.Length; i++) s[i] = loc + scale * Gauss();
            return r;
        }
    }

    /// <summary>A random permutation of 0 … n−1 as int64, NumPy's <c>permutation(n)</c>.</summary>
    public NDArray Permutation(int n)
    {
        lock (gate)
        {
            if (n < 0) throw new ArgumentException($"RandomState.Permutation: n must be non-negative, got {n}.", nameof(n));
            var a = new long[n];
            for (int i = 0; i < n; i++) a[i] = i;
            ShuffleRows<long>(a, n, 1);
            return new NDArray(a, [n], DType.Int64);
        }
    }

    /// <summary>A shuffled copy of <paramref name="x"/> along its first axis, NumPy's <c>permutation(x)</c>.</summary>
    public NDArray Permutation(NDArray x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Ndim == 0) throw new ArgumentException("RandomState.Permutation: x must be at least 1-dimensional, got shape ().");
        var r = x.Copy();
        Shuffle(r);
        return r;
    }

    /// <summary>Shuffles <paramref name="x"/> in place along its first axis, NumPy's <c>shuffle(x)</c>.</summary>
    public void Shuffle(NDArray x)
    {
        lock (gate)
        {
            ArgumentNullException.ThrowIfNull(x);
            if (x.Ndim == 0) throw new ArgumentException($"RandomState.Shuffle: cannot shuffle a 0-d array ({x.DType.Name()}).");
            if (x.Size == 0) return; // NumPy draws nothing for empty arrays, even with several rows
            int n = x.Dims[0], row = x.Size / n;
            DTypeSwitch.Element(x.DType, new RowShuffle(this, x, n, row));
        }
    }

    readonly struct RowShuffle(RandomState rng, NDArray x, int n, int row) : IElementOp
    {
        public void Invoke<T>() where T : unmanaged => rng.ShuffleRows(x.Span<T>(), n, row);
    }

    /// <summary>
    /// <paramref name="size"/> int64 samples from 0 … a−1, NumPy's legacy <c>choice(a, size, replace, p)</c>: uniform
    /// (or with probabilities <paramref name="p"/>), with or without replacement.
    /// </summary>
    public NDArray Choice(int a, int size, bool replace = true, NDArray? p = null)
    {
        lock (gate)
        {
            const string op = "RandomState.Choice";
            if (size < 0) throw new ArgumentException($"{op}: size must be non-negative, got {size}.", nameof(size));
            if (a < 0 || (a == 0 && size != 0))
                throw new ArgumentException($"{op}: a must be greater than 0 unless no samples are taken, got a={a}, size={size}.", nameof(a));
            double[]? prob = p is null ? null : CheckProbabilities(p, a, op);
            if (!replace && size > a)
                throw new ArgumentException($"{op}: cannot take a larger sample than the population when replace is false (a={a}, size={size}).");

            var result = new long[size];
            if (replace && prob is null)
            {
                if (size > 0) FillInt(result, 0, a, op);
            }
            else if (replace)
            {
                var cdf = Cdf(prob!);
                for (int i = 0; i < size; i++) result[i] = SearchSortedRight(cdf, mt.NextDouble());
            }
            else if (prob is null)
            {
                Permutation(a).Span<long>()[..size].CopyTo(result);
            }
            else
            {
                ChooseDistinct(prob, result);
            }
            return new NDArray(result, [size], DType.Int64);
        }
    }

    // ---- NumPy's legacy distributions ----

    // legacy_gauss: the polar Box–Muller method, which yields two values per accepted pair and caches the second.
    double Gauss()
    {
        if (hasGauss)
        {
            hasGauss = false;
            double cached = gauss;
            gauss = 0;
            return cached;
        }
        double x1, x2, r2;
        do
        {
            x1 = 2.0 * mt.NextDouble() - 1.0;
            x2 = 2.0 * mt.NextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        double f = Math.Sqrt(-2.0 * Math.Log(r2) / r2);
        gauss = f * x1;
        hasGauss = true;
        return f * x2;
    }

    // random_bounded_uint64_fill with masked rejection, as legacy randint uses it for int64: 32-bit draws when the
    // range fits in 32 bits, 64-bit draws otherwise. (high ≤ long.MaxValue, so the range is never 2^64 − 1.)
    void FillInt(Span<long> dest, long low, long high, string op)
    {
        if (low >= high) throw new ArgumentException($"{op}: low >= high (low={low}, high={high}).");
        ulong off = (ulong)low, rng = (ulong)(high - 1) - off;
        ulong mask = Mask(rng);
        if (rng <= uint.MaxValue)
        {
            for (int i = 0; i < dest.Length; i++) dest[i] = (long)(off + Bounded32((uint)rng, (uint)mask));
        }
        else
        {
            for (int i = 0; i < dest.Length; i++)
            {
                ulong v;
                do v = mt.NextUInt64() & mask; while (v > rng);
                dest[i] = (long)(off + v);
            }
        }
    }

    // Smallest all-ones bit mask covering max.
    static ulong Mask(ulong max) => max == 0 ? 0 : ulong.MaxValue >> BitOperations.LeadingZeroCount(max);

    uint Bounded32(uint rng, uint mask)
    {
        if (rng == 0) return 0;
        uint v;
        do v = mt.NextUInt32() & mask; while (v > rng);
        return v;
    }

    // The legacy shuffle: Fisher–Yates from the last row down, j drawn by random_interval(i) (masked rejection).
    void ShuffleRows<T>(Span<T> data, int n, int row)
    {
        for (int i = n - 1; i > 0; i--)
        {
            int j = (int)Bounded32((uint)i, (uint)Mask((uint)i));
            if (j == i) continue;
            if (row == 1) (data[i], data[j]) = (data[j], data[i]);
            else
            {
                var ri = data.Slice(i * row, row);
                var rj = data.Slice(j * row, row);
                for (int k = 0; k < row; k++) (ri[k], rj[k]) = (rj[k], ri[k]);
            }
        }
    }

    // choice without replacement with probabilities: draw batches, zero the probabilities already taken and keep
    // the first occurrence of each new index, until enough distinct indices are found.
    void ChooseDistinct(double[] prob, long[] found)
    {
        int size = found.Length, nonZero = 0;
        foreach (var v in prob) if (v > 0) nonZero++;
        if (nonZero < size)
            throw new ArgumentException($"RandomState.Choice: fewer non-zero entries in p ({nonZero}) than size ({size}).");
        var p = (double[])prob.Clone();
        var taken = new bool[p.Length];
        int n = 0;
        while (n < size)
        {
            var x = new double[size - n];
            for (int i = 0; i < x.Length; i++) x[i] = mt.NextDouble();
            for (int i = 0; i < n; i++) p[found[i]] = 0;
            var cdf = Cdf(p);
            foreach (var u in x)
            {
                int k = SearchSortedRight(cdf, u);
                if (!taken[k]) { taken[k] = true; found[n++] = k; }
            }
        }
    }

    static double[] CheckProbabilities(NDArray p, int a, string op)
    {
        if (p.Ndim != 1) throw new ArgumentException($"{op}: p must be 1-dimensional, got shape {ShapeUtil.Str(p.Dims)}.", nameof(p));
        if (p.Size != a) throw new ArgumentException($"{op}: a ({a}) and p (shape {ShapeUtil.Str(p.Dims)}) must have the same size.", nameof(p));
        var prob = p.ToArray<double>();
        // NumPy's tolerance: sqrt(eps) of float64, or of the probabilities' own float type when that is coarser.
        double atol = p.DType == DType.Float32 ? MathF.Sqrt(MathF.BitIncrement(1f) - 1f) : Math.Sqrt(Math.BitIncrement(1.0) - 1.0);
        double sum = KahanSum(prob);
        if (double.IsNaN(sum)) throw new ArgumentException($"{op}: probabilities contain NaN.", nameof(p));
        foreach (var v in prob)
            if (v < 0) throw new ArgumentException($"{op}: probabilities are not non-negative.", nameof(p));
        if (Math.Abs(sum - 1.0) > atol) throw new ArgumentException($"{op}: probabilities do not sum to 1 (sum={sum:R}).", nameof(p));
        return prob;
    }

    static double KahanSum(double[] v)
    {
        if (v.Length == 0) return 0;
        double sum = v[0], c = 0;
        for (int i = 1; i < v.Length; i++)
        {
            double y = v[i] - c, t = sum + y;
            c = (t - sum) - y;
            sum = t;
        }
        return sum;
    }

    // np.cumsum(p) / its last element.
    static double[] Cdf(double[] p)
    {
        var cdf = new double[p.Length];
        double acc = 0;
        for (int i = 0; i < p.Length; i++) cdf[i] = acc += p[i];
        double last = cdf[^1];
        for (int i = 0; i < cdf.Length; i++) cdf[i] /= last;
        return cdf;
    }

    // searchsorted(side='right'): the number of entries ≤ u.
    static int SearchSortedRight(double[] cdf, double u)
    {
        int lo = 0, hi = cdf.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] <= u) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    static NDArray NewArray(int[] shape, DType dtype, string op)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ShapeUtil.SizeOf(shape, op);
        return NDArray.Empty(dtype, (int[])shape.Clone());
    }
}
