using System.Numerics;

namespace DeZero;

/// <summary>
/// Max and average pooling over (N, C, H, W) images. Padding takes part as zeros, like the book's
/// im2col-based pooling; a max window records the offset j·KW + i of its first maximum.
/// </summary>
internal static class PoolKernel
{
    public static void Max<T>(ReadOnlySpan<T> x, Span<T> y, Span<int> index, in ConvGeometry g) where T : unmanaged, INumber<T>
    {
        if (g is { KH: 2, KW: 2, SH: 2, SW: 2, PH: 0, PW: 0 })
        {
            Max2x2(x, y, index, g);
            return;
        }
        int oh = g.OH, ow = g.OW, hw = g.H * g.W, o = 0;
        for (int nc = 0; nc < g.N * g.C; nc++)
        {
            var plane = x.Slice(nc * hw, hw);
            for (int py = 0; py < oh; py++)
                for (int px = 0; px < ow; px++, o++)
                {
                    T best = default;
                    int arg = -1;
                    for (int j = 0; j < g.KH; j++)
                    {
                        int sy = py * g.SH + j - g.PH;
                        for (int i = 0; i < g.KW; i++)
                        {
                            int sx = px * g.SW + i - g.PW;
                            T v = (uint)sy < (uint)g.H && (uint)sx < (uint)g.W ? plane[sy * g.W + sx] : T.Zero;
                            if (arg < 0 || v > best || (T.IsNaN(v) && !T.IsNaN(best))) { best = v; arg = j * g.KW + i; }
                        }
                    }
                    y[o] = best;
                    index[o] = arg;
                }
        }
    }

    // The common 2×2, stride-2 window without padding: four reads per output, same first-maximum and NaN rules.
    static void Max2x2<T>(ReadOnlySpan<T> x, Span<T> y, Span<int> index, in ConvGeometry g) where T : unmanaged, INumber<T>
    {
        int oh = g.OH, ow = g.OW, w = g.W, hw = g.H * w, o = 0;
        for (int nc = 0; nc < g.N * g.C; nc++)
        {
            var plane = x.Slice(nc * hw, hw);
            for (int py = 0; py < oh; py++)
            {
                var r0 = plane.Slice(2 * py * w, w);
                var r1 = plane.Slice((2 * py + 1) * w, w);
                for (int px = 0; px < ow; px++, o++)
                {
                    int c = 2 * px;
                    T best = r0[c];
                    int arg = 0;
                    if (!T.IsNaN(best))
                    {
                        if (r0[c + 1] > best || T.IsNaN(r0[c + 1])) { best = r0[c + 1]; arg = 1; }
                        if (!T.IsNaN(best) && (r1[c] > best || T.IsNaN(r1[c]))) { best = r1[c]; arg = 2; }
                        if (!T.IsNaN(best) && (r1[c + 1] > best || T.IsNaN(r1[c + 1]))) { best = r1[c + 1]; arg = 3; }
                    }
                    y[o] = best;
                    index[o] = arg;
                }
            }
        }
    }

    /// <summary>Routes each output gradient to the input position its window's maximum came from.</summary>
    public static void MaxBackward<T>(ReadOnlySpan<T> gy, ReadOnlySpan<int> index, Span<T> gx, in ConvGeometry g) where T : unmanaged, INumber<T>
    {
        gx.Clear();
        int oh = g.OH, ow = g.OW, hw = g.H * g.W, o = 0;
        if (g is { KH: 2, KW: 2, SH: 2, SW: 2, PH: 0, PW: 0 })
        {
            // Non-overlapping 2×2 windows: offset 0–3 is (row, column) = (k >> 1, k & 1) inside the window.
            for (int nc = 0; nc < g.N * g.C; nc++)
                for (int py = 0; py < oh; py++)
                {
                    var plane = gx.Slice(nc * hw, hw);
                    for (int px = 0; px < ow; px++, o++)
                        plane[(2 * py + (index[o] >> 1)) * g.W + 2 * px + (index[o] & 1)] = gy[o];
                }
            return;
        }
        for (int nc = 0; nc < g.N * g.C; nc++)
            for (int py = 0; py < oh; py++)
                for (int px = 0; px < ow; px++, o++)
                {
                    int sy = py * g.SH + index[o] / g.KW - g.PH, sx = px * g.SW + index[o] % g.KW - g.PW;
                    if ((uint)sy < (uint)g.H && (uint)sx < (uint)g.W) gx[nc * hw + sy * g.W + sx] += gy[o];
                }
    }

    /// <summary>Picks, for every window, the element at the recorded offset (zero on padding).</summary>
    public static void Gather<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> index, Span<T> y, in ConvGeometry g) where T : unmanaged, INumber<T>
    {
        int oh = g.OH, ow = g.OW, hw = g.H * g.W, o = 0;
        for (int nc = 0; nc < g.N * g.C; nc++)
            for (int py = 0; py < oh; py++)
                for (int px = 0; px < ow; px++, o++)
                {
                    int sy = py * g.SH + index[o] / g.KW - g.PH, sx = px * g.SW + index[o] % g.KW - g.PW;
                    y[o] = (uint)sy < (uint)g.H && (uint)sx < (uint)g.W ? x[nc * hw + sy * g.W + sx] : T.Zero;
                }
    }

    public static void Average<T>(ReadOnlySpan<T> x, Span<T> y, in ConvGeometry g) where T : unmanaged, INumber<T>
    {
        int oh = g.OH, ow = g.OW, hw = g.H * g.W, o = 0;
        T area = T.CreateTruncating(g.KH * g.KW);
        for (int nc = 0; nc < g.N * g.C; nc++)
        {
            var plane = x.Slice(nc * hw, hw);
            for (int py = 0; py < oh; py++)
                for (int px = 0; px < ow; px++, o++)
                {
                    T s = T.Zero;
                    for (int j = 0; j < g.KH; j++)
                    {
                        int sy = py * g.SH + j - g.PH;
                        if ((uint)sy >= (uint)g.H) continue;
                        for (int i = 0; i < g.KW; i++)
                        {
                            int sx = px * g.SW + i - g.PW;
                            if ((uint)sx < (uint)g.W) s += plane[sy * g.W + sx];
                        }
                    }
                    y[o] = s / area;
                }
        }
    }

    /// <summary>Spreads each output gradient evenly over its window (the adjoint of <see cref="Average"/>).</summary>
    public static void AverageBackward<T>(ReadOnlySpan<T> gy, Span<T> gx, in ConvGeometry g) where T : unmanaged, INumber<T>
    {
        gx.Clear();
        int oh = g.OH, ow = g.OW, hw = g.H * g.W, o = 0;
        T area = T.CreateTruncating(g.KH * g.KW);
        for (int nc = 0; nc < g.N * g.C; nc++)
        {
            var plane = gx.Slice(nc * hw, hw);
            for (int py = 0; py < oh; py++)
                for (int px = 0; px < ow; px++, o++)
                {
                    T v = gy[o] / area;
                    for (int j = 0; j < g.KH; j++)
                    {
                        int sy = py * g.SH + j - g.PH;
                        if ((uint)sy >= (uint)g.H) continue;
                        for (int i = 0; i < g.KW; i++)
                        {
                            int sx = px * g.SW + i - g.PW;
                            if ((uint)sx < (uint)g.W) plane[sy * g.W + sx] += v;
                        }
                    }
                }
        }
    }
}
