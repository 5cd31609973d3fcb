using System.Numerics;

namespace DeZero;

public sealed partial class NDArray
{
    /// <summary>
    /// Matrix product with NumPy's <c>np.matmul</c> rules: 2-D·2-D, 1-D operands promoted to a matrix and
    /// the added axis removed, and N-D operands as stacks of matrices with broadcast batch axes.
    /// </summary>
    public static NDArray MatMul(NDArray a, NDArray b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Ndim == 0 || b.Ndim == 0)
            throw new ArgumentException($"NDArray.MatMul: operands must not be 0-d, got shapes {ShapeUtil.Str(a.Dims)} and {ShapeUtil.Str(b.Dims)}.");
        var x = a.Ndim == 1 ? a.Reshape(1, a.Dims[0]) : a;
        var y = b.Ndim == 1 ? b.Reshape(b.Dims[0], 1) : b;
        int m = x.Dims[^2], k = x.Dims[^1], k2 = y.Dims[^2], n = y.Dims[^1];
        if (k != k2)
            throw new ArgumentException($"NDArray.MatMul: shapes {ShapeUtil.Str(a.Dims)} and {ShapeUtil.Str(b.Dims)} are not aligned: {k} (dim {a.Ndim - 1}) != {k2} (dim {Math.Max(0, b.Ndim - 2)}).");
        var batch = ShapeUtil.Broadcast(x.Dims[..^2], y.Dims[..^2], "NDArray.MatMul");
        var dt = DTypes.Promote(a.DType, b.DType);
        if (dt == DType.Bool) dt = DType.Int64;
        x = x.As(dt).BroadcastTo([.. batch, m, k]);
        y = y.As(dt).BroadcastTo([.. batch, k, n]);
        var r = Empty(dt, [.. batch, m, n]);
        int count = ShapeUtil.SizeOf(batch, "NDArray.MatMul");
        for (int i = 0; i < count; i++)
        {
            switch (dt)
            {
                case DType.Float64: Mm<double>(x, y, r, i, m, n, k); break;
                case DType.Float32: Mm<float>(x, y, r, i, m, n, k); break;
                case DType.Int64: Mm<long>(x, y, r, i, m, n, k); break;
                default: Mm<int>(x, y, r, i, m, n, k); break;
            }
        }
        var shape = r.Shape.ToList();
        if (b.Ndim == 1) shape.RemoveAt(shape.Count - 1);
        if (a.Ndim == 1) shape.RemoveAt(shape.Count - (b.Ndim == 1 ? 1 : 2));
        return r.Reshape(shape.ToArray());
    }

    static void Mm<T>(NDArray x, NDArray y, NDArray r, int i, int m, int n, int k) where T : unmanaged, INumber<T> =>
        Gemm.Multiply(false, false, m, n, k, x.Span<T>().Slice(i * m * k, m * k), k, y.Span<T>().Slice(i * k * n, k * n), n,
            r.Span<T>().Slice(i * m * n, m * n), n);

    /// <summary>
    /// NumPy's <c>np.dot</c>: inner product of vectors, matrix product of matrices, and for N-D arrays a sum
    /// product over the last axis of <paramref name="a"/> and the second-to-last of <paramref name="b"/>.
    /// </summary>
    public static NDArray Dot(NDArray a, NDArray b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Ndim == 0 || b.Ndim == 0) return a * b;
        if (a.Ndim <= 2 && b.Ndim <= 2) return MatMul(a, b);
        int k = a.Dims[^1];
        int kb = b.Ndim == 1 ? b.Dims[0] : b.Dims[^2];
        if (k != kb)
            throw new ArgumentException($"NDArray.Dot: shapes {ShapeUtil.Str(a.Dims)} and {ShapeUtil.Str(b.Dims)} are not aligned: {k} != {kb}.");
        var lead = a.Dims[..^1];
        if (b.Ndim == 1) return MatMul(a.Reshape(-1, k), b).Reshape(lead);
        // Move b's contraction axis first, then one 2-D product does the whole sum.
        int nd = b.Ndim;
        var perm = new[] { nd - 2 }.Concat(Enumerable.Range(0, nd).Where(i => i != nd - 2)).ToArray();
        var rest = perm[1..].Select(i => b.Dims[i]).ToArray();
        var bt = b.Transpose(perm).Reshape(k, -1);
        return MatMul(a.Reshape(-1, k), bt).Reshape([.. lead, .. rest]);
    }
}
