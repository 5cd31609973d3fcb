using ScottPlot;

namespace DeZero.Plotting;

public static partial class Plots
{
    /// <summary>
    /// Training curves: one line per entry of <paramref name="series"/> (legend text → one value per epoch),
    /// plotted against the epochs 1, 2, … .
    /// </summary>
    public static string Curves(string path, IReadOnlyDictionary<string, IReadOnlyList<double>> series,
        string xLabel = "epoch", string yLabel = "loss", string? title = null,
        int width = DefaultWidth, int height = DefaultHeight)
    {
        const string op = nameof(Curves);
        ArgumentNullException.ThrowIfNull(series);
        CheckOutput(op, path, width, height);
        if (series.Count == 0)
            throw new ArgumentException($"Plots.{op}: series must hold at least one curve.", nameof(series));

        using var plot = NewPlot();
        int k = 0;
        double lastSum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var (name, values) in series)
        {
            if (values is null || values.Count == 0)
                throw new ArgumentException($"Plots.{op}: the curve '{name}' has no values.", nameof(series));
            var epochs = Enumerable.Range(1, values.Count).Select(e => (double)e).ToArray();
            var line = plot.Add.Scatter(epochs, values.ToArray(), Palette[k++ % Palette.Length]);
            line.LineWidth = 2;
            line.MarkerSize = values.Count <= 50 ? 5 : 0;
            line.LegendText = name;
            lastSum += values[^1];
            min = Math.Min(min, values.Min());
            max = Math.Max(max, values.Max());
        }
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        if (title is not null) plot.Title(title);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        // The legend goes in the right-hand corner that the curves leave free: top for falling losses, bottom for rising accuracies.
        plot.ShowLegend(lastSum / series.Count < (min + max) / 2 ? Alignment.UpperRight : Alignment.LowerRight);
        return Save(op, plot, path, width, height);
    }
}
