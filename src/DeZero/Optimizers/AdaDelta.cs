using System.Runtime.CompilerServices;

namespace DeZero.Optimizers;

/// <summary>
/// AdaDelta: running averages of squared gradients and squared steps set a per-element step size, with no
/// learning rate (the book's <c>AdaDelta</c>).
/// </summary>
public sealed class AdaDelta : Optimizer
{
    sealed class State(Parameter p)
    {
        public NDArray Msg = NDArray.ZerosLike(p.Data), Msdx = NDArray.ZerosLike(p.Data);
    }

    readonly ConditionalWeakTable<Parameter, State> _state = new();

    /// <summary>AdaDelta with decay rate <paramref name="rho"/> in [0, 1] and <paramref name="eps"/> ≥ 0.</summary>
    public AdaDelta(double rho = 0.95, double eps = 1e-6) => (Rho, Eps) = (rho, eps);

    /// <summary>Decay rate of the running averages, in [0, 1].</summary>
    public double Rho { get; set => field = Hyper.Unit(value, nameof(AdaDelta), "rho"); }

    /// <summary>Added inside the square roots for stability (≥ 0).</summary>
    public double Eps { get; set => field = Hyper.NonNegativeOrInfinity(value, nameof(AdaDelta), "eps"); }

    /// <inheritdoc/>
    protected override void Check(Parameter param, string key) => CheckState(_state, param, key, s => s.Msg, s => s.Msdx);

    /// <inheritdoc/>
    protected override void UpdateOne(Parameter param)
    {
        var s = _state.GetValue(param, static p => new(p));
        var grad = param.Grad!.Data;
        s.Msg.MultiplyInPlace(Rho);
        s.Msg.AddInPlace((1 - Rho) * grad * grad);
        var dx = NDArray.Sqrt((s.Msdx + Eps) / (s.Msg + Eps)) * grad;
        s.Msdx.MultiplyInPlace(Rho);
        s.Msdx.AddInPlace((1 - Rho) * dx * dx);
        param.Data.SubtractInPlace(dx);
    }
}
