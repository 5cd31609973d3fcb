using System.Runtime.CompilerServices;

namespace DeZero.Layers;

/// <summary>
/// What <see cref="Conv2d"/> and <see cref="Deconv2d"/> share: the filters W and bias b, lazy creation of W from
/// the input's channel count as <c>randn(shape).astype(dtype) * sqrt(1 / (C·KH·KW))</c>, and the argument checks.
/// </summary>
public abstract class ConvolutionLayer : Layer
{
    readonly RandomState? _rng;
    readonly string _layer;

    private protected ConvolutionLayer(string layer, int outChannels, (int, int) kernelSize, (int, int) stride, (int, int) pad,
        bool nobias, DType dtype, int? inChannels, RandomState? rng)
    {
        _layer = layer;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Pad = pad;
        DType = dtype;
        _rng = rng;
        CheckArguments(inChannels);
        W = new Parameter(null, "W");
        if (inChannels is int c) InitW(c);
        b = nobias ? null : new Parameter(NDArray.Zeros([outChannels], dtype), "b");
    }

    /// <summary>The filters; their data is null until the input channel count is known.</summary>
    public Parameter W { get; }

    /// <summary>The bias, shape (OC,), or null with <c>nobias</c>. Lower case so its key is the book's <c>b</c>.</summary>
    public Parameter? b { get; }

    /// <summary>Input channel count: null until W is created.</summary>
    public int? InChannels => W.HasData ? W.Data.Shape[ChannelAxis] : null;

    /// <summary>Output channel count.</summary>
    public int OutChannels { get; }

    /// <summary>Filter height and width.</summary>
    public (int, int) KernelSize { get; }

    /// <summary>Vertical and horizontal stride.</summary>
    public (int, int) Stride { get; }

    /// <summary>Vertical and horizontal padding.</summary>
    public (int, int) Pad { get; }

    /// <summary>Element type of the parameters.</summary>
    public DType DType { get; }

    // The axis of W that holds the input channels, and W's shape for c input channels.
    private protected abstract int ChannelAxis { get; }
    private protected abstract int[] WShape(int c, int kh, int kw);

    // The layer as written in messages, e.g. "L.Conv2d(16, 3)".
    private protected string Name
    {
        get
        {
            var (kh, kw) = KernelSize;
            return kh == kw ? $"{_layer}({OutChannels}, {kh})" : $"{_layer}({OutChannels}, ({kh}, {kw}))";
        }
    }

    private protected string Conf
    {
        get
        {
            var ((kh, kw), (sh, sw), (ph, pw)) = (KernelSize, Stride, Pad);
            return $"kernel ({kh}, {kw}), stride ({sh}, {sw}), pad ({ph}, {pw})";
        }
    }

    void InitW(int c)
    {
        var (kh, kw) = KernelSize;
        double scale = Math.Sqrt(1.0 / (c * kh * kw));
        W.Data = (_rng ?? RandomState.Global).Randn(WShape(c, kh, kw)).AsType(DType) * scale;
    }

    void CheckArguments(int? inChannels)
    {
        if (OutChannels <= 0)
            throw new ArgumentOutOfRangeException("outChannels", OutChannels, $"{_layer}: outChannels must be positive.");
        if (inChannels <= 0)
            throw new ArgumentOutOfRangeException(nameof(inChannels), inChannels, $"{_layer}: inChannels must be positive.");
        var ((kh, kw), (sh, sw), (ph, pw)) = (KernelSize, Stride, Pad);
        if (kh <= 0 || kw <= 0) throw new ArgumentOutOfRangeException("kernelSize", KernelSize, $"{Name}: kernelSize must be positive, got {Conf}.");
        if (sh <= 0 || sw <= 0) throw new ArgumentOutOfRangeException("stride", Stride, $"{Name}: stride must be positive, got {Conf}.");
        if (ph < 0 || pw < 0) throw new ArgumentOutOfRangeException("pad", Pad, $"{Name}: pad must be ≥ 0, got {Conf}.");
        if (!DType.IsFloat())
            throw new ArgumentException($"{_layer}: dtype must be Float32 or Float64, got {DType}.", "dtype");
    }

    /// <summary>Checks that x is (N, C, H, W) with C matching W once it exists, creates W if needed; returns x's shape.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private protected int[] Prepare(Variable x)
    {
        var shape = x.Dims;
        if (shape.Length != 4)
            throw new ArgumentException($"{Name}: input must be 4-D (N, C, H, W), got shape {ShapeUtil.Str(shape)} ({Conf}).", nameof(x));
        if (W.HasData && W.Data.Dims[ChannelAxis] != shape[1])
            throw new ArgumentException(
                $"{Name}: input of shape {ShapeUtil.Str(shape)} has {shape[1]} channels, but W has shape {ShapeUtil.Str(W.Data.Dims)} ({Conf}).", nameof(x));
        return shape;
    }

    /// <summary>Creates W for the input's channel count on the first call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private protected void EnsureW(int[] shape)
    {
        if (!W.HasData) InitW(shape[1]);
    }
}
