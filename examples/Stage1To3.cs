using F = DeZero.Functions;

namespace DeZero.Examples;

/// <summary>The programs of the book's stages 1–3: derivatives, optimisation and higher-order differentiation.</summary>
public static class Stage1To3
{
    static Variable Scalar(double v) => new(NDArray.Scalar(v));

    public static Variable Sphere(Variable x, Variable y) => x.Pow(2) + y.Pow(2);

    public static Variable Matyas(Variable x, Variable y) => 0.26 * (x.Pow(2) + y.Pow(2)) - 0.48 * x * y;

    public static Variable GoldsteinPrice(Variable x, Variable y) =>
        (1 + (x + y + 1).Pow(2) * (19 - 14 * x + 3 * x.Pow(2) - 14 * y + 6 * x * y + 3 * y.Pow(2)))
        * (30 + (2 * x - 3 * y).Pow(2) * (18 - 32 * x + 12 * x.Pow(2) + 48 * y - 36 * x * y + 27 * y.Pow(2)));

    /// <summary>Step 24: gradients of three test functions at (1, 1).</summary>
    public static void Derivatives()
    {
        foreach (var (name, f) in new (string, Func<Variable, Variable, Variable>)[] { ("sphere", Sphere), ("matyas", Matyas), ("goldstein", GoldsteinPrice) })
        {
            var x = Scalar(1.0);
            var y = Scalar(1.0);
            var z = f(x, y);
            z.Backward();
            Console.WriteLine($"{name}: z = {z.Data}, dz/dx = {x.Grad!.Data}, dz/dy = {y.Grad!.Data}");
        }
    }

    /// <summary>Step 28: gradient descent on the Rosenbrock function from (0, 2); returns the end point.</summary>
    public static (double x0, double x1) Rosenbrock(int iters = 1000, double lr = 0.001, bool print = true)
    {
        var x0 = Scalar(0.0);
        var x1 = Scalar(2.0);
        for (int i = 0; i < iters; i++)
        {
            if (print && i % 100 == 0) Console.WriteLine($"{x0} {x1}");
            var y = 100 * (x1 - x0.Pow(2)).Pow(2) + (x0 - 1).Pow(2);
            x0.ClearGrad();
            x1.ClearGrad();
            y.Backward();
            x0.Data -= lr * x0.Grad!.Data;
            x1.Data -= lr * x1.Grad!.Data;
        }
        if (print) Console.WriteLine($"{x0} {x1}");
        return ((double)x0.Data, (double)x1.Data);
    }

    /// <summary>Step 33: Newton's method on x⁴ − 2x², the second derivative by double backprop; returns the iterates.</summary>
    public static List<double> Newton(int iters = 10, bool print = true)
    {
        var x = Scalar(2.0);
        var xs = new List<double>();
        for (int i = 0; i < iters; i++)
        {
            if (print) Console.WriteLine($"{i} {x}");
            xs.Add((double)x.Data);
            var y = x.Pow(4) - 2 * x.Pow(2);
            x.ClearGrad();
            y.Backward(createGraph: true);
            var gx = x.Grad!;
            x.ClearGrad();
            gx.Backward();
            var gx2 = x.Grad!;
            x.Data -= gx.Data / gx2.Data;
        }
        return xs;
    }

    /// <summary>
    /// Step 35: the derivatives of tanh at x = 1 up to <paramref name="order"/>, each by differentiating the graph of
    /// the one before. With <paramref name="graphFile"/> it draws the graph of the derivative of order
    /// <paramref name="graphOrder"/> (the book's <c>gx2</c> by default), at most <see cref="GraphInches"/> inches square.
    /// </summary>
    public static List<double> TanhDerivatives(int order = 6, bool print = true, string? graphFile = null, int graphOrder = 2)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(graphOrder);
        var x = Scalar(1.0);
        x.Name = "x";
        F.Tanh(x).Backward(createGraph: true);
        var result = new List<double>();
        Variable? drawn = null;
        int last = graphFile is null ? order : Math.Max(order, graphOrder);
        for (int n = 1; n <= last; n++)
        {
            var gx = x.Grad!;
            if (n <= order)
            {
                result.Add((double)gx.Data);
                if (print) Console.WriteLine($"order {n}: {gx}");
            }
            if (n == graphOrder) drawn = gx;
            if (n == last) break;
            x.ClearGrad();
            gx.Backward(createGraph: true);
        }
        if (graphFile is not null) DrawGraph(drawn!, graphOrder, graphFile);
        return result;
    }

    /// <summary>The largest side of the tanh graph picture, in inches at Graphviz's 96 dpi (larger graphs are scaled down).</summary>
    public const double GraphInches = 30;

    // Renders gx's graph; keeps the .dot only when Graphviz is missing, which sets exit code 3.
    static void DrawGraph(Variable gx, int n, string graphFile)
    {
        gx.Name = $"gx{n}";
        Console.WriteLine($"rendering the graph of derivative {n} with Graphviz (large graphs take a while)...");
        var written = Utils.PlotDotGraph(gx, verbose: false, toFile: graphFile, maxInches: GraphInches);
        if (written == graphFile) File.Delete(Path.ChangeExtension(graphFile, ".dot"));
        else Environment.ExitCode = 3;
        Console.WriteLine($"graph of derivative {n}: {written}");
    }

    /// <summary>Step 36: z = (dy/dx)³ + y for y = x², differentiated with respect to x at 2.</summary>
    public static double DoubleBackprop(bool print = true)
    {
        var x = Scalar(2.0);
        var y = x.Pow(2);
        y.Backward(createGraph: true);
        var gx = x.Grad!;
        x.ClearGrad();
        var z = gx.Pow(3) + y;
        z.Backward();
        if (print) Console.WriteLine(x.Grad);
        return (double)x.Grad!.Data;
    }

    /// <summary>Step 42: linear regression y = Wx + b on noisy data; returns W, b and the last loss.</summary>
    public static (NDArray W, NDArray b, double loss) LinearRegression(int iters = 100, double lr = 0.1, bool print = true)
    {
        var rng = RandomState.Global;
        rng.Seed(0);
        var x = rng.Rand(100, 1);
        var y = 5 + 2 * x + rng.Rand(100, 1);
        var W = new Variable(NDArray.Zeros(1, 1));
        var b = new Variable(NDArray.Zeros(1));
        Variable loss = null!;
        for (int i = 0; i < iters; i++)
        {
            loss = F.MeanSquaredError(y, F.MatMul(x, W) + b);
            W.ClearGrad();
            b.ClearGrad();
            loss.Backward();
            W.Data -= lr * W.Grad!.Data;
            b.Data -= lr * b.Grad!.Data;
            if (print && i % 10 == 0) Console.WriteLine($"W = {W.Data}, b = {b.Data}, loss = {loss.Data}");
        }
        if (print) Console.WriteLine($"W = {W.Data}, b = {b.Data}, loss = {loss.Data}");
        return (W.Data, b.Data, (double)loss.Data);
    }
}
