using DeZero.Layers;
using DeZero.Plotting;

namespace DeZero.Examples;

/// <summary>The book's figures, written as PNG files next to the example's output; each prints its path.</summary>
public static class Figures
{
    static NDArray Predict(Func<Variable, Variable> f, NDArray x)
    {
        using (Config.NoGrad()) return f(x).Data;
    }

    /// <summary>Data points and the fitted curve (steps 43–46).</summary>
    public static void SinFit(string path, NDArray x, NDArray y, Func<Variable, Variable> predict) =>
        Report("fitted curve", Plots.ScatterWithCurve(path, x, y, g => Predict(predict, g), "sin(2πx) + noise"));

    /// <summary>Decision regions of a classifier over the data (the spiral of step 48).</summary>
    public static void Regions(string path, NDArray x, NDArray t, Layer model) =>
        Report("decision regions", Plots.DecisionRegions(path, x, t, g => Predict(model.Call, g).Argmax(1), "spiral"));

    /// <summary>Loss and accuracy per epoch, as <c>{name}-loss.png</c> and <c>{name}-accuracy.png</c>.</summary>
    public static void History(string name, Dictionary<string, List<double>> history)
    {
        IReadOnlyDictionary<string, IReadOnlyList<double>> Pick(string kind) =>
            history.Where(kv => kv.Key.EndsWith(kind)).ToDictionary(kv => kv.Key, kv => (IReadOnlyList<double>)kv.Value);
        Report("loss curves", Plots.Curves($"{name}-loss.png", Pick("loss"), yLabel: "loss"));
        Report("accuracy curves", Plots.Curves($"{name}-accuracy.png", Pick("accuracy"), yLabel: "accuracy"));
    }

    /// <summary>A grid of images (dataset samples, generated images).</summary>
    public static void Images(string path, NDArray images, int columns = 10) =>
        Report("image grid", Plots.ImageGrid(path, images, columns));

    static void Report(string what, string path) => Console.WriteLine($"wrote {what}: {path}");
}
