using SkiaSharp;

namespace DeZero.Plotting;

public static partial class Plots
{
    /// <summary>Gap in pixels between the cells of <see cref="ImageGrid"/>.</summary>
    public const int GridGap = 2;

    /// <summary>
    /// Images side by side, <paramref name="columns"/> per row, without axes (MNIST samples, generated images):
    /// <paramref name="images"/> is (N, H, W) or (N, 1, H, W) for grayscale, (N, 3, H, W) for RGB, with values in
    /// [0, 1], or in [0, 255] when any value exceeds 1. Each image is scaled by the same factor to fill the grid.
    /// </summary>
    public static string ImageGrid(string path, NDArray images, int columns = 10,
        int width = DefaultWidth, int height = DefaultHeight)
    {
        const string op = nameof(ImageGrid);
        ArgumentNullException.ThrowIfNull(images);
        CheckOutput(op, path, width, height);
        var s = images.Shape;
        bool okShape = images.Size > 0 && (s.Length == 3 || (s.Length == 4 && (s[1] == 1 || s[1] == 3)));
        if (!okShape)
            throw new ArgumentException($"Plots.{op}: images must have shape (N, H, W), (N, 1, H, W) or (N, 3, H, W) with N, H, W > 0, got {Str(images)}.", nameof(images));
        if (columns < 1)
            throw new ArgumentOutOfRangeException(nameof(columns), $"Plots.{op}: columns must be positive, got {columns}.");
        int n = s[0], channels = s.Length == 4 ? s[1] : 1, h = s[^2], w = s[^1];
        int cols = Math.Min(columns, n), rows = (n + cols - 1) / cols;
        float scale = Math.Min((width - GridGap * (cols + 1f)) / (cols * w), (height - GridGap * (rows + 1f)) / (rows * h));
        if (scale <= 0)
            throw new ArgumentException($"Plots.{op}: {n} images in {cols} columns do not fit in {width}×{height} pixels.");

        var values = images.ToArray<double>();
        double factor = values.Max() > 1 ? 1 / 255.0 : 1.0;
        float cellW = w * scale, cellH = h * scale;
        float left = (width - cols * cellW - (cols - 1) * GridGap) / 2, top = (height - rows * cellH - (rows - 1) * GridGap) / 2;

        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        var pixels = new byte[h * w * 4];
        for (int i = 0; i < n; i++)
        {
            int plane = h * w, offset = i * channels * plane;
            for (int p = 0; p < plane; p++)
                for (int c = 0; c < 3; c++)
                    pixels[4 * p + c] = ToByte(values[offset + (channels == 3 ? c * plane : 0) + p] * factor);
            for (int p = 0; p < plane; p++) pixels[4 * p + 3] = 255;
            using var image = SKImage.FromPixelCopy(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Opaque), pixels);
            float x = left + (i % cols) * (cellW + GridGap), y = top + (i / cols) * (cellH + GridGap);
            canvas.DrawImage(image, SKRect.Create(x, y, cellW, cellH), new SKSamplingOptions(SKFilterMode.Nearest));
        }
        using var snapshot = surface.Snapshot();
        using var png = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        return Write(op, path, png.ToArray());
    }

    static byte ToByte(double v) => (byte)Math.Round(Math.Clamp(double.IsNaN(v) ? 0 : v, 0, 1) * 255);
}
