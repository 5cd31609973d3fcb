using System.Numerics;
using System.Runtime.CompilerServices;

namespace DeZero.Numerics.Kernels;

/// <summary>Geometry of a 2-D convolution or pooling window over an (N, C, H, W) image.</summary>
internal readonly record struct ConvGeometry(int N, int C, int H, int W, int KH, int KW, int SH, int SW, int PH, int PW)
{
    // Computed once, not in every kernel call (a 64-bit division each, some 1% of a convolution). A copy changes
    // only N (`with { N = 1 }`), which they do not depend on. Meaningful once Validate has passed.
    public int OH { get; } = OutSize(H, PH, KH, SH);
    public int OW { get; } = OutSize(W, PW, KW, SW);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static long Out(int size, int pad, int kernel, int stride) => (size + 2L * pad - kernel) / stride + 1;

    static int OutSize(int size, int pad, int kernel, int stride) => stride > 0 ? (int)Math.Clamp(Out(size, pad, kernel, stride), 0, int.MaxValue) : 0;

    /// <summary>
    /// Checks the parameters and, without overflow, that the image, the output and (when <paramref name="columns"/>) one
    /// sample's columns fit in a .NET array; throws naming the operation, the input shape and the parameters.
    /// Kernels may index without checks once this passed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ConvGeometry Validate(string op, bool columns = true)
    {
        if (N < 0 || C < 0 || H < 0 || W < 0)
            throw new ArgumentException($"{op}: negative dimension; got {Describe()}.");
        if (KH <= 0 || KW <= 0 || SH <= 0 || SW <= 0 || PH < 0 || PW < 0)
            throw new ArgumentException($"{op}: kernel and stride must be positive and pad non-negative; got {Describe()}.");
        if (H + 2L * PH < KH || W + 2L * PW < KW)
            throw new ArgumentException($"{op}: the kernel is larger than the padded input; got {Describe()}.");
        long oh = Out(H, PH, KH, SH), ow = Out(W, PW, KW, SW);
        if (oh > int.MaxValue || ow > int.MaxValue || (double)N * C * H * W > ShapeUtil.MaxSize
            || (double)N * C * oh * ow > ShapeUtil.MaxSize
            || columns && (double)C * KH * KW * oh * ow > ShapeUtil.MaxSize)
            throw new ArgumentException($"{op}: the image, the output of ({oh}, {ow}) per channel{(columns ? " and the columns of one sample" : "")} must each fit in a .NET array of at most {ShapeUtil.MaxSize} elements; got {Describe()}.");
        return this;
    }

    /// <summary>Throws unless spans of <paramref name="input"/> and <paramref name="output"/> elements hold the whole input and output (guards unchecked kernels).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void CheckSpans(int input, int output)
    {
        if (input < (double)N * C * H * W || output < (double)N * C * OH * OW)
            throw new ArgumentException($"Pooling: spans of {input} and {output} elements do not hold {Describe()}.");
    }

    /// <summary>The input shape and the window parameters, for error messages.</summary>
    public string Describe() =>
        $"input shape ({N}, {C}, {H}, {W}), kernel ({KH}, {KW}), stride ({SH}, {SW}), pad ({PH}, {PW})";
}

/// <summary>
/// im2col and col2im of one image (N is ignored). Its columns form a (C·KH·KW) × (OH·OW) matrix with row stride
/// ld: the book's (C, KH, KW, OH, OW) layout when ld = OH·OW, or one sample's block of a matrix whose rows hold
/// several samples side by side, so that a convolution of many samples is one GEMM.
/// </summary>
internal static class Im2colKernel
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Im2col<T>(ReadOnlySpan<T> img, Span<T> col, in ConvGeometry g, int ld) where T : unmanaged, INumber<T>
    {
        int oh = g.OH, ow = g.OW, hw = g.H * g.W, r = 0;
        for (int c = 0; c < g.C; c++)
        {
            var plane = img.Slice(c * hw, hw);
            for (int j = 0; j < g.KH; j++)
                for (int i = 0; i < g.KW; i++, r++)
                {
                    if (g.SH == 1 && g.SW == 1 && ow == g.W)
                    {
                        ShiftedPlane(plane, col.Slice(r * ld, oh * ow), g, j - g.PH, i - g.PW);
                        continue;
                    }
                    for (int y = 0; y < oh; y++)
                    {
                        int sy = j + g.SH * y - g.PH;
                        var row = col.Slice(r * ld + y * ow, ow);
                        if ((uint)sy >= (uint)g.H) { row.Clear(); continue; }
                        var src = plane.Slice(sy * g.W, g.W);
                        int x0 = i - g.PW;
                        if (g.SW == 1)
                        {
                            // Unit stride: one copy of the part inside the image, zeros where the window hangs over the padding.
                            int xs = Math.Max(0, -x0), xe = Math.Min(ow, g.W - x0);
                            row[..Math.Min(xs, ow)].Clear();
                            if (xe > xs) src.Slice(x0 + xs, xe - xs).CopyTo(row[xs..]);
                            if (xe < ow) row[Math.Max(xe, 0)..].Clear();
                            continue;
                        }
                        for (int x = 0; x < ow; x++)
                        {
                            int sx = x0 + g.SW * x;
                            row[x] = (uint)sx < (uint)g.W ? src[sx] : T.Zero;
                        }
                    }
                }
        }
    }

    // Unit strides and OW = W ("same" width): row (y, x) of the column is plane[y + dy, x + dx], so its part inside
    // the image is one contiguous copy, after which the few positions over the padding are zeroed.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void ShiftedPlane<T>(ReadOnlySpan<T> plane, Span<T> dst, in ConvGeometry g, int dy, int dx) where T : unmanaged, INumber<T>
    {
        int oh = g.OH, ow = g.OW;
        int ya = Math.Max(0, -dy), yb = Math.Min(oh, g.H - dy), xs = Math.Max(0, -dx), xe = Math.Min(ow, g.W - dx);
        if (ya >= yb || xs >= xe)
        {
            dst.Clear();
            return;
        }
        int from = ya * ow + xs, to = (yb - 1) * ow + xe;
        plane.Slice(from + dy * g.W + dx, to - from).CopyTo(dst[from..]);
        dst[..(ya * ow)].Clear();
        dst[(yb * ow)..].Clear();
        for (int y = ya; y < yb; y++)
        {
            for (int x = 0; x < xs; x++) dst[y * ow + x] = T.Zero;
            for (int x = xe; x < ow; x++) dst[y * ow + x] = T.Zero;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Col2im<T>(ReadOnlySpan<T> col, Span<T> img, in ConvGeometry g, int ld) where T : unmanaged, INumber<T>
    {
        int oh = g.OH, ow = g.OW, hw = g.H * g.W, r = 0;
        img.Clear();
        for (int c = 0; c < g.C; c++)
        {
            var plane = img.Slice(c * hw, hw);
            for (int j = 0; j < g.KH; j++)
                for (int i = 0; i < g.KW; i++, r++)
                {
                    if (g.SH == 1 && g.SW == 1 && ow == g.W)
                    {
                        AddShifted(col.Slice(r * ld, oh * ow), plane, g, j - g.PH, i - g.PW);
                        continue;
                    }
                    for (int y = 0; y < oh; y++)
                    {
                        int sy = j + g.SH * y - g.PH;
                        var row = col.Slice(r * ld + y * ow, ow);
                        if ((uint)sy >= (uint)g.H) continue;
                        var dst = plane.Slice(sy * g.W, g.W);
                        int x0 = i - g.PW;
                        if (g.SW == 1)
                        {
                            int xs = Math.Max(0, -x0), xe = Math.Min(ow, g.W - x0);
                            if (xe > xs)
                            {
                                var d = dst.Slice(x0 + xs, xe - xs);
                                AddOp<T>.VV(d, row[xs..xe], d);
                            }
                            continue;
                        }
                        for (int x = 0; x < ow; x++)
                        {
                            int sx = x0 + g.SW * x;
                            if ((uint)sx < (uint)g.W) dst[sx] += row[x];
                        }
                    }
                }
        }
    }

    // The adjoint of ShiftedPlane: plane[y + dy, x + dx] += src[y, x] as one contiguous add of the part inside the
    // image. Between two rows that add also lands on the columns this shift never reaches; they keep their values.
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void AddShifted<T>(ReadOnlySpan<T> src, Span<T> plane, in ConvGeometry g, int dy, int dx) where T : unmanaged, INumber<T>
    {
        int w = g.W, ya = Math.Max(0, -dy), yb = Math.Min(g.OH, g.H - dy), xs = Math.Max(0, -dx), xe = Math.Min(w, w - dx);
        if (ya >= yb || xs >= xe) return;
        int from = ya * w + xs, to = (yb - 1) * w + xe, shift = dy * w + dx, skip = w - (xe - xs), kept = (yb - ya - 1) * skip;
        Span<T> saved = kept <= 256 ? stackalloc T[256] : new T[kept];
        for (int y = ya, k = 0; y < yb - 1; y++)
            for (int p = y * w + xe + shift, e = p + skip; p < e; p++) saved[k++] = plane[p];
        var d = plane.Slice(from + shift, to - from);
        AddOp<T>.VV(d, src[from..to], d);
        for (int y = ya, k = 0; y < yb - 1; y++)
            for (int p = y * w + xe + shift, e = p + skip; p < e; p++) plane[p] = saved[k++];
    }

    /// <summary>y[i, j, …] += b[j] for y of n × c planes of hw elements (a convolution's bias).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddChannelBias<T>(Span<T> y, ReadOnlySpan<T> b, int n, int c, int hw) where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < n; i++)
            for (int j = 0; j < c; j++)
            {
                var plane = y.Slice((i * c + j) * hw, hw);
                AddOp<T>.VS(plane, b[j], plane);
            }
    }
}
