using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DeZero.Numerics.Kernels;

/// <summary>
/// Max and average pooling over (N, C, H, W) images. Padding takes part as zeros, like the book's
/// im2col-based pooling. Max pooling's gradient goes to each window's first maximum (a NaN beats any number):
/// the common 2×2 window records where it lies as one byte per output (0 … 3, row by row in the window), so
/// the gradient reads that instead of the input; other windows find it again from the input.
/// </summary>
internal static class PoolKernel
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static bool Is2x2(in ConvGeometry g) => g is { KH: 2, KW: 2, SH: 2, SW: 2, PH: 0, PW: 0 };

    /// <summary>Whether max pooling records its maxima's positions (see <see cref="Max{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool RecordsArgmax(in ConvGeometry g) => Is2x2(g);

    /// <summary>
    /// Max pooling of x into y; where <see cref="RecordsArgmax"/>, also each window's first maximum into
    /// <paramref name="argmax"/> (one byte per output) unless it is empty.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Max<T>(ReadOnlySpan<T> x, Span<T> y, Span<byte> argmax, in ConvGeometry g) where T : unmanaged, INumber<T>
    {
        if (Is2x2(g)) Max2x2(x, y, argmax, g);
        else MaxWindows(x, y, g);
    }

    /// <summary>
    /// Routes each output gradient to its window's first maximum, gx gets zeros elsewhere: from the positions max
    /// pooling recorded where <see cref="RecordsArgmax"/>, else found again in x.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MaxBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<byte> argmax, ReadOnlySpan<T> gy, Span<T> gx, in ConvGeometry g) where T : unmanaged, INumber<T>
    {
        if (Is2x2(g)) MaxBackward2x2(argmax, gy, gx, g);
        else MaxBackwardWindows(x, gy, gx, g);
    }

    /// <summary>Max pooling of any window by its definition (the reference for the 2×2 fast path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MaxWindows<T>(ReadOnlySpan<T> x, Span<T> y, in ConvGeometry g) where T : unmanaged, INumber<T>
    {
        int oh = g.OH, ow = g.OW, hw = g.H * g.W, o = 0;
        for (int nc = 0; nc < g.N * g.C; nc++)
            for (int py = 0; py < oh; py++)
                for (int px = 0; px < ow; px++, o++) ArgMax(x.Slice(nc * hw, hw), py, px, g, out y[o]);
    }

    /// <summary>The gradient of max pooling of any window by its definition (the reference for the 2×2 fast path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MaxBackwardWindows<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gy, Span<T> gx, in ConvGeometry g) where T : unmanaged, INumber<T>
    {
        gx.Clear();
        int oh = g.OH, ow = g.OW, hw = g.H * g.W, o = 0;
        for (int nc = 0; nc < g.N * g.C; nc++)
            for (int py = 0; py < oh; py++)
                for (int px = 0; px < ow; px++, o++)
                {
                    int at = Source(ArgMax(x.Slice(nc * hw, hw), py, px, g, out _), py, px, g);
                    if (at >= 0) gx[nc * hw + at] += gy[o];
                }
    }

    /// <summary>Picks from <paramref name="values"/> (shaped like x) the element at each window's first maximum in x (zero on padding).</summary>
    public static void Gather<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> values, Span<T> y, in ConvGeometry g) where T : unmanaged, INumber<T>
    {
        int oh = g.OH, ow = g.OW, hw = g.H * g.W, o = 0;
        for (int nc = 0; nc < g.N * g.C; nc++)
            for (int py = 0; py < oh; py++)
                for (int px = 0; px < ow; px++, o++)
                {
                    int at = Source(ArgMax(x.Slice(nc * hw, hw), py, px, g, out _), py, px, g);
                    y[o] = at >= 0 ? values[nc * hw + at] : T.Zero;
                }
    }

    // The offset j·KW + i of the first maximum of window (py, px) of a plane, and that maximum.
    static int ArgMax<T>(ReadOnlySpan<T> plane, int py, int px, in ConvGeometry g, out T best) where T : unmanaged, INumber<T>
    {
        best = default;
        int arg = -1;
        for (int j = 0; j < g.KH; j++)
        {
            int sy = py * g.SH + j - g.PH;
            for (int i = 0; i < g.KW; i++)
            {
                int sx = px * g.SW + i - g.PW;
                T v = (uint)sy < (uint)g.H && (uint)sx < (uint)g.W ? plane[sy * g.W + sx] : T.Zero;
                if (arg < 0 || v > best || (T.IsNaN(v) && !T.IsNaN(best))) (best, arg) = (v, j * g.KW + i);
            }
        }
        return arg;
    }

    // Where in the plane offset k of window (py, px) lies, or −1 on the padding.
    static int Source(int k, int py, int px, in ConvGeometry g)
    {
        int sy = py * g.SH + k / g.KW - g.PH, sx = px * g.SW + k % g.KW - g.PW;
        return (uint)sy < (uint)g.H && (uint)sx < (uint)g.W ? sy * g.W + sx : -1;
    }

    // The common 2×2, stride-2 window without padding, a vector of outputs at a time. A row shorter than a vector
    // is done as a whole vector when the spans extend past it (the next row, done later, rewrites the overlap).
    // Never inlined: inside a caller's body the vector helpers exceed the JIT's inlining budget and stay calls.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    static void Max2x2<T>(ReadOnlySpan<T> x, Span<T> y, Span<byte> argmax, in ConvGeometry g) where T : unmanaged, INumber<T>
    {
        g.CheckSpans(x.Length, y.Length);
        bool record = !argmax.IsEmpty;
        if (record && argmax.Length < y.Length) throw new ArgumentException($"Pooling: {argmax.Length} argmax bytes for {y.Length} outputs.");
        int oh = g.OH, ow = g.OW, w = g.W, hw = g.H * w, rows = g.N * g.C * oh, v = VectorWidth<T>();
        ref T x0 = ref MemoryMarshal.GetReference(x);
        ref T y0 = ref MemoryMarshal.GetReference(y);
        ref byte a0 = ref MemoryMarshal.GetReference(argmax);
        for (int r = 0; r < rows; r++)
        {
            int nc = r / oh, src = nc * hw + 2 * (r - nc * oh) * w, o = r * ow, px = 0;
            for (; px + v <= ow; px += v) Max2x2Vector(ref Unsafe.Add(ref x0, src + 2 * px), w, ref Unsafe.Add(ref y0, o + px), ref Unsafe.Add(ref a0, o + px), record);
            if (px == ow) continue;
            if (ow >= v) px = ow - v;
            else if (v == int.MaxValue || o + v > y.Length || src + w + 2 * v > x.Length)
            {
                for (; px < ow; px++)
                {
                    int k = Max2x2Scalar(x, src + 2 * px, w);
                    y[o + px] = x[src + 2 * px + (k >> 1) * w + (k & 1)];
                    if (record) argmax[o + px] = (byte)k;
                }
                continue;
            }
            Max2x2Vector(ref Unsafe.Add(ref x0, src + 2 * px), w, ref Unsafe.Add(ref y0, o + px), ref Unsafe.Add(ref a0, o + px), record);
        }
    }

    // Non-overlapping 2×2 windows write each pair of input rows once: the gradient at the window's recorded maximum,
    // zeros elsewhere; a last odd row or column is zeroed. Rows run as in Max2x2 (gx is laid out like x).
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    static void MaxBackward2x2<T>(ReadOnlySpan<byte> argmax, ReadOnlySpan<T> gy, Span<T> gx, in ConvGeometry g) where T : unmanaged, INumber<T>
    {
        g.CheckSpans(gx.Length, Math.Min(gy.Length, argmax.Length));
        int oh = g.OH, ow = g.OW, w = g.W, hw = g.H * w, rows = g.N * g.C * oh, v = VectorWidth<T>();
        ref byte a0 = ref MemoryMarshal.GetReference(argmax);
        ref T gy0 = ref MemoryMarshal.GetReference(gy);
        ref T gx0 = ref MemoryMarshal.GetReference(gx);
        for (int r = 0; r < rows; r++)
        {
            int nc = r / oh, at = nc * hw + 2 * (r - nc * oh) * w, o = r * ow, px = 0;
            for (; px + v <= ow; px += v)
                Route2x2Vector(ref Unsafe.Add(ref a0, o + px), ref Unsafe.Add(ref gy0, o + px), ref Unsafe.Add(ref gx0, at + 2 * px), w);
            if (px < ow)
            {
                if (ow >= v) px = ow - v;
                if (ow >= v || v != int.MaxValue && o + v <= Math.Min(gy.Length, argmax.Length) && at + w + 2 * v <= gx.Length)
                    Route2x2Vector(ref Unsafe.Add(ref a0, o + px), ref Unsafe.Add(ref gy0, o + px), ref Unsafe.Add(ref gx0, at + 2 * px), w);
                else
                    for (; px < ow; px++)
                    {
                        int k = argmax[o + px], c = at + 2 * px;
                        gx[c] = gx[c + 1] = gx[c + w] = gx[c + w + 1] = T.Zero;
                        gx[c + (k >> 1) * w + (k & 1)] = gy[o + px];
                    }
            }
            if ((w & 1) != 0) gx[at + w - 1] = gx[at + 2 * w - 1] = T.Zero;
        }
        if ((g.H & 1) != 0)
            for (int nc = 0; nc < g.N * g.C; nc++) gx.Slice(nc * hw + (g.H - 1) * w, w).Clear();
    }

    // Outputs per vector for the 2×2 paths, or int.MaxValue where they run scalar.
    static int VectorWidth<T>() where T : unmanaged =>
        Vector256.IsHardwareAccelerated && (typeof(T) == typeof(float) || typeof(T) == typeof(double)) ? Vector256<T>.Count : int.MaxValue;

    // The 2×2 window at x[at]: which of (0, 0), (0, 1), (1, 0), (1, 1) (0 … 3) holds its first maximum.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static int Max2x2Scalar<T>(ReadOnlySpan<T> x, int at, int w) where T : unmanaged, INumber<T>
    {
        T best = x[at];
        int arg = 0;
        for (int k = 1; k < 4 && !T.IsNaN(best); k++)
        {
            T v = x[at + (k >> 1) * w + (k & 1)];
            if (v > best || T.IsNaN(v)) (best, arg) = (v, k);
        }
        return arg;
    }

    // Vector256<T>.Count windows whose top-left corners are the even columns of 2·Count values at x (the other
    // row w further). Each row's pair is decided first, then the rows: the same first maximum as the scalar order.
    // Masks: the odd column wins in the top row (a) or the bottom row (b); the bottom row wins (m).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static (Vector256<T> Max, Vector256<T> A, Vector256<T> B, Vector256<T> M) Windows2x2<T>(ref T x, int w) where T : unmanaged, INumber<T>
    {
        int n = Vector256<T>.Count;
        var (a0, a1) = Deinterleave(Vector256.LoadUnsafe(ref x), Vector256.LoadUnsafe(ref x, (nuint)n));
        var (b0, b1) = Deinterleave(Vector256.LoadUnsafe(ref x, (nuint)w), Vector256.LoadUnsafe(ref x, (nuint)(w + n)));
        var ma = Replaces(a0, a1);
        var mb = Replaces(b0, b1);
        var a = Vector256.ConditionalSelect(ma, a1, a0);
        var b = Vector256.ConditionalSelect(mb, b1, b0);
        var m = Replaces(a, b);
        return (Vector256.ConditionalSelect(m, b, a), ma, mb, m);
    }

    // Count windows' maxima into y and, when recording, their positions into argmax: 2 where the bottom row won,
    // plus 1 where the odd column of the winning row did.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Max2x2Vector<T>(ref T x, int w, ref T y, ref byte argmax, bool record) where T : unmanaged, INumber<T>
    {
        var (max, ma, mb, m) = Windows2x2(ref x, w);
        max.StoreUnsafe(ref y);
        if (!record) return;
        uint odd = Vector256.ConditionalSelect(m, mb, ma).ExtractMostSignificantBits(), bottom = m.ExtractMostSignificantBits();
        if (Bmi2.X64.IsSupported)
        {
            // One bit per lane spread to one byte per lane.
            ulong bytes = Bmi2.X64.ParallelBitDeposit(odd, 0x0101010101010101UL) | Bmi2.X64.ParallelBitDeposit(bottom, 0x0101010101010101UL) << 1;
            if (Vector256<T>.Count == 8) Unsafe.WriteUnaligned(ref argmax, bytes);
            else Unsafe.WriteUnaligned(ref argmax, (uint)bytes);
            return;
        }
        for (int i = 0; i < Vector256<T>.Count; i++) Unsafe.Add(ref argmax, i) = (byte)((odd >> i & 1) | (bottom >> i & 1) << 1);
    }

    // The gradients of Count windows into gx (laid out like x): each at its window's recorded maximum, zeros elsewhere.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Route2x2Vector<T>(ref byte argmax, ref T gy, ref T gx, int w) where T : unmanaged, INumber<T>
    {
        int n = Vector256<T>.Count;
        var (odd, m) = Positions<T>(ref argmax);
        var d = Vector256.LoadUnsafe(ref gy);
        var top = Vector256.AndNot(d, m);
        var bottom = d & m;
        var (lo, hi) = Interleave(Vector256.AndNot(top, odd), top & odd);
        lo.StoreUnsafe(ref gx);
        hi.StoreUnsafe(ref gx, (nuint)n);
        (lo, hi) = Interleave(Vector256.AndNot(bottom, odd), bottom & odd);
        lo.StoreUnsafe(ref gx, (nuint)w);
        hi.StoreUnsafe(ref gx, (nuint)(w + n));
    }

    // Lane masks of Count recorded positions: the odd column won, the bottom row won.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static (Vector256<T> Odd, Vector256<T> Bottom) Positions<T>(ref byte argmax) where T : unmanaged, INumber<T>
    {
        if (Vector256<T>.Count == 8)
        {
            var k = Vector256.WidenLower(Vector128.WidenLower(Vector128.CreateScalar(Unsafe.ReadUnaligned<ulong>(ref argmax)).AsByte()).ToVector256()).AsInt32();
            return (Vector256.Equals(k & Vector256.Create(1), Vector256.Create(1)).As<int, T>(), Vector256.Equals(k & Vector256.Create(2), Vector256.Create(2)).As<int, T>());
        }
        var b = Vector128.WidenLower(Vector128.WidenLower(Vector128.CreateScalar(Unsafe.ReadUnaligned<uint>(ref argmax)).AsByte()));
        var l = Vector256.Create(Vector128.WidenLower(b), Vector128.WidenUpper(b)).AsInt64();
        return (Vector256.Equals(l & Vector256.Create(1L), Vector256.Create(1L)).As<long, T>(), Vector256.Equals(l & Vector256.Create(2L), Vector256.Create(2L)).As<long, T>());
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
