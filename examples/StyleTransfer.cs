using DeZero.Models;
using DeZero.Optimizers;
using DeZero.Vision;
using F = DeZero.Functions;

namespace DeZero.Examples;

/// <summary>
/// The book's examples/style_transfer.py (neural style transfer): starting from the content image, AdaGrad (lr 5)
/// changes the image's pixels to lower a weighted sum of a content loss (feature differences), a style loss
/// (Gram-matrix differences) over VGG16's features with average pooling, and a total-variation loss.
/// </summary>
public static class StyleTransfer
{
    const double Lr = 5.0, StyleWeight = 1.0, ContentWeight = 1e-4, TotalVariationWeight = 1e-6;
    static readonly string[] ContentLayers = ["conv5_2"], StyleLayers = ["conv1_1", "conv2_1", "conv3_1", "conv4_1", "conv5_1"];

    /// <summary>The runner's entry, <c>style-transfer CONTENT STYLE --weights FILE [--iterations N] [--every N] [--out PREFIX]</c>.</summary>
    public static void Run(string contentPath, string stylePath, string? weights, int iterations, int every, string outPrefix)
    {
        var content = Image.Load(contentPath);
        var style = Image.Load(stylePath);
        // As the book's extract, style transfer uses only the convolutions: fc6–fc8 (472 MiB) are not loaded.
        var model = VggFeatures.FromFile("style-transfer", weights, includeTop: false);
        Transfer(model, content, style, iterations, every, outPrefix, Console.Out);
    }

    /// <summary>
    /// Runs <paramref name="iterations"/> updates at <paramref name="size"/> × <paramref name="size"/>, prints
    /// "i loss: L" every iteration and writes <c>{outPrefix}_{i}.png</c> (at the content image's size) every
    /// <paramref name="every"/> iterations from 0; returns the losses and the files written.
    /// </summary>
    public static (List<double> Losses, List<string> Files) Transfer(VggFeatures model, Image content, Image style,
        int iterations, int every, string outPrefix, TextWriter log, int size = 224)
    {
        var contentImage = VggFeatures.Input(content, size);
        var styleImage = VggFeatures.Input(style, size);
        var generated = new Canvas(new Parameter(contentImage.Copy()));
        var optimizer = new AdaGrad(Lr).Setup(generated);
        Dictionary<string, Variable> contentFeatures, styleFeatures;
        using (Config.NoGrad())
        {
            contentFeatures = model.Extract(contentImage, averagePooling: true);
            styleFeatures = model.Extract(styleImage, averagePooling: true);
        }
        // Targets, not inputs: the book's backward also gives them gradients (as large as the features, and summed
        // over the iterations), which nothing reads.
        foreach (var target in contentFeatures.Values.Concat(styleFeatures.Values)) target.RequiresGrad = false;
        var (losses, files) = (new List<double>(), new List<string>());
        for (int i = 0; i < iterations; i++)
        {
            model.ClearGrads();
            generated.Image.ClearGrad();
            var features = model.Extract(generated.Image, averagePooling: true);
            var loss = Loss(features, contentFeatures, styleFeatures, generated.Image);
            loss.Backward();
            optimizer.Update();
            losses.Add((double)loss.Data);
            log.WriteLine($"{i} loss: {losses[^1]:F0}");
            if (i % every == 0)
            {
                var path = $"{outPrefix}_{i}.png";
                Deprocess(generated.Image.Data, content.Size).Save(path);
                files.Add(path);
            }
        }
        return (losses, files);
    }

    // The book's loss_func. Like the book's loops, every extracted layer enters both the content and the style term;
    // the layer lists only set the weights' denominators.
    static Variable Loss(Dictionary<string, Variable> generated, Dictionary<string, Variable> content, Dictionary<string, Variable> style, Variable image)
    {
        Variable loss = new(NDArray.Zeros([], DType.Float32));
        foreach (var (layer, c) in content)
            loss += ContentWeight / ContentLayers.Length * (F.MeanSquaredError(c, generated[layer]) / 2);
        foreach (var (layer, s) in style)
            loss += StyleWeight / StyleLayers.Length * StyleLoss(s, generated[layer]);
        return loss + TotalVariationWeight * TotalVariationLoss(image);
    }

    static Variable Gram(Variable x)
    {
        int c = x.Shape[1];
        var features = F.Reshape(x, c, -1);
        return F.Reshape(F.MatMul(features, features.T), 1, c, c);
    }

    static Variable StyleLoss(Variable style, Variable generated)
    {
        var s = style.Shape;
        double n = (double)s[1] * s[2] * s[3];
        return F.MeanSquaredError(Gram(style), Gram(generated)) / (4 * n * n);
    }

    static Variable TotalVariationLoss(Variable x)
    {
        var corner = F.GetItem(x, .., .., ..^1, ..^1);
        var a = (corner - F.GetItem(x, .., .., 1.., ..^1)).Pow(2);
        var b = (corner - F.GetItem(x, .., .., ..^1, 1..)).Pow(2);
        return F.Sum(a + b);
    }

    /// <summary>The book's deprocess_image: BGR means added back, RGB order, clipped to 0…255 and truncated, resized to <paramref name="size"/>.</summary>
    public static Image Deprocess(NDArray x, (int Width, int Height) size)
    {
        var mean = new NDArray(VGG16Preprocess.Mean.Select(m => (double)m).ToArray(), 3, 1, 1);
        var bgr = x.Reshape(x.Shape[^3..]).AsType(DType.Float64) + mean;
        var rgb = NDArray.Concatenate([bgr[2..3], bgr[1..2], bgr[0..1]], 0);
        return Image.FromArray(NDArray.Clip(rgb, 0.0, 255.0).AsType(DType.Int64)).Resize(size.Width, size.Height);
    }

    // The book's gen_model: a model whose one parameter is the image being optimised.
    sealed class Canvas(Parameter image) : Model
    {
        public Parameter Image { get; } = image;
    }
}
