using F = DeZero.Functions;

namespace DeZero.Layers;

/// <summary>
/// 2-D convolution layer (the book's <c>L.Conv2d</c>). W has shape (OC, C, KH, KW) and is drawn as
/// <c>randn(OC, C, KH, KW).astype(dtype) * sqrt(1 / (C·KH·KW))</c>; when <c>inChannels</c> is null it is
/// created on the first call from the input's channel count.
/// </summary>
public class Conv2d : Layer
{
    readonly RandomState? _rng;

    /// <summary>A layer with <paramref name="outChannels"/> square <paramref name="kernelSize"/> filters.</summary>
    public Conv2d(int outChannels, int kernelSize, int stride = 1, int pad = 0, bool nobias = false,
        DType dtype = DType.Float32, int? inChannels = null, RandomState? rng = null)
        : this(outChannels, (kernelSize, kernelSize), (stride, stride), (pad, pad), nobias, dtype, inChannels, rng) { }

    /// <summary>A layer with separate vertical and horizontal kernel size, stride and padding.</summary>
    public Conv2d(int outChannels, (int, int) kernelSize, (int, int) stride, (int, int) pad, bool nobias = false,
        DType dtype = DType.Float32, int? inChannels = null, RandomState? rng = null)
    {
        ConvLayer.CheckArguments("L.Conv2d", outChannels, kernelSize, stride, pad, dtype, inChannels);
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Pad = pad;
        DType = dtype;
        _rng = rng;
        W = new Parameter(null, "W");
        if (inChannels is int c) InitW(c);
        b = nobias ? null : new Parameter(NDArray.Zeros([outChannels], dtype), "b");
    }

    /// <summary>The filters, shape (OC, C, KH, KW); its data is null until the input channel count is known.</summary>
    public Parameter W { get; }

    /// <summary>The bias, shape (OC,), or null with <c>nobias</c>. Lower case so its key is the book's <c>b</c>.</summary>
    public Parameter? b { get; }

    /// <summary>Input channel count: null until W is created.</summary>
    public int? InChannels => ((NDArray?)W.Data)?.Shape[1];

    /// <summary>Output channel count.</summary>
    public int OutChannels { get; }

    /// <summary>Filter height and width.</summary>
    public (int, int) KernelSize { get; }

    /// <summary>Vertical and horizontal stride.</summary>
    public (int, int) Stride { get; }

    /// <summary>Vertical and horizontal zero padding.</summary>
    public (int, int) Pad { get; }

    /// <summary>Element type of the parameters.</summary>
    public DType DType { get; }

    void InitW(int c)
    {
        var (kh, kw) = KernelSize;
        double scale = Math.Sqrt(1.0 / (c * kh * kw));
        W.Data = (_rng ?? RandomState.Global).Randn(OutChannels, c, kh, kw).AsType(DType) * scale;
    }

    /// <inheritdoc/>
    public override Variable Forward(Variable x)
    {
        string name = ConvLayer.Name("L.Conv2d", OutChannels, KernelSize);
        var shape = ConvLayer.CheckInput(name, x, W, channelAxis: 1, KernelSize, Stride, Pad);
        var ((kh, kw), (ph, pw)) = (KernelSize, Pad);
        if (kh > shape[2] + 2 * ph || kw > shape[3] + 2 * pw)
            throw new ArgumentException(
                $"{name}: the kernel is larger than the padded input {ShapeUtil.Str(shape)} ({ConvLayer.Conf(KernelSize, Stride, Pad)}).", nameof(x));
        if ((NDArray?)W.Data is null) InitW(shape[1]);
        return F.Conv2d(x, W, b, Stride, Pad);
    }
}

/// <summary>Argument checks and names shared by <see cref="Conv2d"/> and <see cref="Deconv2d"/>.</summary>
static class ConvLayer
{
    public static string Name(string layer, int outChannels, (int h, int w) k) =>
        k.h == k.w ? $"{layer}({outChannels}, {k.h})" : $"{layer}({outChannels}, ({k.h}, {k.w}))";

    public static void CheckArguments(string layer, int outChannels, (int h, int w) k, (int h, int w) s, (int h, int w) p, DType dtype, int? inChannels)
    {
        if (outChannels <= 0)
            throw new ArgumentOutOfRangeException(nameof(outChannels), outChannels, $"{layer}: outChannels must be positive.");
        if (inChannels <= 0)
            throw new ArgumentOutOfRangeException(nameof(inChannels), inChannels, $"{layer}: inChannels must be positive.");
        if (k.h <= 0 || k.w <= 0 || s.h <= 0 || s.w <= 0 || p.h < 0 || p.w < 0)
            throw new ArgumentException(
                $"{Name(layer, outChannels, k)}: kernel size and stride must be positive and pad non-negative, got {Conf(k, s, p)}.");
        if (!dtype.IsFloat())
            throw new ArgumentException($"{layer}: dtype must be Float32 or Float64, got {dtype}.", nameof(dtype));
    }

    public static string Conf((int h, int w) k, (int h, int w) s, (int h, int w) p) =>
        $"kernel ({k.h}, {k.w}), stride ({s.h}, {s.w}), pad ({p.h}, {p.w})";

    /// <summary>Checks that x is (N, C, H, W) and that C matches W's channel axis once W exists; returns x's shape.</summary>
    public static int[] CheckInput(string name, Variable x, Parameter w, int channelAxis, (int h, int w) k, (int h, int w) s, (int h, int w) p)
    {
        var shape = x.Dims;
        string conf = Conf(k, s, p);
        if (shape.Length != 4)
            throw new ArgumentException($"{name}: input must be 4-D (N, C, H, W), got shape {ShapeUtil.Str(shape)} ({conf}).", nameof(x));
        if ((NDArray?)w.Data is { } wd && wd.Dims[channelAxis] != shape[1])
            throw new ArgumentException(
                $"{name}: input of shape {ShapeUtil.Str(shape)} has {shape[1]} channels, but W has shape {ShapeUtil.Str(wd.Dims)} ({conf}).", nameof(x));
        return shape;
    }
}
