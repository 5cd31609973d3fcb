using F = DeZero.Functions;

namespace DeZero.Layers;

/// <summary>
/// Transposed 2-D convolution layer (the book's <c>L.Deconv2d</c>). W has shape (C, OC, KH, KW) and is drawn as
/// <c>randn(C, OC, KH, KW).astype(dtype) * sqrt(1 / (C·KH·KW))</c>; when <c>inChannels</c> is null it is
/// created on the first call from the input's channel count. The output is (N, OC, S·(H−1)+KH−2P, …).
/// </summary>
public class Deconv2d : Layer
{
    readonly RandomState? _rng;

    /// <summary>A layer with <paramref name="outChannels"/> outputs and square <paramref name="kernelSize"/> filters.</summary>
    public Deconv2d(int outChannels, int kernelSize, int stride = 1, int pad = 0, bool nobias = false,
        DType dtype = DType.Float32, int? inChannels = null, RandomState? rng = null)
        : this(outChannels, (kernelSize, kernelSize), (stride, stride), (pad, pad), nobias, dtype, inChannels, rng) { }

    /// <summary>A layer with separate vertical and horizontal kernel size, stride and padding.</summary>
    public Deconv2d(int outChannels, (int, int) kernelSize, (int, int) stride, (int, int) pad, bool nobias = false,
        DType dtype = DType.Float32, int? inChannels = null, RandomState? rng = null)
    {
        ConvLayer.CheckArguments("L.Deconv2d", outChannels, kernelSize, stride, pad, dtype, inChannels);
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

    /// <summary>The filters, shape (C, OC, KH, KW); its data is null until the input channel count is known.</summary>
    public Parameter W { get; }

    /// <summary>The bias, shape (OC,), or null with <c>nobias</c>. Lower case so its key is the book's <c>b</c>.</summary>
    public Parameter? b { get; }

    /// <summary>Input channel count: null until W is created.</summary>
    public int? InChannels => ((NDArray?)W.Data)?.Shape[0];

    /// <summary>Output channel count.</summary>
    public int OutChannels { get; }

    /// <summary>Filter height and width.</summary>
    public (int, int) KernelSize { get; }

    /// <summary>Vertical and horizontal stride.</summary>
    public (int, int) Stride { get; }

    /// <summary>Vertical and horizontal padding removed from the output.</summary>
    public (int, int) Pad { get; }

    /// <summary>Element type of the parameters.</summary>
    public DType DType { get; }

    void InitW(int c)
    {
        var (kh, kw) = KernelSize;
        double scale = Math.Sqrt(1.0 / (c * kh * kw));
        W.Data = (_rng ?? RandomState.Global).Randn(c, OutChannels, kh, kw).AsType(DType) * scale;
    }

    /// <inheritdoc/>
    public override Variable Forward(Variable x)
    {
        string name = ConvLayer.Name("L.Deconv2d", OutChannels, KernelSize);
        var shape = ConvLayer.CheckInput(name, x, W, channelAxis: 0, KernelSize, Stride, Pad);
        var ((kh, kw), (sh, sw), (ph, pw)) = (KernelSize, Stride, Pad);
        int oh = sh * (shape[2] - 1) + kh - 2 * ph, ow = sw * (shape[3] - 1) + kw - 2 * pw;
        if (oh <= 0 || ow <= 0)
            throw new ArgumentException(
                $"{name}: input {ShapeUtil.Str(shape)} gives a non-positive output size ({oh}, {ow}) ({ConvLayer.Conf(KernelSize, Stride, Pad)}).", nameof(x));
        if ((NDArray?)W.Data is null) InitW(shape[1]);
        return F.Deconv2d(x, W, b, Stride, Pad);
    }
}
