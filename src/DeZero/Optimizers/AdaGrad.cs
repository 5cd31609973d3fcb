using System.Runtime.CompilerServices;

namespace DeZero.Optimizers;

/// <summary>AdaGrad: <c>h += grad²; param -= lr · grad / (√h + eps)</c> (the book's <c>AdaGrad</c>).</summary>
public sealed class AdaGrad : Optimizer
{
    readonly ConditionalWeakTable<Parameter, StrongBox<NDArray>> _hs = new();

    /// <summary>AdaGrad with learning rate <paramref name="lr"/> (finite, ≥ 0) and <paramref name="eps"/> ≥ 0.</summary>
    public AdaGrad(double lr = 0.001, double eps = 1e-8) => (Lr, Eps) = (lr, eps);

    /// <summary>The learning rate (finite, ≥ 0).</summary>
    public double Lr { get; set => field = Hyper.NonNegative(value, nameof(AdaGrad), "lr"); }

    /// <summary>Added to √h to avoid division by zero (≥ 0).</summary>
    public double Eps { get; set => field = Hyper.NonNegativeOrInfinity(value, nameof(AdaGrad), "eps"); }

    /// <inheritdoc/>
    protected override void Check(Parameter param, string key) => CheckState(_hs, param, key, h => h.Value!);

    /// <inheritdoc/>
    protected override void UpdateOne(Parameter param)
    {
        var h = _hs.GetValue(param, static p => new(NDArray.ZerosLike(p.Data)));
        var grad = param.Grad!.Data;
        h.Value!.AddInPlace(grad * grad);
        param.Data.SubtractInPlace(Lr * grad / (NDArray.Sqrt(h.Value) + Eps));
    }
}
