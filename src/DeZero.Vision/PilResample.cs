namespace DeZero.Vision;

/// <summary>
/// Pillow's separable resampling of 8-bit planes (libImaging/Resample.c), so that resized pixels equal PIL's: a
/// horizontal pass then a vertical one, each output pixel a weighted sum over the input pixels under the filter
/// centred on it. When shrinking, the filter is widened by the scale (antialiasing). Weights are normalised in
/// double, then rounded to 22-bit fixed point; sums start at one half and are clipped to 0…255.
/// </summary>
static class PilResample
{
    const int PrecisionBits = 32 - 8 - 2;

    static (double Support, Func<double, double> Filter) Kernel(Resampling r) => r switch
    {
        Resampling.Bilinear => (1.0, Triangle),
        Resampling.Bicubic => (2.0, Cubic),
        _ => throw new ArgumentOutOfRangeException(nameof(r), r, "Image.Resize: unknown resampling filter."),
    };

    static double Triangle(double x)
    {
        x = Math.Abs(x);
        return x < 1 ? 1 - x : 0;
    }

    static double Cubic(double x)
    {
        const double a = -0.5;
        x = Math.Abs(x);
        if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
        if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
        return 0;
    }

    /// <summary>Resamples a <paramref name="w"/>×<paramref name="h"/> plane into a <paramref name="ow"/>×<paramref name="oh"/> one.</summary>
    public static void Plane(ReadOnlySpan<byte> src, int w, int h, Span<byte> dst, int ow, int oh, Resampling r)
    {
        byte[] tmp = ow == w ? src.ToArray() : new byte[ow * h];
        if (ow != w)
        {
            var (first, count, weights, k) = Coefficients(w, ow, r);
            for (int y = 0; y < h; y++)
            {
                var row = src.Slice(y * w, w);
                for (int x = 0; x < ow; x++)
                {
                    int ss = 1 << (PrecisionBits - 1);
                    for (int i = 0; i < count[x]; i++) ss += row[first[x] + i] * weights[x * k + i];
                    tmp[y * ow + x] = Clip8(ss);
                }
            }
        }
        if (oh == h)
        {
            tmp.CopyTo(dst);
            return;
        }
        var (yFirst, yCount, yWeights, yk) = Coefficients(h, oh, r);
        for (int y = 0; y < oh; y++)
            for (int x = 0; x < ow; x++)
            {
                int ss = 1 << (PrecisionBits - 1);
                for (int i = 0; i < yCount[y]; i++) ss += tmp[(yFirst[y] + i) * ow + x] * yWeights[y * yk + i];
                dst[y * ow + x] = Clip8(ss);
            }
    }

    static byte Clip8(int v) => v >= 1 << PrecisionBits << 8 ? (byte)255 : v <= 0 ? (byte)0 : (byte)(v >> PrecisionBits);

    // For each output index: the first input index, how many inputs, and k fixed-point weights (Pillow's precompute_coeffs).
    static (int[] First, int[] Count, int[] Weights, int K) Coefficients(int inSize, int outSize, Resampling r)
    {
        var (support, filter) = Kernel(r);
        double scale = (double)inSize / outSize;
        double filterScale = Math.Max(scale, 1.0);
        support *= filterScale;
        double inverse = 1.0 / filterScale; // Pillow multiplies by the reciprocal; dividing could round weights differently
        int k = (int)Math.Ceiling(support) * 2 + 1;
        var first = new int[outSize];
        var count = new int[outSize];
        var weights = new int[outSize * k];
        var w = new double[k];
        for (int o = 0; o < outSize; o++)
        {
            double center = (o + 0.5) * scale;
            int xmin = Math.Max((int)(center - support + 0.5), 0);
            int xmax = Math.Min((int)(center + support + 0.5), inSize) - xmin;
            double total = 0;
            for (int i = 0; i < xmax; i++)
            {
                w[i] = filter((i + xmin - center + 0.5) * inverse);
                total += w[i];
            }
            for (int i = 0; i < xmax; i++)
            {
                double v = total != 0 ? w[i] / total : w[i];
                weights[o * k + i] = (int)(v < 0 ? -0.5 + v * (1 << PrecisionBits) : 0.5 + v * (1 << PrecisionBits));
            }
            first[o] = xmin;
            count[o] = xmax;
        }
        return (first, count, weights, k);
    }
}
