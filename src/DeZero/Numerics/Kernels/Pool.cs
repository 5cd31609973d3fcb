using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DeZero;

/// <summary>
/// Max and average pooling over (N, C, H, W) images. Padding takes part as zeros, like the book's
/// im2col-based pooling; a max window records the offset j·KW + i of its first maximum.
/// </summary>
internal static class PoolKernel
{
    public static void Max<T>(ReadOnlySpan<T> x, Span<T> y, Span<int> index, in ConvGeometry g) where T : unmanaged, INumber<T>
    {
        if (g is { KH: 2, KW: 2, SH: 2, SW: 2, PH: 0, PW: 0 }) Max2x2(x, y, index, g);
        else MaxWindows(x, y, index, g);
    }

    /// <summary>Max pooling of any window by its definition (the reference for the 2×2 fast path).</summary>
    internal static void MaxWindows<T>(ReadOnlySpan<T> x, Span<T> y, Span<int> index, in ConvGeometry g) where T : unmanaged, INumber<T>
    {
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

    // The common 2×2, stride-2 window without padding, a vector of outputs at a time. A row shorter than a vector
    // is done as a whole vector when the spans extend past it (the next row, done later, rewrites the overlap).
    static void Max2x2<T>(ReadOnlySpan<T> x, Span<T> y, Span<int> index, in ConvGeometry g) where T : unmanaged, INumber<T>
    {
        int oh = g.OH, ow = g.OW, w = g.W, hw = g.H * w, rows = g.N * g.C * oh;
        int v = Vector256.IsHardwareAccelerated && (typeof(T) == typeof(float) || typeof(T) == typeof(double))
            ? Vector256<T>.Count : int.MaxValue;
        ref T x0 = ref MemoryMarshal.GetReference(x);
        ref T y0 = ref MemoryMarshal.GetReference(y);
        ref int i0 = ref MemoryMarshal.GetReference(index);
        for (int r = 0; r < rows; r++)
        {
            int nc = r / oh, src = nc * hw + 2 * (r - nc * oh) * w, o = r * ow, px = 0;
            for (; px + v <= ow; px += v)
                Max2x2Vector(ref Unsafe.Add(ref x0, src + 2 * px), w, ref Unsafe.Add(ref y0, o + px), ref Unsafe.Add(ref i0, o + px));
            if (px == ow) continue;
            if (ow >= v) px = ow - v;
            else if (v == int.MaxValue || o + v > y.Length || src + w + 2 * v > x.Length)
            {
                for (; px < ow; px++) Max2x2Scalar(x, src + 2 * px, w, out y[o + px], out index[o + px]);
                continue;
            }
            Max2x2Vector(ref Unsafe.Add(ref x0, src + 2 * px), w, ref Unsafe.Add(ref y0, o + px), ref Unsafe.Add(ref i0, o + px));
        }
    }

    // One 2×2 window at x[at]: the first maximum in the order (0, 0), (0, 1), (1, 0), (1, 1), a NaN beating any number.
    static void Max2x2Scalar<T>(ReadOnlySpan<T> x, int at, int w, out T best, out int arg) where T : unmanaged, INumber<T>
    {
        best = x[at];
        arg = 0;
        if (T.IsNaN(best)) return;
        ReadOnlySpan<int> offsets = [0, 1, w, w + 1];
        for (int k = 1; k < 4 && !T.IsNaN(best); k++)
        {
            T v = x[at + offsets[k]];
            if (v > best || T.IsNaN(v)) { best = v; arg = k; }
        }
    }

    // Vector256<T>.Count windows whose top-left corners are the even columns of 2·Count values at x (the other
    // row w further). Each row's pair is decided first, then the rows: the same first maximum as the scalar order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Max2x2Vector<T>(ref T x, int w, ref T y, ref int index) where T : unmanaged, INumber<T>
    {
        int n = Vector256<T>.Count;
        var (a0, a1) = Deinterleave(Vector256.LoadUnsafe(ref x), Vector256.LoadUnsafe(ref x, (nuint)n));
        var (b0, b1) = Deinterleave(Vector256.LoadUnsafe(ref x, (nuint)w), Vector256.LoadUnsafe(ref x, (nuint)(w + n)));
        var ma = Replaces(a0, a1);
        var mb = Replaces(b0, b1);
        var a = Vector256.ConditionalSelect(ma, a1, a0);
        var b = Vector256.ConditionalSelect(mb, b1, b0);
        var m = Replaces(a, b);
        Vector256.ConditionalSelect(m, b, a).StoreUnsafe(ref y);
        // Masks are −1 where set: offset = m ? 2 + (mb ? 1 : 0) : (ma ? 1 : 0).
        if (typeof(T) == typeof(float))
            Vector256.ConditionalSelect(m.AsInt32(), Vector256.Create(2) - mb.AsInt32(), -ma.AsInt32()).StoreUnsafe(ref index);
        else
        {
            var k = Vector256.ConditionalSelect(m.AsInt64(), Vector256.Create(2L) - mb.AsInt64(), -ma.AsInt64());
            Vector128.Narrow(k.GetLower(), k.GetUpper()).StoreUnsafe(ref index);
        }
    }

    // Where v takes the place of the best so far: it is larger, or it is NaN and the best is not.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<T> Replaces<T>(Vector256<T> best, Vector256<T> v) where T : unmanaged, INumber<T> =>
        Vector256.GreaterThan(v, best) | Vector256.AndNot(Vector256.Equals(best, best), Vector256.Equals(v, v));

    // The even and the odd elements of the 2·Count values lo, hi, each in order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static (Vector256<T> Even, Vector256<T> Odd) Deinterleave<T>(Vector256<T> lo, Vector256<T> hi) where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float))
        {
            var order = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
            var l = Vector256.Shuffle(lo.AsSingle(), order);
            var h = Vector256.Shuffle(hi.AsSingle(), order);
            return (Vector256.Create(l.GetLower(), h.GetLower()).As<float, T>(), Vector256.Create(l.GetUpper(), h.GetUpper()).As<float, T>());
        }
        var pairs = Vector256.Create(0L, 2, 1, 3);
        var ld = Vector256.Shuffle(lo.AsDouble(), pairs);
        var hd = Vector256.Shuffle(hi.AsDouble(), pairs);
        return (Vector256.Create(ld.GetLower(), hd.GetLower()).As<double, T>(), Vector256.Create(ld.GetUpper(), hd.GetUpper()).As<double, T>());
    }

    /// <summary>Routes each output gradient to the input position its window's maximum came from.</summary>
    public static void MaxBackward<T>(ReadOnlySpan<T> gy, ReadOnlySpan<int> index, Span<T> gx, in ConvGeometry g) where T : unmanaged, INumber<T>
    {
        if (g is { KH: 2, KW: 2, SH: 2, SW: 2, PH: 0, PW: 0 }) MaxBackward2x2(gy, index, gx, g);
        else MaxBackwardWindows(gy, index, gx, g);
    }

    /// <summary>The gradient of max pooling of any window by its definition (the reference for the 2×2 fast path).</summary>
    internal static void MaxBackwardWindows<T>(ReadOnlySpan<T> gy, ReadOnlySpan<int> index, Span<T> gx, in ConvGeometry g) where T : unmanaged, INumber<T>
    {
        gx.Clear();
        int oh = g.OH, ow = g.OW, hw = g.H * g.W, o = 0;
        for (int nc = 0; nc < g.N * g.C; nc++)
            for (int py = 0; py < oh; py++)
                for (int px = 0; px < ow; px++, o++)
                {
                    int sy = py * g.SH + index[o] / g.KW - g.PH, sx = px * g.SW + index[o] % g.KW - g.PW;
                    if ((uint)sy < (uint)g.H && (uint)sx < (uint)g.W) gx[nc * hw + sy * g.W + sx] += gy[o];
                }
    }

    // Non-overlapping 2×2 windows write each pair of input rows once: the gradient at the window's offset (row k >> 1,
    // column k & 1), zeros elsewhere; a last odd row or column is zeroed. Short rows run as in Max2x2.
    static void MaxBackward2x2<T>(ReadOnlySpan<T> gy, ReadOnlySpan<int> index, Span<T> gx, in ConvGeometry g) where T : unmanaged, INumber<T>
    {
        int oh = g.OH, ow = g.OW, w = g.W, hw = g.H * w, rows = g.N * g.C * oh;
        int v = Vector256.IsHardwareAccelerated && (typeof(T) == typeof(float) || typeof(T) == typeof(double))
            ? Vector256<T>.Count : int.MaxValue;
        ref T gy0 = ref MemoryMarshal.GetReference(gy);
        ref int i0 = ref MemoryMarshal.GetReference(index);
        ref T gx0 = ref MemoryMarshal.GetReference(gx);
        for (int r = 0; r < rows; r++)
        {
            int nc = r / oh, dst = nc * hw + 2 * (r - nc * oh) * w, o = r * ow, px = 0;
            for (; px + v <= ow; px += v)
                Route2x2Vector(ref Unsafe.Add(ref gy0, o + px), ref Unsafe.Add(ref i0, o + px), ref Unsafe.Add(ref gx0, dst + 2 * px), w);
            if (px < ow)
            {
                if (ow >= v) px = ow - v;
                if (ow >= v || v != int.MaxValue && o + v <= gy.Length && dst + w + 2 * v <= gx.Length)
                    Route2x2Vector(ref Unsafe.Add(ref gy0, o + px), ref Unsafe.Add(ref i0, o + px), ref Unsafe.Add(ref gx0, dst + 2 * px), w);
                else
                    for (; px < ow; px++)
                    {
                        int k = index[o + px], at = dst + 2 * px;
                        T d = gy[o + px];
                        gx[at] = k == 0 ? d : T.Zero;
                        gx[at + 1] = k == 1 ? d : T.Zero;
                        gx[at + w] = k == 2 ? d : T.Zero;
                        gx[at + w + 1] = k == 3 ? d : T.Zero;
                    }
            }
            if ((w & 1) != 0) gx[dst + w - 1] = gx[dst + 2 * w - 1] = T.Zero;
        }
        if ((g.H & 1) != 0)
            for (int nc = 0; nc < g.N * g.C; nc++) gx.Slice(nc * hw + (g.H - 1) * w, w).Clear();
    }

    // Vector256<T>.Count windows: their gradients at x (columns 2·i and 2·i + 1 of two rows, w apart).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Route2x2Vector<T>(ref T gy, ref int index, ref T gx, int w) where T : unmanaged, INumber<T>
    {
        int n = Vector256<T>.Count;
        var d = Vector256.LoadUnsafe(ref gy);
        Vector256<T> m0, m1, m2, m3;
        if (typeof(T) == typeof(float))
        {
            var k = Vector256.LoadUnsafe(ref index);
            (m0, m1) = (Vector256.Equals(k, Vector256.Create(0)).As<int, T>(), Vector256.Equals(k, Vector256.Create(1)).As<int, T>());
            (m2, m3) = (Vector256.Equals(k, Vector256.Create(2)).As<int, T>(), Vector256.Equals(k, Vector256.Create(3)).As<int, T>());
        }
        else
        {
            var k4 = Vector128.LoadUnsafe(ref index);
            var k = Vector256.Create(Vector128.WidenLower(k4), Vector128.WidenUpper(k4));
            (m0, m1) = (Vector256.Equals(k, Vector256.Create(0L)).As<long, T>(), Vector256.Equals(k, Vector256.Create(1L)).As<long, T>());
            (m2, m3) = (Vector256.Equals(k, Vector256.Create(2L)).As<long, T>(), Vector256.Equals(k, Vector256.Create(3L)).As<long, T>());
        }
        var (a, b) = Interleave(d & m0, d & m1);
        a.StoreUnsafe(ref gx);
        b.StoreUnsafe(ref gx, (nuint)n);
        (a, b) = Interleave(d & m2, d & m3);
        a.StoreUnsafe(ref gx, (nuint)w);
        b.StoreUnsafe(ref gx, (nuint)(w + n));
    }

    // The 2·Count values even[0], odd[0], even[1], odd[1], … (the inverse of Deinterleave).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static (Vector256<T> Lo, Vector256<T> Hi) Interleave<T>(Vector256<T> even, Vector256<T> odd) where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float))
        {
            var order = Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7);
            var (e, o) = (even.AsSingle(), odd.AsSingle());
            return (Vector256.Shuffle(Vector256.Create(e.GetLower(), o.GetLower()), order).As<float, T>(),
                Vector256.Shuffle(Vector256.Create(e.GetUpper(), o.GetUpper()), order).As<float, T>());
        }
        var pairs = Vector256.Create(0L, 2, 1, 3);
        var (ed, od) = (even.AsDouble(), odd.AsDouble());
        return (Vector256.Shuffle(Vector256.Create(ed.GetLower(), od.GetLower()), pairs).As<double, T>(),
            Vector256.Shuffle(Vector256.Create(ed.GetUpper(), od.GetUpper()), pairs).As<double, T>());
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
