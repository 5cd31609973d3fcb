using DeZero.Layers;
using F = DeZero.Functions;
using L = DeZero.Layers;

namespace DeZero.Models;

/// <summary>
/// ResNet with bottleneck blocks (the book's <c>ResNet</c>, MSRA variant): 7×7/2 convolution with batch norm,
/// 3×3/2 max pooling, four stages <c>res2</c> … <c>res5</c> of <see cref="BuildingBlock"/>s (256, 512, 1024 and
/// 2048 channels), global average pooling and <c>fc6</c> (1000 classes). Keys are the book's.
/// </summary>
/// <remarks>Global average pooling makes any input large enough for the strides work (e.g. 64×64), not only 224×224.</remarks>
public class ResNet : Model
{
    readonly L.Conv2d conv1;
    readonly L.BatchNorm bn1;
    readonly BuildingBlock res2, res3, res4, res5;
    readonly L.Linear fc6;

    /// <summary>
    /// ResNet-50, -101 or -152 (<paramref name="nLayers"/>); when <paramref name="pretrained"/>, loads
    /// <paramref name="weightsPath"/>, a local copy of the book's <c>resnet{nLayers}.npz</c> (it cannot be downloaded here).
    /// </summary>
    public ResNet(int nLayers = 152, bool pretrained = false, string? weightsPath = null)
    {
        int[] blocks = nLayers switch
        {
            50 => [3, 4, 6, 3],
            101 => [3, 4, 23, 3],
            152 => [3, 8, 36, 3],
            _ => throw new ArgumentException($"ResNet: nLayers must be 50, 101 or 152, got {nLayers}.", nameof(nLayers)),
        };
        string name = "ResNet" + nLayers;
        string? path = PretrainedWeights.Path(name, pretrained, weightsPath);
        NLayers = nLayers;
        conv1 = new L.Conv2d(64, 7, 2, 3);
        bn1 = new L.BatchNorm();
        res2 = new BuildingBlock(blocks[0], 64, 64, 256, 1);
        res3 = new BuildingBlock(blocks[1], 256, 128, 512, 2);
        res4 = new BuildingBlock(blocks[2], 512, 256, 1024, 2);
        res5 = new BuildingBlock(blocks[3], 1024, 512, 2048, 2);
        fc6 = new L.Linear(1000);
        if (path is not null) LoadWeights(path);
    }

    /// <summary>Depth: 50, 101 or 152.</summary>
    public int NLayers { get; }

    /// <summary>Class scores (N, 1000) for images (N, 3, H, W).</summary>
    public override Variable Forward(Variable x)
    {
        x = F.ReLU(bn1.Call(conv1.Call(x)));
        x = F.Pooling(x, 3, 2);
        x = res2.Call(x);
        x = res3.Call(x);
        x = res4.Call(x);
        x = res5.Call(x);
        return fc6.Call(GlobalAveragePooling(x));
    }

    // (N, C, H, W) → (N, C): the mean of each feature map.
    static Variable GlobalAveragePooling(Variable x)
    {
        var s = x.Shape;
        return F.Reshape(F.AveragePooling(x, (s[2], s[3]), (1, 1), (0, 0)), s[0], s[1]);
    }
}

/// <summary>ResNet-50 (the book's <c>ResNet50</c>): stages of 3, 4, 6 and 3 bottlenecks.</summary>
/// <param name="pretrained">Load <paramref name="weightsPath"/>, a local copy of the book's <c>resnet50.npz</c>.</param>
/// <param name="weightsPath">Path of the weights when <paramref name="pretrained"/>.</param>
public class ResNet50(bool pretrained = false, string? weightsPath = null) : ResNet(50, pretrained, weightsPath);

/// <summary>ResNet-101 (the book's <c>ResNet101</c>): stages of 3, 4, 23 and 3 bottlenecks.</summary>
/// <param name="pretrained">Load <paramref name="weightsPath"/>, a local copy of the book's <c>resnet101.npz</c>.</param>
/// <param name="weightsPath">Path of the weights when <paramref name="pretrained"/>.</param>
public class ResNet101(bool pretrained = false, string? weightsPath = null) : ResNet(101, pretrained, weightsPath);

/// <summary>ResNet-152 (the book's <c>ResNet152</c>): stages of 3, 8, 36 and 3 bottlenecks.</summary>
/// <param name="pretrained">Load <paramref name="weightsPath"/>, a local copy of the book's <c>resnet152.npz</c>.</param>
/// <param name="weightsPath">Path of the weights when <paramref name="pretrained"/>.</param>
public class ResNet152(bool pretrained = false, string? weightsPath = null) : ResNet(152, pretrained, weightsPath);

/// <summary>
/// One ResNet stage (the book's <c>BuildingBlock</c>): a <see cref="BottleneckA"/> keyed <c>a</c> that changes the
/// channels and resolution, then nLayers − 1 <see cref="BottleneckB"/>s keyed <c>b1</c>, <c>b2</c>, ….
/// </summary>
public class BuildingBlock : Layer
{
    readonly BottleneckA a;
    readonly BottleneckB[] _b;

    /// <summary>A stage of <paramref name="nLayers"/> bottlenecks from <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    /// <param name="nLayers">Number of bottlenecks, at least 1.</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="midChannels">Channels inside each bottleneck.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="stride">Stride of the first bottleneck.</param>
    /// <param name="downsampleFb">Put the stride on the 3×3 convolution (Facebook ResNet) rather than the first 1×1 (MSRA).</param>
    public BuildingBlock(int nLayers, int inChannels, int midChannels, int outChannels, int stride, bool downsampleFb = false)
    {
        if (nLayers < 1) throw new ArgumentOutOfRangeException(nameof(nLayers), nLayers, "BuildingBlock: nLayers must be at least 1.");
        a = new BottleneckA(inChannels, midChannels, outChannels, stride, downsampleFb);
        _b = new BottleneckB[nLayers - 1];
        for (int i = 0; i < _b.Length; i++)
            _b[i] = AddLayer("b" + (i + 1), new BottleneckB(outChannels, midChannels));
    }

    /// <inheritdoc/>
    public override Variable Forward(Variable x)
    {
        x = a.Call(x);
        foreach (var b in _b) x = b.Call(x);
        return x;
    }
}

/// <summary>
/// Bottleneck that changes resolution and channels (the book's <c>BottleneckA</c>): relu(bn3(conv3(relu(bn2(conv2(
/// relu(bn1(conv1(x))))))) + bn4(conv4(x))), with 1×1, 3×3 and 1×1 convolutions and a strided 1×1 projection.
/// </summary>
public class BottleneckA : Layer
{
    readonly int _inChannels;
    readonly L.Conv2d conv1;
    readonly L.BatchNorm bn1;
    readonly L.Conv2d conv2;
    readonly L.BatchNorm bn2;
    readonly L.Conv2d conv3;
    readonly L.BatchNorm bn3;
    readonly L.Conv2d conv4;
    readonly L.BatchNorm bn4;

    /// <summary>A bottleneck from <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    /// <param name="inChannels">Input channels, checked on each call (the convolutions draw their weights on the first call, like the book's).</param>
    /// <param name="midChannels">Channels of the 1×1 reduction and the 3×3 convolution.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="stride">Downsampling stride.</param>
    /// <param name="downsampleFb">Put the stride on the 3×3 convolution (Facebook ResNet) rather than the first 1×1 (MSRA).</param>
    public BottleneckA(int inChannels, int midChannels, int outChannels, int stride = 2, bool downsampleFb = false)
    {
        if (inChannels <= 0) throw new ArgumentOutOfRangeException(nameof(inChannels), inChannels, "BottleneckA: inChannels must be positive.");
        _inChannels = inChannels;
        var (stride1x1, stride3x3) = downsampleFb ? (1, stride) : (stride, 1);
        conv1 = new L.Conv2d(midChannels, 1, stride1x1, 0, nobias: true);
        bn1 = new L.BatchNorm();
        conv2 = new L.Conv2d(midChannels, 3, stride3x3, 1, nobias: true);
        bn2 = new L.BatchNorm();
        conv3 = new L.Conv2d(outChannels, 1, 1, 0, nobias: true);
        bn3 = new L.BatchNorm();
        conv4 = new L.Conv2d(outChannels, 1, stride, 0, nobias: true);
        bn4 = new L.BatchNorm();
    }

    /// <inheritdoc/>
    public override Variable Forward(Variable x)
    {
        if (x.Ndim != 4 || x.Shape[1] != _inChannels)
            throw new ArgumentException($"BottleneckA: input must be (N, {_inChannels}, H, W), got shape {ShapeUtil.Str(x.Shape)}.", nameof(x));
        var h1 = F.ReLU(bn1.Call(conv1.Call(x)));
        h1 = F.ReLU(bn2.Call(conv2.Call(h1)));
        h1 = bn3.Call(conv3.Call(h1));
        var h2 = bn4.Call(conv4.Call(x));
        return F.ReLU(h1 + h2);
    }
}

/// <summary>
/// Bottleneck that keeps resolution and channels (the book's <c>BottleneckB</c>): relu(bn3(conv3(relu(bn2(conv2(
/// relu(bn1(conv1(x)))))))) + x).
/// </summary>
public class BottleneckB : Layer
{
    readonly L.Conv2d conv1;
    readonly L.BatchNorm bn1;
    readonly L.Conv2d conv2;
    readonly L.BatchNorm bn2;
    readonly L.Conv2d conv3;
    readonly L.BatchNorm bn3;

    /// <summary>A bottleneck on <paramref name="inChannels"/> channels through <paramref name="midChannels"/>.</summary>
    public BottleneckB(int inChannels, int midChannels)
    {
        conv1 = new L.Conv2d(midChannels, 1, 1, 0, nobias: true);
        bn1 = new L.BatchNorm();
        conv2 = new L.Conv2d(midChannels, 3, 1, 1, nobias: true);
        bn2 = new L.BatchNorm();
        conv3 = new L.Conv2d(inChannels, 1, 1, 0, nobias: true);
        bn3 = new L.BatchNorm();
    }

    /// <inheritdoc/>
    public override Variable Forward(Variable x)
    {
        var h = F.ReLU(bn1.Call(conv1.Call(x)));
        h = F.ReLU(bn2.Call(conv2.Call(h)));
        h = bn3.Call(conv3.Call(h));
        return F.ReLU(h + x);
    }
}
