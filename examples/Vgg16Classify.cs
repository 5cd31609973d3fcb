using DeZero.Vision;
using F = DeZero.Functions;

namespace DeZero.Examples;

/// <summary>Step 58: classifies an image with a pretrained VGG16 and prints the five likeliest ImageNet classes.</summary>
public static class Vgg16Classify
{
    /// <summary>The runner's entry, <c>vgg16-classify IMAGE --weights FILE</c>: prints the top-5 labels of the image.</summary>
    public static void Run(string imagePath, string? weights)
    {
        var image = Image.Load(imagePath);
        var model = VggFeatures.FromFile("vgg16-classify", weights);
        int rank = 1;
        foreach (var (label, p) in Classify(model, image))
            Console.WriteLine($"{rank++}. {label,-50} {p:F4}");
    }

    /// <summary>
    /// The <paramref name="top"/> likeliest classes with their softmax probabilities, best first, for the image
    /// preprocessed at <paramref name="size"/> × <paramref name="size"/> (224 for the pretrained weights).
    /// </summary>
    public static (string Label, double Probability)[] Classify(VggFeatures model, Image image, int size = 224, int top = 5)
    {
        NDArray p;
        using (Config.NoGrad())
        using (Config.TestMode())
            p = F.Softmax(model.Call(VggFeatures.Input(image, size))).Data;
        var probs = p.AsType(DType.Float64).ToArray<double>();
        var labels = ImageNet.Labels();
        return Enumerable.Range(0, probs.Length).OrderByDescending(i => probs[i]).Take(top)
            .Select(i => (labels[i], probs[i])).ToArray();
    }
}
