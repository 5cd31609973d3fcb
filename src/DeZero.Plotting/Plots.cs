using ScottPlot;
using SkiaSharp;

namespace DeZero.Plotting;

/// <summary>
/// The book's figures as PNG files: fitted curves, decision regions, training curves and image grids.
/// Every method renders off screen, writes a PNG of <c>width</c>×<c>height</c> pixels and returns its full path.
/// </summary>
public static partial class Plots
{
    /// <summary>The default width in pixels of every figure.</summary>
    public const int DefaultWidth = 640;

    /// <summary>The default height in pixels of every figure.</summary>
    public const int DefaultHeight = 480;

    // matplotlib's "tab10" colours, so the figures look like the book's.
    internal static readonly Color[] Palette =
    [
        Color.FromHex("#1f77b4"), Color.FromHex("#ff7f0e"), Color.FromHex("#2ca02c"), Color.FromHex("#d62728"),
        Color.FromHex("#9467bd"), Color.FromHex("#8c564b"), Color.FromHex("#e377c2"), Color.FromHex("#7f7f7f"),
        Color.FromHex("#bcbd22"), Color.FromHex("#17becf"),
    ];

    // The first installed of a few sans-serif faces: Skia's own default on Linux is often a serif face.
    static readonly string? SansFont = new[] { "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Segoe UI" }
        .FirstOrDefault(SKFontManager.Default.FontFamilies.Contains);

    static Plot NewPlot()
    {
        var plot = new Plot();
        if (SansFont is not null) plot.Font.Set(SansFont);
        return plot;
    }

    static void CheckOutput(string op, string path, int width, int height)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (width < 1 || height < 1)
            throw new ArgumentOutOfRangeException(width < 1 ? nameof(width) : nameof(height),
                $"Plots.{op}: the image size must be positive, got {width}×{height}.");
    }

    static string Save(string op, Plot plot, string path, int width, int height) =>
        Write(op, path, plot.GetImageBytes(width, height, ImageFormat.Png));

    // Writes the PNG bytes, turning the file system's error into one that names the figure and the path.
    static string Write(string op, string path, byte[] png)
    {
        try
        {
            File.WriteAllBytes(path, png);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"Plots.{op}: cannot write the PNG file '{path}': {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new IOException($"Plots.{op}: cannot write the PNG file '{path}': {e.Message}", e);
        }
        return Path.GetFullPath(path);
    }

    static string Str(NDArray a) =>
        $"({string.Join(", ", a.Shape)}{(a.Ndim == 1 ? "," : "")}) {a.DType.Name()}";

    // The values of an (N) or (N, 1) array.
    static double[] Column(string op, string name, NDArray a)
    {
        ArgumentNullException.ThrowIfNull(a, name);
        if (a.Ndim != 1 && !(a.Ndim == 2 && a.Shape[1] == 1))
            throw new ArgumentException($"Plots.{op}: {name} must have shape (N,) or (N, 1), got {Str(a)}.", name);
        return a.ToArray<double>();
    }

    // Class labels as non-negative integers.
    static int[] Labels(string op, string name, NDArray a, int count)
    {
        if (a.Size != count)
            throw new ArgumentException($"Plots.{op}: {name} must hold {count} labels, got {Str(a)}.", name);
        var values = a.ToArray<double>();
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            double v = values[i];
            if (v < 0 || v > int.MaxValue || v != Math.Floor(v))
                throw new ArgumentException($"Plots.{op}: {name} must hold non-negative integer class labels, got {v} in {Str(a)}.", name);
            labels[i] = (int)v;
        }
        return labels;
    }
}
