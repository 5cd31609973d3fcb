using System.Numerics;
using System.Numerics.Tensors;

namespace DeZero;

/// <summary>
/// Convolution and pooling on arrays, shared by the differentiable functions: im2col/col2im and the
/// per-sample GEMMs of convolution, transposed convolution and the filter gradient.
/// </summary>
internal static class ConvArrays
{
    public static ConvGeometry Geometry(NDArray x, (int h, int w) k, (int h, int w) s, (int h, int w) p, string op) =>
        Geometry(x.Dims, x.DType, k, s, p, op);

    /// <summary>The geometry of a window over an image of <paramref name="shape"/>; throws unless it is a valid float (N, C, H, W) input.</summary>
    public static ConvGeometry Geometry(int[] shape, DType dtype, (int h, int w) k, (int h, int w) s, (int h, int w) p, string op)
    {
        if (shape.Length != 4) throw new ArgumentException($"{op}: input must be 4-D (N, C, H, W), got shape {ShapeUtil.Str(shape)}.");
        if (!dtype.IsFloat()) throw new ArgumentException($"{op}: input must be float32 or float64, got {dtype.Name()} of shape {ShapeUtil.Str(shape)}.");
        return new ConvGeometry(shape[0], shape[1], shape[2], shape[3], k.h, k.w, s.h, s.w, p.h, p.w).Validate(op);
    }

    /// <summary>Columns (N, C, KH, KW, OH, OW) of an image, or the (N·OH·OW, C·KH·KW) matrix when <paramref name="toMatrix"/>.</summary>
    public static NDArray Im2col(NDArray x, in ConvGeometry g, bool toMatrix)
    {
        var col = NDArray.Uninitialized(x.DType, [g.N, g.C, g.KH, g.KW, g.OH, g.OW]);
        var one = g with { N = 1 };
        int inLen = g.C * g.H * g.W, outLen = col.Size / Math.Max(g.N, 1);
        PerSample(g.N, outLen, n =>
        {
            if (x.DType == DType.Float64) Im2colKernel.Im2col<double>(x.Span<double>().Slice(n * inLen, inLen), col.Span<double>().Slice(n * outLen, outLen), one);
            else Im2colKernel.Im2col<float>(x.Span<float>().Slice(n * inLen, inLen), col.Span<float>().Slice(n * outLen, outLen), one);
        });
        return toMatrix ? col.Transpose(0, 4, 5, 1, 2, 3).Reshape(g.N * g.OH * g.OW, -1) : col;
    }

    /// <summary>Sums columns back into an (N, C, H, W) image: the adjoint of <see cref="Im2col"/>.</summary>
    public static NDArray Col2im(NDArray col, in ConvGeometry g, bool toMatrix)
    {
        if (toMatrix) col = col.Reshape(g.N, g.OH, g.OW, g.C, g.KH, g.KW).Transpose(0, 3, 4, 5, 1, 2);
        var img = NDArray.Uninitialized(col.DType, [g.N, g.C, g.H, g.W]);
        var one = g with { N = 1 };
        int imgLen = g.C * g.H * g.W, colLen = col.Size / Math.Max(g.N, 1);
        PerSample(g.N, colLen, n =>
        {
            if (col.DType == DType.Float64) Im2colKernel.Col2im<double>(col.Span<double>().Slice(n * colLen, colLen), img.Span<double>().Slice(n * imgLen, imgLen), one);
            else Im2colKernel.Col2im<float>(col.Span<float>().Slice(n * colLen, colLen), img.Span<float>().Slice(n * imgLen, imgLen), one);
        });
        return img;
    }

    /// <summary>y[n] = W (OC × C·KH·KW) · col[n] (+ b): the forward convolution, already in NCHW order.</summary>
    /// <remarks>x and W are promoted to a common dtype like NumPy's tensordot; b is added in that dtype, as the book adds it in place.</remarks>
    public static NDArray Conv2d(NDArray x, NDArray w, NDArray? b, in ConvGeometry g)
    {
        var dt = DTypes.Promote(x.DType, w.DType);
        (x, w) = (x.As(dt), w.As(dt));
        var col = Im2col(x, g, toMatrix: false);
        int oc = w.Dims[0], k = g.C * g.KH * g.KW, hw = g.OH * g.OW;
        var y = NDArray.Uninitialized(dt, [g.N, oc, g.OH, g.OW]);
        PerSample(g.N, (long)oc * hw * k, n =>
        {
            if (dt == DType.Float64) Mm<double>(false, false, oc, hw, k, w, 0, col, n * k * hw, y, n * oc * hw, false);
            else Mm<float>(false, false, oc, hw, k, w, 0, col, n * k * hw, y, n * oc * hw, false);
        });
        if (b is not null) AddBias(y, b);
        return y;
    }

    /// <summary>The transposed convolution: col[n] = Wᵀ (OC·KH·KW × C) · x[n], then col2im to (N, OC, outH, outW).</summary>
    public static NDArray Deconv2d(NDArray x, NDArray w, NDArray? b, in ConvGeometry outG)
    {
        var dt = DTypes.Promote(x.DType, w.DType);
        (x, w) = (x.As(dt), w.As(dt));
        int c = w.Dims[0], okk = w.Dims[1] * w.Dims[2] * w.Dims[3], hw = x.Dims[2] * x.Dims[3];
        var col = NDArray.Uninitialized(dt, [outG.N, outG.C, outG.KH, outG.KW, outG.OH, outG.OW]);
        PerSample(outG.N, (long)okk * hw * c, n =>
        {
            if (dt == DType.Float64) Mm<double>(true, false, okk, hw, c, w, 0, x, n * c * hw, col, n * okk * hw, false);
            else Mm<float>(true, false, okk, hw, c, w, 0, x, n * c * hw, col, n * okk * hw, false);
        });
        var y = Col2im(col, outG, toMatrix: false);
        if (b is not null) AddBias(y, b);
        return y;
    }

    /// <summary>Filter gradient gW (OC, C, KH, KW) = Σₙ gy[n] (OC × OH·OW) · col[n]ᵀ.</summary>
    public static NDArray Conv2dGradW(NDArray x, NDArray gy, in ConvGeometry g)
    {
        var dt = DTypes.Promote(x.DType, gy.DType);
        (x, gy) = (x.As(dt), gy.As(dt));
        var col = Im2col(x, g, toMatrix: false);
        int oc = gy.Dims[1], k = g.C * g.KH * g.KW, hw = g.OH * g.OW;
        // Fixed chunks of samples summed into their own partial gradients, then added in chunk order:
        // the result does not depend on how many threads ran the chunks.
        int count = g.N, chunks = (count + SamplesPerChunk - 1) / SamplesPerChunk;
        var parts = new NDArray[Math.Max(chunks, 1)];
        for (int i = 0; i < parts.Length; i++) parts[i] = NDArray.Empty(dt, [oc, g.C, g.KH, g.KW]);
        PerSample(chunks, (long)oc * k * hw * SamplesPerChunk, ch =>
        {
            for (int n = ch * SamplesPerChunk; n < Math.Min(count, (ch + 1) * SamplesPerChunk); n++)
            {
                if (dt == DType.Float64) Mm<double>(false, true, oc, k, hw, gy, n * oc * hw, col, n * k * hw, parts[ch], 0, true);
                else Mm<float>(false, true, oc, k, hw, gy, n * oc * hw, col, n * k * hw, parts[ch], 0, true);
            }
        });
        for (int i = 1; i < parts.Length; i++) parts[0].AddInPlace(parts[i]);
        return parts[0];
    }

    const int SamplesPerChunk = 8;

    // Runs body(i) for i < count, on all cores when the work (operations per item) is large enough to pay for it.
    static void PerSample(int count, long work, Action<int> body, long minWork = 1L << 22)
    {
        if (count > 1 && count * work >= minWork && Environment.ProcessorCount > 1) Parallel.For(0, count, body);
        else for (int i = 0; i < count; i++) body(i);
    }

    /// <summary>Max pooling of x into y, recording each window's argmax offset; samples run in parallel.</summary>
    public static void MaxPool(NDArray x, NDArray y, int[] index, ConvGeometry g)
    {
        var one = g with { N = 1 };
        int inLen = g.C * g.H * g.W, outLen = g.C * g.OH * g.OW;
        PerSample(g.N, (long)outLen * g.KH * g.KW, n =>
        {
            var ix = index.AsSpan(n * outLen, outLen);
            if (x.DType == DType.Float64) PoolKernel.Max<double>(x.Span<double>().Slice(n * inLen, inLen), y.Span<double>().Slice(n * outLen, outLen), ix, one);
            else PoolKernel.Max<float>(x.Span<float>().Slice(n * inLen, inLen), y.Span<float>().Slice(n * outLen, outLen), ix, one);
        }, minWork: 1L << 16);
    }

    /// <summary>Routes gy to the positions of the maxima into gx; samples run in parallel.</summary>
    public static void MaxPoolBackward(NDArray gy, int[] index, NDArray gx, ConvGeometry g)
    {
        var one = g with { N = 1 };
        int inLen = g.C * g.H * g.W, outLen = g.C * g.OH * g.OW;
        PerSample(g.N, (long)outLen + inLen, n =>
        {
            var ix = index.AsSpan(n * outLen, outLen);
            if (gy.DType == DType.Float64) PoolKernel.MaxBackward<double>(gy.Span<double>().Slice(n * outLen, outLen), ix, gx.Span<double>().Slice(n * inLen, inLen), one);
            else PoolKernel.MaxBackward<float>(gy.Span<float>().Slice(n * outLen, outLen), ix, gx.Span<float>().Slice(n * inLen, inLen), one);
        }, minWork: 1L << 16);
    }

    // y[n, c] += b[c] in place, b converted to y's dtype.
    static void AddBias(NDArray y, NDArray b)
    {
        b = b.As(y.DType);
        int n = y.Dims[0], c = y.Dims[1], hw = y.Size / Math.Max(1, n * c);
        if (y.DType == DType.Float64) AddBias<double>(y.Span<double>(), b.Span<double>(), n, c, hw);
        else AddBias<float>(y.Span<float>(), b.Span<float>(), n, c, hw);
    }

    static void AddBias<T>(Span<T> y, ReadOnlySpan<T> b, int n, int c, int hw) where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < n; i++)
            for (int j = 0; j < c; j++)
            {
                var plane = y.Slice((i * c + j) * hw, hw);
                TensorPrimitives.Add(plane, b[j], plane);
            }
    }

    // One GEMM on sub-blocks of contiguous arrays: op(A) is m×k, op(B) is k×n, C is m×n.
    static void Mm<T>(bool ta, bool tb, int m, int n, int k, NDArray a, int ao, NDArray b, int bo, NDArray c, int co, bool acc)
        where T : unmanaged, INumber<T> =>
        Gemm.Multiply(ta, tb, m, n, k, a.Span<T>().Slice(ao, m * k), ta ? m : k, b.Span<T>().Slice(bo, k * n), tb ? k : n,
            c.Span<T>().Slice(co, m * n), n, acc);
}
