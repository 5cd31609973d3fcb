namespace DeZero.Data;

/// <summary>
/// The book's array transforms (<c>dezero.transforms</c>) as functions for <see cref="Dataset.Transform"/>:
/// <c>Transforms.Compose(Transforms.Flatten(), Transforms.ToFloat(), Transforms.Normalize(0, 255))</c>.
/// </summary>
public static class Transforms
{
    /// <summary>Applies the transforms in order (the identity when none are given).</summary>
    public static Func<NDArray, NDArray> Compose(params Func<NDArray, NDArray>[] transforms)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        var fs = (Func<NDArray, NDArray>[])transforms.Clone();
        foreach (var f in fs) ArgumentNullException.ThrowIfNull(f, nameof(transforms));
        return x =>
        {
            foreach (var f in fs) x = f(x);
            return x;
        };
    }

    /// <summary>(x − mean) / std with scalars (std nonzero, like torchvision's); the result keeps a float array's dtype like NumPy.</summary>
    public static Func<NDArray, NDArray> Normalize(double mean = 0, double std = 1)
    {
        Hyper.NonZero(std, "Transforms.Normalize", nameof(std));
        return x => (x - mean) / std;
    }

    /// <summary>
    /// (x − mean[c]) / std[c] per channel c along the first axis; the statistics take the array's dtype like the book's.
    /// A length-1 sequence applies to every channel.
    /// </summary>
    public static Func<NDArray, NDArray> Normalize(double[] mean, double[] std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Length == 0 || std.Length == 0)
            throw new ArgumentException("Transforms.Normalize: mean and std need at least one value.");
        var m = (double[])mean.Clone();
        var s = (double[])std.Clone();
        foreach (var v in s) Hyper.NonZero(v, "Transforms.Normalize", nameof(std));
        return x => (x - Channels(m, x, "mean")) / Channels(s, x, "std");
    }

    // The statistics as an array of x's dtype shaped (C, 1, …, 1) to broadcast over x's channels.
    static NDArray Channels(double[] v, NDArray x, string what)
    {
        if (x.Ndim == 0) throw new ArgumentException("Transforms.Normalize: per-channel statistics need an array with a channel axis, got a 0-d array.");
        if (v.Length != 1 && v.Length != x.Length)
            throw new ArgumentException($"Transforms.Normalize: {what} has {v.Length} values but the array of shape {ShapeUtil.Str(x.Dims)} has {x.Length} channels.");
        var shape = new int[x.Ndim];
        Array.Fill(shape, 1);
        shape[0] = v.Length;
        return new NDArray(v, shape).AsType(x.DType);
    }

    /// <summary>A 1-D copy of the array, the book's <c>Flatten</c>.</summary>
    public static Func<NDArray, NDArray> Flatten() => x => x.Flatten();

    /// <summary>Converts to <paramref name="dtype"/> (float32 by default), the book's <c>AsType</c>.</summary>
    public static Func<NDArray, NDArray> AsType(DType dtype = DType.Float32) => x => x.AsType(dtype);

    /// <summary>Converts to a float dtype (float32 by default), the book's <c>ToFloat</c>.</summary>
    public static Func<NDArray, NDArray> ToFloat(DType dtype = DType.Float32) => AsType(dtype);

    /// <summary>Converts to an integer dtype (int64 by default), truncating toward zero, the book's <c>ToInt</c>.</summary>
    public static Func<NDArray, NDArray> ToInt(DType dtype = DType.Int64) => AsType(dtype);
}
