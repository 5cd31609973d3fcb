using System.Numerics;
using DeZero.Numerics.Kernels;

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
        int[] xDims = a.Ndim == 1 ? [1, a.Dims[0]] : a.Dims;
        int[] yDims = b.Ndim == 1 ? [b.Dims[0], 1] : b.Dims;
        int m = xDims[^2], k = xDims[^1], n = yDims[^1];
        if (k != yDims[^2])
            throw new ArgumentException($"NDArray.MatMul: shapes {ShapeUtil.Str(a.Dims)} and {ShapeUtil.Str(b.Dims)} are not aligned: {k} (dim {a.Ndim - 1}) != {yDims[^2]} (dim {Math.Max(0, b.Ndim - 2)}).");
        var xBatch = xDims[..^2];
        var yBatch = yDims[..^2];
        if (!ShapeUtil.TryBroadcast(xBatch, yBatch, out var batch))
            throw new ArgumentException($"NDArray.MatMul: the batch axes of shapes {ShapeUtil.Str(a.Dims)} and {ShapeUtil.Str(b.Dims)} do not broadcast together.");
        var outDims = new List<int>(batch);
        if (a.Ndim > 1) outDims.Add(m);
        if (b.Ndim > 1) outDims.Add(n);
        var shape = outDims.ToArray();
        ShapeUtil.SizeOf(shape, "NDArray.MatMul");

        var dt = DTypes.Promote(a.DType, b.DType);
        // Bool products are logical (or of ands): count in int64, then test for nonzero.
        var ct = dt == DType.Bool ? DType.Int64 : dt;
        var x = a.As(ct);
        var y = b.As(ct);
        var r = Uninitialized(ct, shape);
        int count = ShapeUtil.SizeOf(batch, "NDArray.MatMul");
        int xCount = ShapeUtil.SizeOf(xBatch, "NDArray.MatMul"), yCount = ShapeUtil.SizeOf(yBatch, "NDArray.MatMul");
        if (yCount == 1 && xCount == count)
        {
            // One product of all the stacked rows of x with the single matrix y.
            m *= count;
            count = 1;
        }
        var sx = ShapeUtil.BroadcastStrides(xBatch, batch);
        var sy = ShapeUtil.BroadcastStrides(yBatch, batch);
        var idx = new int[batch.Length];
        for (int i = 0, ox = 0, oy = 0; i < count; i++)
        {
            DTypeSwitch.Number(ct, new BatchProduct(x, ox, y, oy, r, i, m, n, k));
            // Advance the batch index (matrix offsets ox, oy) in C order.
            for (int d = batch.Length - 1; d >= 0; d--)
            {
                ox += sx[d]; oy += sy[d];
                if (++idx[d] < batch[d]) break;
                ox -= sx[d] * batch[d]; oy -= sy[d] * batch[d];
                idx[d] = 0;
            }
        }
        return dt == DType.Bool ? r.AsType(DType.Bool) : r;
    }

    // Product number i: matrix ox of x (m×k) times matrix oy of y (k×n) into matrix i of r.
    readonly struct BatchProduct(NDArray x, int ox, NDArray y, int oy, NDArray r, int i, int m, int n, int k) : INumberOp
    {
        public void Invoke<T>() where T : unmanaged, INumber<T>, IMinMaxValue<T> =>
            Gemm.Multiply(false, false, m, n, k, x.Span<T>().Slice(ox * m * k, m * k), k, y.Span<T>().Slice(oy * k * n, k * n), n,
                r.Span<T>().Slice(i * m * n, m * n), n);
    }

    /// <summary>
    /// NumPy's <c>np.dot</c>: inner product of vectors, matrix product of matrices, product with a 0-d array, and
    /// for N-D arrays a sum product over the last axis of <paramref name="a"/> and the second-to-last of <paramref name="b"/>.
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
            throw new ArgumentException($"NDArray.Dot: shapes {ShapeUtil.Str(a.Dims)} and {ShapeUtil.Str(b.Dims)} are not aligned: {k} (dim {a.Ndim - 1}) != {kb} (dim {Math.Max(0, b.Ndim - 2)}).");
        var lead = a.Dims[..^1];
        var a2 = a.Reshape(ShapeUtil.SizeOf(lead, "NDArray.Dot"), k);
        if (b.Ndim == 1) return MatMul(a2, b).Reshape(lead);
        // Move b's contraction axis first; then one 2-D product does the whole sum.
        int nd = b.Ndim;
        var perm = new[] { nd - 2 }.Concat(Enumerable.Range(0, nd).Where(i => i != nd - 2)).ToArray();
        var rest = perm[1..].Select(i => b.Dims[i]).ToArray();
        var bt = (nd == 2 ? b : b.Transpose(perm)).Reshape(k, ShapeUtil.SizeOf(rest, "NDArray.Dot"));
        return MatMul(a2, bt).Reshape([.. lead, .. rest]);
    }
}
