using System.Numerics;
using DeZero.Numerics.Kernels;

namespace DeZero.Tests.Numerics;

public class GemmTests
{
    // A product C = op(A)·op(B) (+ C0) with random operands stored with the given row strides.
    sealed class Case
    {
        public readonly int M, N, K, Lda, Ldb, Ldc;
        public readonly bool TransA, TransB, Accumulate;
        public readonly double[] A, B, C0;

        public Case(int m, int n, int k, bool transA, bool transB, int pad, bool accumulate, int seed)
        {
            (M, N, K, TransA, TransB, Accumulate) = (m, n, k, transA, transB, accumulate);
            var rng = new Random(seed);
            Lda = (transA ? m : k) + pad;
            Ldb = (transB ? k : n) + pad;
            Ldc = n + pad;
            A = Fill(rng, (transA ? k : m) * Lda);
            B = Fill(rng, (transB ? n : k) * Ldb);
            C0 = Fill(rng, m * Ldc);
        }

        // Uniform in [-1, 1) on a grid of 2^-10, so float32 holds the inputs exactly.
        static double[] Fill(Random rng, int length)
        {
            var x = new double[length];
            for (int i = 0; i < length; i++) x[i] = rng.Next(-1024, 1024) / 1024.0;
            return x;
        }

        public double OpA(int i, int p) => TransA ? A[p * Lda + i] : A[i * Lda + p];
        public double OpB(int p, int j) => TransB ? B[j * Ldb + p] : B[p * Ldb + j];

        public static T[] As<T>(double[] x) where T : INumber<T> => x.Select(T.CreateChecked).ToArray();

        public T[] Run<T>(Action<Case, T[], T[], T[]> multiply) where T : INumber<T>
        {
            var c = As<T>(C0);
            multiply(this, As<T>(A), As<T>(B), c);
            return c;
        }

        public override string ToString() =>
            $"m={M} n={N} k={K} transA={TransA} transB={TransB} lda={Lda} ldb={Ldb} ldc={Ldc} accumulate={Accumulate}";

        // Compares with a float64 reference; the bound is k-proportional rounding of the sum of |terms|.
        public void AssertClose<T>(T[] c, double eps) where T : INumber<T>
        {
            for (int i = 0; i < M; i++)
            {
                for (int j = 0; j < Ldc; j++)
                {
                    int at = i * Ldc + j;
                    double got = double.CreateChecked(c[at]);
                    if (j >= N)
                    {
                        Assert.True(got == C0[at], $"{this}: C[{i},{j}] outside the product changed to {got}");
                        continue;
                    }
                    double s = Accumulate ? C0[at] : 0, abs = Math.Abs(s);
                    for (int p = 0; p < K; p++)
                    {
                        double t = OpA(i, p) * OpB(p, j);
                        s += t;
                        abs += Math.Abs(t);
                    }
                    double tol = 2 * (K + 1) * eps * abs;
                    Assert.True(Math.Abs(got - s) <= tol, $"{this}: C[{i},{j}] = {got}, expected {s} ± {tol}");
                }
            }
        }
    }

    static void Multiply<T>(Case x, T[] a, T[] b, T[] c) where T : unmanaged, INumber<T> =>
        Gemm.Multiply<T>(x.TransA, x.TransB, x.M, x.N, x.K, a, x.Lda, b, x.Ldb, c, x.Ldc, x.Accumulate);

    static Action<Case, T[], T[], T[]> Packed<T, TKernel>(int threads)
        where T : unmanaged, INumber<T> where TKernel : IGemmKernel<T> =>
        (x, a, b, c) => Gemm.MultiplyPacked<T, TKernel>(x.TransA, x.TransB, x.M, x.N, x.K, a, x.Lda, b, x.Ldb, c, x.Ldc,
            x.Accumulate, threads);

    static IEnumerable<Case> Variants(int m, int n, int k, int seed)
    {
        int v = 0;
        foreach (var transA in new[] { false, true })
            foreach (var transB in new[] { false, true })
            {
                yield return new Case(m, n, k, transA, transB, pad: v % 2 * 3, accumulate: v / 2 == 1, seed + v);
                v++;
            }
    }

    public static TheoryData<int, int, int> Shapes => new()
    {
        { 0, 0, 0 }, { 0, 5, 3 }, { 4, 0, 3 }, { 3, 4, 0 }, { 1, 1, 1 }, { 1, 10, 1 }, { 100, 1, 1 }, { 100, 10, 1 }, { 9, 5, 1 }, { 7, 16, 1 }, { 6, 32, 1 }, { 3, 17, 1 },
        { 1, 37, 19 }, { 37, 1, 19 }, { 100, 1, 10 }, { 10, 1, 100 }, { 1, 10, 100 }, { 100, 10, 10 }, { 5, 3, 2 }, { 3, 70, 2 }, { 70, 1, 3 }, { 1, 1, 300 }, { 1, 300, 40 }, { 1, 70, 300 }, { 1, 300, 300 }, { 1, 1030, 70 }, { 300, 1, 40 }, { 2, 300, 40 }, { 7, 9, 5 }, { 13, 33, 17 }, { 12, 32, 16 },
        { 24, 64, 64 }, { 25, 65, 63 }, { 64, 64, 64 }, { 97, 131, 71 }, { 300, 257, 513 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float32MatchesReference(int m, int n, int k)
    {
        foreach (var x in Variants(m, n, k, 10))
            x.AssertClose(x.Run<float>(Multiply), 1.0 / (1 << 24));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float64MatchesReference(int m, int n, int k)
    {
        foreach (var x in Variants(m, n, k, 20))
            x.AssertClose(x.Run<double>(Multiply), 1.0 / (1L << 53));
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(5, 7, 3)]
    [InlineData(17, 40, 9)]
    [InlineData(61, 33, 70)]
    public void IntegersAreExact(int m, int n, int k)
    {
        // Scaled by 1024 the operands are integers, and so is every product and sum (well inside int range).
        static long[] Scale(double[] v, double f) => v.Select(e => (long)(e * f)).ToArray();
        foreach (var x in Variants(m, n, k, 30))
        {
            long[] a = Scale(x.A, 1024), b = Scale(x.B, 1024), c = Scale(x.C0, 1 << 20);
            int[] ai = a.Select(v => (int)v).ToArray(), bi = b.Select(v => (int)v).ToArray(), ci = c.Select(v => (int)v).ToArray();
            Gemm.Multiply<long>(x.TransA, x.TransB, m, n, k, a, x.Lda, b, x.Ldb, c, x.Ldc, x.Accumulate);
            Gemm.Multiply<int>(x.TransA, x.TransB, m, n, k, ai, x.Lda, bi, x.Ldb, ci, x.Ldc, x.Accumulate);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < x.Ldc; j++)
                {
                    long s = (long)(x.C0[i * x.Ldc + j] * (1 << 20));
                    if (j < n)
                    {
                        if (!x.Accumulate) s = 0;
                        for (int p = 0; p < k; p++) s += (long)(x.OpA(i, p) * 1024) * (long)(x.OpB(p, j) * 1024);
                    }
                    Assert.Equal(s, c[i * x.Ldc + j]);
                    Assert.Equal(s, ci[i * x.Ldc + j]);
                }
        }
    }

    // Shapes around the micro-tile sizes, with k beyond one KC slice, m beyond one row block, n beyond one column
    // block, C cut among threads by rows or by columns into fewer parts than threads, and a last sliver of A of
    // every height class (1-4, 5-8, 9-11 rows), products with few columns (computed as their transpose), and B read
    // in place or packed (small or large, rows 4 KB apart or not).
    public static TheoryData<int, int, int> KernelShapes => new()
    {
        { 1, 1, 1 }, { 11, 31, 7 }, { 12, 32, 1 }, { 13, 33, 600 }, { 49, 95, 1030 }, { 1601, 3, 2 }, { 5, 2100, 3 },
        { 40, 100, 70 }, { 500, 40, 30 }, { 100, 70, 40 }, { 31, 40, 9 }, { 20, 65, 500 }, { 100, 10, 1000 }, { 1000, 10, 100 }, { 300, 7, 20 }, { 20, 1024, 30 }, { 30, 700, 400 },
    };

    [Theory]
    [MemberData(nameof(KernelShapes))]
    public void EveryKernelMatchesReference(int m, int n, int k)
    {
        foreach (var threads in new[] { 1, 3 })
            foreach (var x in Variants(m, n, k, 40))
            {
                const double eps32 = 1.0 / (1 << 24), eps64 = 1.0 / (1L << 53);
                if (GemmKernel512<float>.IsSupported)
                {
                    x.AssertClose(x.Run(Packed<float, GemmKernel512<float>>(threads)), eps32);
                    x.AssertClose(x.Run(Packed<double, GemmKernel512<double>>(threads)), eps64);
                }
                if (GemmKernel256<float>.IsSupported)
                {
                    x.AssertClose(x.Run(Packed<float, GemmKernel256<float>>(threads)), eps32);
                    x.AssertClose(x.Run(Packed<double, GemmKernel256<double>>(threads)), eps64);
                }
                x.AssertClose(x.Run(Packed<float, GemmKernelVector<float>>(threads)), eps32);
                x.AssertClose(x.Run(Packed<double, GemmKernelVector<double>>(threads)), eps64);
            }
    }

    [Fact]
    public void ResultDoesNotDependOnThreadCount()
    {
        foreach (var x in Variants(203, 150, 1100, 50))
        {
            var one = x.Run(Packed<float, GemmKernelVector<float>>(1));
            foreach (var threads in new[] { 2, 3, 8 })
                Assert.Equal(one, x.Run(Packed<float, GemmKernelVector<float>>(threads)));
            if (GemmKernel512<float>.IsSupported)
                Assert.Equal(x.Run(Packed<float, GemmKernel512<float>>(1)), x.Run(Packed<float, GemmKernel512<float>>(2)));
            var auto = x.Run<double>(Multiply);
            Assert.Equal(auto, x.Run<double>(Multiply));
        }
    }

    [Fact]
    public void ConcurrentProductsAreCorrect()
    {
        // Products started together from several threads: one at a time gets the workers, the others run on their own
        // thread, and every one must still be right.
        var cases = Enumerable.Range(0, 6).Select(i => new Case(150 + i, 170, 130, i % 2 == 0, i % 3 == 0, 0, i % 2 == 1, 60 + i)).ToArray();
        var results = new float[cases.Length][];
        Parallel.For(0, cases.Length, new ParallelOptions { MaxDegreeOfParallelism = cases.Length }, i =>
            results[i] = cases[i].Run<float>((x, a, b, c) => Gemm.MultiplyPacked<float, GemmKernelVector<float>>(
                x.TransA, x.TransB, x.M, x.N, x.K, a, x.Lda, b, x.Ldb, c, x.Ldc, x.Accumulate, threads: 4)));
        for (int i = 0; i < cases.Length; i++) cases[i].AssertClose(results[i], 1.0 / (1 << 24));
    }

    [Fact]
    public void WorkerExceptionReachesCaller()
    {
        var ex = Assert.Throws<InvalidOperationException>(() =>
            Workers.Run(8, i => { if (i == 5) throw new InvalidOperationException("part 5"); }));
        Assert.Equal("part 5", ex.Message);
        int done = 0;
        Workers.Run(8, _ => Interlocked.Increment(ref done));
        Assert.Equal(8, done);
    }

    [Fact]
    public void OverwritesNaNWhenNotAccumulating()
    {
        var a = Enumerable.Range(0, 40 * 30).Select(i => (float)(i % 7)).ToArray();
        var b = Enumerable.Range(0, 30 * 50).Select(i => (float)(i % 5)).ToArray();
        foreach (var k in new[] { 30, 0 })
        {
            var c = Enumerable.Repeat(float.NaN, 40 * 50).ToArray();
            Gemm.Multiply<float>(false, false, 40, 50, k, a, k, b, 50, c, 50);
            for (int i = 0; i < 40; i++)
                for (int j = 0; j < 50; j++)
                {
                    float s = 0;
                    for (int p = 0; p < k; p++) s += a[i * k + p] * b[p * 50 + j];
                    Assert.Equal(s, c[i * 50 + j]);
                }
        }
    }

    [Fact]
    public void PropagatesNaNFromOperands()
    {
        var a = new double[64 * 64];
        var b = new double[64 * 64];
        a[5 * 64 + 7] = double.NaN;
        var c = new double[64 * 64];
        Gemm.Multiply<double>(false, false, 64, 64, 64, a, 64, b, 64, c, 64);
        for (int i = 0; i < 64; i++)
            for (int j = 0; j < 64; j++)
                Assert.Equal(i == 5, double.IsNaN(c[i * 64 + j]));
    }

    [Theory]
    [InlineData(false, false, 4, 3, 12, 3, 5, 14)]
    [InlineData(false, false, 4, 5, 11, 5, 5, 20)]
    [InlineData(false, false, 4, 3, 12, 5, 4, 20)]
    [InlineData(true, false, 4, 3, 12, 5, 5, 20)]
    [InlineData(false, true, 4, 3, 12, 2, 5, 20)]
    [InlineData(false, false, -1, 3, 12, 5, 5, 20)]
    public void RejectsBuffersThatDoNotFit(bool transA, bool transB, int m, int lda, int aLen, int ldb, int ldc, int cLen)
    {
        // m×3 · 3×5 (A stored 3×m when transposed, B stored 5×3 when transposed).
        var ex = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply<double>(transA, transB, m, 5, 3, new double[aLen], lda, new double[15], ldb, new double[cLen], ldc));
        Assert.Contains("Gemm.Multiply", ex.Message);
    }
}
