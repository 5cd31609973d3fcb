using System.Runtime.CompilerServices;

namespace DeZero.Optimizers;

/// <summary>Stochastic gradient descent: <c>param -= lr · grad</c> (the book's <c>SGD</c>).</summary>
public sealed class SGD : Optimizer
{
    /// <summary>SGD with learning rate <paramref name="lr"/> (finite, ≥ 0).</summary>
    public SGD(double lr = 0.01) => Lr = lr;

    /// <summary>The learning rate (finite, ≥ 0).</summary>
    public double Lr { get; set => field = Hyper.NonNegative(value, nameof(SGD), "lr"); }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void UpdateOne(Parameter param) =>
        param.Data.SubtractScaledInPlace(Lr, param.Grad!.Data);
}
