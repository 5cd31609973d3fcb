using DeZero.Vision;
using F = DeZero.Functions;

namespace DeZero.Examples;

/// <summary>
/// The book's examples/grad_cam.py (Grad-CAM): the gradient of the top class score with respect to conv5_3's output,
/// averaged per channel, weights that output; the channel mean, clipped at zero and scaled to 0…1, is the heat map,
/// drawn in the jet colours over the image (0.4 × heat + image) and written as a PNG. The forward pass runs in test
/// mode (the book's runs in training mode, so its dropout makes the prediction vary from run to run).
/// </summary>
public static class GradCam
{
    /// <summary>The runner's entry, <c>grad-cam IMAGE --weights FILE [--out FILE]</c>: writes the heat map over the image to <paramref name="path"/>.</summary>
    public static void Run(string imagePath, string? weights, string path)
    {
        var image = Image.Load(imagePath);
        var model = VggFeatures.FromFile("grad-cam", weights);
        var (heat, classId) = HeatMap(model, image);
        Overlay(image, heat).Save(path);
        Console.WriteLine($"class {classId} ({ImageNet.Labels()[classId]}); heat map over the image written to {path}");
    }

    /// <summary>The Grad-CAM heat map (h, w) in 0…1 at conv5_3's resolution (size / 16) and the predicted class.</summary>
    public static (NDArray Heat, int ClassId) HeatMap(VggFeatures model, Image image, int size = 224)
    {
        model.ClearGrads();
        Variable conv, y;
        using (Config.TestMode())
        {
            conv = model.Extract(VggFeatures.Input(image, size))["conv5_3"];
            y = model.Classify(conv);
        }
        int predictId = (int)(long)y.Data.Argmax();
        F.GetItem(y, 0, predictId).Backward(retainGrad: true);
        var pooledGrads = conv.Grad!.Data.Mean([0, 2, 3]).Reshape(-1, 1, 1);
        var heat = (conv.Data[0] * pooledGrads).Mean(0);
        heat = NDArray.Maximum(heat, 0.0);
        double max = (double)heat.Max();
        return (max > 0 ? heat / max : heat, predictId);
    }

    /// <summary>The heat map resized to the image, in jet colours, times 0.4 plus the image, clipped to 0…255.</summary>
    public static Image Overlay(Image image, NDArray heat)
    {
        var rgb = image.Convert("RGB");
        var level = Image.FromArray((heat * 255.0).AsType(DType.Int64))
            .Resize(rgb.Width, rgb.Height, Resampling.Bilinear).ToArray(dtype: DType.Float64) / 255.0;
        var colours = NDArray.Concatenate([Jet(level, 3), Jet(level, 2), Jet(level, 1)], 0);
        return Image.FromArray(NDArray.Clip(colours * (0.4 * 255) + rgb.ToArray(dtype: DType.Float64), 0.0, 255.0).AsType(DType.Int64));
    }

    // The jet colour map's channel centred at offset/4 (red 3, green 2, blue 1): dark blue at 0, dark red at 1.
    static NDArray Jet(NDArray v, int offset) => NDArray.Clip(1.5 - NDArray.Abs(v * 4.0 - offset), 0.0, 1.0);
}
