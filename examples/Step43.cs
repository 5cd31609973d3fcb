using F = DeZero.Functions;

namespace DeZero.Examples;

/// <summary>Step 43: a two-layer network (linear → sigmoid → linear) fitting sin(2πx) plus noise.</summary>
public static class Step43
{
    /// <summary>The data, the trained network and the loss of every 1000th iteration.</summary>
    public sealed record Result(NDArray X, NDArray Y, Func<Variable, Variable> Predict, List<Variable> Losses);

    /// <summary>Trains for <paramref name="iters"/> iterations, seeded like the book.</summary>
    public static Result Train(int iters = 10000, double lr = 0.2)
    {
        var rng = RandomState.Global;
        rng.Seed(0);
        var x = rng.Rand(100, 1);
        var y = NDArray.Sin(2 * Math.PI * x) + rng.Rand(100, 1);

        int I = 1, H = 10, O = 1;
        var W1 = new Variable(0.01 * rng.Randn(I, H));
        var b1 = new Variable(NDArray.Zeros(H));
        var W2 = new Variable(0.01 * rng.Randn(H, O));
        var b2 = new Variable(NDArray.Zeros(O));
        Variable[] parameters = [W1, b1, W2, b2];

        Variable Predict(Variable x)
        {
            var h = F.Linear(x, W1, b1);
            h = F.Sigmoid(h);
            return F.Linear(h, W2, b2);
        }

        var losses = new List<Variable>();
        for (int i = 0; i < iters; i++)
        {
            var yPred = Predict(x);
            var loss = F.MeanSquaredError(y, yPred);
            foreach (var p in parameters) p.ClearGrad();
            loss.Backward();
            foreach (var p in parameters) p.Data -= lr * p.Grad!.Data;
            if (i % 1000 == 0) losses.Add(loss);
        }
        return new(x, y, Predict, losses);
    }

    /// <summary>Prints the book's ten losses and draws the data with the fitted curve into <paramref name="plot"/>.</summary>
    public static void Run(string plot)
    {
        var result = Train();
        foreach (var loss in result.Losses) Console.WriteLine(loss);
        Figures.SinFit(plot, result.X, result.Y, result.Predict);
    }
}
