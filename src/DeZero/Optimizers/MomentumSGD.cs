using System.Runtime.CompilerServices;

namespace DeZero.Optimizers;

/// <summary>SGD with momentum: <c>v = momentum · v − lr · grad; param += v</c> (the book's <c>MomentumSGD</c>).</summary>
public sealed class MomentumSGD(double lr = 0.01, double momentum = 0.9) : Optimizer
{
    readonly ConditionalWeakTable<Parameter, StrongBox<NDArray>> _vs = new();

    /// <summary>The learning rate.</summary>
    public double Lr { get; set; } = lr;

    /// <summary>The momentum coefficient.</summary>
    public double Momentum { get; set; } = momentum;

    /// <inheritdoc/>
    protected override void UpdateOne(Parameter param)
    {
        var v = _vs.GetValue(param, static p => new(NDArray.ZerosLike(p.Data)));
        v.Value!.MultiplyInPlace(Momentum);
        v.Value.SubtractInPlace(Lr * param.Grad!.Data);
        param.Data.AddInPlace(v.Value);
    }
}
