using System.Runtime.CompilerServices;

namespace DeZero;

/// <summary>
/// The differentiable functions of DeZero (the book's <c>dezero.functions</c>, imported as
/// <c>using F = DeZero.Functions;</c>). Each takes Variables (arrays convert implicitly) and records the graph.
/// </summary>
public static partial class Functions
{
    // The data of argument `arg` of `op`; a variable without data (a parameter not initialised yet) cannot be used.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static NDArray Data(Variable x, string op, string arg = "x")
    {
        ArgumentNullException.ThrowIfNull(x, arg);
        return x.DataOrNull ?? throw new InvalidOperationException(
            $"{op}: {arg} (variable {x.Name ?? "(unnamed)"}) has no data; assign its Data before calling {op}.");
    }

    static string Str(NDArray a) => ShapeUtil.Str(a.Dims);

    static string Str(int[] shape) => ShapeUtil.Str(shape);

    // NumPy's broadcasting rule, checked without allocating (it runs on every binary operation).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void CheckBroadcast(NDArray a, NDArray b, string op)
    {
        int[] x = a.Dims, y = b.Dims;
        for (int i = 1; i <= Math.Min(x.Length, y.Length); i++)
        {
            int dx = x[^i], dy = y[^i];
            if (dx != dy && dx != 1 && dy != 1)
                throw new ArgumentException($"{op}: operands could not be broadcast together with shapes {Str(x)} and {Str(y)}.");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static int Axis(NDArray x, int axis, string op)
    {
        int a = axis < 0 ? axis + x.Ndim : axis;
        if (a < 0 || a >= x.Ndim)
            throw new ArgumentException($"{op}: axis {axis} is out of bounds for an array of shape {Str(x)}.");
        return a;
    }

    // Normalised, sorted, distinct axes (null stays null: all axes).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static int[]? Axes(NDArray x, int[]? axis, string op)
    {
        if (axis is null) return null;
        var r = new int[axis.Length];
        for (int i = 0; i < r.Length; i++) r[i] = Axis(x, axis[i], op);
        Array.Sort(r);
        for (int i = 1; i < r.Length; i++)
            if (r[i] == r[i - 1])
                throw new ArgumentException($"{op}: duplicate value in axis ({string.Join(", ", axis)}) for an array of shape {Str(x)}.");
        return r;
    }

    // A constant of v's float dtype (float64 for other dtypes), so a float32 scalar is not promoted to float64.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static Variable Const(double c, Variable v) =>
        Variable.Constant(NDArray.Scalar(c, v.DType.IsFloat() ? v.DType : DType.Float64));

    /// <summary>v · c with c taken in v's float dtype.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static Variable Scale(Variable v, double c) => Mul(v, Const(c, v));

    /// <summary>c − v with c taken in v's float dtype (the book's <c>rsub</c> with a scalar).</summary>
    internal static Variable RSub(double c, Variable v) => Sub(Const(c, v), v);
}
