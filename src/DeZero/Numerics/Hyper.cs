namespace DeZero;

/// <summary>
/// Checks of hyper-parameters (optimizers, hooks, layers, loaders, functions), in PyTorch's spirit: an
/// <see cref="ArgumentOutOfRangeException"/> naming the owner, the parameter and the accepted range. NaN never passes.
/// </summary>
internal static class Hyper
{
    /// <summary>A finite value ≥ 0 (learning rates, weight decay).</summary>
    public static double NonNegative(double v, string owner, string name) =>
        double.IsFinite(v) && v >= 0 ? v : throw Out(v, owner, name, "a finite number ≥ 0");

    /// <summary>A value ≥ 0, +∞ allowed (eps).</summary>
    public static double NonNegativeOrInfinity(double v, string owner, string name) =>
        v >= 0 ? v : throw Out(v, owner, name, "a number ≥ 0");

    /// <summary>A value &gt; 0, +∞ allowed (a norm bound).</summary>
    public static double Positive(double v, string owner, string name) =>
        v > 0 ? v : throw Out(v, owner, name, "a number > 0");

    /// <summary>A value that is neither 0 nor NaN (a divisor such as a standard deviation).</summary>
    public static double NonZero(double v, string owner, string name) =>
        v != 0 && !double.IsNaN(v) ? v : throw Out(v, owner, name, "a nonzero number");

    /// <summary>A value in [0, 1) (Adam's betas, dropout ratios).</summary>
    public static double UnitOpen(double v, string owner, string name) =>
        v >= 0 && v < 1 ? v : throw Out(v, owner, name, "in [0, 1)");

    /// <summary>A value in [0, 1] (decay rates, momentum).</summary>
    public static double Unit(double v, string owner, string name) =>
        v >= 0 && v <= 1 ? v : throw Out(v, owner, name, "in [0, 1]");

    /// <summary>An integer &gt; 0 (sizes, counts).</summary>
    public static int Positive(int v, string owner, string name) =>
        v > 0 ? v : throw new ArgumentOutOfRangeException(name, v, $"{owner}: {name} must be a positive integer, got {v}.");

    /// <summary>An integer ≥ 0 (padding).</summary>
    public static int NonNegative(int v, string owner, string name) =>
        v >= 0 ? v : throw new ArgumentOutOfRangeException(name, v, $"{owner}: {name} must be an integer ≥ 0, got {v}.");

    static ArgumentOutOfRangeException Out(double v, string owner, string name, string range) =>
        new(name, v, $"{owner}: {name} must be {range}, got {v}.");
}
