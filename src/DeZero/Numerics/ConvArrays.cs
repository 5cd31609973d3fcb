using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using DeZero.Numerics.Kernels;

namespace DeZero;

/// <summary>
/// Convolution and pooling on arrays, shared by the differentiable functions: im2col/col2im and the GEMMs of
/// convolution, transposed convolution and the filter gradient, one per chunk of samples.
/// </summary>
internal static class ConvArrays
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ConvGeometry Geometry(NDArray x, (int h, int w) k, (int h, int w) s, (int h, int w) p, string op, bool columns = true) =>
        Geometry(x.Dims, x.DType, k, s, p, op, columns);

    /// <summary>The geometry of a window over an image of <paramref name="shape"/>; throws unless it is a valid float (N, C, H, W) input.</summary>
    /// <remarks>Pooling passes <paramref name="columns"/> false: it needs no im2col columns.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ConvGeometry Geometry(int[] shape, DType dtype, (int h, int w) k, (int h, int w) s, (int h, int w) p, string op, bool columns = true)
    {
        if (!dtype.IsFloat()) throw new ArgumentException($"{op}: input must be float32 or float64, got {dtype.Name()} of shape {ShapeUtil.Str(shape)}.");
        return Window(shape, k, s, p, op, columns);
    }

    /// <summary>The geometry of a window over an image of <paramref name="shape"/> of any dtype; throws unless it is a valid (N, C, H, W) input.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ConvGeometry Window(int[] shape, (int h, int w) k, (int h, int w) s, (int h, int w) p, string op, bool columns = true)
    {
        if (shape.Length != 4) throw new ArgumentException($"{op}: input must be 4-D (N, C, H, W), got shape {ShapeUtil.Str(shape)}.");
        return new ConvGeometry(shape[0], shape[1], shape[2], shape[3], k.h, k.w, s.h, s.w, p.h, p.w).Validate(op, columns);
    }

    /// <summary>Columns (N, C, KH, KW, OH, OW) of an image, or the (N·OH·OW, C·KH·KW) matrix when <paramref name="toMatrix"/>; any numeric dtype.</summary>
    public static NDArray Im2col(NDArray x, in ConvGeometry g, bool toMatrix)
    {
        var col = NDArray.Uninitialized(x.DType, [g.N, g.C, g.KH, g.KW, g.OH, g.OW]);
        var geo = g; // a lambda cannot capture an in parameter
        int inLen = g.C * g.H * g.W, outLen = col.Size / Math.Max(g.N, 1), hw = g.OH * g.OW;
        PerSample(g.N, outLen, n => DTypeSwitch.Number(x.DType, new Im2colSample(x, col, geo, n, inLen, outLen, hw)));
        return toMatrix ? col.Transpose(0, 4, 5, 1, 2, 3).Reshape(g.N * g.OH * g.OW, -1) : col;
    }

    /// <summary>Sums columns back into an (N, C, H, W) image: the adjoint of <see cref="Im2col(NDArray, in ConvGeometry, bool)"/>; any numeric dtype.</summary>
    public static NDArray Col2im(NDArray col, in ConvGeometry g, bool toMatrix)
    {
        if (toMatrix) col = col.Reshape(g.N, g.OH, g.OW, g.C, g.KH, g.KW).Transpose(0, 3, 4, 5, 1, 2);
        var img = NDArray.Uninitialized(col.DType, [g.N, g.C, g.H, g.W]);
        var geo = g; // a lambda cannot capture an in parameter
        int imgLen = g.C * g.H * g.W, colLen = col.Size / Math.Max(g.N, 1), hw = g.OH * g.OW;
        PerSample(g.N, colLen, n => DTypeSwitch.Number(col.DType, new Col2imSample(col, img, geo, n, colLen, imgLen, hw)));
        return img;
    }

    /// <summary>y = W (OC × C·KH·KW) · columns (+ b): the forward convolution, already in NCHW order.</summary>
    /// <remarks>x and W are promoted to a common dtype like NumPy's tensordot; b is added in that dtype, as the book adds it in place.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static NDArray Conv2d(NDArray x, NDArray w, NDArray? b, in ConvGeometry g)
    {
        var dt = DTypes.Promote(x.DType, w.DType);
        (x, w, b) = (x.As(dt), w.As(dt), b?.As(dt));
        var y = NDArray.Uninitialized(dt, [g.N, w.Dims[0], g.OH, g.OW]);
        DTypeSwitch.Float(dt, new Conv2dOp(x, w, b, y, g));
        return y;
    }

    // Per chunk of samples: their columns side by side, one GEMM, then each sample's rows (plus bias) into y.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Conv2d<T>(NDArray x, NDArray w, NDArray? b, NDArray y, ConvGeometry g) where T : unmanaged, INumber<T>
    {
        int oc = w.Dims[0], k = g.C * g.KH * g.KW, hw = g.OH * g.OW, inLen = g.C * g.H * g.W;
        ForChunks(g, (long)oc * k, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (n0, count) =>
        {
            int len = count * hw;
            var col = Scratch<T>(k * len);
            var prod = Scratch<T>(oc * len);
            for (int s = 0; s < count; s++)
                Im2colKernel.Im2col(x.Span<T>().Slice((n0 + s) * inLen, inLen), col.AsSpan(s * hw), g, len);
            Gemm.Multiply(false, false, oc, len, k, w.Span<T>(), k, col.AsSpan(0, k * len), len, prod.AsSpan(0, oc * len), len, parallel: OneChunk(g));
            var bias = b is null ? default : b.Span<T>();
            for (int s = 0; s < count; s++)
                for (int o = 0; o < oc; o++)
                {
                    var src = prod.AsSpan(o * len + s * hw, hw);
                    var dst = y.Span<T>().Slice(((n0 + s) * oc + o) * hw, hw);
                    if (b is null) src.CopyTo(dst);
                    else AddOp<T>.VS(src, bias[o], dst);
                }
            Release(col);
            Release(prod);
        });
    }

    /// <summary>The transposed convolution: columns = Wᵀ (OC·KH·KW × C) · x, then col2im to (N, OC, outH, outW).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static NDArray Deconv2d(NDArray x, NDArray w, NDArray? b, in ConvGeometry outG)
    {
        var dt = DTypes.Promote(x.DType, w.DType);
        (x, w) = (x.As(dt), w.As(dt));
        var y = NDArray.Uninitialized(dt, [outG.N, outG.C, outG.H, outG.W]);
        DTypeSwitch.Float(dt, new Deconv2dOp(x, w, y, outG));
        if (b is not null) AddBias(y, b);
        return y;
    }

    // Per chunk of samples: their inputs side by side, one GEMM into columns, then col2im of each sample.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Deconv2d<T>(NDArray x, NDArray w, NDArray y, ConvGeometry g) where T : unmanaged, INumber<T>
    {
        int c = w.Dims[0], okk = g.C * g.KH * g.KW, hw = g.OH * g.OW, outLen = g.C * g.H * g.W;
        ForChunks(g, (long)okk * c, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (n0, count) =>
        {
            int len = count * hw;
            var xs = Scratch<T>(c * len);
            var col = Scratch<T>(okk * len);
            SideBySide(x.Span<T>(), n0, count, c, hw, xs);
            Gemm.Multiply(true, false, okk, len, c, w.Span<T>(), okk, xs.AsSpan(0, c * len), len, col.AsSpan(0, okk * len), len, parallel: OneChunk(g));
            for (int s = 0; s < count; s++)
                Im2colKernel.Col2im<T>(col.AsSpan(s * hw), y.Span<T>().Slice((n0 + s) * outLen, outLen), g, len);
            Release(xs);
            Release(col);
        });
    }

    /// <summary>Filter gradient gW (OC, C, KH, KW) = Σₙ gy[n] (OC × OH·OW) · columns[n]ᵀ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static NDArray Conv2dGradW(NDArray x, NDArray gy, in ConvGeometry g)
    {
        var dt = DTypes.Promote(x.DType, gy.DType);
        (x, gy) = (x.As(dt), gy.As(dt));
        var gw = NDArray.Uninitialized(dt, [gy.Dims[1], g.C, g.KH, g.KW]);
        DTypeSwitch.Float(dt, new Conv2dGradWOp(x, gy, gw, null, g));
        return gw;
    }

    /// <summary>
    /// The filter gradient and the bias gradient gy.Sum([0, 2, 3]) in one pass over gy, for x and gy of one float dtype.
    /// The bias gradient is summed as NDArray.Sum sums it (each sample's plane pairwise, then the samples in order), so
    /// it is the same to the last bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (NDArray GW, NDArray GB) Conv2dGrads(NDArray x, NDArray gy, in ConvGeometry g)
    {
        if (x.DType != gy.DType || !x.DType.IsFloat() || gy.Ndim != 4 || gy.Dims[0] != g.N || gy.Dims[2] != g.OH || gy.Dims[3] != g.OW)
            throw new ArgumentException($"Conv2dGrads: gy must be ({g.N}, OC, {g.OH}, {g.OW}) of x's float dtype for {g.Describe()}, got {x.DType.Name()} x and {gy.DType.Name()} gy {ShapeUtil.Str(gy.Dims)}.");
        int oc = gy.Dims[1];
        var gw = NDArray.Uninitialized(x.DType, [oc, g.C, g.KH, g.KW]);
        var sums = NDArray.Uninitialized(x.DType, [g.N, oc]);
        DTypeSwitch.Float(x.DType, new Conv2dGradWOp(x, gy, gw, sums, g));
        return (gw, sums.Sum(0));
    }

    // Each chunk of samples sums into its own gWᵀ (C·KH·KW × OC) (a pooled buffer) columns · gyᵀ of one sample after
    // another, reading each sample's gy (OC × OH·OW) in place; the chunks' sums are added in chunk order, so the result
    // does not depend on the thread count. With sums (N × OC), each sample's gy planes are also summed there as they pass.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Conv2dGradW<T>(NDArray x, NDArray gy, NDArray gw, NDArray? sums, ConvGeometry g) where T : unmanaged, INumber<T>
    {
        int oc = gy.Dims[1], k = g.C * g.KH * g.KW, hw = g.OH * g.OW, inLen = g.C * g.H * g.W;
        int size = ChunkSize(g), chunks = (g.N + size - 1) / size;
        var parts = new T[Math.Max(chunks, 1)][];
        ForChunks(g, (long)oc * k, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (n0, count) =>
        {
            var col = Scratch<T>(k * hw);
            var part = parts[n0 / size] = Scratch<T>(k * oc);
            for (int s = 0; s < count; s++)
            {
                if (sums is not null)
                    for (int o = 0; o < oc; o++)
                        sums.Span<T>()[(n0 + s) * oc + o] = NDArray.PairwiseSum<T>(gy.Span<T>().Slice(((n0 + s) * oc + o) * hw, hw));
                Im2colKernel.Im2col(x.Span<T>().Slice((n0 + s) * inLen, inLen), col, g, hw);
                Gemm.Multiply(false, true, k, oc, hw, col.AsSpan(0, k * hw), hw, gy.Span<T>().Slice((n0 + s) * oc * hw, oc * hw), hw,
                    part.AsSpan(0, k * oc), oc, accumulate: s > 0, parallel: OneChunk(g));
            }
            Release(col);
        });
        var sum = chunks > 0 ? parts[0].AsSpan(0, k * oc) : new T[k * oc];
        for (int i = 1; i < chunks; i++) AddOp<T>.VV(sum, parts[i].AsSpan(0, k * oc), sum);
        var dst = gw.Span<T>();
        for (int o = 0; o < oc; o++)
            for (int r = 0; r < k; r++) dst[o * k + r] = sum[r * oc + o];
        for (int i = 0; i < chunks; i++) Release(parts[i]);
    }

    // Column buffers of up to 2^20 elements come from the shared pool. Larger ones (a 224×224 image's columns reach
    // 115 MB) are plain arrays that the GC reclaims and LargeArrays counts: the pool would keep each one per thread
    // and per core until memory runs low, which held several hundred MB in the VGG16 examples.
    const int PooledLength = 1 << 20;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static T[] Scratch<T>(int length) where T : unmanaged
    {
        if (length <= PooledLength) return ArrayPool<T>.Shared.Rent(length);
        LargeArrays.Allocating((long)length * Unsafe.SizeOf<T>());
        return GC.AllocateUninitializedArray<T>(length);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Release<T>(T[] buffer)
    {
        if (buffer.Length <= PooledLength) ArrayPool<T>.Shared.Return(buffer);
    }

    // Samples [n0, n0 + count) of an (N, rows, hw) array side by side: a rows × count·hw matrix.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void SideBySide<T>(ReadOnlySpan<T> src, int n0, int count, int rows, int hw, T[] dst)
    {
        int len = count * hw;
        for (int s = 0; s < count; s++)
            for (int r = 0; r < rows; r++)
                src.Slice(((n0 + s) * rows + r) * hw, hw).CopyTo(dst.AsSpan(r * len + s * hw, hw));
    }

    // At most about this many column values per chunk of samples, so a chunk's GEMM operands stay in the L2
    // cache; and a multiple of this many chunks (when there are samples enough), so they share evenly among cores.
    const int ChunkElements = 1 << 18, MinChunks = 8;

    // Samples per chunk: the batch cut into equal chunks (shapes alone decide, not the core count).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static int ChunkSize(in ConvGeometry g)
    {
        long perSample = Math.Max(1L, (long)g.C * g.KH * g.KW * g.OH * g.OW);
        long chunks = (Math.Max(g.N * perSample / ChunkElements, 1) + MinChunks - 1) / MinChunks * MinChunks;
        return Math.Max(1, (int)((g.N + chunks - 1) / chunks));
    }

    // Whether the batch is a single chunk: its GEMM then has the cores to itself, otherwise the chunks share them.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static bool OneChunk(in ConvGeometry g) => ChunkSize(g) >= g.N;

    // Runs body(first sample, count) for each chunk of samples, in parallel when the work (multiply-adds per
    // output position, times the positions) is large enough.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void ForChunks(in ConvGeometry g, long workPerPosition, Action<int, int> body)
    {
        int n = g.N, size = ChunkSize(g), chunks = (n + size - 1) / size;
        PerSample(chunks, workPerPosition * g.OH * g.OW * size, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (ch) => body(ch * size, Math.Min(size, n - ch * size)));
    }

    // Runs body(i) for i < count, on all cores when the work (operations per item) is large enough to pay for it: on
    // the library's worker threads (Workers), which wake faster than Parallel.For's pool and need no tiering of its machinery.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void PerSample(int count, long work, Action<int> body, long minWork = 1L << 22)
    {
        if (count > 1 && count * work >= minWork && Environment.ProcessorCount > 1) Workers.Run(count, body);
        else for (int i = 0; i < count; i++) body(i);
    }

    /// <summary>
    /// Max pooling of x into a new array; samples run in parallel. Where the kernel records where the maxima lie
    /// (<see cref="PoolKernel.RecordsArgmax"/>), it writes them into <paramref name="argmax"/> (one byte per output) when given.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static NDArray MaxPool(NDArray x, ConvGeometry g, byte[]? argmax = null)
    {
        var y = NDArray.Uninitialized(x.DType, [g.N, g.C, g.OH, g.OW]);
        var one = g with { N = 1 };
        int inLen = g.C * g.H * g.W, outLen = g.C * g.OH * g.OW;
        PerSample(g.N, (long)outLen * g.KH * g.KW, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (n) => DTypeSwitch.Float(x.DType, new MaxPoolSample(x, y, argmax, one, n, inLen, outLen)), minWork: 1L << 16);
        return y;
    }

    /// <summary>
    /// The gradient of max pooling: gy routed to the first maximum of each window of x, in gy's dtype; samples run in
    /// parallel. Where the kernel records the maxima's positions it routes by <paramref name="argmax"/> (from
    /// <see cref="MaxPool"/> of x; found now when null) without reading x.
    /// </summary>
    /// <remarks>Otherwise it works in the wider of the two dtypes, so neither the maxima nor the gradients are rounded.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static NDArray MaxPoolBackward(NDArray x, NDArray gy, ConvGeometry g, byte[]? argmax = null)
    {
        bool recorded = PoolKernel.RecordsArgmax(g);
        if (recorded && argmax is null) MaxPool(x, g, argmax = GC.AllocateUninitializedArray<byte>(g.N * g.C * g.OH * g.OW));
        var dt = recorded ? gy.DType : DTypes.Promote(x.DType, gy.DType);
        var (xs, gys) = (recorded ? x : x.As(dt), gy.As(dt));
        var gx = NDArray.Uninitialized(dt, [g.N, g.C, g.H, g.W]);
        var one = g with { N = 1 };
        int inLen = g.C * g.H * g.W, outLen = g.C * g.OH * g.OW;
        PerSample(g.N, (long)outLen * g.KH * g.KW + inLen, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (n) => DTypeSwitch.Float(dt, new MaxPoolBackwardSample(xs, argmax, gys, gx, one, n, inLen, outLen)), minWork: 1L << 16);
        return gx.As(gy.DType);
    }

    /// <summary>The elements of <paramref name="values"/> (shaped like x) at the first maximum of each window of x, in values' dtype.</summary>
    public static NDArray MaxPoolGather(NDArray x, NDArray values, in ConvGeometry g)
    {
        var dt = DTypes.Promote(x.DType, values.DType);
        var (xs, vs) = (x.As(dt), values.As(dt));
        var y = NDArray.Uninitialized(dt, [g.N, g.C, g.OH, g.OW]);
        DTypeSwitch.Float(dt, new MaxPoolGatherOp(xs, vs, y, g));
        return y.As(values.DType);
    }

    /// <summary>Average pooling of x into a new array (padding counts as zeros).</summary>
    public static NDArray AveragePool(NDArray x, in ConvGeometry g)
    {
        var y = NDArray.Empty(x.DType, [g.N, g.C, g.OH, g.OW]);
        DTypeSwitch.Float(x.DType, new AveragePoolOp(x, y, g, Backward: false));
        return y;
    }

    /// <summary>The gradient of average pooling: each gy spread evenly over its window.</summary>
    public static NDArray AveragePoolBackward(NDArray gy, in ConvGeometry g)
    {
        var gx = NDArray.Empty(gy.DType, [g.N, g.C, g.H, g.W]);
        DTypeSwitch.Float(gy.DType, new AveragePoolOp(gy, gx, g, Backward: true));
        return gx;
    }

    readonly record struct AveragePoolOp(NDArray X, NDArray Y, ConvGeometry G, bool Backward) : IFloatOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (Backward) PoolKernel.AverageBackward<T>(X.Span<T>(), Y.Span<T>(), G);
            else PoolKernel.Average<T>(X.Span<T>(), Y.Span<T>(), G);
        }
    }

    // y[n, c] += b[c] in place, b converted to y's dtype.
    static void AddBias(NDArray y, NDArray b)
    {
        b = b.As(y.DType);
        int n = y.Dims[0], c = y.Dims[1], hw = y.Size / Math.Max(1, n * c);
        DTypeSwitch.Float(y.DType, new ChannelBias(y, b, n, c, hw));
    }

    readonly struct Conv2dOp(NDArray x, NDArray w, NDArray? b, NDArray y, ConvGeometry g) : IFloatOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T> => Conv2d<T>(x, w, b, y, g);
    }

    readonly struct Deconv2dOp(NDArray x, NDArray w, NDArray y, ConvGeometry g) : IFloatOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T> => Deconv2d<T>(x, w, y, g);
    }

    readonly struct Conv2dGradWOp(NDArray x, NDArray gy, NDArray gw, NDArray? sums, ConvGeometry g) : IFloatOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T> => Conv2dGradW<T>(x, gy, gw, sums, g);
    }

    readonly struct ChannelBias(NDArray y, NDArray b, int n, int c, int hw) : IFloatOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T> => Im2colKernel.AddChannelBias(y.Span<T>(), b.Span<T>(), n, c, hw);
    }

    // One sample n of each per-sample kernel (inLen, outLen: elements per sample of input and output).
    readonly struct Im2colSample(NDArray x, NDArray col, ConvGeometry g, int n, int inLen, int outLen, int hw) : INumberOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, INumber<T>, IMinMaxValue<T> =>
            Im2colKernel.Im2col<T>(x.Span<T>().Slice(n * inLen, inLen), col.Span<T>().Slice(n * outLen, outLen), g, hw);
    }

    readonly struct Col2imSample(NDArray col, NDArray img, ConvGeometry g, int n, int colLen, int imgLen, int hw) : INumberOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, INumber<T>, IMinMaxValue<T> =>
            Im2colKernel.Col2im<T>(col.Span<T>().Slice(n * colLen, colLen), img.Span<T>().Slice(n * imgLen, imgLen), g, hw);
    }

    readonly struct MaxPoolSample(NDArray x, NDArray y, byte[]? argmax, ConvGeometry one, int n, int inLen, int outLen) : IFloatOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            PoolKernel.Max<T>(x.Span<T>().Slice(n * inLen, inLen), y.Span<T>().Slice(n * outLen, outLen), argmax is null ? default : argmax.AsSpan(n * outLen, outLen), one);
    }

    // x is read only where the kernel records no positions (it may then have another dtype than gy, and is not sliced).
    readonly struct MaxPoolBackwardSample(NDArray x, byte[]? argmax, NDArray gy, NDArray gx, ConvGeometry one, int n, int inLen, int outLen) : IFloatOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            PoolKernel.MaxBackward<T>(argmax is null ? x.Span<T>().Slice(n * inLen, inLen) : default, argmax is null ? default : argmax.AsSpan(n * outLen, outLen),
                gy.Span<T>().Slice(n * outLen, outLen), gx.Span<T>().Slice(n * inLen, inLen), one);
    }

    readonly struct MaxPoolGatherOp(NDArray x, NDArray values, NDArray y, ConvGeometry g) : IFloatOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T> => PoolKernel.Gather<T>(x.Span<T>(), values.Span<T>(), y.Span<T>(), g);
    }
}
