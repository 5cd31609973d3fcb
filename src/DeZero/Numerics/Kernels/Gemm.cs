using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace DeZero.Numerics.Kernels;

/// <summary>
/// Row-major general matrix product C = op(A)·op(B) (+ C when accumulating), where op(X) is X or its
/// transpose read in place (never materialised). A is m×k (stored k×m when transposed), B is k×n (stored n×k
/// when transposed), C is m×n; lda, ldb and ldc are the row strides of the stored matrices.
/// </summary>
internal static class Gemm
{
    // Below this many multiply-adds a direct loop beats packing; above the second, the work is split over all cores.
    const long PackedWork = 4096;
    const long ParallelWork = 1L << 21;

    // Callers that already run on every core pass parallel false. The generic entry points cannot be precompiled;
    // compiled optimized at their first call, they skip the tier-0 and instrumented versions tiering would JIT first.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<T>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate = false, bool parallel = true)
        where T : unmanaged, INumber<T>
    {
        Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        // A vector operand with unit stride reads the same transposed or not: take the form the direct loops prefer.
        if (m == 1 && transA && lda == 1) (transA, lda) = (false, k);
        if (n == 1 && !transB && ldb == 1) (transB, ldb) = (true, k);
        long work = (long)m * n * k;
        // Vector-matrix and matrix-vector products and outer products (k = 1, an RNN's weight gradient at batch 1)
        // are memory-bound: packing would only add traffic.
        bool direct = m == 1 || n == 1 && transB && !transA || k == 1;
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double) || work < PackedWork || direct)
        {
            Direct(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
            return;
        }
        int threads = parallel && work >= ParallelWork ? Environment.ProcessorCount : 1;
        if (GemmKernel512<T>.IsSupported)
            MultiplyPacked<T, GemmKernel512<T>>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, threads);
        else if (GemmKernel256<T>.IsSupported)
            MultiplyPacked<T, GemmKernel256<T>>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, threads);
        else
            MultiplyPacked<T, GemmKernelVector<T>>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, threads);
    }

    /// <summary>The packed, blocked product with a given micro-kernel on up to <paramref name="threads"/> threads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void MultiplyPacked<T, TKernel>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate, int threads)
        where T : unmanaged, INumber<T> where TKernel : IGemmKernel<T>
    {
        Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate) ClearRows(c, m, n, ldc);
            return;
        }
        fixed (T* pa = a, pb = b, pc = c)
            GemmPacked<T, TKernel>.Run(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, threads);
    }

    // Unblocked loops for tiny products, vector-matrix and matrix-vector products, and integer dtypes. Each form
    // walks the operands along their contiguous axis, with Rows.Scale doing the row arithmetic.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Direct<T>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate)
        where T : unmanaged, INumber<T>
    {
        if (k == 1 && (!transB || ldb == 1))
        {
            // An outer product c_i (+)= a_i · b with b contiguous: no clearing pass needed.
            var bv = b[..n];
            for (int i = 0; i < m; i++)
                Rows.Scale(bv, a[transA ? i : i * lda], c.Slice(i * ldc, n), accumulate);
            return;
        }
        if (!accumulate) ClearRows(c, m, n, ldc);
        if (!transB)
        {
            // c_i += a_ip · b_p: rows of B are contiguous.
            for (int i = 0; i < m; i++)
            {
                var ci = c.Slice(i * ldc, n);
                for (int p = 0; p < k; p++)
                    Rows.Scale(b.Slice(p * ldb, n), transA ? a[p * lda + i] : a[i * lda + p], ci, accumulate: true);
            }
        }
        else if (!transA && k < Rows.Short)
        {
            // c_ij += a_i · b_j with short rows: four rows of A at a time, so four sums advance independently.
            for (int j = 0; j < n; j++)
            {
                var bj = b.Slice(j * ldb, k);
                int i = 0;
                for (; i <= m - 4; i += 4)
                {
                    ReadOnlySpan<T> a0 = a.Slice(i * lda, k), a1 = a.Slice((i + 1) * lda, k), a2 = a.Slice((i + 2) * lda, k), a3 = a.Slice((i + 3) * lda, k);
                    T s0 = T.Zero, s1 = T.Zero, s2 = T.Zero, s3 = T.Zero;
                    for (int p = 0; p < bj.Length; p++)
                    {
                        T bp = bj[p];
                        s0 += a0[p] * bp;
                        s1 += a1[p] * bp;
                        s2 += a2[p] * bp;
                        s3 += a3[p] * bp;
                    }
                    c[i * ldc + j] += s0;
                    c[(i + 1) * ldc + j] += s1;
                    c[(i + 2) * ldc + j] += s2;
                    c[(i + 3) * ldc + j] += s3;
                }
                for (; i < m; i++)
                {
                    var ai = a.Slice(i * lda, k);
                    T s = T.Zero;
                    for (int p = 0; p < bj.Length; p++) s += ai[p] * bj[p];
                    c[i * ldc + j] += s;
                }
            }
        }
        else if (!transA)
        {
            // c_ij += a_i · b_j: rows of A and of stored B are contiguous.
            for (int i = 0; i < m; i++)
            {
                var ai = a.Slice(i * lda, k);
                for (int j = 0; j < n; j++) c[i * ldc + j] += TensorPrimitives.Dot(ai, b.Slice(j * ldb, k));
            }
        }
        else if (n == 1 && ldc == 1)
        {
            // A stored k×m times a vector: c += a_p · b_p, rows of stored A contiguous.
            for (int p = 0; p < k; p++) Rows.Scale(a.Slice(p * lda, m), b[p], c[..m], accumulate: true);
        }
        else
        {
            // Both transposed: c_·j += a_p · b_jp, with rows of stored A contiguous along i.
            for (int j = 0; j < n; j++)
                for (int p = 0; p < k; p++)
                {
                    T bjp = b[j * ldb + p];
                    var ap = a.Slice(p * lda, m);
                    for (int i = 0; i < m; i++) c[i * ldc + j] += ap[i] * bjp;
                }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void ClearRows<T>(Span<T> c, int m, int n, int ldc)
    {
        for (int i = 0; i < m; i++) c.Slice(i * ldc, n).Clear();
    }

    static void Validate(bool transA, bool transB, int m, int n, int k, int aLen, int lda, int bLen, int ldb, int cLen, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"Gemm.Multiply: negative size m={m}, n={n}, k={k}.");
        Check("A", transA ? k : m, transA ? m : k, aLen, lda);
        Check("B", transB ? n : k, transB ? k : n, bLen, ldb);
        Check("C", m, n, cLen, ldc);

        static void Check(string name, int rows, int cols, int length, int ld)
        {
            if (ld < cols || ld < 0 || rows > 0 && cols > 0 && (long)(rows - 1) * ld + cols > length)
                throw new ArgumentException(
                    $"Gemm.Multiply: {name} stored as {rows}×{cols} with row stride {ld} does not fit a buffer of {length} elements.");
        }
    }
}
