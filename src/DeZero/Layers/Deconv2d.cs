using F = DeZero.Functions;

namespace DeZero.Layers;

/// <summary>
/// Transposed 2-D convolution layer (the book's <c>L.Deconv2d</c>). W has shape (C, OC, KH, KW) and is drawn as
/// <c>randn(C, OC, KH, KW).astype(dtype) * sqrt(1 / (C·KH·KW))</c>; when <c>inChannels</c> is null it is
/// created on the first call from the input's channel count. The output is (N, OC, S·(H−1)+KH−2P, …).
/// </summary>
public class Deconv2d : ConvolutionLayer
{
    /// <summary>A layer with <paramref name="outChannels"/> outputs and square <paramref name="kernelSize"/> filters.</summary>
    public Deconv2d(int outChannels, int kernelSize, int stride = 1, int pad = 0, bool nobias = false,
        DType dtype = DType.Float32, int? inChannels = null, RandomState? rng = null)
        : this(outChannels, (kernelSize, kernelSize), (stride, stride), (pad, pad), nobias, dtype, inChannels, rng) { }

    /// <summary>A layer with separate vertical and horizontal kernel size, stride and padding.</summary>
    public Deconv2d(int outChannels, (int, int) kernelSize, (int, int) stride, (int, int) pad, bool nobias = false,
        DType dtype = DType.Float32, int? inChannels = null, RandomState? rng = null)
        : base("L.Deconv2d", outChannels, kernelSize, stride, pad, nobias, dtype, inChannels, rng) { }

    private protected override int ChannelAxis => 0;
    private protected override int[] WShape(int c, int kh, int kw) => [c, OutChannels, kh, kw];

    /// <inheritdoc/>
    public override Variable Forward(Variable x)
    {
        var shape = Prepare(x);
        var ((kh, kw), (sh, sw), (ph, pw)) = (KernelSize, Stride, Pad);
        int oh = sh * (shape[2] - 1) + kh - 2 * ph, ow = sw * (shape[3] - 1) + kw - 2 * pw;
        if (oh <= 0 || ow <= 0)
            throw new ArgumentException($"{Name}: input {ShapeUtil.Str(shape)} gives a non-positive output size ({oh}, {ow}) ({Conf}).", nameof(x));
        EnsureW(shape);
        return F.Deconv2d(x, W, b, Stride, Pad);
    }
}
