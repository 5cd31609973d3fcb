using System.Numerics;
using System.Runtime.CompilerServices;
using DeZero.Numerics.Kernels;

namespace DeZero;

public sealed partial class NDArray
{
    /// <summary>
    /// The 2-D product op(a)·op(b), where op transposes when asked; the transposes are read in place by
    /// the GEMM, never copied. The autograd uses it so MatMul's backward products need no transposed arrays.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static NDArray MatMul(NDArray a, NDArray b, bool transA, bool transB)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Ndim != 2 || b.Ndim != 2)
            throw new ArgumentException($"NDArray.MatMul: transposed operands must be 2-D, got shapes {ShapeUtil.Str(a.Dims)} and {ShapeUtil.Str(b.Dims)}.");
        int m = transA ? a.Dims[1] : a.Dims[0], k = transA ? a.Dims[0] : a.Dims[1];
        int kb = transB ? b.Dims[1] : b.Dims[0], n = transB ? b.Dims[0] : b.Dims[1];
        if (k != kb)
            throw new ArgumentException($"NDArray.MatMul: shapes {ShapeUtil.Str(a.Dims)}{(transA ? "ᵀ" : "")} and {ShapeUtil.Str(b.Dims)}{(transB ? "ᵀ" : "")} are not aligned: {k} != {kb}.");
        var dt = DTypes.Promote(a.DType, b.DType);
        if (dt == DType.Bool) dt = DType.Int64;
        var x = a.As(dt);
        var y = b.As(dt);
        var r = Uninitialized(dt, [m, n]);
        DTypeSwitch.Number(dt, new Product(x, y, r, transA, transB, m, n, k, Accumulate: false));
        return r;
    }

    /// <summary>
    /// x·W + b for 2-D x and W and a bias row b of the product's float dtype: b is copied into every row first and
    /// the product is accumulated onto it, so the output is written in one pass. Null when b is not such a row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static NDArray? MatMulAddRow(NDArray x, NDArray w, NDArray b)
    {
        var dt = DTypes.Promote(x.DType, w.DType);
        if (x.Ndim != 2 || w.Ndim != 2 || !dt.IsFloat() || b.DType != dt || x.Dims[1] != w.Dims[0]) return null;
        int m = x.Dims[0], n = w.Dims[1], k = x.Dims[1];
        if (b.Size != n || b.Ndim > 2 || b.Ndim == 2 && b.Dims[0] != 1 || m == 0 || n == 0) return null;
        var r = Uninitialized(dt, [m, n]);
        DTypeSwitch.Number(dt, new AffineProduct(x.As(dt), w.As(dt), b, r, m, n, k));
        return r;
    }

    /// <summary>c += op(a)·op(b) for 2-D float operands of c's dtype and shape; false (c untouched) when they are not.</summary>
    internal static bool TryMatMulAccumulate(NDArray a, NDArray b, bool transA, bool transB, NDArray c)
    {
        var dt = c.DType;
        if (a.DType != dt || b.DType != dt || !dt.IsFloat() || a.Ndim != 2 || b.Ndim != 2 || c.Ndim != 2) return false;
        int m = transA ? a.Dims[1] : a.Dims[0], k = transA ? a.Dims[0] : a.Dims[1];
        int kb = transB ? b.Dims[1] : b.Dims[0], n = transB ? b.Dims[0] : b.Dims[1];
        if (k != kb || c.Dims[0] != m || c.Dims[1] != n) return false;
        DTypeSwitch.Number(dt, new Product(a, b, c, transA, transB, m, n, k, Accumulate: true));
        return true;
    }

    // r = op(x)·op(y), or r += op(x)·op(y) when accumulating.
    readonly record struct Product(NDArray X, NDArray Y, NDArray R, bool TransA, bool TransB, int M, int N, int K, bool Accumulate) : INumberOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, INumber<T>, IMinMaxValue<T> =>
            Gemm.Multiply(TransA, TransB, M, N, K, X.Span<T>(), X.Dims[1], Y.Span<T>(), Y.Dims[1], R.Span<T>(), N, Accumulate);
    }

    // r = x·w + b, fused: b is copied into every row (doubling copies fill the rows in log2(m) calls) and the product
    // is accumulated onto it. Reference formula: NDArray.MatMul(x, w) + b, equal up to the rounding of adding the bias
    // first rather than last (a test compares them within that bound).
    readonly struct AffineProduct(NDArray x, NDArray w, NDArray b, NDArray r, int m, int n, int k) : INumberOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, INumber<T>, IMinMaxValue<T>
        {
            var y = r.Span<T>();
            b.Span<T>().CopyTo(y);
            for (int filled = n; filled < y.Length; filled *= 2) y[..Math.Min(filled, y.Length - filled)].CopyTo(y[filled..]);
            new Product(x, w, r, false, false, m, n, k, Accumulate: true).Invoke<T>();
        }
    }
}
