namespace DeZero.Benchmarks;

static class Matrices
{
    /// <summary>An n×n matrix of uniform values in [-1, 1) of the given floating dtype.</summary>
    public static NDArray Random(int n, DType type, int seed)
    {
        var rng = new Random(seed);
        var data = new double[n * n];
        for (int i = 0; i < data.Length; i++) data[i] = 2 * rng.NextDouble() - 1;
        return new NDArray(data, n, n).AsType(type);
    }
}
