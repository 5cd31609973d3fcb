using ScottPlot;

namespace DeZero.Plotting;

public static partial class Plots
{
    /// <summary>Number of points at which <c>predict</c> draws the fitted curve.</summary>
    public const int CurvePoints = 200;

    /// <summary>
    /// The figure of steps 42–45: the data (<paramref name="x"/>, <paramref name="y"/>, each (N,) or (N, 1)) as
    /// points and the model's curve, evaluated by <paramref name="predict"/> on a (200, 1) column spanning x.
    /// </summary>
    public static string ScatterWithCurve(string path, NDArray x, NDArray y, Func<NDArray, NDArray> predict,
        string? title = null, int width = DefaultWidth, int height = DefaultHeight)
    {
        ArgumentNullException.ThrowIfNull(predict);
        CheckOutput(nameof(ScatterWithCurve), path, width, height);
        var xs = Column(nameof(ScatterWithCurve), nameof(x), x);
        double lo = xs.Length > 0 ? xs.Min() : 0, hi = xs.Length > 0 ? xs.Max() : 1;
        var curveX = NDArray.Linspace(lo, hi, CurvePoints).Reshape(CurvePoints, 1);
        return ScatterWithCurve(path, x, y, curveX, predict(curveX), title, width, height);
    }

    /// <summary>
    /// The figure of steps 42–45: the data (<paramref name="x"/>, <paramref name="y"/>) as points and the line through
    /// (<paramref name="curveX"/>, <paramref name="curveY"/>); every array is (N,) or (N, 1).
    /// </summary>
    public static string ScatterWithCurve(string path, NDArray x, NDArray y, NDArray curveX, NDArray curveY,
        string? title = null, int width = DefaultWidth, int height = DefaultHeight)
    {
        const string op = nameof(ScatterWithCurve);
        CheckOutput(op, path, width, height);
        double[] xs = Column(op, nameof(x), x), ys = Column(op, nameof(y), y);
        double[] cx = Column(op, nameof(curveX), curveX), cy = Column(op, nameof(curveY), curveY);
        if (xs.Length != ys.Length)
            throw new ArgumentException($"Plots.{op}: x and y must have as many values, got x {Str(x)} and y {Str(y)}.");
        if (cx.Length != cy.Length)
            throw new ArgumentException($"Plots.{op}: curveX and curveY must have as many values, got curveX {Str(curveX)} and curveY {Str(curveY)}.");

        using var plot = NewPlot();
        var points = plot.Add.ScatterPoints(xs, ys, Palette[0]);
        points.MarkerSize = 6;
        var curve = plot.Add.ScatterLine(cx, cy, Palette[3]);
        curve.LineWidth = 2;
        plot.XLabel("x");
        plot.YLabel("y");
        if (title is not null) plot.Title(title);
        return Save(op, plot, path, width, height);
    }
}
