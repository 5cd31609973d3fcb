using System.Runtime.CompilerServices;

namespace DeZero.Optimizers;

/// <summary>
/// Adam: moving averages m of the gradient and v of its square, and the step <c>lr · m / (√v + eps)</c> with the
/// bias-corrected rate <see cref="Lr"/> (the book's <c>Adam</c>).
/// </summary>
public sealed class Adam : Optimizer
{
    sealed class State(Parameter p)
    {
        public NDArray M = NDArray.ZerosLike(p.Data), V = NDArray.ZerosLike(p.Data);
    }

    readonly ConditionalWeakTable<Parameter, State> _state = new();

    /// <summary>Adam with step size <paramref name="alpha"/> (finite, ≥ 0), decay rates <paramref name="beta1"/> and <paramref name="beta2"/> in [0, 1) and <paramref name="eps"/> ≥ 0.</summary>
    public Adam(double alpha = 0.001, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8) =>
        (Alpha, Beta1, Beta2, Eps) = (alpha, beta1, beta2, eps);

    /// <summary>The base step size (finite, ≥ 0).</summary>
    public double Alpha { get; set => field = Hyper.NonNegative(value, nameof(Adam), "alpha"); }

    /// <summary>Decay rate of the gradient average, in [0, 1).</summary>
    public double Beta1 { get; set => field = Hyper.UnitOpen(value, nameof(Adam), "beta1"); }

    /// <summary>Decay rate of the squared-gradient average, in [0, 1).</summary>
    public double Beta2 { get; set => field = Hyper.UnitOpen(value, nameof(Adam), "beta2"); }

    /// <summary>Added to √v to avoid division by zero (≥ 0).</summary>
    public double Eps { get; set => field = Hyper.NonNegativeOrInfinity(value, nameof(Adam), "eps"); }

    /// <inheritdoc/>
    protected override void Check(Parameter param, string key) => CheckState(_state, param, key, s => s.M, s => s.V);

    /// <summary>The number of updates so far (the book's <c>t</c>), counted at the start of each <see cref="Optimizer.Update"/>.</summary>
    public int T { get; private set; }

    /// <summary>The bias-corrected step size <c>alpha · √(1 − beta2ᵗ) / (1 − beta1ᵗ)</c>.</summary>
    public double Lr => Alpha * Math.Sqrt(1.0 - Math.Pow(Beta2, T)) / (1.0 - Math.Pow(Beta1, T));

    /// <inheritdoc/>
    protected override void BeginUpdate() => T++;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void UpdateOne(Parameter param)
    {
        var s = _state.GetValue(param, static p => new(p));
        var grad = param.Grad!.Data;
        s.M.AddInPlace((1 - Beta1) * (grad - s.M));
        s.V.AddInPlace((1 - Beta2) * (grad * grad - s.V));
        param.Data.SubtractInPlace(Lr * s.M / (NDArray.Sqrt(s.V) + Eps));
    }
}
