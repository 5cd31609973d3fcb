using DeZero.Models;
using DeZero.Vision;
using F = DeZero.Functions;
using L = DeZero.Layers;

namespace DeZero.Examples;

/// <summary>
/// VGG16 with its convolution outputs in reach, as the book's grad_cam.py (<c>model.conv5_3.outputs</c>) and
/// style_transfer.py (<c>class VGG16(VGG16): def extract</c>) use them. Loads the book's <c>vgg16.npz</c>, without
/// fc6–fc8 unless <paramref name="includeTop"/> (style transfer needs only the convolutions).
/// </summary>
public sealed class VggFeatures(string? weightsPath = null, bool includeTop = true) : VGG16(weightsPath is not null, weightsPath, includeTop)
{
    /// <summary>
    /// The convolutions' outputs (after ReLU) by layer name, with max pooling (as VGG16) or average pooling (as style
    /// transfer) between blocks: the eleven of the book's <c>extract</c>, which leaves out conv4_2 and conv4_3.
    /// </summary>
    public Dictionary<string, Variable> Extract(Variable x, bool averagePooling = false)
    {
        var features = new Dictionary<string, Variable>();
        Variable Conv(string name, L.Conv2d conv, Variable input)
        {
            var y = F.ReLU(conv.Call(input));
            if (name is not ("conv4_2" or "conv4_3")) features[name] = y;
            return y;
        }
        Variable Pool(Variable input) => averagePooling ? F.AveragePooling(input, 2, 2) : F.Pooling(input, 2, 2);
        x = Pool(Conv("conv1_2", conv1_2, Conv("conv1_1", conv1_1, x)));
        x = Pool(Conv("conv2_2", conv2_2, Conv("conv2_1", conv2_1, x)));
        x = Pool(Conv("conv3_3", conv3_3, Conv("conv3_2", conv3_2, Conv("conv3_1", conv3_1, x))));
        x = Pool(Conv("conv4_3", conv4_3, Conv("conv4_2", conv4_2, Conv("conv4_1", conv4_1, x))));
        Conv("conv5_3", conv5_3, Conv("conv5_2", conv5_2, Conv("conv5_1", conv5_1, x)));
        return features;
    }

    /// <summary>The class scores (N, 1000) from conv5_3's output: the last pooling and fc6–fc8, as VGG16's forward ends.</summary>
    public Variable Classify(Variable conv5_3Output)
    {
        if (!IncludeTop)
            throw new InvalidOperationException("VggFeatures.Classify: the model was built without its classifier (includeTop: false).");
        var x = F.Pooling(conv5_3Output, 2, 2);
        x = F.Reshape(x, x.Shape[0], -1);
        x = F.Dropout(F.ReLU(fc6.Call(x)));
        x = F.Dropout(F.ReLU(fc7.Call(x)));
        return fc8.Call(x);
    }

    /// <summary>The preprocessed image as a batch of one, (1, 3, size, size).</summary>
    public static NDArray Input(Image image, int size) => VGG16.Preprocess(image, (size, size)).ExpandDims(0);

    /// <summary>
    /// The model of an example's <c>--weights FILE</c> option (with fc6–fc8 when <paramref name="includeTop"/>); without
    /// the option, an error saying which file is needed and how its keys are named.
    /// </summary>
    public static VggFeatures FromFile(string example, string? path, bool includeTop = true)
    {
        if (path is null)
            throw new UsageException(
                $"{example} needs the book's pretrained VGG16 weights: pass --weights FILE with a local copy of vgg16.npz, the file "
                + "the book's VGG16(pretrained=True) downloads (release v0.1 of the koki0702/dezero-models repository, about 528 MiB). "
                + "It is an .npz of float32 arrays keyed layer/param as the book's Layer.save_weights writes them: "
                + string.Join(", ", VGG16.WeightShapes.Select(e => $"{e.Key} ({string.Join(", ", e.Value)})")) + ".");
        if (!File.Exists(path)) throw new FileNotFoundException($"{example}: the weights file '{Path.GetFullPath(path)}' does not exist.", path);
        var model = new VggFeatures(path, includeTop);
        // The examples look through the pretrained network and never train it: backward skips its weights' gradients
        // (as large as the weights) and computes only what flows to the image or a feature map.
        foreach (var p in model.Params()) p.RequiresGrad = false;
        return model;
    }
}
