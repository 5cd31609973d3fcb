namespace DeZero.Optimizers;

/// <summary>Stochastic gradient descent: <c>param -= lr · grad</c> (the book's <c>SGD</c>).</summary>
public sealed class SGD(double lr = 0.01) : Optimizer
{
    /// <summary>The learning rate.</summary>
    public double Lr { get; set; } = lr;

    /// <inheritdoc/>
    protected override void UpdateOne(Parameter param) =>
        param.Data.SubtractScaledInPlace(Lr, param.Grad!.Data);
}
