namespace DeZero.Data;

/// <summary>
/// The book's sine-curve time series: 1000 points of sin(x) plus uniform noise in [−0.05, 0.05) on [0, 2π]
/// (cos(x) without noise for the test split); example i is y[i] and its label the next value y[i+1], both (999, 1) float64.
/// </summary>
/// <remarks>The noise is drawn from <see cref="RandomState.Global"/> for both splits, as the book draws it from <c>np.random</c>.</remarks>
public class SinCurve : Dataset
{
    /// <summary>The noisy sine (<paramref name="train"/> true) or the clean cosine.</summary>
    public SinCurve(bool train = true, Func<NDArray, NDArray>? transform = null, Func<NDArray, NDArray>? targetTransform = null)
        : base(train, transform, targetTransform) { }

    /// <inheritdoc/>
    protected override void Prepare()
    {
        const int numData = 1000;
        var x = NDArray.Linspace(0, 2 * Math.PI, numData);
        var noise = RandomState.Global.Uniform(-0.05, 0.05, numData);
        var y = (Train ? NDArray.Sin(x) + noise : NDArray.Cos(x)).Span<double>();
        Data = new NDArray(y[..^1].ToArray(), numData - 1, 1);
        Label = new NDArray(y[1..].ToArray(), numData - 1, 1);
    }
}
