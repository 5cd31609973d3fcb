using System.Runtime.CompilerServices;

namespace DeZero.Optimizers;

/// <summary>SGD with momentum: <c>v = momentum · v − lr · grad; param += v</c> (the book's <c>MomentumSGD</c>).</summary>
public sealed class MomentumSGD : Optimizer
{
    readonly ConditionalWeakTable<Parameter, StrongBox<NDArray>> _vs = new();

    /// <summary>Momentum SGD with learning rate <paramref name="lr"/> (finite, ≥ 0) and <paramref name="momentum"/> in [0, 1].</summary>
    public MomentumSGD(double lr = 0.01, double momentum = 0.9) => (Lr, Momentum) = (lr, momentum);

    /// <summary>The learning rate (finite, ≥ 0).</summary>
    public double Lr { get; set => field = Hyper.NonNegative(value, nameof(MomentumSGD), "lr"); }

    /// <summary>The momentum coefficient, in [0, 1].</summary>
    public double Momentum { get; set => field = Hyper.Unit(value, nameof(MomentumSGD), "momentum"); }

    /// <inheritdoc/>
    protected override void Check(Parameter param, string key) => CheckState(_vs, param, key, v => v.Value!);

    /// <inheritdoc/>
    protected override void UpdateOne(Parameter param)
    {
        var v = _vs.GetValue(param, static p => new(NDArray.ZerosLike(p.Data)));
        v.Value!.MultiplyInPlace(Momentum);
        v.Value.SubtractInPlace(Lr * param.Grad!.Data);
        param.Data.AddInPlace(v.Value);
    }
}
