namespace DeZero;

public sealed partial class NDArray
{
    /// <summary>A 0-d float64 array, NumPy's <c>np.array(x)</c>.</summary>
    public static NDArray FromArray(double value) => Scalar(value);

    /// <summary>A 0-d float32 array.</summary>
    public static NDArray FromArray(float value) => new(new[] { value }, [], DType.Float32);

    /// <summary>A 0-d int64 array.</summary>
    public static NDArray FromArray(long value) => new(new[] { value }, [], DType.Int64);

    /// <summary>A 0-d int32 array.</summary>
    public static NDArray FromArray(int value) => new(new[] { value }, [], DType.Int32);

    /// <summary>A 0-d bool array.</summary>
    public static NDArray FromArray(bool value) => new(new[] { value }, [], DType.Bool);

    /// <summary>
    /// An array from a C# array — flat (<c>double[]</c>), rectangular (<c>double[,]</c>) or jagged
    /// (<c>double[][]</c>) — of double, float, long, int or bool; the dtype is the element type. Always copies.
    /// </summary>
    public static NDArray FromArray(Array data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var shape = new List<int>();
        var leafType = Probe(data, shape);
        var dtype = DTypes.Of(leafType, "NDArray.FromArray");
        var r = Empty(dtype, shape.ToArray());
        int pos = 0;
        Fill(data, r, ref pos, shape, 0);
        return r;
    }

    // Walks the first element at each level to find the shape and the element type.
    static Type Probe(Array data, List<int> shape)
    {
        for (int d = 0; d < data.Rank; d++) shape.Add(data.GetLength(d));
        var et = data.GetType().GetElementType()!;
        if (!et.IsArray) return et;
        if (data.Length == 0)
            throw new ArgumentException($"NDArray.FromArray: cannot infer the shape of an empty jagged array of {et.Name}.");
        foreach (var first in data)
        {
            if (first is not Array inner)
                throw new ArgumentException("NDArray.FromArray: jagged arrays must not contain null rows.");
            return Probe(inner, shape);
        }
        throw new InvalidOperationException();
    }

    // C# array types fix the nesting depth and element type, so only the row lengths need checking.
    static void Fill(Array data, NDArray dst, ref int pos, List<int> shape, int level)
    {
        for (int d = 0; d < data.Rank; d++)
            if (data.GetLength(d) != shape[level + d])
                throw new ArgumentException($"NDArray.FromArray: inhomogeneous jagged array: a row of length {data.GetLength(d)} where {shape[level + d]} was expected (shape {ShapeUtil.Str(shape.ToArray())}).");
        var et = data.GetType().GetElementType()!;
        if (!et.IsArray)
        {
            int item = dst.DType.ItemSize();
            System.Buffer.BlockCopy(data, 0, dst.Buffer, pos * item, data.Length * item);
            pos += data.Length;
            return;
        }
        foreach (var row in data)
        {
            if (row is not Array inner)
                throw new ArgumentException("NDArray.FromArray: jagged arrays must not contain null rows.");
            Fill(inner, dst, ref pos, shape, level + data.Rank);
        }
    }
}
