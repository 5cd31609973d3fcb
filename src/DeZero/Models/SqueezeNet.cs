using DeZero.Layers;
using F = DeZero.Functions;
using L = DeZero.Layers;

namespace DeZero.Models;

/// <summary>
/// SqueezeNet 1.0 (Iandola et al., 2016). The book's <c>SqueezeNet</c> is an empty stub; this is the standard
/// network: 7×7/2 convolution <c>conv1</c> (96), <see cref="Fire"/> modules <c>fire2</c> … <c>fire9</c> with
/// 3×3/2 max pooling after conv1, fire4 and fire8, dropout, 1×1 convolution <c>conv10</c> (1000 classes), ReLU
/// and global average pooling; 1 248 424 parameters.
/// </summary>
/// <remarks>
/// Weights are drawn like every <see cref="L.Conv2d"/> of the book, not with the paper's initialisation, and max
/// pooling rounds the output size down like <see cref="F.Pooling(Variable, int, int, int)"/> (torchvision rounds
/// up), so feature maps inside the network can be one pixel smaller than torchvision's; the parameters are the same.
/// </remarks>
public class SqueezeNet : Model
{
    readonly L.Conv2d conv1 = new(96, 7, stride: 2);
    readonly Fire fire2 = new(16, 64, 64), fire3 = new(16, 64, 64), fire4 = new(32, 128, 128);
    readonly Fire fire5 = new(32, 128, 128), fire6 = new(48, 192, 192), fire7 = new(48, 192, 192), fire8 = new(64, 256, 256);
    readonly Fire fire9 = new(64, 256, 256);
    readonly L.Conv2d conv10 = new(1000, 1);

    /// <summary>A SqueezeNet with lazily drawn weights or, when <paramref name="pretrained"/>, those of the local .npz <paramref name="weightsPath"/>.</summary>
    public SqueezeNet(bool pretrained = false, string? weightsPath = null)
    {
        if (PretrainedWeights.Path(nameof(SqueezeNet), pretrained, weightsPath) is { } path)
            LoadWeights(path);
    }

    /// <summary>Class scores (N, 1000) for images (N, 3, H, W), H and W at least 35.</summary>
    public override Variable Forward(Variable x)
    {
        x = F.Pooling(F.ReLU(conv1.Call(x)), 3, 2);
        x = F.Pooling(fire4.Call(fire3.Call(fire2.Call(x))), 3, 2);
        x = F.Pooling(fire8.Call(fire7.Call(fire6.Call(fire5.Call(x)))), 3, 2);
        x = F.ReLU(conv10.Call(F.Dropout(fire9.Call(x))));
        var s = x.Shape;
        return F.Reshape(F.AveragePooling(x, (s[2], s[3]), (1, 1), (0, 0)), s[0], s[1]);
    }
}

/// <summary>
/// SqueezeNet's Fire module: a 1×1 <c>squeeze</c> convolution with ReLU, then 1×1 <c>expand1x1</c> and 3×3
/// <c>expand3x3</c> convolutions with ReLU whose outputs are joined along the channel axis.
/// </summary>
public class Fire : Layer
{
    readonly L.Conv2d squeeze, expand1x1, expand3x3;

    /// <summary>A module with the given output channels of each convolution; it outputs expand1x1 + expand3x3 channels.</summary>
    public Fire(int squeezeChannels, int expand1x1Channels, int expand3x3Channels)
    {
        squeeze = new L.Conv2d(squeezeChannels, 1);
        expand1x1 = new L.Conv2d(expand1x1Channels, 1);
        expand3x3 = new L.Conv2d(expand3x3Channels, 3, pad: 1);
    }

    /// <inheritdoc/>
    public override Variable Forward(Variable x)
    {
        var s = F.ReLU(squeeze.Call(x));
        return F.Concat([F.ReLU(expand1x1.Call(s)), F.ReLU(expand3x3.Call(s))], 1);
    }
}
