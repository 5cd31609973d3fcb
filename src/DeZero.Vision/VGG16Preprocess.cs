using DeZero.Models;

namespace DeZero.Vision;

/// <summary>The book's <c>VGG16.preprocess</c>, reachable as <c>VGG16.Preprocess(image)</c> with <c>using DeZero.Vision;</c>.</summary>
public static class VGG16Preprocess
{
    /// <summary>The per-channel means subtracted from the BGR pixels: blue 103.939, green 116.779, red 123.68.</summary>
    public static IReadOnlyList<float> Mean { get; } = [103.939f, 116.779f, 123.68f];

    extension(VGG16)
    {
        /// <summary>The book's <c>VGG16.preprocess(image)</c>: RGB, resized to 224×224, BGR, minus <see cref="Mean"/>, as (3, 224, 224) float32.</summary>
        public static NDArray Preprocess(Image image) => VGG16.Preprocess(image, (224, 224));

        /// <summary>
        /// The book's <c>VGG16.preprocess(image, size)</c>: the image in RGB, resized to <paramref name="size"/>
        /// (width, height) unless null with Pillow's default filter for <c>resize</c> (bicubic), its channels reversed
        /// to BGR, <see cref="Mean"/> subtracted, as a (3, H, W) array of <paramref name="dtype"/> (float32 by default).
        /// </summary>
        public static NDArray Preprocess(Image image, (int Width, int Height)? size, DType dtype = DType.Float32)
        {
            ArgumentNullException.ThrowIfNull(image);
            var img = image.Convert("RGB");
            if (size is var (w, h)) img = img.Resize(w, h);
            var x = img.Convert("BGR").ToArray(dtype: dtype);
            var mean = new NDArray(Mean.ToArray(), 3, 1, 1).AsType(dtype);
            return x - mean;
        }
    }
}
