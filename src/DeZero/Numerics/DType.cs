using System.Runtime.CompilerServices;

namespace DeZero;

/// <summary>Element type of an <see cref="NDArray"/>, NumPy's dtype.</summary>
public enum DType
{
    /// <summary>NumPy's bool.</summary>
    Bool,
    /// <summary>NumPy's int32.</summary>
    Int32,
    /// <summary>NumPy's int64 (the default integer type).</summary>
    Int64,
    /// <summary>NumPy's float32.</summary>
    Float32,
    /// <summary>NumPy's float64 (the default floating type).</summary>
    Float64,
}

/// <summary>Facts about dtypes: NumPy names, CLR types and the promotion rules of NumPy 1.24.</summary>
public static class DTypes
{
    /// <summary>NumPy's name of the dtype (<c>float64</c>, <c>int32</c>, …).</summary>
    public static string Name(this DType t) => t switch
    {
        DType.Bool => "bool",
        DType.Int32 => "int32",
        DType.Int64 => "int64",
        DType.Float32 => "float32",
        _ => "float64",
    };

    /// <summary>True for Float32 and Float64.</summary>
    public static bool IsFloat(this DType t) => t is DType.Float32 or DType.Float64;

    /// <summary>True for Int32 and Int64.</summary>
    public static bool IsInteger(this DType t) => t is DType.Int32 or DType.Int64;

    /// <summary>Size of one element in bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ItemSize(this DType t) => t switch
    {
        DType.Bool => 1,
        DType.Int32 or DType.Float32 => 4,
        _ => 8,
    };

    /// <summary>The dtype that stores CLR type <typeparamref name="T"/>.</summary>
    public static DType Of<T>() => Of(typeof(T));

    /// <summary>The dtype that stores CLR type <paramref name="t"/>.</summary>
    public static DType Of(Type t) => Of(t, "NDArray");

    internal static DType Of(Type t, string op) =>
        t == typeof(double) ? DType.Float64 :
        t == typeof(float) ? DType.Float32 :
        t == typeof(long) ? DType.Int64 :
        t == typeof(int) ? DType.Int32 :
        t == typeof(bool) ? DType.Bool :
        throw new ArgumentException($"{op}: unsupported element type {t.Name}; use double, float, long, int or bool.");

    /// <summary>The CLR element type of a dtype.</summary>
    public static Type ClrType(this DType t) => t switch
    {
        DType.Bool => typeof(bool),
        DType.Int32 => typeof(int),
        DType.Int64 => typeof(long),
        DType.Float32 => typeof(float),
        _ => typeof(double),
    };

    // 0 = bool, 1 = integer, 2 = floating: NumPy's "kind" order used by value-based casting.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int Kind(this DType t) => t switch
    {
        DType.Bool => 0,
        DType.Int32 or DType.Int64 => 1,
        _ => 2,
    };

    /// <summary>NumPy's <c>np.promote_types</c> for two array dtypes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static DType Promote(DType a, DType b)
    {
        if (a == b) return a;
        if (a == DType.Bool) return b;
        if (b == DType.Bool) return a;
        if (a.IsInteger() && b.IsInteger()) return DType.Int64;
        if (a.IsFloat() && b.IsFloat()) return DType.Float64;
        // integer with float: float32 only holds int16 exactly, so NumPy widens to float64.
        return DType.Float64;
    }

    /// <summary>
    /// Result dtype of a binary operation, including NumPy 1.24's value-based casting: a 0-d operand (a C#
    /// scalar) next to an n-d array of the same or a higher kind keeps the array's dtype unless its value
    /// needs more range.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static DType Result(NDArray a, NDArray b)
    {
        if ((a.Ndim == 0) == (b.Ndim == 0)) return Promote(a.DType, b.DType);
        var (arr, sc) = a.Ndim == 0 ? (b.DType, a) : (a.DType, b);
        if (sc.DType.Kind() > arr.Kind()) return Promote(arr, sc.DType);
        return Fits(sc, arr) ? arr : Promote(arr, sc.DType);
    }

    // NumPy's np.min_scalar_type of the 0-d operand promoted with the array's dtype, within our dtypes:
    // int32 holds integers in its range; float32 holds floats within ±3.4e38 (NaN and ±inf count as
    // float16) and integers that fit int16 or uint16.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static bool Fits(NDArray scalar, DType arr)
    {
        double v = scalar.GetFlat(0);
        return arr switch
        {
            DType.Int32 => v >= int.MinValue && v <= int.MaxValue,
            DType.Float32 => scalar.DType.IsFloat()
                ? !double.IsFinite(v) || Math.Abs(v) < 3.4e38
                : v >= short.MinValue && v <= ushort.MaxValue,
            _ => true,
        };
    }
}
