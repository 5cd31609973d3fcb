using System.Numerics;
using CsCheck;

namespace DeZero.Tests.Numerics;

/// <summary>
/// Property-based tests (CsCheck, fixed seeds) of shape arithmetic and broadcasting against small reference
/// implementations of NumPy's rules written here from the specification.
/// </summary>
public class ShapePropertyTests
{
    const long Iterations = 2000;

    // Small dimensions, mostly 1 to exercise broadcasting, sometimes 0.
    static readonly Gen<int> Dim = Gen.Frequency((3, Gen.Const(1)), (4, Gen.Int[2, 4]), (1, Gen.Const(0)));
    static readonly Gen<int[]> Shape = Dim.Array[0, 4];

    // NumPy's rule: align from the right; each pair of dimensions must be equal or one of them 1.
    static int[]? ReferenceBroadcast(int[] a, int[] b)
    {
        int n = Math.Max(a.Length, b.Length);
        var r = new int[n];
        for (int i = 0; i < n; i++)
        {
            int da = i < n - a.Length ? 1 : a[i - (n - a.Length)], db = i < n - b.Length ? 1 : b[i - (n - b.Length)];
            if (da != db && da != 1 && db != 1) return null;
            r[i] = da == 1 ? db : da;
        }
        return r;
    }

    // The element of an array of `shape` (C order) read at output index `idx` of the broadcast result.
    static int Source(int[] shape, int[] outShape, int[] idx)
    {
        int flat = 0, off = outShape.Length - shape.Length;
        for (int i = 0; i < shape.Length; i++) flat = flat * shape[i] + (shape[i] == 1 ? 0 : idx[off + i]);
        return flat;
    }

    [Fact]
    public void AdditionBroadcastsLikeNumPy()
    {
        Gen.Select(Shape, Shape).Sample((a, b) =>
        {
            var expected = ReferenceBroadcast(a, b);
            var x = NDArray.Arange(ShapeUtil.SizeOf(a, "test")).Reshape(a);
            var y = NDArray.Arange(ShapeUtil.SizeOf(b, "test")).Reshape(b) * 1000;
            if (expected is null)
            {
                Assert.ThrowsAny<ArgumentException>(() => x + y);
                return;
            }
            var z = x + y;
            Assert.Equal(expected, z.Shape);
            var values = z.ToArray<long>();
            var idx = new int[expected.Length];
            for (int k = 0; k < values.Length; k++)
            {
                for (int i = expected.Length - 1, rest = k; i >= 0; i--) { idx[i] = rest % expected[i]; rest /= expected[i]; }
                Assert.Equal(Source(a, expected, idx) + 1000L * Source(b, expected, idx), values[k]);
            }
        }, seed: "0N0XIzNsQ0O2", iter: Iterations, threads: 1, print: t => $"{ShapeUtil.Str(t.Item1)} + {ShapeUtil.Str(t.Item2)}");
    }

    [Fact]
    public void SumToUndoesBroadcastTo()
    {
        Gen.Select(Shape, Shape).Sample((a, extra) =>
        {
            var target = ReferenceBroadcast(a, extra);
            if (target is null) return;
            var x = NDArray.Arange(ShapeUtil.SizeOf(a, "test")).Reshape(a).AsType(DType.Float64);
            var y = DeZero.Functions.SumTo(x.BroadcastTo(target), a).Data;
            long copies = ShapeUtil.Product(target) / Math.Max(1, ShapeUtil.Product(a));
            Assert.Equal(a, y.Shape);
            if (ShapeUtil.Product(a) > 0) Assert.Equal((x * copies).ToArray<double>(), y.ToArray<double>());
        }, seed: "0N0XIzNsQ0O3", iter: Iterations, threads: 1, print: t => $"{ShapeUtil.Str(t.Item1)} to {ShapeUtil.Str(t.Item2)}");
    }

    // Any dimensions, large ones included, to exercise the overflow checks.
    static readonly Gen<int[]> AnyShape = Gen.Frequency((2, Gen.Int[0, 8]), (2, Gen.Int[1 << 15, 1 << 17]), (1, Gen.Int[-2, int.MaxValue])).Array[0, 6];

    [Fact]
    public void SizeIsTheExactProductOrAClearError()
    {
        AnyShape.Sample(shape =>
        {
            var exact = shape.Aggregate(BigInteger.One, (p, d) => p * d);
            long product = ShapeUtil.Product(shape);
            if (shape.Any(d => d < 0))
            {
                Assert.Equal(-1, product);
                Assert.Contains("negative", Assert.Throws<ArgumentException>(() => ShapeUtil.SizeOf(shape, "op")).Message);
            }
            else if (exact > ShapeUtil.MaxSize)
            {
                Assert.Equal(long.MaxValue, product);
                var e = Assert.Throws<ArgumentException>(() => ShapeUtil.SizeOf(shape, "op"));
                Assert.Contains(exact.ToString(), e.Message);
            }
            else
            {
                Assert.Equal((long)exact, product);
                Assert.Equal((int)exact, ShapeUtil.SizeOf(shape, "op"));
            }
        }, seed: "0N0XIzNsQ0O4", iter: Iterations, threads: 1, print: s => ShapeUtil.Str(s));
    }

    [Fact]
    public void ReshapeAcceptsExactlyTheShapesOfTheSameSize()
    {
        var x = NDArray.Arange(720);
        // Shapes of 720 elements (factors in any order, a 1 or two) as often as arbitrary shapes.
        var factors = Gen.OneOf(1, 2, 3, 4, 5, 6, 8, 9, 10).Array[0, 4]
            .Where(f => 720 % f.Aggregate(1, (p, d) => p * d) == 0)
            .Select(f => f.Append(720 / f.Aggregate(1, (p, d) => p * d)).ToArray());
        Gen.Select(Gen.OneOf(AnyShape, factors), Gen.Int[-1, 5]).Sample((shape, unknownAt) =>
        {
            var s = (int[])shape.Clone();
            if (unknownAt >= 0 && unknownAt < s.Length) s[unknownAt] = -1;
            bool neg = s.Any(d => d < -1) || s.Count(d => d == -1) > 1;
            var known = s.Where(d => d != -1).Aggregate(BigInteger.One, (p, d) => p * d);
            bool ok = !neg && (s.Contains(-1) ? known != 0 && 720 % known == 0 : known == 720);
            if (!ok)
            {
                Assert.Throws<ArgumentException>(() => x.Reshape(s));
                Assert.Throws<ArgumentException>(() => DeZero.Functions.Reshape(x, s));
                return;
            }
            var y = x.Reshape(s);
            Assert.Equal(720, y.Size);
            Assert.Equal(y.Shape, DeZero.Functions.Reshape(x, s).Shape);
            if (s.Contains(-1)) Assert.Equal(720 / (int)known, y.Shape[Array.IndexOf(s, -1)]);
        }, seed: "0N0XIzNsQ0O5", iter: Iterations, threads: 1, print: t => $"{ShapeUtil.Str(t.Item1)} unknown at {t.Item2}");
    }
}
