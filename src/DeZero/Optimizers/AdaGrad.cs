using System.Runtime.CompilerServices;

namespace DeZero.Optimizers;

/// <summary>AdaGrad: <c>h += grad²; param -= lr · grad / (√h + eps)</c> (the book's <c>AdaGrad</c>).</summary>
public sealed class AdaGrad(double lr = 0.001, double eps = 1e-8) : Optimizer
{
    readonly ConditionalWeakTable<Parameter, StrongBox<NDArray>> _hs = new();

    /// <summary>The learning rate.</summary>
    public double Lr { get; set; } = lr;

    /// <summary>Added to √h to avoid division by zero.</summary>
    public double Eps { get; set; } = eps;

    /// <inheritdoc/>
    protected override void UpdateOne(Parameter param)
    {
        var h = _hs.GetValue(param, static p => new(NDArray.ZerosLike(p.Data)));
        var grad = param.Grad!.Data;
        h.Value!.AddInPlace(grad * grad);
        param.Data.SubtractInPlace(Lr * grad / (NDArray.Sqrt(h.Value) + Eps));
    }
}
