using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace DeZero.Numerics.Kernels;

/// <summary>Fused losses and loss gradients.</summary>
internal static class LossKernels
{
    /// <summary>
    /// The mean squared error Σ(x0 − x1)² / N, N the length of the first axis, as a 0-d array, without the difference
    /// and square arrays. Reference formula: the composite forward of F.MeanSquaredError (difference, square, NumPy's
    /// pairwise sum, division by N in the same dtype), whose roundings it repeats in the same order (a test compares the
    /// two). Null unless x0 and x1 share a float dtype and a shape of at least one axis.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static NDArray? MeanSquaredError(NDArray x0, NDArray x1)
    {
        if (x0.DType != x1.DType || !x0.DType.IsFloat() || x0.Ndim == 0 || !ShapeUtil.SameShape(x0.Dims, x1.Dims)) return null;
        var r = NDArray.Uninitialized(x0.DType, []);
        DTypeSwitch.Float(x0.DType, new MeanSquaredErrorOp(x0, x1, r));
        return r;
    }

    readonly struct MeanSquaredErrorOp(NDArray x0, NDArray x1, NDArray r) : IFloatOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            ReadOnlySpan<T> a = x0.Span<T>(), b = x1.Span<T>();
            int n = a.Length, i = 0;
            // The squares in a scratch row (on the stack for a small batch), summed in NumPy's order.
            T[]? rented = n * Unsafe.SizeOf<T>() <= 4096 ? null : ArrayPool<T>.Shared.Rent(n);
            Span<T> sq = rented is null ? stackalloc T[n] : rented.AsSpan(0, n);
            if (Vector.IsHardwareAccelerated)
                for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
                {
                    var d = new Vector<T>(a[i..]) - new Vector<T>(b[i..]);
                    (d * d).CopyTo(sq[i..]);
                }
            for (; i < n; i++)
            {
                T d = a[i] - b[i];
                sq[i] = d * d;
            }
            r.Span<T>()[0] = NDArray.PairwiseSum<T>(sq) / T.CreateTruncating(x0.Dims[0]);
            if (rented is not null) ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The gradients of the mean squared error in one pass: t = gy·(x0 − x1)·(2/N), g0 = t, g1 = −t, with N the
    /// length of the first axis; a null g0 or g1 is not computed. Reference formula: the composite backward of
    /// F.MeanSquaredError, which rounds in the same order (a test compares the two). x0, x1, g0 and g1 share a float
    /// dtype and shape; gy is one element.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MeanSquaredErrorGrad(NDArray x0, NDArray x1, NDArray gy, NDArray? g0, NDArray? g1) =>
        DTypeSwitch.Float(x0.DType, new MeanSquaredErrorGradOp(x0, x1, gy, g0, g1));

    readonly struct MeanSquaredErrorGradOp(NDArray x0, NDArray x1, NDArray gy, NDArray? g0, NDArray? g1) : IFloatOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            ReadOnlySpan<T> a = x0.Span<T>(), b = x1.Span<T>();
            Span<T> d0 = g0 is null ? default : g0.Span<T>(), d1 = g1 is null ? default : g1.Span<T>();
            T s = gy.Span<T>()[0], c = T.CreateTruncating(2.0 / x0.Dims[0]);
            int i = 0;
            if (Vector.IsHardwareAccelerated)
                for (; i <= a.Length - Vector<T>.Count; i += Vector<T>.Count)
                {
                    var t = new Vector<T>(s) * (new Vector<T>(a[i..]) - new Vector<T>(b[i..])) * new Vector<T>(c);
                    if (g0 is not null) t.CopyTo(d0[i..]);
                    if (g1 is not null) (-t).CopyTo(d1[i..]);
                }
            for (; i < a.Length; i++)
            {
                T t = s * (a[i] - b[i]) * c;
                if (g0 is not null) d0[i] = t;
                if (g1 is not null) d1[i] = -t;
            }
        }
    }

    /// <summary>
    /// The softmax cross-entropy of the rows of x (N, classes) with the labels t (in range, checked by the caller) as a
    /// 0-d array, without the shifted, exponential, log-probability and picked arrays. Reference formula: the composite
    /// forward of F.SoftmaxCrossEntropy (row maxima m, e = exp(x − m) over the whole array, NumPy's pairwise row sums s,
    /// log p = x − (m + log s), the labels' entries summed pairwise, negated, divided by N), whose roundings it repeats
    /// in the same order (a test compares the two). Null unless x is a float matrix with rows and columns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static NDArray? SoftmaxCrossEntropy(NDArray x, NDArray t)
    {
        if (!x.DType.IsFloat() || x.Ndim != 2 || x.Size == 0) return null;
        var r = NDArray.Uninitialized(x.DType, []);
        DTypeSwitch.Float(x.DType, new SoftmaxCrossEntropyOp(x, t.ToArray<long>(), r, null));
        return r;
    }

    /// <summary>
    /// The gradient of <see cref="SoftmaxCrossEntropy(NDArray, NDArray)"/> for the upstream gradient gy (one element):
    /// (softmax(x) − onehot(t))·(gy·(1/N)) in one pass. Reference formula: the composite backward of
    /// F.SoftmaxCrossEntropy (softmax as exp(x − m) / s, the one-hot labels subtracted, times gy scaled by 1/N in x's
    /// dtype), whose roundings it repeats (a test compares the two). Null unless x is a float matrix with rows and
    /// columns and gy one element of its dtype.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static NDArray? SoftmaxCrossEntropyGrad(NDArray x, NDArray t, NDArray gy)
    {
        if (!x.DType.IsFloat() || x.Ndim != 2 || x.Size == 0 || gy.DType != x.DType || gy.Size != 1) return null;
        var gx = NDArray.Uninitialized(x.DType, x.Dims);
        DTypeSwitch.Float(x.DType, new SoftmaxCrossEntropyOp(x, t.ToArray<long>(), gx, gy));
        return gx;
    }

    // The loss into r, or with gy its gradient into r. Shared: both shift each row by its maximum and exponentiate.
    readonly struct SoftmaxCrossEntropyOp(NDArray x, long[] labels, NDArray r, NDArray? gy) : IFloatOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            int n = x.Dims[0], c = x.Dims[1];
            ReadOnlySpan<T> xs = x.Span<T>();
            var rented = ArrayPool<T>.Shared.Rent(n * c + 2 * n);
            Span<T> e = rented.AsSpan(0, n * c), m = rented.AsSpan(n * c, n), sums = rented.AsSpan(n * c + n, n);
            for (int i = 0; i < n; i++)
            {
                var row = xs.Slice(i * c, c);
                T max = row[0];
                for (int j = 1; j < c; j++)
                    if (row[j] > max) max = row[j];
                m[i] = max;
                for (int j = 0; j < c; j++) e[i * c + j] = row[j] - max;
            }
            // One call over the whole array, as the composite's NDArray.Exp makes, so every element takes the same path.
            TensorPrimitives.Exp(e, e);
            for (int i = 0; i < n; i++) sums[i] = NDArray.PairwiseSum<T>(e.Slice(i * c, c));
            var d = r.Span<T>();
            if (gy is null)
            {
                TensorPrimitives.Log(sums, sums);
                // The picked log-probabilities reuse the row maxima's space.
                for (int i = 0; i < n; i++) m[i] = xs[i * c + (int)labels[i]] - (m[i] + sums[i]);
                d[0] = -NDArray.PairwiseSum<T>(m) / T.CreateTruncating(n);
            }
            else
            {
                T g = gy.Span<T>()[0] * T.CreateTruncating(1.0 / n);
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < c; j++)
                        d[i * c + j] = (e[i * c + j] / sums[i] - (j == labels[i] ? T.One : T.Zero)) * g;
            }
            ArrayPool<T>.Shared.Return(rented);
        }
    }
}
