namespace DeZero.Examples;

/// <summary>An example program of the book, runnable by name.</summary>
public sealed record Example(string Name, string Step, string Description, Action<string[]> Run);

/// <summary>Every example, in the book's order.</summary>
public static class Catalog
{
    public static readonly Example[] All =
    [
        new("derivatives", "step 24", "gradients of the sphere, Matyas and Goldstein-Price functions", _ => Stage1To3.Derivatives()),
        new("rosenbrock", "step 28", "minimises the Rosenbrock function by gradient descent", _ => Stage1To3.Rosenbrock()),
        new("newton", "step 33", "Newton's method on x⁴ − 2x² with second derivatives by double backprop", _ => Stage1To3.Newton()),
        new("tanh", "step 35", "derivatives of tanh up to the 6th order; draws the graph of the 7th as tanh.png", _ => Stage1To3.TanhDerivatives(graphFile: "tanh.png")),
        new("double-backprop", "step 36", "z = (dy/dx)³ + y differentiated through the backward pass", _ => Stage1To3.DoubleBackprop()),
        new("linear-regression", "step 42", "linear regression by gradient descent", _ => Stage1To3.LinearRegression()),
        new("step43", "step 43", "the neural network: linear → sigmoid → linear fitting sin(2πx) (the main example)", _ => Step43.Run()),
    ];

    public static void Print(TextWriter w)
    {
        foreach (var e in All) w.WriteLine($"  {e.Name,-20} {e.Step,-8} {e.Description}");
    }
}
