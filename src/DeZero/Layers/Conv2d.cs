using System.Runtime.CompilerServices;
using F = DeZero.Functions;

namespace DeZero.Layers;

/// <summary>
/// 2-D convolution layer (the book's <c>L.Conv2d</c>). W has shape (OC, C, KH, KW) and is drawn as
/// <c>randn(OC, C, KH, KW).astype(dtype) * sqrt(1 / (C·KH·KW))</c>; when <c>inChannels</c> is null it is
/// created on the first call from the input's channel count.
/// </summary>
public class Conv2d : ConvolutionLayer
{
    /// <summary>A layer with <paramref name="outChannels"/> square <paramref name="kernelSize"/> filters.</summary>
    public Conv2d(int outChannels, int kernelSize, int stride = 1, int pad = 0, bool nobias = false,
        DType dtype = DType.Float32, int? inChannels = null, RandomState? rng = null)
        : this(outChannels, (kernelSize, kernelSize), (stride, stride), (pad, pad), nobias, dtype, inChannels, rng) { }

    /// <summary>A layer with separate vertical and horizontal kernel size, stride and padding.</summary>
    public Conv2d(int outChannels, (int, int) kernelSize, (int, int) stride, (int, int) pad, bool nobias = false,
        DType dtype = DType.Float32, int? inChannels = null, RandomState? rng = null)
        : base("L.Conv2d", outChannels, kernelSize, stride, pad, nobias, dtype, inChannels, rng) { }

    private protected override int ChannelAxis => 1;
    private protected override int[] WShape(int c, int kh, int kw) => [OutChannels, c, kh, kw];

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Variable Forward(Variable x)
    {
        var shape = Prepare(x);
        var ((kh, kw), (ph, pw)) = (KernelSize, Pad);
        if (kh > shape[2] + 2 * ph || kw > shape[3] + 2 * pw)
            throw new ArgumentException($"{Name}: the kernel is larger than the padded input {ShapeUtil.Str(shape)} ({Conf}).", nameof(x));
        EnsureW(shape);
        return F.Conv2d(x, W, b, Stride, Pad);
    }
}
