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
    readonly L.Conv2d conv1_1 = Conv(64), conv1_2 = Conv(64);
    readonly L.Conv2d conv2_1 = Conv(128), conv2_2 = Conv(128);
    readonly L.Conv2d conv3_1 = Conv(256), conv3_2 = Conv(256), conv3_3 = Conv(256);
    readonly L.Conv2d conv4_1 = Conv(512), conv4_2 = Conv(512), conv4_3 = Conv(512);
    readonly L.Conv2d conv5_1 = Conv(512), conv5_2 = Conv(512), conv5_3 = Conv(512);
    readonly L.Linear fc6 = new(4096), fc7 = new(4096), fc8 = new(1000);

    /// <summary>
    /// A VGG-16 with lazily drawn weights or, when <paramref name="pretrained"/>, the weights of
    /// <paramref name="weightsPath"/>: a local copy of the book's <c>vgg16.npz</c> (it cannot be downloaded here).
    /// </summary>
    public VGG16(bool pretrained = false, string? weightsPath = null)
    {
        if (PretrainedWeights.Path(nameof(VGG16), pretrained, weightsPath) is { } path)
            LoadWeights(path);
    }

    static L.Conv2d Conv(int outChannels) => new(outChannels, 3, stride: 1, pad: 1);

    /// <summary>Class scores (N, 1000) for images (N, 3, 224, 224).</summary>
    public override Variable Forward(Variable x)
    {
        x = Block(x, conv1_1, conv1_2);
        x = Block(x, conv2_1, conv2_2);
        x = Block(x, conv3_1, conv3_2, conv3_3);
        x = Block(x, conv4_1, conv4_2, conv4_3);
        x = Block(x, conv5_1, conv5_2, conv5_3);
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
