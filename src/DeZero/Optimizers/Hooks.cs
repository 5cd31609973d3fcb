using DeZero.Layers;

namespace DeZero.Optimizers;

/// <summary>L2 regularisation: adds <c>rate · param</c> to every gradient (the book's <c>WeightDecay</c>).</summary>
public sealed class WeightDecay : IOptimizerHook
{
    /// <summary>Weight decay of coefficient <paramref name="rate"/> (finite, ≥ 0).</summary>
    public WeightDecay(double rate) => Rate = rate;

    /// <summary>The decay coefficient (finite, ≥ 0).</summary>
    public double Rate { get; set => field = Hyper.NonNegative(value, nameof(WeightDecay), "rate"); }

    /// <inheritdoc/>
    public void Apply(IReadOnlyList<Parameter> parameters)
    {
        // A new gradient rather than an in-place update: backprop may share one gradient between parameters.
        foreach (var p in parameters)
            p.Grad = new Variable(Keep(p.Grad!.Data, p.Grad.Data + Rate * p.Data));
    }

    internal static NDArray Keep(NDArray grad, NDArray updated) => updated.As(grad.DType);
}

/// <summary>
/// Gradient clipping by global norm: when the L2 norm of all gradients together exceeds <c>maxNorm</c>,
/// scales every gradient by <c>maxNorm / (norm + 1e-6)</c> (the book's <c>ClipGrad</c>).
/// </summary>
public sealed class ClipGrad : IOptimizerHook
{
    /// <summary>Clipping to global norm <paramref name="maxNorm"/> (&gt; 0).</summary>
    public ClipGrad(double maxNorm) => MaxNorm = maxNorm;

    /// <summary>The largest allowed norm (&gt; 0).</summary>
    public double MaxNorm { get; set => field = Hyper.Positive(value, nameof(ClipGrad), "maxNorm"); }

    /// <inheritdoc/>
    public void Apply(IReadOnlyList<Parameter> parameters)
    {
        double total = 0;
        foreach (var p in parameters)
        {
            var g = p.Grad!.Data;
            total += (double)(g * g).Sum();
        }
        double rate = MaxNorm / (Math.Sqrt(total) + 1e-6);
        if (rate >= 1) return;
        foreach (var p in parameters)
            p.Grad = new Variable(WeightDecay.Keep(p.Grad!.Data, p.Grad.Data * rate));
    }
}

/// <summary>Keeps the given parameters fixed by dropping their gradients before the update (the book's <c>FreezeParam</c>).</summary>
public sealed class FreezeParam : IOptimizerHook
{
    readonly Parameter[] _params;

    /// <summary>Freezes every parameter of the given layers.</summary>
    public FreezeParam(params Layer[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _params = [.. layers.SelectMany(l => (l ?? throw new ArgumentNullException(nameof(layers))).Params())];
    }

    /// <summary>Freezes the given parameters.</summary>
    public FreezeParam(params Parameter[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _params = [.. parameters.Select(p => p ?? throw new ArgumentNullException(nameof(parameters)))];
    }

    /// <inheritdoc/>
    public void Apply(IReadOnlyList<Parameter> parameters)
    {
        foreach (var p in _params) p.Grad = null;
    }
}
