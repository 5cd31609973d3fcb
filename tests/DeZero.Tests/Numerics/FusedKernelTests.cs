using System.Numerics;
using System.Runtime.Intrinsics;
using System.Numerics.Tensors;
using DeZero.Numerics.Kernels;

namespace DeZero.Tests.Numerics;

/// <summary>
/// Every fused fast path against the reference formula its comment names, for both float dtypes and lengths that
/// cover the vector loop and its remainder (0 … 67 elements).
/// </summary>
public class FusedKernelTests
{
    public static readonly TheoryData<DType, int> Cases = Grid();

    static TheoryData<DType, int> Grid()
    {
        var data = new TheoryData<DType, int>();
        foreach (var dt in new[] { DType.Float64, DType.Float32 })
            foreach (var n in new[] { 0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 67 })
                data.Add(dt, n);
        return data;
    }

    static NDArray Random(int seed, DType dt, params int[] shape) => (new RandomState(seed).Randn(shape) * 2.0).AsType(dt);

    static void AssertSame(NDArray expected, NDArray actual)
    {
        Assert.Equal(expected.DType, actual.DType);
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(expected.ToArray<double>(), actual.ToArray<double>());
    }

    [Theory, MemberData(nameof(Cases))]
    public void SigmoidGradIsGyTimesYTimesOneMinusY(DType dt, int n)
    {
        var y = ActivationKernels.Sigmoid(Random(1, dt, n));
        var gy = Random(2, dt, n);
        AssertSame(gy * y * (1.0 - y), ActivationKernels.SigmoidGrad(y, gy)!);
    }

    [Theory, MemberData(nameof(Cases))]
    public void TanhGradIsGyTimesOneMinusYSquared(DType dt, int n)
    {
        var y = NDArray.Tanh(Random(1, dt, n));
        var gy = Random(2, dt, n);
        AssertSame(gy * (1.0 - y * y), ActivationKernels.TanhGrad(y, gy)!);
    }

    [Theory, MemberData(nameof(Cases))]
    public void ReLUGradIsGyTimesMask(DType dt, int n)
    {
        var x = Random(1, dt, n);
        var gy = Random(2, dt, n);
        AssertSame(gy * (x > 0.0).AsType(dt), ActivationKernels.ReLUGrad(x, gy)!);
    }

    // Arrays from this size on run in parts on all cores (ActivationKernels' ParallelLength); every element alike.
    [Theory]
    [InlineData(DType.Float64, (1 << 17) + 33)]
    [InlineData(DType.Float32, (1 << 18) + 7)]
    public void LargeReLUAndItsGradientRunInPartsWithTheSameResults(DType dt, int n)
    {
        var x = Random(1, dt, n);
        var gy = Random(2, dt, n);
        AssertSame(gy * (x > 0.0).AsType(dt), ActivationKernels.ReLUGrad(x, gy)!);
        var mask = new byte[ActivationKernels.MaskBytes(n)];
        AssertSame(NDArray.Maximum(x, 0.0), ActivationKernels.ReLU(x, mask)!);
        AssertSame(gy * (x > 0.0).AsType(dt), ActivationKernels.ReLUGrad(mask, gy));
    }

    // The mask ReLU records gives the gradient the same values as comparing x: gy where x > 0 (not NaN, not ±0), +0
    // elsewhere, whatever gy holds there (NaN and infinities included).
    [Theory, MemberData(nameof(Cases))]
    public void ReLUGradFromTheRecordedMaskIsGradFromX(DType dt, int n)
    {
        double[] special = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, 1e-300, -1e-300];
        var xs = Random(1, dt, n).ToArray<double>();
        var gys = Random(2, dt, n).ToArray<double>();
        for (int i = 0; i < n; i += 2) (xs[i], gys[n - 1 - i]) = (special[i / 2 % special.Length], special[(i / 2 + 3) % special.Length]);
        var (x, gy) = (NDArray.FromArray(xs).AsType(dt), NDArray.FromArray(gys).AsType(dt));
        var mask = Enumerable.Repeat((byte)0xA5, ActivationKernels.MaskBytes(n)).ToArray();
        ActivationKernels.ReLU(x, mask);
        AssertSame(ActivationKernels.ReLUGrad(x, gy)!, ActivationKernels.ReLUGrad(mask, gy));
        if (n % 8 != 0) Assert.Equal(0, mask[^1] >> (n % 8));
    }

    // ReLU is NumPy's maximum(x, 0) bit for bit (TensorPrimitives.Max): NaN propagates, −0 becomes +0, infinities stay.
    [Theory, MemberData(nameof(Cases))]
    public void ReLUIsMaximumWithZero(DType dt, int n)
    {
        double[] special = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, 1e-300, -1e-300];
        var values = Random(1, dt, n).ToArray<double>();
        for (int i = 0; i < n; i += 2) values[i] = special[i / 2 % special.Length];
        var x = NDArray.FromArray(values).AsType(dt);
        var (expected, actual) = (NDArray.Maximum(x, 0.0).ToArray<double>(), ActivationKernels.ReLU(x)!.ToArray<double>());
        Assert.Equal(expected.Select(v => double.IsNaN(v) ? -1 : BitConverter.DoubleToInt64Bits(v)), actual.Select(v => double.IsNaN(v) ? -1 : BitConverter.DoubleToInt64Bits(v)));
        Assert.Null(ActivationKernels.ReLU(NDArray.Arange(3)));
    }

    // Sums over the leading axis of rows shorter than Rows.Short (a bias gradient): each column adds its rows in order.
    [Theory, MemberData(nameof(Cases))]
    public void ColumnSumsAddRowsInOrder(DType dt, int n)
    {
        if (n < 2 || n >= Rows.Short) return;
        foreach (int rows in new[] { 1, 2, 5, 100 })
        {
            var x = Random(3, dt, rows, n);
            var expected = x[0];
            for (int i = 1; i < rows; i++) expected = expected + x[i];
            AssertSame(expected, x.Sum(0));
        }
    }

    // The library's own logistic loop against TensorPrimitives.Sigmoid, an independent implementation: saturated ends,
    // infinities, NaN, ±0, within 4 ulps.
    [Theory, MemberData(nameof(Cases))]
    public void LogisticIsTensorPrimitivesSigmoid(DType dt, int n)
    {
        double[] special = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, 800, -800, 100, -100, 1e-300];
        var x = (new RandomState(1).Randn(n) * 40.0).ToArray<double>();
        for (int i = 0; i < n; i++) if (i % 3 == 0) x[i] = special[i / 3 % special.Length];
        var (expected, actual) = dt == DType.Float64
            ? (Bits<double>(x, TensorPrimitives.Sigmoid), Bits<double>(x, ActivationKernels.Logistic))
            : (Bits<float>(x, TensorPrimitives.Sigmoid), Bits<float>(x, ActivationKernels.Logistic));
        for (int i = 0; i < n; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 4, $"x = {x[i]}: {BitConverter.Int64BitsToDouble(expected[i])} vs {BitConverter.Int64BitsToDouble(actual[i])}");
    }

    // The vector exp against Math.Exp: results from subnormal to the largest double, the rounding of n at ±ln 2 / 2,
    // overflow, underflow, infinities and NaN.
    [Fact]
    public void ExpIsWithinTwoUlpsOfMathExp()
    {
        var rs = new RandomState(2);
        var xs = (rs.Uniform(-750, 712, 4000)).ToArray<double>().Concat(
            (rs.Uniform(-1, 1, 1000)).ToArray<double>()).Concat([0.0, -0.0, 1e-300, -1e-300, 709.78, 709.79, -708.4, -745.1,
            -745.2, 0.5 * Math.Log(2), -0.5 * Math.Log(2), 1.5 * Math.Log(2), double.PositiveInfinity,
            double.NegativeInfinity, double.NaN, double.MaxValue, double.MinValue, 1.0, -1.0, 100.0]).ToArray();
        for (int i = 0; i < xs.Length; i++)
        {
            double expected = Math.Exp(xs[i]);
            AssertWithinTwoUlps(xs[i], expected, ActivationKernels.Exp(Vector<double>.Zero.WithElement(i % Vector<double>.Count, xs[i]))[i % Vector<double>.Count]);
            if (Vector512.IsHardwareAccelerated)
                AssertWithinTwoUlps(xs[i], expected, ActivationKernels.Exp(Vector512<double>.Zero.WithElement(i % 8, xs[i]))[i % 8]);
        }
    }

    static void AssertWithinTwoUlps(double x, double expected, double actual)
    {
        bool ok = double.IsNaN(expected) ? double.IsNaN(actual)
            : Math.Abs(BitConverter.DoubleToInt64Bits(actual) - BitConverter.DoubleToInt64Bits(expected)) <= 2;
        Assert.True(ok, $"exp({x:R}) = {expected:R}, the kernel gave {actual:R}");
    }

    delegate void SpanFunction<T>(ReadOnlySpan<T> x, Span<T> y);

    // The results' bit patterns as integers, so neighbouring values of one sign differ by one.
    static long[] Bits<T>(double[] x, SpanFunction<T> f) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var xs = x.Select(T.CreateTruncating).ToArray();
        var ys = new T[xs.Length];
        if (xs.Length > 0) f(xs, ys);   // TensorPrimitives.Sigmoid refuses empty spans
        return ys.Select(v => v is float s ? BitConverter.SingleToInt32Bits(s) : BitConverter.DoubleToInt64Bits(double.CreateTruncating(v))).ToArray();
    }

    // The book's sigmoid, tanh(x/2)/2 + 1/2, and the logistic function agree to a few ulps of 1 (the outputs lie in (0, 1)).
    [Theory, MemberData(nameof(Cases))]
    public void SigmoidAgreesWithTheBooksTanhForm(DType dt, int n)
    {
        var x = Random(1, dt, n) * 10.0;
        var book = NDArray.Tanh(x * 0.5) * 0.5 + 0.5;
        var y = ActivationKernels.Sigmoid(x);
        double ulp = dt == DType.Float64 ? Math.Pow(2, -52) : Math.Pow(2, -23);
        Assert.True(NDArray.AllClose(y, book, rtol: 0, atol: 4 * ulp), $"{y} vs {book}");
    }

    [Theory, MemberData(nameof(Cases))]
    public void SubtractScaledIsNumPysInPlaceSubtractionOfTheProduct(DType dt, int n)
    {
        var p = Random(1, dt, n);
        var x = Random(2, dt, n);
        var expected = p.Copy();
        expected.SubtractInPlace(x * 0.3);
        p.SubtractScaledInPlace(0.3, x);
        AssertSame(expected, p);
    }

    // Long enough to be split over the cores, and not a multiple of the pieces' cache-line rounding.
    [Theory]
    [InlineData(DType.Float64)]
    [InlineData(DType.Float32)]
    public void SubtractScaledSplitOverTheCoresIsTheSame(DType dt)
    {
        var p = Random(1, dt, (1 << 18) + 37);
        var x = Random(2, dt, (1 << 18) + 37);
        var expected = p.Copy();
        expected.SubtractInPlace(x * 0.3);
        p.SubtractScaledInPlace(0.3, x);
        AssertSame(expected, p);
    }

    // Lengths up to 67 on the stack, and 1100 rows of 2 in a pooled scratch row.
    [Theory, MemberData(nameof(Cases))]
    public void MeanSquaredErrorIsTheSumOfSquaredDifferencesOverN(DType dt, int n)
    {
        foreach (int rows in new[] { n, n * 17 + 1 })
        {
            var x0 = Random(1, dt, rows, 2);
            var x1 = Random(2, dt, rows, 2);
            var diff = x0 - x1;
            AssertSame((diff * diff).Sum() / NDArray.Scalar(rows, dt), LossKernels.MeanSquaredError(x0, x1)!);
        }
    }

    // n rows of 1, 10 and 37 classes (a row shorter than, as long as, and longer than a vector; the whole array's exp
    // of every length class), the forward and backward composites of F.SoftmaxCrossEntropy written out.
    [Theory, MemberData(nameof(Cases))]
    public void SoftmaxCrossEntropyIsTheCompositeOfMaxExpSumAndLog(DType dt, int n)
    {
        if (n == 0) return; // no loss of an empty batch: the composite takes it
        foreach (int classes in new[] { 1, 10, 37 })
        {
            var x = Random(1, dt, n, classes) * 4.0;
            var t = NDArray.FromArray(Enumerable.Range(0, n).Select(i => (long)(i * 7 % classes)).ToArray());
            var labels = t.ToArray<long>();
            var m = x.Max(1, keepdims: true);
            var logP = x - (m + NDArray.Log(NDArray.Exp(x - m).Sum(1, keepdims: true)));
            var picked = NDArray.Empty(dt, [n]);
            for (int i = 0; i < n; i++) picked.SetFlat(i, logP.GetFlat(i * classes + (int)labels[i]));
            AssertSame(-picked.Sum() / NDArray.Scalar(n, dt), LossKernels.SoftmaxCrossEntropy(x, t)!);

            var gy = Random(3, dt);
            var e = NDArray.Exp(x - m);
            var onehot = NDArray.Zeros([n, classes], dt);
            for (int i = 0; i < n; i++) onehot.SetFlat(i * classes + (int)labels[i], 1);
            var expected = (e / e.Sum(1, keepdims: true) - onehot) * (gy * NDArray.Scalar(1.0 / n, dt));
            AssertSame(expected, LossKernels.SoftmaxCrossEntropyGrad(x, t, gy)!);
        }
    }

    [Fact]
    public void SoftmaxCrossEntropyOfARowWithNaNIsNaN()
    {
        var x = NDArray.FromArray(new[,] { { 1.0, double.NaN, 2.0 }, { 0.5, 0.25, 3.0 } });
        var t = NDArray.FromArray(new long[] { 0, 2 });
        Assert.True(double.IsNaN((double)LossKernels.SoftmaxCrossEntropy(x, t)!));
        var g = LossKernels.SoftmaxCrossEntropyGrad(x, t, NDArray.Scalar(1.0))!.ToArray<double>();
        Assert.All(g[..3], v => Assert.True(double.IsNaN(v)));
        Assert.All(g[3..], v => Assert.False(double.IsNaN(v)));
    }

    [Theory, MemberData(nameof(Cases))]
    public void MeanSquaredErrorGradIsGyTimesDifferenceTimesTwoOverN(DType dt, int n)
    {
        if (n == 0) return; // N is the length of the first axis: no gradient of an empty batch
        var x0 = Random(1, dt, n, 2);
        var x1 = Random(2, dt, n, 2);
        var gy = Random(3, dt);
        var (g0, g1) = (NDArray.Zeros(x0.Shape, dt), NDArray.Zeros(x0.Shape, dt));
        LossKernels.MeanSquaredErrorGrad(x0, x1, gy, g0, g1);
        var t = gy * (x0 - x1) * (2.0 / n);
        AssertSame(t, g0);
        AssertSame(-t, g1);
        var only1 = NDArray.Zeros(x0.Shape, dt);
        LossKernels.MeanSquaredErrorGrad(x0, x1, gy, null, only1);
        AssertSame(-t, only1);
    }

    [Theory, MemberData(nameof(Cases))]
    public void AffineIsMatMulPlusBias(DType dt, int n)
    {
        var x = Random(1, dt, n, 5);
        var w = Random(2, dt, 5, 3);
        var b = Random(3, dt, 3);
        var fused = NDArray.MatMulAddRow(x, w, b);
        if (n == 0) { Assert.Null(fused); return; }
        // The bias is added first instead of last: equal up to the rounding of k + 1 additions.
        AssertWithinRounding(NDArray.MatMul(x, w) + b, fused!, NDArray.MatMul(NDArray.Abs(x), NDArray.Abs(w)) + NDArray.Abs(b), 6);
    }

    // |expected − actual| ≤ terms · ε · magnitude, elementwise (ε of the dtype, magnitude the sum of the absolute terms).
    static void AssertWithinRounding(NDArray expected, NDArray actual, NDArray magnitude, int terms)
    {
        Assert.Equal(expected.DType, actual.DType);
        Assert.Equal(expected.Shape, actual.Shape);
        double eps = expected.DType == DType.Float64 ? Math.Pow(2, -52) : Math.Pow(2, -23);
        var diff = NDArray.Abs(expected.AsType(DType.Float64) - actual.AsType(DType.Float64));
        var bound = magnitude.AsType(DType.Float64) * (terms * eps);
        Assert.True((double)(diff <= bound).AsType(DType.Int64).Sum() == diff.Size, $"expected {expected}\nactual {actual}");
    }

    [Theory, MemberData(nameof(Cases))]
    public void MatMulAccumulateIsSumWithTheProduct(DType dt, int n)
    {
        var a = Random(1, dt, 4, n);
        var b = Random(2, dt, 3, n);
        var c = Random(3, dt, 4, 3);
        var expected = c + NDArray.MatMul(a, b.T);
        var magnitude = NDArray.Abs(c) + NDArray.MatMul(NDArray.Abs(a), NDArray.Abs(b).T);
        Assert.True(NDArray.TryMatMulAccumulate(a, b, transA: false, transB: true, c));
        AssertWithinRounding(expected, c, magnitude, n + 1);
    }

    [Theory, MemberData(nameof(Cases))]
    public void ChannelBiasIsBroadcastAddition(DType dt, int n)
    {
        var y = Random(1, dt, 2, 3, n);
        var b = Random(2, dt, 3);
        var expected = y + b.Reshape(1, 3, 1);
        if (dt == DType.Float64) Im2colKernel.AddChannelBias(y.Span<double>(), b.Span<double>(), 2, 3, n);
        else Im2colKernel.AddChannelBias(y.Span<float>(), b.Span<float>(), 2, 3, n);
        AssertSame(expected, y);
    }
}
