using System.Runtime.CompilerServices;

namespace DeZero.Numerics.Kernels;

/// <summary>A kernel applied to one output row of a broadcast binary operation.</summary>
/// <remarks>
/// <c>x</c> and <c>y</c> hold <c>d.Length</c> elements when their stride is 1, or the single element to
/// repeat when it is 0.
/// </remarks>
internal interface IRowKernel<T, R>
{
    static abstract void Row(ReadOnlySpan<T> x, int sx, ReadOnlySpan<T> y, int sy, Span<R> d);
}

/// <summary>Drives a row kernel over two broadcast operands, merging dimensions that are contiguous in both.</summary>
internal static class Broadcast
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, R, TK>(ReadOnlySpan<T> x, int[] xShape, ReadOnlySpan<T> y, int[] yShape, Span<R> d, int[] outShape)
        where TK : IRowKernel<T, R>
    {
        if (d.Length == 0) return;
        if (x.Length == d.Length && y.Length == d.Length) { TK.Row(x, 1, y, 1, d); return; }
        if (x.Length == d.Length && y.Length == 1) { TK.Row(x, 1, y, 0, d); return; }
        if (x.Length == 1 && y.Length == d.Length) { TK.Row(x, 0, y, 1, d); return; }

        var sx = ShapeUtil.BroadcastStrides(xShape, outShape);
        var sy = ShapeUtil.BroadcastStrides(yShape, outShape);
        Coalesce(outShape, sx, sy, out var dims, out var ax, out var ay);
        int nd = dims.Length;
        int n = dims[nd - 1], ix = ax[nd - 1], iy = ay[nd - 1];
        Span<int> idx = stackalloc int[nd];
        int ox = 0, oy = 0;
        for (int o = 0; o < d.Length; o += n)
        {
            TK.Row(x.Slice(ox, ix == 0 ? 1 : n), ix, y.Slice(oy, iy == 0 ? 1 : n), iy, d.Slice(o, n));
            for (int k = nd - 2; k >= 0; k--)
            {
                ox += ax[k]; oy += ay[k];
                if (++idx[k] < dims[k]) break;
                ox -= ax[k] * dims[k]; oy -= ay[k] * dims[k];
                idx[k] = 0;
            }
        }
    }

    // Drops size-1 dimensions and merges neighbours that are contiguous in both operands.
    static void Coalesce(int[] shape, int[] sx, int[] sy, out int[] dims, out int[] ax, out int[] ay)
    {
        var ld = new List<int>(); var lx = new List<int>(); var ly = new List<int>();
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == 1) continue;
            int c = ld.Count - 1;
            if (c >= 0 && lx[c] == sx[i] * shape[i] && ly[c] == sy[i] * shape[i])
            {
                ld[c] *= shape[i]; lx[c] = sx[i]; ly[c] = sy[i];
            }
            else { ld.Add(shape[i]); lx.Add(sx[i]); ly.Add(sy[i]); }
        }
        if (ld.Count == 0) { ld.Add(1); lx.Add(0); ly.Add(0); }
        dims = ld.ToArray(); ax = lx.ToArray(); ay = ly.ToArray();
    }
}
