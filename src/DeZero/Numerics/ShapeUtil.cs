using System.Runtime.CompilerServices;

namespace DeZero;

/// <summary>Shape arithmetic shared by the array operations: sizes, strides, axes and broadcasting.</summary>
internal static class ShapeUtil
{
    public static string Str(ReadOnlySpan<int> shape) => shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape.ToArray()) + ")";

    /// <summary>The most elements one .NET array can hold (<see cref="Array.MaxLength"/>).</summary>
    public const int MaxSize = 0x7FFFFFC7;

    /// <summary>
    /// The number of elements of <paramref name="shape"/>, in checked 64-bit arithmetic: every place where a shape
    /// becomes a size goes through here. Throws naming the operation and the shape when a dimension is negative or
    /// the size exceeds <see cref="MaxSize"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int SizeOf(ReadOnlySpan<int> shape, string op)
    {
        long size = Product(shape);
        if (size < 0) throw new ArgumentException($"{op}: negative dimension in shape {Str(shape)}.");
        if (size > MaxSize) throw TooLarge(op, shape);
        return (int)size;
    }

    /// <summary>The product of the dimensions without overflow: −1 when one is negative, saturated at <see cref="long.MaxValue"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long Product(ReadOnlySpan<int> shape)
    {
        long size = 1;
        bool zero = false, over = false;
        foreach (var d in shape)
        {
            if (d < 0) return -1;
            if (d == 0) zero = true;
            else if (!over && (size = size * d) > MaxSize) over = true;
        }
        return zero ? 0 : over ? long.MaxValue : size;
    }

    /// <summary>The error for an array of <paramref name="shape"/> larger than .NET can hold.</summary>
    public static ArgumentException TooLarge(string op, ReadOnlySpan<int> shape) =>
        new($"{op}: an array of shape {Str(shape)} would have {SizeText(shape)} elements, more than the {MaxSize} a .NET array can hold.");

    /// <summary>The exact number of elements of <paramref name="shape"/> as text, however large (for messages).</summary>
    public static string SizeText(ReadOnlySpan<int> shape)
    {
        var size = System.Numerics.BigInteger.One;
        foreach (var d in shape) size *= d;
        return size.ToString();
    }

    /// <summary>
    /// The C-order strides of <paramref name="shape"/>, in elements, computed in 64 bits. Every stride an element of a
    /// non-empty array uses fits in int (its size does); only an empty array can have dimensions that multiply past
    /// int (np.zeros((0, 3, 46341, 46341))), and as no element is addressed through such a stride it is 0.
    /// </summary>
    public static int[] Strides(int[] shape)
    {
        var s = new int[shape.Length];
        long acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            s[i] = acc <= int.MaxValue ? (int)acc : 0;
            acc = Math.Min(acc * shape[i], 1L << 31);
        }
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool SameShape(int[] a, int[] b)
    {
        // A loop, not SequenceEqual: shapes are a few elements, and this runs for nearly every operation.
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++)
            if (a[i] != b[i]) return false;
        return true;
    }

    /// <summary>Normalises a possibly negative axis; throws naming the operation when it is out of range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Axis(int axis, int ndim, string op) => Axis(axis, ndim, op, null);

    /// <summary>Normalises a possibly negative axis of an array of <paramref name="shape"/>; the error names the shape.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Axis(int axis, int[] shape, string op) => Axis(axis, shape.Length, op, shape);

    // The error names the shape when there is one, else the dimension; the text is built only when throwing.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static int Axis(int axis, int ndim, string op, int[]? shape)
    {
        int a = axis < 0 ? axis + ndim : axis;
        if (a < 0 || a >= ndim) throw new ArgumentException($"{op}: axis {axis} is out of bounds for an array of {What(ndim, shape)}.");
        return a;
    }

    static string What(int ndim, int[]? shape) => shape is null ? $"dimension {ndim}" : $"shape {Str(shape)}";

    /// <summary>Normalised, sorted, distinct axes (all axes when null).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] Axes(int[]? axes, int ndim, string op) => Axes(axes, ndim, op, null);

    /// <summary>Normalised, sorted, distinct axes of an array of <paramref name="shape"/> (all when null); errors name the shape.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] Axes(int[]? axes, int[] shape, string op) => Axes(axes, shape.Length, op, shape);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static int[] Axes(int[]? axes, int ndim, string op, int[]? shape)
    {
        if (axes is null)
        {
            var all = new int[ndim];
            for (int i = 0; i < ndim; i++) all[i] = i;
            return all;
        }
        var r = new int[axes.Length];
        for (int i = 0; i < axes.Length; i++) r[i] = Axis(axes[i], ndim, op, shape);
        Array.Sort(r);
        for (int i = 1; i < r.Length; i++)
            if (r[i] == r[i - 1]) throw new ArgumentException($"{op}: duplicate value in axis ({string.Join(", ", axes)}) for an array of {What(ndim, shape)}.");
        return r;
    }

    /// <summary>NumPy's broadcast of two shapes; throws when they are incompatible or the result is too large for an array.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] Broadcast(int[] a, int[] b, string op)
    {
        if (!TryBroadcast(a, b, out var r))
            throw new ArgumentException($"{op}: operands could not be broadcast together with shapes {Str(a)} {Str(b)}.");
        if (r != a && r != b && Product(r) > MaxSize)
            throw new ArgumentException($"{op}: broadcasting shapes {Str(a)} and {Str(b)} gives {Str(r)}, more than the {MaxSize} elements a .NET array can hold.");
        return r;
    }

    /// <summary>NumPy's broadcast of two shapes; false when they are incompatible. May return one of the inputs (shapes are never mutated).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryBroadcast(int[] a, int[] b, out int[] shape)
    {
        if (b.Length == 0 || SameShape(a, b)) { shape = a; return true; }
        if (a.Length == 0) { shape = b; return true; }
        int n = Math.Max(a.Length, b.Length);
        shape = new int[n];
        for (int i = 0; i < n; i++)
        {
            int da = i < n - a.Length ? 1 : a[i - (n - a.Length)];
            int db = i < n - b.Length ? 1 : b[i - (n - b.Length)];
            if (da != db && da != 1 && db != 1) return false;
            shape[i] = da == 1 ? db : da;
        }
        return true;
    }

    /// <summary>Strides of an array of shape <paramref name="shape"/> viewed as <paramref name="outShape"/> (0 on broadcast axes).</summary>
    public static int[] BroadcastStrides(int[] shape, int[] outShape)
    {
        var s = Strides(shape);
        var r = new int[outShape.Length];
        int off = outShape.Length - shape.Length;
        for (int i = 0; i < shape.Length; i++) r[off + i] = shape[i] == 1 ? 0 : s[i];
        return r;
    }
}
