using System.Numerics;
using System.Numerics.Tensors;

namespace DeZero;

/// <summary>
/// Row-major general matrix product C = op(A)·op(B) (+ C when accumulating), where op(X) is X or its
/// transpose read in place (never materialised). A is m×k (stored k×m when transposed), B is k×n (stored n×k
/// when transposed), C is m×n; lda, ldb and ldc are the row strides of the stored matrices.
/// </summary>
internal static class Gemm
{
    public static void Multiply<T>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate = false)
        where T : unmanaged, INumber<T>
    {
        if (m == 0 || n == 0) return;
        if (!accumulate)
            for (int i = 0; i < m; i++) c.Slice(i * ldc, n).Clear();
        if (k == 0) return;
        T[]? bt = null;
        if (transB)
        {
            // Row access to B is what the kernel needs; this first version copies the transposed B once.
            bt = new T[k * n];
            for (int p = 0; p < k; p++)
                for (int j = 0; j < n; j++) bt[p * n + j] = b[j * ldb + p];
            b = bt;
            ldb = n;
        }
        for (int i = 0; i < m; i++)
        {
            var ci = c.Slice(i * ldc, n);
            for (int p = 0; p < k; p++)
            {
                T aip = transA ? a[p * lda + i] : a[i * lda + p];
                if (aip == T.Zero) continue;
                TensorPrimitives.MultiplyAdd(b.Slice(p * ldb, n), aip, ci, ci);
            }
        }
    }
}
