using System.Numerics;
using System.Runtime.CompilerServices;

namespace DeZero;

/// <summary>
/// A dense n-dimensional array with NumPy's semantics: C-order storage, broadcasting, type promotion
/// and the dtypes of <see cref="DType"/>. Arrays are always contiguous; reshaping shares the buffer.
/// </summary>
public sealed partial class NDArray
{
    // The storage: a bool[], int[], long[], float[] or double[] holding at least Size elements in C order.
    internal readonly Array Buffer;
    // The lengths of the axes. Never written after construction, so arrays of one shape may share it (results of
    // elementwise operations do); the public constructor and shape arguments are copied.
    internal readonly int[] Dims;

    /// <summary>Element type.</summary>
    public DType DType { get; }

    /// <summary>Number of elements.</summary>
    public int Size { get; }

    /// <summary>Wraps a flat C-order array of double, float, long, int or bool (no copy) as an array of the given shape.</summary>
    public NDArray(Array data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        if (data.Rank != 1)
            throw new ArgumentException($"NDArray: the buffer must be a flat array, got rank {data.Rank}; use NDArray.FromArray for multidimensional arrays.");
        DType = DTypes.Of(data.GetType().GetElementType()!);
        Dims = [.. shape];
        Size = ShapeUtil.SizeOf(Dims, "NDArray");
        if (data.Length != Size)
            throw new ArgumentException($"NDArray: a buffer of {data.Length} elements cannot have shape {ShapeUtil.Str(Dims)} ({Size} elements).");
        Buffer = data;
    }

    // Trusted constructor: the shape is owned by the new array and the buffer is large enough.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal NDArray(Array buffer, int[] shape, DType dtype)
    {
        Buffer = buffer;
        Dims = shape;
        DType = dtype;
        Size = ShapeUtil.SizeOf(shape, "NDArray");
    }

    /// <summary>The shape: prints as <c>(2, 3)</c>, indexes and enumerates like a list of ints, converts to <c>int[]</c>.</summary>
    public Shape Shape => new(Dims);

    /// <summary>Number of dimensions.</summary>
    public int Ndim => Dims.Length;

    /// <summary>Length of the first axis (Python's <c>len(a)</c>).</summary>
    public int Length => Dims.Length == 0
        ? throw new InvalidOperationException("NDArray.Length: len() of a 0-d array is undefined.")
        : Dims[0];

    /// <summary>The elements as a span of <typeparamref name="T"/>, which must be the array's element type.</summary>
    public Span<T> AsSpan<T>() where T : unmanaged
    {
        if (Buffer is not T[] arr)
            throw new InvalidOperationException($"NDArray.AsSpan<{typeof(T).Name}>: the array's dtype is {DType.Name()}.");
        return new Span<T>(arr, 0, Size);
    }

    // Unchecked span over the buffer for kernels that already dispatched on DType.
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    internal Span<T> Span<T>() => new(Unsafe.As<T[]>(Buffer), 0, Size);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static NDArray Empty(DType dtype, int[] shape)
    {
        int size = ShapeUtil.SizeOf(shape, "NDArray");
        return new NDArray(Alloc(dtype, size), shape, dtype);
    }

    // An array whose every element the caller is about to overwrite: skips zeroing (large buffers would be
    // cleared page by page for nothing). Large float buffers come from the installed buffer source when there is one.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static NDArray Uninitialized(DType dtype, int[] shape)
    {
        int size = ShapeUtil.SizeOf(shape, "NDArray");
        if (dtype is not (DType.Float32 or DType.Float64)) return new NDArray(Alloc(dtype, size), shape, dtype);
        var source = BufferSource.Installed;
        var buffer = source is not null && size >= source.MinSize ? source.Rent(dtype, size) : BufferSource.Allocate(dtype, size);
        return new NDArray(buffer, shape, dtype);
    }

    // A new array of another shape on the same buffer.
    internal NDArray View(int[] shape) => new(Buffer, shape, DType);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static Array Alloc(DType dtype, int size)
    {
        LargeArrays.Allocating(dtype, size);
        return dtype switch
        {
            DType.Bool => new bool[size],
            DType.Int32 => new int[size],
            DType.Int64 => new long[size],
            DType.Float32 => new float[size],
            _ => new double[size],
        };
    }

    // ---- factories ----

    /// <summary>An array of zeros (float64 by default), NumPy's <c>np.zeros</c>.</summary>
    public static NDArray Zeros(params int[] shape) => Zeros(shape, DType.Float64);

    /// <summary>An array of zeros of the given dtype.</summary>
    public static NDArray Zeros(int[] shape, DType dtype) => Create(shape, dtype, "NDArray.Zeros");

    // A zeroed array of a user-given shape (validated and copied).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static NDArray Create(int[] shape, DType dtype, string op)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ShapeUtil.SizeOf(shape, op);
        return Empty(dtype, [.. shape]);
    }

    /// <summary>An array of ones (float64 by default), NumPy's <c>np.ones</c>.</summary>
    public static NDArray Ones(params int[] shape) => Ones(shape, DType.Float64);

    /// <summary>An array of ones of the given dtype.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static NDArray Ones(int[] shape, DType dtype)
    {
        var a = Create(shape, dtype, "NDArray.Ones");
        a.Fill(1.0);
        return a;
    }

    /// <summary>An array filled with <paramref name="value"/> (float64 by default), NumPy's <c>np.full</c>.</summary>
    public static NDArray Full(int[] shape, double value, DType dtype = DType.Float64)
    {
        var a = Create(shape, dtype, "NDArray.Full");
        a.Fill(value);
        return a;
    }

    /// <summary>Zeros with the shape and dtype of <paramref name="a"/>.</summary>
    public static NDArray ZerosLike(NDArray a) => Empty(a.DType, a.Shape);

    /// <summary>Ones with the shape and dtype of <paramref name="a"/>.</summary>
    public static NDArray OnesLike(NDArray a) => Ones(a.Dims, a.DType);

    /// <summary>Sets every element to <paramref name="value"/> (converted to the dtype like NumPy's assignment).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Fill(double value)
    {
        switch (DType)
        {
            case DType.Float64: Span<double>().Fill(value); break;
            case DType.Float32: Span<float>().Fill((float)value); break;
            case DType.Int64: Span<long>().Fill((long)value); break;
            case DType.Int32: Span<int>().Fill((int)value); break;
            default: Span<bool>().Fill(value != 0); break;
        }
    }

    /// <summary>Integers 0 … stop−1 as int64, NumPy's <c>np.arange(stop)</c>.</summary>
    public static NDArray Arange(int stop) => Arange(0, stop, 1);

    /// <summary>Integers start, start+step, … up to (not including) stop as int64.</summary>
    public static NDArray Arange(int start, int stop, int step = 1)
    {
        if (step == 0) throw new ArgumentException($"NDArray.Arange: step must not be zero (start {start}, stop {stop}).");
        int n = ArangeLength((stop - (double)start) / step, start, stop, step);
        var a = new long[n];
        for (int i = 0; i < n; i++) a[i] = start + (long)i * step;
        return new NDArray(a, [n], DType.Int64);
    }

    /// <summary>Values 0, 1, … below stop as float64, NumPy's <c>np.arange(stop)</c> with a float.</summary>
    public static NDArray Arange(double stop) => Arange(0.0, stop);

    /// <summary>Values start, start+step, … below stop as float64, NumPy's <c>np.arange</c> with floats.</summary>
    public static NDArray Arange(double start, double stop, double step = 1.0)
    {
        if (step == 0 || !double.IsFinite(step) || !double.IsFinite(start) || !double.IsFinite(stop))
            throw new ArgumentException($"NDArray.Arange: start, stop and a non-zero step must be finite (start {start}, stop {stop}, step {step}).");
        int n = ArangeLength((stop - start) / step, start, stop, step);
        var a = new double[n];
        // NumPy fills start + i·delta where delta = (start + step) − start, which may differ from step by rounding.
        double delta = start + step - start;
        for (int i = 0; i < n; i++) a[i] = start + i * delta;
        return new NDArray(a, [n], DType.Float64);
    }

    static int ArangeLength(double count, double start, double stop, double step)
    {
        double n = Math.Ceiling(count);
        if (n > Array.MaxLength) throw new ArgumentException($"NDArray.Arange: {n} elements are too many (start {start}, stop {stop}, step {step}).");
        return n > 0 ? (int)n : 0;
    }

    /// <summary><paramref name="num"/> evenly spaced float64 values from start to stop (excluded unless <paramref name="endpoint"/>), NumPy's <c>np.linspace</c>.</summary>
    public static NDArray Linspace(double start, double stop, int num = 50, bool endpoint = true)
    {
        if (num < 0) throw new ArgumentException($"NDArray.Linspace: number of samples, {num}, must be non-negative.");
        int div = endpoint ? num - 1 : num;
        double delta = stop - start, step = div > 0 ? delta / div : double.NaN;
        var a = new double[num];
        // The same formulas as NumPy, so the values agree to the last bit.
        for (int i = 0; i < num; i++)
            a[i] = (div <= 0 ? i * delta : step == 0 ? (double)i / div * delta : i * step) + start;
        if (endpoint && num > 1) a[num - 1] = stop;
        return new NDArray(a, [num], DType.Float64);
    }

    /// <summary>An n×m matrix (m = n by default) with ones on the main diagonal, NumPy's <c>np.eye</c>.</summary>
    public static NDArray Eye(int n, int? m = null, DType dtype = DType.Float64)
    {
        int cols = m ?? n;
        var a = Create([n, cols], dtype, "NDArray.Eye");
        for (int i = 0; i < Math.Min(n, cols); i++) a.SetFlat(i * cols + i, 1.0);
        return a;
    }

    // ---- conversion ----

    /// <summary>A copy converted to <paramref name="dtype"/>, NumPy's <c>astype</c> (always copies).</summary>
    public NDArray AsType(DType dtype)
    {
        var r = Uninitialized(dtype, Dims);
        Casting.Into(this, r);
        return r;
    }

    /// <summary>This array if it already has <paramref name="dtype"/>, otherwise a converted copy.</summary>
    internal NDArray As(DType dtype) => DType == dtype ? this : AsType(dtype);

    /// <summary>A deep copy.</summary>
    public NDArray Copy() => AsType(DType);

    /// <summary>The elements in C order, converted to <typeparamref name="T"/>.</summary>
    public T[] ToArray<T>() where T : unmanaged => As(DTypes.Of<T>()).Span<T>().ToArray();

    /// <summary>The single element of a size-1 array, NumPy's <c>item()</c>.</summary>
    public T ToScalar<T>() where T : unmanaged
    {
        if (Size != 1)
            throw new InvalidOperationException($"NDArray.ToScalar: only size-1 arrays convert to a scalar, got shape {ShapeUtil.Str(Dims)}.");
        return ToArray<T>()[0];
    }

    /// <summary>The single element as double.</summary>
    public static explicit operator double(NDArray a) => a.ToScalar<double>();
    /// <summary>The single element as float.</summary>
    public static explicit operator float(NDArray a) => a.ToScalar<float>();
    /// <summary>The single element as long.</summary>
    public static explicit operator long(NDArray a) => a.ToScalar<long>();
    /// <summary>The single element as int.</summary>
    public static explicit operator int(NDArray a) => a.ToScalar<int>();
    /// <summary>The single element as bool.</summary>
    public static explicit operator bool(NDArray a) => a.ToScalar<bool>();

    // Element i (C order) as double; for formatting, tests and scalar paths.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal double GetFlat(int i) => DType switch
    {
        DType.Float64 => Unsafe.As<double[]>(Buffer)[i],
        DType.Float32 => Unsafe.As<float[]>(Buffer)[i],
        DType.Int64 => Unsafe.As<long[]>(Buffer)[i],
        DType.Int32 => Unsafe.As<int[]>(Buffer)[i],
        _ => Unsafe.As<bool[]>(Buffer)[i] ? 1 : 0,
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void SetFlat(int i, double v)
    {
        switch (DType)
        {
            case DType.Float64: Unsafe.As<double[]>(Buffer)[i] = v; break;
            case DType.Float32: Unsafe.As<float[]>(Buffer)[i] = (float)v; break;
            case DType.Int64: Unsafe.As<long[]>(Buffer)[i] = (long)v; break;
            case DType.Int32: Unsafe.As<int[]>(Buffer)[i] = (int)v; break;
            default: Unsafe.As<bool[]>(Buffer)[i] = v != 0; break;
        }
    }

    /// <summary>A 0-d float64 array.</summary>
    public static NDArray Scalar(double v) => new(new[] { v }, [], DType.Float64);

    /// <summary>A 0-d array of the given dtype holding <paramref name="v"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static NDArray Scalar(double v, DType dtype)
    {
        var a = Empty(dtype, []);
        a.SetFlat(0, v);
        return a;
    }
}
