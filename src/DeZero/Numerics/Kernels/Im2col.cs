using System.Numerics;
using System.Numerics.Tensors;

namespace DeZero;

/// <summary>Geometry of a 2-D convolution or pooling window over an (N, C, H, W) image.</summary>
internal readonly record struct ConvGeometry(int N, int C, int H, int W, int KH, int KW, int SH, int SW, int PH, int PW)
{
    public int OH => (H + 2 * PH - KH) / SH + 1;
    public int OW => (W + 2 * PW - KW) / SW + 1;

    /// <summary>Checks the parameters; throws naming the operation, the input shape and the parameters.</summary>
    public ConvGeometry Validate(string op)
    {
        if (KH <= 0 || KW <= 0 || SH <= 0 || SW <= 0 || PH < 0 || PW < 0)
            throw new ArgumentException($"{op}: kernel and stride must be positive and pad non-negative; got {Describe()}.");
        if (H + 2 * PH < KH || W + 2 * PW < KW)
            throw new ArgumentException($"{op}: the kernel is larger than the padded input; got {Describe()}.");
        return this;
    }

    /// <summary>The input shape and the window parameters, for error messages.</summary>
    public string Describe() =>
        $"input shape ({N}, {C}, {H}, {W}), kernel ({KH}, {KW}), stride ({SH}, {SW}), pad ({PH}, {PW})";
}

/// <summary>
/// im2col and col2im on contiguous arrays. The column layout is the book's (N, C, KH, KW, OH, OW): for each
/// sample it is a (C·KH·KW) × (OH·OW) matrix, so a convolution is one GEMM per sample with no transposes.
/// </summary>
internal static class Im2colKernel
{
    public static void Im2col<T>(ReadOnlySpan<T> img, Span<T> col, in ConvGeometry g) where T : unmanaged, INumber<T>
    {
        int oh = g.OH, ow = g.OW, hw = g.H * g.W;
        int ci = 0;
        for (int nc = 0; nc < g.N * g.C; nc++)
        {
            var plane = img.Slice(nc * hw, hw);
            for (int j = 0; j < g.KH; j++)
                for (int i = 0; i < g.KW; i++)
                {
                    for (int y = 0; y < oh; y++)
                    {
                        int sy = j + g.SH * y - g.PH;
                        var row = col.Slice(ci, ow);
                        ci += ow;
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

    public static void Col2im<T>(ReadOnlySpan<T> col, Span<T> img, in ConvGeometry g) where T : unmanaged, INumber<T>
    {
        int oh = g.OH, ow = g.OW, hw = g.H * g.W;
        img.Clear();
        int ci = 0;
        for (int nc = 0; nc < g.N * g.C; nc++)
        {
            var plane = img.Slice(nc * hw, hw);
            for (int j = 0; j < g.KH; j++)
                for (int i = 0; i < g.KW; i++)
                {
                    for (int y = 0; y < oh; y++)
                    {
                        int sy = j + g.SH * y - g.PH;
                        var row = col.Slice(ci, ow);
                        ci += ow;
                        if ((uint)sy >= (uint)g.H) continue;
                        var dst = plane.Slice(sy * g.W, g.W);
                        int x0 = i - g.PW;
                        if (g.SW == 1)
                        {
                            int xs = Math.Max(0, -x0), xe = Math.Min(ow, g.W - x0);
                            if (xe > xs)
                            {
                                var d = dst.Slice(x0 + xs, xe - xs);
                                TensorPrimitives.Add(d, row[xs..xe], d);
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
}
