using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DeZero.Numerics.Kernels;

namespace DeZero;

public sealed partial class NDArray
{
    enum RedOp { Sum, Max, Min }

    /// <summary>Sum over the given axes (all when null), NumPy's <c>sum</c>; integers and bools sum as int64.</summary>
    public NDArray Sum(int[]? axis = null, bool keepdims = false) => Reduce(axis, keepdims, RedOp.Sum, "NDArray.Sum");
    /// <summary>Sum over one axis.</summary>
    public NDArray Sum(int axis, bool keepdims = false) => Sum([axis], keepdims);

    /// <summary>Maximum over the given axes (all when null); NaN propagates.</summary>
    public NDArray Max(int[]? axis = null, bool keepdims = false) => Reduce(axis, keepdims, RedOp.Max, "NDArray.Max");
    /// <summary>Maximum over one axis.</summary>
    public NDArray Max(int axis, bool keepdims = false) => Max([axis], keepdims);

    /// <summary>Minimum over the given axes (all when null); NaN propagates.</summary>
    public NDArray Min(int[]? axis = null, bool keepdims = false) => Reduce(axis, keepdims, RedOp.Min, "NDArray.Min");
    /// <summary>Minimum over one axis.</summary>
    public NDArray Min(int axis, bool keepdims = false) => Min([axis], keepdims);

    /// <summary>Arithmetic mean over the given axes (all when null); integers give float64.</summary>
    public NDArray Mean(int[]? axis = null, bool keepdims = false)
    {
        var ax = ShapeUtil.Axes(axis, Dims, "NDArray.Mean");
        int count = 1;
        foreach (var a in ax) count *= Dims[a];
        var s = (DType.IsFloat() ? this : AsType(DType.Float64)).Sum(ax, keepdims);
        // In place like NumPy: a float32 result stays float32 (a 0-d one is divided in float64 and rounded).
        s.DivideInPlace((double)count);
        return s;
    }
    /// <summary>Mean over one axis.</summary>
    public NDArray Mean(int axis, bool keepdims = false) => Mean([axis], keepdims);

    /// <summary>Variance (mean squared deviation from the mean) over the given axes (all when null), NumPy's <c>var</c>; integers give float64.</summary>
    public NDArray Var(int[]? axis = null, bool keepdims = false)
    {
        var ax = ShapeUtil.Axes(axis, Dims, "NDArray.Var");
        int count = 1;
        foreach (var a in ax) count *= Dims[a];
        var d = this - Mean(ax, keepdims: true);
        d.MultiplyInPlace(d);
        var s = d.Sum(ax, keepdims);
        s.DivideInPlace((double)count);
        return s;
    }
    /// <summary>Variance over one axis.</summary>
    public NDArray Var(int axis, bool keepdims = false) => Var([axis], keepdims);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    NDArray Reduce(int[]? axis, bool keepdims, RedOp op, string name)
    {
        var ax = ShapeUtil.Axes(axis, Dims, name);
        var keep = new bool[Ndim];
        foreach (var a in ax) keep[a] = true;
        var outKeep = new int[Ndim];
        var outShape = new List<int>();
        int n = 1;
        for (int i = 0; i < Ndim; i++)
        {
            outKeep[i] = keep[i] ? 1 : Dims[i];
            if (keep[i]) n *= Dims[i]; else outShape.Add(Dims[i]);
        }
        if (n == 0 && op != RedOp.Sum)
            throw new ArgumentException($"{name}: zero-size array to reduction operation which has no identity (shape {ShapeUtil.Str(Dims)}, axis ({string.Join(", ", ax)})).");

        // Move the reduced axes last (a copy only when they are not already), so each output is one contiguous run.
        bool suffix = true;
        for (int i = 0; i < ax.Length; i++) suffix &= ax[i] == Ndim - ax.Length + i;
        bool prefix = true;
        for (int i = 0; i < ax.Length; i++) prefix &= ax[i] == i;
        var src = this;
        // Leading and trailing axes together (a conv bias gradient sums over N, H, W): reduce the trailing run,
        // then the leading rows, instead of transposing the whole array.
        int lead = 0;
        while (lead < ax.Length && ax[lead] == lead) lead++;
        // (Sorted, distinct axes that start at Ndim − count after the leading run are exactly the trailing axes.)
        if (!suffix && !prefix && lead > 0 && ax[lead] == Ndim - (ax.Length - lead) && DType != DType.Bool)
        {
            var inner = Reduce(ax[lead..], keepdims: true, op, name);
            var outer = inner.Reduce(ax[..lead], keepdims: true, op, name);
            return keepdims ? outer : outer.Reshape(outShape.ToArray());
        }
        if (!suffix && !prefix)
        {
            var perm = Enumerable.Range(0, Ndim).Where(i => !keep[i]).Concat(ax).ToArray();
            src = Transpose(perm);
            prefix = false;
        }
        var dt = op == RedOp.Sum && !DType.IsFloat() ? DType.Int64 : DType;
        var x = dt == DType.Bool ? src.AsType(DType.Int32) : src.As(dt);
        var r = Uninitialized(x.DType, keepdims ? outKeep : outShape.ToArray());
        DTypeSwitch.Number(x.DType, new Reduction(x, r, n, prefix && !suffix, op));
        return dt == DType.Bool ? r.AsType(DType.Bool) : r;
    }

    readonly struct Reduction(NDArray x, NDArray r, int n, bool rows, RedOp op) : INumberOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, INumber<T>, IMinMaxValue<T>
        {
            int m = r.Size;
            if (rows || m < 2 || (long)m * n < ParallelRuns || Environment.ProcessorCount == 1)
            {
                Reduce<T>(x.Span<T>(), r.Span<T>(), n, rows, op);
                return;
            }
            // Many runs over a large array (a convolution's bias gradient sums N·C planes): parts of the runs on all
            // cores, each run reduced as it would be alone.
            var (a, d, len, o) = (x, r, n, op);
            int parts = Math.Min(m, 8 * Environment.ProcessorCount);
            Workers.Run(parts, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (p) =>
            {
                int from = (int)((long)p * m / parts), to = (int)((long)(p + 1) * m / parts);
                Reduce<T>(a.Span<T>().Slice(from * len, (to - from) * len), d.Span<T>()[from..to], len, false, o);
            });
        }
    }

    // Reductions of runs over at least this many elements in all run in parts on all cores.
    const long ParallelRuns = 1 << 17;

    // rows = true: the input is n rows of r.Length elements combined row by row (reduced axes leading);
    // otherwise r.Length contiguous runs of n elements.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Reduce<T>(ReadOnlySpan<T> x, Span<T> r, int n, bool rows, RedOp op) where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        int m = r.Length;
        // Rows of one element are one contiguous run, which NumPy sums pairwise (a (100, 1) array over axis 0, say).
        if (rows && m != 1)
        {
            if (n == 0) { r.Clear(); return; }
            x[..m].CopyTo(r);
            if (op == RedOp.Sum)
            {
                // Each element adds its column's rows in order, as NumPy does.
                if (m < Rows.Short) SumShortRows(x, r, n);
                else
                    for (int i = 1; i < n; i++) AddOp<T>.VV(r, x.Slice(i * m, m), r);
                return;
            }
            for (int i = 1; i < n; i++)
            {
                var row = x.Slice(i * m, m);
                if (op == RedOp.Max) TensorPrimitives.Max(r, row, r);
                else TensorPrimitives.Min(r, row, r);
            }
            return;
        }
        for (int o = 0; o < m; o++)
        {
            var run = x.Slice(o * n, n);
            r[o] = op switch
            {
                RedOp.Sum => PairwiseSum(run),
                RedOp.Max => TensorPrimitives.Max(run),
                _ => TensorPrimitives.Min(run),
            };
        }
    }

    // r (holding row 0) += rows 1 … n−1 of x, for rows shorter than a few vectors (a bias gradient): a vector of
    // columns at a time is kept in a register down all the rows, instead of a short vector loop per row.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void SumShortRows<T>(ReadOnlySpan<T> x, Span<T> r, int n) where T : unmanaged, INumber<T>
    {
        int m = r.Length, j = 0;
        if (x.Length < m * n) throw new ArgumentException($"SumShortRows: {x.Length} elements for {n} rows of {m}.");
        // Unchecked loads and stores: x holds n rows of m elements (checked above).
        ref T xr = ref MemoryMarshal.GetReference(x), rr = ref MemoryMarshal.GetReference(r);
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && m >= Vector<T>.Count)
        {
            // The last columns' vector ends at m, overlapping the one before (no scalar columns): it is summed from r
            // as it was, so a column both cover gets the same sum twice.
            var last = m - Vector<T>.Count;
            var tail = Column(ref xr, ref rr, last, m, n);
            for (; j < last; j += Vector<T>.Count) Column(ref xr, ref rr, j, m, n).StoreUnsafe(ref rr, (nuint)j);
            tail.StoreUnsafe(ref rr, (nuint)last);
            return;
        }
        for (; j < m; j++)
        {
            T acc = r[j];
            for (int i = 1; i < n; i++) acc += x[i * m + j];
            r[j] = acc;
        }
    }

    // r[j…] + the rows 1 … n−1 of x at columns j…, one vector of columns.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector<T> Column<T>(ref T x, ref T r, int j, int m, int n) where T : unmanaged, INumber<T>
    {
        var acc = Vector.LoadUnsafe(ref r, (nuint)j);
        for (int i = 1; i < n; i++) acc += Vector.LoadUnsafe(ref x, (nuint)(i * m + j));
        return acc;
    }

    // NumPy sums contiguous float runs pairwise in blocks of 128 with 8 partial sums; matching its order keeps
    // results equal to NumPy's to the last bit. The 8 partial sums are SIMD lanes (one Vector256 of float, two
    // of double), which add exactly as the scalar code would. Integer sums are exact in any order.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static T PairwiseSum<T>(ReadOnlySpan<T> a) where T : unmanaged, INumber<T>
    {
        if (typeof(T) != typeof(double) && typeof(T) != typeof(float)) return TensorPrimitives.Sum(a);
        int n = a.Length;
        if (n < 8)
        {
            T s = T.Zero;
            for (int i = 0; i < n; i++) s += a[i];
            return s;
        }
        if (n <= 128)
        {
            int i = 8, end = n - n % 8;
            T res;
            if (Vector256.IsHardwareAccelerated && Vector256<T>.Count * 2 == 8)
            {
                var lo = Vector256.Create(a[..4]);
                var hi = Vector256.Create(a[4..8]);
                for (; i < end; i += 8)
                {
                    lo += Vector256.Create(a.Slice(i, 4));
                    hi += Vector256.Create(a.Slice(i + 4, 4));
                }
                res = Combine(lo[0], lo[1], lo[2], lo[3], hi[0], hi[1], hi[2], hi[3]);
            }
            else if (Vector256.IsHardwareAccelerated && Vector256<T>.Count == 8)
            {
                var r = Vector256.Create(a[..8]);
                for (; i < end; i += 8) r += Vector256.Create(a.Slice(i, 8));
                res = Combine(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
            }
            else
            {
                T r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3], r4 = a[4], r5 = a[5], r6 = a[6], r7 = a[7];
                for (; i < end; i += 8)
                {
                    r0 += a[i]; r1 += a[i + 1]; r2 += a[i + 2]; r3 += a[i + 3];
                    r4 += a[i + 4]; r5 += a[i + 5]; r6 += a[i + 6]; r7 += a[i + 7];
                }
                res = Combine(r0, r1, r2, r3, r4, r5, r6, r7);
            }
            for (; i < n; i++) res += a[i];
            return res;
        }
        int half = n / 2;
        half -= half % 8;
        return PairwiseSum(a[..half]) + PairwiseSum(a[half..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static T Combine<T>(T r0, T r1, T r2, T r3, T r4, T r5, T r6, T r7) where T : INumber<T> =>
        ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));

    /// <summary>Index of the maximum (of the flattened array when axis is null) as int64; the first one (or the first NaN) wins.</summary>
    public NDArray Argmax(int? axis = null, bool keepdims = false) => ArgReduce(axis, keepdims, true, "NDArray.Argmax");

    /// <summary>Index of the minimum (of the flattened array when axis is null) as int64; the first one (or the first NaN) wins.</summary>
    public NDArray Argmin(int? axis = null, bool keepdims = false) => ArgReduce(axis, keepdims, false, "NDArray.Argmin");

    NDArray ArgReduce(int? axis, bool keepdims, bool max, string name)
    {
        NDArray src;
        int[] outShape;
        if (axis is null)
        {
            src = Reshape(Size);
            outShape = keepdims ? Enumerable.Repeat(1, Ndim).ToArray() : [];
        }
        else
        {
            int a = ShapeUtil.Axis(axis.Value, Dims, name);
            var perm = Enumerable.Range(0, Ndim).Where(i => i != a).Append(a).ToArray();
            src = a == Ndim - 1 ? this : Transpose(perm);
            outShape = keepdims ? Dims.Select((d, i) => i == a ? 1 : d).ToArray() : Dims.Where((_, i) => i != a).ToArray();
        }
        int n = src.Dims[^1];
        if (n == 0) throw new ArgumentException($"{name}: attempt to get the index of an empty sequence (shape {ShapeUtil.Str(Dims)}, axis {(axis is null ? "None" : axis)}).");
        var r = new long[src.Size / n];
        if (src.DType == DType.Bool) src = src.AsType(DType.Int32);
        DTypeSwitch.Number(src.DType, new ArgReduction(src, n, r, max));
        return new NDArray(r, outShape, DType.Int64);
    }

    readonly struct ArgReduction(NDArray x, int n, long[] r, bool max) : INumberOp
    {
        public void Invoke<T>() where T : unmanaged, INumber<T>, IMinMaxValue<T> => ArgReduce(x.Span<T>(), n, r, max);
    }

    static void ArgReduce<T>(ReadOnlySpan<T> x, int n, long[] r, bool max) where T : INumber<T>
    {
        for (int o = 0; o < r.Length; o++)
        {
            var run = x.Slice(o * n, n);
            int best = 0;
            for (int i = 1; i < n && !T.IsNaN(run[best]); i++)
                if (T.IsNaN(run[i]) || (max ? run[i] > run[best] : run[i] < run[best])) best = i;
            r[o] = best;
        }
    }
}
