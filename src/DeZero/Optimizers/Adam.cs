using System.Numerics;
using System.Runtime.CompilerServices;
using DeZero.Numerics.Kernels;

namespace DeZero.Optimizers;

/// <summary>
/// Adam: moving averages m of the gradient and v of its square, and the step <c>lr · m / (√v + eps)</c> with the
/// bias-corrected rate <see cref="Lr"/> (the book's <c>Adam</c>).
/// </summary>
public sealed class Adam : Optimizer
{
    sealed class State(Parameter p)
    {
        public NDArray M = NDArray.ZerosLike(p.Data), V = NDArray.ZerosLike(p.Data);
    }

    readonly ConditionalWeakTable<Parameter, State> _state = new();

    /// <summary>Adam with step size <paramref name="alpha"/> (finite, ≥ 0), decay rates <paramref name="beta1"/> and <paramref name="beta2"/> in [0, 1) and <paramref name="eps"/> ≥ 0.</summary>
    public Adam(double alpha = 0.001, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8) =>
        (Alpha, Beta1, Beta2, Eps) = (alpha, beta1, beta2, eps);

    /// <summary>The base step size (finite, ≥ 0).</summary>
    public double Alpha { get; set => field = Hyper.NonNegative(value, nameof(Adam), "alpha"); }

    /// <summary>Decay rate of the gradient average, in [0, 1).</summary>
    public double Beta1 { get; set => field = Hyper.UnitOpen(value, nameof(Adam), "beta1"); }

    /// <summary>Decay rate of the squared-gradient average, in [0, 1).</summary>
    public double Beta2 { get; set => field = Hyper.UnitOpen(value, nameof(Adam), "beta2"); }

    /// <summary>Added to √v to avoid division by zero (≥ 0).</summary>
    public double Eps { get; set => field = Hyper.NonNegativeOrInfinity(value, nameof(Adam), "eps"); }

    /// <inheritdoc/>
    protected override void Check(Parameter param, string key) => CheckState(_state, param, key, s => s.M, s => s.V);

    /// <summary>The number of updates so far (the book's <c>t</c>), counted at the start of each <see cref="Optimizer.Update"/>.</summary>
    public int T { get; private set; }

    /// <summary>The bias-corrected step size <c>alpha · √(1 − beta2ᵗ) / (1 − beta1ᵗ)</c>.</summary>
    public double Lr => Alpha * Math.Sqrt(1.0 - Math.Pow(Beta2, T)) / (1.0 - Math.Pow(Beta1, T));

    /// <inheritdoc/>
    protected override void BeginUpdate() => T++;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void UpdateOne(Parameter param)
    {
        var s = _state.GetValue(param, static p => new(p));
        NDArray grad = param.Grad!.Data, data = param.Data;
        if (grad.DType == data.DType && s.M.DType == data.DType && s.V.DType == data.DType)
        {
            DTypeSwitch.Float(data.DType, new Step(this, data, grad, s));
            return;
        }
        s.M.AddInPlace((1 - Beta1) * (grad - s.M));
        s.V.AddInPlace((1 - Beta2) * (grad * grad - s.V));
        data.SubtractInPlace(Lr * s.M / (NDArray.Sqrt(s.V) + Eps));
    }

    /// <summary>
    /// The update of a parameter whose gradient and state have its dtype, in one pass and in place: the same operations
    /// as the array expressions above (scalars rounded to the element type, each operation rounded in the same order),
    /// so the same results, without the nine temporary arrays of the parameter's size those make per update.
    /// </summary>
    readonly struct Step(Adam adam, NDArray data, NDArray grad, State s) : IFloatOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            Span<T> p = data.Span<T>(), m = s.M.Span<T>(), v = s.V.Span<T>();
            ReadOnlySpan<T> g = grad.Span<T>();
            T b1 = T.CreateTruncating(1 - adam.Beta1), b2 = T.CreateTruncating(1 - adam.Beta2);
            T lr = T.CreateTruncating(adam.Lr), eps = T.CreateTruncating(adam.Eps);
            int i = 0;
            if (Vector.IsHardwareAccelerated)
                for (; i <= p.Length - Vector<T>.Count; i += Vector<T>.Count)
                {
                    var gi = new Vector<T>(g[i..]);
                    var mi = new Vector<T>(m[i..]);
                    var vi = new Vector<T>(v[i..]);
                    mi += b1 * (gi - mi);
                    vi += b2 * (gi * gi - vi);
                    mi.CopyTo(m[i..]);
                    vi.CopyTo(v[i..]);
                    (new Vector<T>(p[i..]) - lr * mi / (Vector.SquareRoot(vi) + new Vector<T>(eps))).CopyTo(p[i..]);
                }
            for (; i < p.Length; i++)
            {
                m[i] += b1 * (g[i] - m[i]);
                v[i] += b2 * (g[i] * g[i] - v[i]);
                p[i] -= lr * m[i] / (T.Sqrt(v[i]) + eps);
            }
        }
    }
}
