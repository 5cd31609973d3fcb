using System.Numerics;
using System.Runtime.CompilerServices;

namespace DeZero.Numerics.Kernels;

/// <summary>An operation on float elements, written once; the JIT compiles one copy for float and one for double.</summary>
internal interface IFloatOp
{
    void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>An operation on numeric elements (float64, float32, int64, int32), written once.</summary>
internal interface INumberOp
{
    void Invoke<T>() where T : unmanaged, INumber<T>, IMinMaxValue<T>;
}

/// <summary>An operation that differs between float and integer elements (division, remainders, powers).</summary>
internal interface IArithmeticOp
{
    void Float<T>() where T : unmanaged, IFloatingPointIeee754<T>;
    void Integer<T>() where T : unmanaged, IBinaryInteger<T>;
}

/// <summary>An operation on elements of any dtype, bool included (copies, gathers, selections).</summary>
internal interface IElementOp
{
    void Invoke<T>() where T : unmanaged;
}

/// <summary>
/// The one place that turns a <see cref="DType"/> into an element type. Operations are structs (in the style of
/// System.Numerics.Tensors' operators), so each call is specialised and inlined as if the switch were written at the
/// call site. A dtype outside an operation's set is a caller's bug (callers convert or reject first).
/// </summary>
/// <remarks>
/// crossgen2 precompiles no instantiation of a method whose type parameter has a constraint, so every switch and the
/// operation it calls are JIT'd at run time. AggressiveOptimization JITs each instantiation once, fully optimised,
/// with the operation's chain of generic calls inlined into it, instead of a tier-0 method per link that is then
/// instrumented and JIT'd twice more.
/// </remarks>
internal static class DTypeSwitch
{
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Float<TOp>(DType dtype, TOp op) where TOp : struct, IFloatOp
    {
        if (dtype == DType.Float64) op.Invoke<double>();
        else if (dtype == DType.Float32) op.Invoke<float>();
        else throw Unsupported(dtype, "float");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Number<TOp>(DType dtype, TOp op) where TOp : struct, INumberOp
    {
        switch (dtype)
        {
            case DType.Float64: op.Invoke<double>(); break;
            case DType.Float32: op.Invoke<float>(); break;
            case DType.Int64: op.Invoke<long>(); break;
            case DType.Int32: op.Invoke<int>(); break;
            default: throw Unsupported(dtype, "numeric");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Arithmetic<TOp>(DType dtype, TOp op) where TOp : struct, IArithmeticOp
    {
        switch (dtype)
        {
            case DType.Float64: op.Float<double>(); break;
            case DType.Float32: op.Float<float>(); break;
            case DType.Int64: op.Integer<long>(); break;
            case DType.Int32: op.Integer<int>(); break;
            default: throw Unsupported(dtype, "numeric");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Element<TOp>(DType dtype, TOp op) where TOp : struct, IElementOp
    {
        switch (dtype)
        {
            case DType.Float64: op.Invoke<double>(); break;
            case DType.Float32: op.Invoke<float>(); break;
            case DType.Int64: op.Invoke<long>(); break;
            case DType.Int32: op.Invoke<int>(); break;
            default: op.Invoke<bool>(); break;
        }
    }

    static InvalidOperationException Unsupported(DType dtype, string kind) =>
        new($"DTypeSwitch: a {kind} operation was given {dtype.Name()} elements.");
}
