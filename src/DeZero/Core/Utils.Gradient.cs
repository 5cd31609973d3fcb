namespace DeZero;

/// <summary>Helpers of the book's <c>dezero.utils</c>: gradient checking and graph export.</summary>
public static partial class Utils
{
    /// <summary>
    /// Central-difference gradient of Σf(x) with respect to x, computed in float64 (the book's
    /// <c>numerical_grad</c>). <paramref name="x"/> is restored afterwards.
    /// </summary>
    public static NDArray NumericalGrad(Func<Variable, Variable> f, NDArray x, double eps = 1e-4) =>
        NumericalGrad(xs => f(xs[0]), [x], 0, eps);

    /// <summary>Central-difference gradient of Σf(inputs) with respect to input <paramref name="index"/>.</summary>
    public static NDArray NumericalGrad(Func<Variable[], Variable> f, NDArray[] inputs, int index, double eps = 1e-4)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(inputs);
        if ((uint)index >= (uint)inputs.Length)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Utils.NumericalGrad: index must be in [0, {inputs.Length}).");
        var xs = AsFloat64(inputs, index);
        var x = xs[index];
        var grad = NDArray.Zeros(x.Shape, DType.Float64);
        using (Config.NoGrad())
        {
            for (int i = 0; i < x.Size; i++)
            {
                double v = x.GetFlat(i);
                x.SetFlat(i, v + eps);
                double y1 = SumOf(f(Wrap(xs)));
                x.SetFlat(i, v - eps);
                double y2 = SumOf(f(Wrap(xs)));
                x.SetFlat(i, v);
                grad.SetFlat(i, (y1 - y2) / (2 * eps));
            }
        }
        return grad;
    }

    /// <summary>
    /// Compares backprop with numerical gradients for a function of one input (the book's
    /// <c>gradient_check</c>); writes both gradients to <paramref name="log"/> when they differ.
    /// </summary>
    public static bool GradientCheck(Func<Variable, Variable> f, NDArray x, double rtol = 1e-4, double atol = 1e-5, TextWriter? log = null) =>
        GradientCheck(xs => f(xs[0]), [x], rtol, atol, log);

    /// <summary>
    /// Compares backprop with numerical gradients for the first input and every other float input of a function. Like
    /// the book, the first input is converted to float64 whatever its dtype (an integer array such as <c>arange(9)</c>
    /// is checked, not skipped); other integer inputs (labels) are passed through unchanged and not checked.
    /// </summary>
    public static bool GradientCheck(Func<Variable[], Variable> f, NDArray[] inputs, double rtol = 1e-4, double atol = 1e-5, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Length == 0) throw new ArgumentException("Utils.GradientCheck: at least one input is needed.", nameof(inputs));
        var xs = AsFloat64(inputs, 0);
        var vars = Wrap(xs);
        f(vars).Backward();
        bool ok = true;
        for (int i = 0; i < xs.Length; i++)
        {
            if (!xs[i].DType.IsFloat()) continue;
            var num = NumericalGrad(f, xs, i);
            // No gradient means the output does not depend on the input: zeros.
            var bp = vars[i].Grad?.Data ?? NDArray.ZerosLike(num);
            if (ShapeUtil.SameShape(bp.Dims, num.Dims) && NDArray.AllClose(num, bp, rtol, atol)) continue;
            ok = false;
            log?.WriteLine($"gradient check failed for input {i} (shape {ShapeUtil.Str(xs[i].Dims)}):");
            log?.WriteLine($"  numerical: [{string.Join(", ", num.ToArray<double>())}]");
            log?.WriteLine($"  backprop:  shape {ShapeUtil.Str(bp.Dims)} [{string.Join(", ", bp.ToArray<double>())}]");
        }
        return ok;
    }

    // Float inputs and input `always` in float64 (copies, so the caller's arrays are never touched); others as given.
    static NDArray[] AsFloat64(NDArray[] inputs, int always) =>
        inputs.Select((a, i) => a.DType.IsFloat() || i == always ? a.AsType(DType.Float64) : a).ToArray();

    static Variable[] Wrap(NDArray[] xs) => xs.Select(a => new Variable(a)).ToArray();

    static double SumOf(Variable y) => y.Data.AsType(DType.Float64).Sum().ToScalar<double>();
}
