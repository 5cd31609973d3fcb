using System.Diagnostics.CodeAnalysis;
using F = DeZero.Functions;
using L = DeZero.Layers;

namespace DeZero.Models;

/// <summary>
/// VGG-16 (the book's <c>VGG16</c>): thirteen 3×3 convolutions with ReLU in five blocks, each ending in 2×2 max
/// pooling, then fully connected fc6 and fc7 (4096, ReLU, dropout) and fc8 (1000 classes). Input (N, 3, 224, 224),
/// as fc6 expects 512·7·7 features. Keys <c>conv1_1/W</c> … <c>fc8/b</c> are the book's.
/// </summary>
public class VGG16 : Model
{
    // Protected, as the book's examples reach into the layers (grad_cam.py, style_transfer.py's subclass).
    /// <summary>Block 1: two 3×3 convolutions to 64 channels.</summary>
    protected readonly L.Conv2d conv1_1 = Conv(64), conv1_2 = Conv(64);
    /// <summary>Block 2: two 3×3 convolutions to 128 channels.</summary>
    protected readonly L.Conv2d conv2_1 = Conv(128), conv2_2 = Conv(128);
    /// <summary>Block 3: three 3×3 convolutions to 256 channels.</summary>
    protected readonly L.Conv2d conv3_1 = Conv(256), conv3_2 = Conv(256), conv3_3 = Conv(256);
    /// <summary>Block 4: three 3×3 convolutions to 512 channels.</summary>
    protected readonly L.Conv2d conv4_1 = Conv(512), conv4_2 = Conv(512), conv4_3 = Conv(512);
    /// <summary>Block 5: three 3×3 convolutions to 512 channels.</summary>
    protected readonly L.Conv2d conv5_1 = Conv(512), conv5_2 = Conv(512), conv5_3 = Conv(512);
    /// <summary>The classifier: fc6 and fc7 (4096) and fc8 (1000 classes); null when built without it (<see cref="IncludeTop"/>).</summary>
    protected readonly L.Linear? fc6, fc7, fc8;

    /// <summary>
    /// A VGG-16 with lazily drawn weights or, when <paramref name="pretrained"/>, the weights of
    /// <paramref name="weightsPath"/>: a local copy of the book's <c>vgg16.npz</c> (it cannot be downloaded here).
    /// Without <paramref name="includeTop"/> (Keras's <c>include_top</c>; torchvision users take <c>vgg16().features</c>)
    /// the model has no fc6–fc8, its forward returns the features of the last pooling, (N, 512, H/32, W/32), and loading
    /// skips the file's fc keys without reading them: the convolutions' weights are 56 MiB of the file's 528 MiB.
    /// </summary>
    public VGG16(bool pretrained = false, string? weightsPath = null, bool includeTop = true)
    {
        if (includeTop) (fc6, fc7, fc8) = (new(4096), new(4096), new(1000));
        if (PretrainedWeights.Path(nameof(VGG16), pretrained, weightsPath) is { } path)
        {
            if (includeTop) LoadWeights(path);
            else LoadWeights(path, key => !Classifier.Contains(key.Split('/')[0]));
            PretrainedWeights.CheckShapes(this, path, WeightShapes);
        }
    }

    static readonly string[] Classifier = ["fc6", "fc7", "fc8"];

    /// <summary>Whether the model has its classifier fc6–fc8 (the constructor's <c>includeTop</c>).</summary>
    [MemberNotNullWhen(true, nameof(fc6), nameof(fc7), nameof(fc8))]
    public bool IncludeTop => fc6 is not null && fc7 is not null && fc8 is not null;

    /// <summary>
    /// The shape of every weight of the book's <c>vgg16.npz</c> by key: <c>convB_L/W</c> (out, in, 3, 3) and
    /// <c>convB_L/b</c> (out), <c>fc6/W</c> (25088, 4096) … <c>fc8/W</c> (4096, 1000) and <c>fcN/b</c> (out).
    /// </summary>
    public static IReadOnlyDictionary<string, int[]> WeightShapes { get; } = Shapes();

    static Dictionary<string, int[]> Shapes()
    {
        var shapes = new Dictionary<string, int[]>();
        int inChannels = 3;
        foreach (var (block, outChannels, count) in new[] { (1, 64, 2), (2, 128, 2), (3, 256, 3), (4, 512, 3), (5, 512, 3) })
            for (int i = 1; i <= count; i++, inChannels = outChannels)
            {
                shapes[$"conv{block}_{i}/W"] = [outChannels, inChannels, 3, 3];
                shapes[$"conv{block}_{i}/b"] = [outChannels];
            }
        foreach (var (name, inSize, outSize) in new[] { ("fc6", 512 * 7 * 7, 4096), ("fc7", 4096, 4096), ("fc8", 4096, 1000) })
        {
            shapes[$"{name}/W"] = [inSize, outSize];
            shapes[$"{name}/b"] = [outSize];
        }
        return shapes;
    }

    static L.Conv2d Conv(int outChannels) => new(outChannels, 3, stride: 1, pad: 1);

    /// <summary>Class scores (N, 1000) for images (N, 3, 224, 224); without the classifier, the features of the last pooling.</summary>
    public override Variable Forward(Variable x)
    {
        x = Block(x, conv1_1, conv1_2);
        x = Block(x, conv2_1, conv2_2);
        x = Block(x, conv3_1, conv3_2, conv3_3);
        x = Block(x, conv4_1, conv4_2, conv4_3);
        x = Block(x, conv5_1, conv5_2, conv5_3);
        if (!IncludeTop) return x;
        x = F.Reshape(x, x.Shape[0], -1);
        x = F.Dropout(F.ReLU(fc6.Call(x)));
        x = F.Dropout(F.ReLU(fc7.Call(x)));
        return fc8.Call(x);
    }

    static Variable Block(Variable x, params L.Conv2d[] convs)
    {
        foreach (var conv in convs) x = F.ReLU(conv.Call(x));
        return F.Pooling(x, 2, 2);
    }
}
