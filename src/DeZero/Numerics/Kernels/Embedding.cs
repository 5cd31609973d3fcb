using System.Numerics;
using System.Numerics.Tensors;

namespace DeZero.Numerics.Kernels;

/// <summary>Row gathers and scatter-adds of an embedding matrix (F.EmbedID and its gradient).</summary>
internal static class EmbeddingKernel
{
    /// <summary>y[i] = w[rows[i]] for rows of <paramref name="rowLen"/> elements; y has w's dtype.</summary>
    public static void Gather(NDArray w, int[] rows, int rowLen, NDArray y) => DTypeSwitch.Element(w.DType, new GatherOp(w, rows, rowLen, y));

    /// <summary>gw[rows[i]] += gy[i] in order of i, like <c>np.add.at</c>; gw is float and starts zeroed.</summary>
    public static void ScatterAdd(NDArray gy, int[] rows, int rowLen, NDArray gw) => DTypeSwitch.Float(gy.DType, new ScatterAddOp(gy, rows, rowLen, gw));

    readonly struct GatherOp(NDArray w, int[] rows, int rowLen, NDArray y) : IElementOp
    {
        public void Invoke<T>() where T : unmanaged
        {
            ReadOnlySpan<T> src = w.Span<T>();
            Span<T> dst = y.Span<T>();
            for (int i = 0; i < rows.Length; i++)
                src.Slice(rows[i] * rowLen, rowLen).CopyTo(dst.Slice(i * rowLen, rowLen));
        }
    }

    readonly struct ScatterAddOp(NDArray gy, int[] rows, int rowLen, NDArray gw) : IFloatOp
    {
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            ReadOnlySpan<T> src = gy.Span<T>();
            Span<T> dst = gw.Span<T>();
            for (int i = 0; i < rows.Length; i++)
            {
                var row = dst.Slice(rows[i] * rowLen, rowLen);
                TensorPrimitives.Add(row, src.Slice(i * rowLen, rowLen), row);
            }
        }
    }
}
