using ScottPlot;

namespace DeZero.Plotting;

public static partial class Plots
{
    // Marker of each class, cycled like the palette: the book's 'o', 'x', '^' first.
    internal static readonly MarkerShape[] ClassMarkers =
    [
        MarkerShape.FilledCircle, MarkerShape.Eks, MarkerShape.FilledTriangleUp, MarkerShape.FilledSquare,
        MarkerShape.FilledDiamond, MarkerShape.Cross, MarkerShape.FilledTriangleDown, MarkerShape.Asterisk,
    ];

    /// <summary>The light tint that fills the region of class <paramref name="label"/>.</summary>
    internal static Color RegionColor(int label) => Palette[label % Palette.Length].MixedWith(Colors.White, 0.7);

    /// <summary>
    /// The figure of step 48: the class that <paramref name="predictClass"/> gives to each cell of a
    /// <paramref name="resolution"/>×<paramref name="resolution"/> grid over the data, as coloured regions, and the
    /// points <paramref name="x"/> (N, 2) with one marker and colour per label of <paramref name="t"/> (N labels).
    /// <paramref name="predictClass"/> maps a (M, 2) float64 array of grid points to M integer labels,
    /// e.g. <c>g =&gt; model.Call(g).Data.Argmax(1)</c>.
    /// </summary>
    public static string DecisionRegions(string path, NDArray x, NDArray t, Func<NDArray, NDArray> predictClass,
        string? title = null, int resolution = 300, int width = DefaultWidth, int height = DefaultHeight)
    {
        const string op = nameof(DecisionRegions);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(predictClass);
        CheckOutput(op, path, width, height);
        if (resolution < 2)
            throw new ArgumentOutOfRangeException(nameof(resolution), $"Plots.{op}: resolution must be at least 2, got {resolution}.");
        if (x.Ndim != 2 || x.Shape[1] != 2 || x.Shape[0] == 0)
            throw new ArgumentException($"Plots.{op}: x must have shape (N, 2) with N > 0, got {Str(x)}.", nameof(x));
        int n = x.Shape[0];
        var labels = Labels(op, nameof(t), t, n);
        var xy = x.ToArray<double>();

        var (x0, x1) = Span(xy, 0, n);
        var (y0, y1) = Span(xy, 1, n);
        double dx = (x1 - x0) / resolution, dy = (y1 - y0) / resolution;
        // Grid cell centres, row 0 at the top as in an image.
        var grid = new double[resolution * resolution * 2];
        for (int r = 0, k = 0; r < resolution; r++)
            for (int c = 0; c < resolution; c++, k += 2)
            {
                grid[k] = x0 + (c + 0.5) * dx;
                grid[k + 1] = y1 - (r + 0.5) * dy;
            }
        var predicted = Labels(op, "predictClass's result", predictClass(new NDArray(grid, resolution * resolution, 2)), resolution * resolution);

        var rgb = new byte[resolution, resolution, 3];
        for (int r = 0; r < resolution; r++)
            for (int c = 0; c < resolution; c++)
            {
                var color = RegionColor(predicted[r * resolution + c]);
                rgb[r, c, 0] = color.R;
                rgb[r, c, 1] = color.G;
                rgb[r, c, 2] = color.B;
            }

        using var plot = NewPlot();
        using var regions = new Image(rgb);
        plot.Add.ImageRect(regions, new CoordinateRect(x0, x1, y0, y1));
        foreach (int label in labels.Distinct().Order())
        {
            var idx = Enumerable.Range(0, n).Where(i => labels[i] == label).ToArray();
            var markers = plot.Add.Markers(idx.Select(i => xy[2 * i]).ToArray(), idx.Select(i => xy[2 * i + 1]).ToArray(),
                ClassMarkers[label % ClassMarkers.Length], 7, Palette[label % Palette.Length]);
            markers.MarkerLineWidth = 1.5f;
        }
        plot.Axes.SetLimits(x0, x1, y0, y1);
        plot.HideGrid();
        if (title is not null) plot.Title(title);
        return Save(op, plot, path, width, height);
    }

    // The range of one coordinate widened by 5% on each side (the book's ±0.1 for the spiral in [-1, 1]).
    static (double Lo, double Hi) Span(double[] xy, int column, int n)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        for (int i = 0; i < n; i++)
        {
            lo = Math.Min(lo, xy[2 * i + column]);
            hi = Math.Max(hi, xy[2 * i + column]);
        }
        if (!double.IsFinite(lo) || !double.IsFinite(hi))
            throw new ArgumentException($"Plots.{nameof(DecisionRegions)}: x must hold finite values.", "x");
        double margin = hi > lo ? 0.05 * (hi - lo) : 0.5;
        return (lo - margin, hi + margin);
    }
}
