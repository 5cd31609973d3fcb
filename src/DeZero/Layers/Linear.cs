using System.Runtime.CompilerServices;
using F = DeZero.Functions;

namespace DeZero.Layers;

/// <summary>
/// Fully connected layer y = x·W + b (the book's <c>L.Linear</c>). W has shape (in, out) and is drawn as
/// <c>randn(in, out).astype(dtype) * sqrt(1 / in)</c>; when <c>inSize</c> is null it is created on the first call.
/// </summary>
public class Linear : Layer
{
    readonly RandomState? _rng;

    /// <summary>A layer with <paramref name="outSize"/> outputs; W is drawn from <paramref name="rng"/> (default <see cref="RandomState.Global"/>).</summary>
    public Linear(int outSize, bool nobias = false, DType dtype = DType.Float32, int? inSize = null, RandomState? rng = null)
    {
        if (outSize <= 0) throw new ArgumentOutOfRangeException(nameof(outSize), outSize, "L.Linear: outSize must be positive.");
        if (inSize <= 0) throw new ArgumentOutOfRangeException(nameof(inSize), inSize, "L.Linear: inSize must be positive.");
        if (!dtype.IsFloat()) throw new ArgumentException($"L.Linear: dtype must be Float32 or Float64, got {dtype}.", nameof(dtype));
        OutSize = outSize;
        DType = dtype;
        _rng = rng;
        W = new Parameter(null, "W");
        if (inSize is int i) InitW(i);
        b = nobias ? null : new Parameter(NDArray.Zeros([outSize], dtype), "b");
    }

    /// <summary>The weight, shape (in, out); its data is null until the input width is known.</summary>
    public Parameter W { get; }

    /// <summary>The bias, shape (out,), or null with <c>nobias</c>. Lower case so its key is the book's <c>b</c>.</summary>
    public Parameter? b { get; }

    /// <summary>Input width: null until W is created.</summary>
    public int? InSize => W.HasData ? W.Data.Shape[0] : null;

    /// <summary>Output width.</summary>
    public int OutSize { get; }

    /// <summary>Element type of the parameters.</summary>
    public DType DType { get; }

    void InitW(int inSize) =>
        W.Data = (_rng ?? RandomState.Global).Randn(inSize, OutSize).AsType(DType) * Math.Sqrt(1.0 / inSize);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Variable Forward(Variable x)
    {
        var shape = x.Dims;
        if (shape.Length != 2)
            throw new ArgumentException($"L.Linear({OutSize}): input must be 2-D (batch, features), got shape {ShapeUtil.Str(shape)}.", nameof(x));
        if (!W.HasData) InitW(shape[1]);
        else if (W.Data.Ndim != 2 || W.Data.Dims[0] != shape[1])
            throw new ArgumentException(
                $"L.Linear({OutSize}): input of shape {ShapeUtil.Str(shape)} has {shape[1]} features, but W has shape {ShapeUtil.Str(W.Data.Dims)}.", nameof(x));
        return F.Linear(x, W, b);
    }
}
