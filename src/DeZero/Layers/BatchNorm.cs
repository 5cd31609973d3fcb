using F = DeZero.Functions;

namespace DeZero.Layers;

/// <summary>
/// Batch normalisation layer (the book's <c>L.BatchNorm</c>) over (N, C) or (N, C, H, W) input. Its parameters,
/// keyed <c>avg_mean</c>, <c>avg_var</c>, <c>gamma</c> and <c>beta</c> like the book's, are created on the first
/// call as zeros, ones, ones and zeros of C elements in the input's dtype.
/// </summary>
/// <remarks>
/// The running mean and variance are <see cref="Parameter"/>s only so that they are saved with the weights: they are
/// passed to <see cref="F.BatchNorm"/> as arrays (updated in place in training), never get a gradient, and so
/// optimizers leave them alone.
/// </remarks>
public class BatchNorm : Layer
{
    readonly Parameter avg_mean = new(null, "avg_mean");
    readonly Parameter avg_var = new(null, "avg_var");
    readonly Parameter gamma = new(null, "gamma");
    readonly Parameter beta = new(null, "beta");

    /// <summary>Running mean used in test mode, shape (C,).</summary>
    public Parameter AvgMean => avg_mean;

    /// <summary>Running (unbiased) variance used in test mode, shape (C,).</summary>
    public Parameter AvgVar => avg_var;

    /// <summary>Scale, shape (C,).</summary>
    public Parameter Gamma => gamma;

    /// <summary>Shift, shape (C,).</summary>
    public Parameter Beta => beta;

    /// <inheritdoc/>
    public override Variable Forward(Variable x)
    {
        var shape = x.Dims;
        if (shape.Length is not (2 or 4))
            throw new ArgumentException($"L.BatchNorm: input must be 2-D (N, C) or 4-D (N, C, H, W), got shape {ShapeUtil.Str(shape)}.", nameof(x));
        if (!x.DType.IsFloat())
            throw new ArgumentException($"L.BatchNorm: input must be float32 or float64, got {x.DType.Name()}.", nameof(x));
        int c = shape[1];
        Init(c, x.DType);
        foreach (var p in new[] { avg_mean, avg_var, gamma, beta })
            if (p.Data.Ndim != 1 || p.Data.Dims[0] != c)
                throw new ArgumentException(
                    $"L.BatchNorm: input of shape {ShapeUtil.Str(shape)} has {c} channels, but {p.Name} has shape {ShapeUtil.Str(p.Data.Dims)}.", nameof(x));
        return F.BatchNorm(x, gamma, beta, avg_mean.Data, avg_var.Data);
    }

    // Like the book, each parameter is created only if it has no data yet (e.g. loaded weights).
    void Init(int c, DType dtype)
    {
        if (!avg_mean.HasData) avg_mean.Data = NDArray.Zeros([c], dtype);
        if (!avg_var.HasData) avg_var.Data = NDArray.Ones([c], dtype);
        if (!gamma.HasData) gamma.Data = NDArray.Ones([c], dtype);
        if (!beta.HasData) beta.Data = NDArray.Zeros([c], dtype);
    }
}
