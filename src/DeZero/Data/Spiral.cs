namespace DeZero.Data;

/// <summary>
/// The book's spiral toy dataset: 300 float32 points in 2-D on three interleaved spiral arms, labelled 0, 1, 2 (int64),
/// in shuffled order.
/// </summary>
/// <remarks>
/// Like the book's <c>get_spiral</c> it reseeds the global generator (1984 for training, 2020 for test) and draws from
/// it, so the draws that follow — weight initialisation, a loader's shuffling — equal the Python original's.
/// </remarks>
public class Spiral : Dataset
{
    /// <summary>The training (<paramref name="train"/> true) or test spiral.</summary>
    public Spiral(bool train = true, Func<NDArray, NDArray>? transform = null, Func<NDArray, NDArray>? targetTransform = null)
        : base(train, transform, targetTransform) { }

    /// <inheritdoc/>
    protected override void Prepare() => (Data, Label) = GetSpiral(Train);

    /// <summary>The points x (300, 2) float32 and labels t (300) int64, the book's <c>get_spiral(train)</c>.</summary>
    public static (NDArray x, NDArray t) GetSpiral(bool train = true)
    {
        const int numData = 100, numClass = 3, inputDim = 2, size = numClass * numData;
        var rng = RandomState.Global;
        rng.Seed(train ? 1984 : 2020);
        var x = new float[size * inputDim];
        var t = new long[size];
        for (int j = 0; j < numClass; j++)
        {
            for (int i = 0; i < numData; i++)
            {
                double rate = i / (double)numData;
                double radius = 1.0 * rate;
                double theta = j * 4.0 + 4.0 * rate + rng.NextGaussian() * 0.2;
                int ix = numData * j + i;
                x[ix * inputDim] = (float)(radius * Math.Sin(theta));
                x[ix * inputDim + 1] = (float)(radius * Math.Cos(theta));
                t[ix] = j;
            }
        }
        var order = rng.Permutation(size).ToArray<long>();
        var xs = new float[x.Length];
        var ts = new long[size];
        for (int k = 0; k < size; k++)
        {
            int src = (int)order[k];
            xs[k * inputDim] = x[src * inputDim];
            xs[k * inputDim + 1] = x[src * inputDim + 1];
            ts[k] = t[src];
        }
        return (new NDArray(xs, size, inputDim), new NDArray(ts, size));
    }
}
