using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
    // Bytes of B up to which a row times B is computed a block of columns at a time (half a small L2).
    const long CachedB = 1L << 18;

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
        if (2 * n <= TKernel.NR && m > n)
        {
            MultiplyTransposed<T, TKernel>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, threads);
            return;
        }
        fixed (T* pa = a, pb = b, pc = c)
            GemmPacked<T, TKernel>.Run(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, threads);
    }

    // A product with few columns (an MLP's last layer, n = 10) would fill under half of each micro-tile's NR columns;
    // its transpose Cᵀ = op(B)ᵀ·op(A)ᵀ has them as rows instead (MR of them per tile). It is computed into a scratch
    // matrix and added back transposed.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void MultiplyTransposed<T, TKernel>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate, int threads)
        where T : unmanaged, INumber<T> where TKernel : IGemmKernel<T>
    {
        var t = ArrayPool<T>.Shared.Rent(n * m);
        try
        {
            fixed (T* pa = a, pb = b, pt = t)
                GemmPacked<T, TKernel>.Run(!transB, !transA, n, m, k, pb, ldb, pa, lda, pt, m, false, threads);
            for (int i = 0; i < m; i++)
            {
                var ci = c.Slice(i * ldc, n);
                for (int j = 0; j < n; j++) ci[j] = accumulate ? ci[j] + t[j * m + i] : t[j * m + i];
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(t);
        }
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
            if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && n >= Vector<T>.Count && n <= 4 * Vector<T>.Count)
                ShortOuter(a, transA ? 1 : lda, bv, c, ldc, m, accumulate);
            else
                for (int i = 0; i < m; i++)
                    Rows.Scale(bv, a[transA ? i : i * lda], c.Slice(i * ldc, n), accumulate);
            return;
        }
        if (!accumulate) ClearRows(c, m, n, ldc);
        if (!transB)
        {
            // c_i += a_ip · b_p: rows of B are contiguous. A B that stays in cache is read a block of columns at a time
            // with c's block in registers; a larger one streams row by row (strided blocks would outrun the prefetcher).
            bool cached = (long)k * n * Unsafe.SizeOf<T>() <= CachedB;
            for (int i = 0; i < m; i++)
            {
                var ci = c.Slice(i * ldc, n);
                if (cached) RowTimesMatrix(a, transA ? i : i * lda, transA ? lda : 1, b, ldb, ci, k);
                else
                    for (int p = 0; p < k; p++)
                        Rows.Scale(b.Slice(p * ldb, n), transA ? a[p * lda + i] : a[i * lda + p], ci, accumulate: true);
            }
        }
        else if (!transA && k < Rows.Short)
        {
            // c_ij += a_i · b_j with short rows: eight rows of A at a time, so eight sums advance independently.
            for (int j = 0; j < n; j++)
            {
                var bj = b.Slice(j * ldb, k);
                int i = 0;
                for (; i <= m - 8; i += 8)
                {
                    // Unchecked reads: the slice holds the eight rows.
                    ref T ai = ref MemoryMarshal.GetReference(a.Slice(i * lda, 7 * lda + k));
                    T s0 = T.Zero, s1 = T.Zero, s2 = T.Zero, s3 = T.Zero, s4 = T.Zero, s5 = T.Zero, s6 = T.Zero, s7 = T.Zero;
                    for (int p = 0; p < bj.Length; p++)
                    {
                        T bp = bj[p];
                        ref T ap = ref Unsafe.Add(ref ai, p);
                        s0 += ap * bp;
                        s1 += Unsafe.Add(ref ap, lda) * bp;
                        s2 += Unsafe.Add(ref ap, 2 * lda) * bp;
                        s3 += Unsafe.Add(ref ap, 3 * lda) * bp;
                        s4 += Unsafe.Add(ref ap, 4 * lda) * bp;
                        s5 += Unsafe.Add(ref ap, 5 * lda) * bp;
                        s6 += Unsafe.Add(ref ap, 6 * lda) * bp;
                        s7 += Unsafe.Add(ref ap, 7 * lda) * bp;
                    }
                    ref T c0 = ref c[i * ldc + j];
                    c0 += s0;
                    Unsafe.Add(ref c0, ldc) += s1;
                    Unsafe.Add(ref c0, 2 * ldc) += s2;
                    Unsafe.Add(ref c0, 3 * ldc) += s3;
                    Unsafe.Add(ref c0, 4 * ldc) += s4;
                    Unsafe.Add(ref c0, 5 * ldc) += s5;
                    Unsafe.Add(ref c0, 6 * ldc) += s6;
                    Unsafe.Add(ref c0, 7 * ldc) += s7;
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
                RowDotRows(a.Slice(i * lda, k), b, ldb, c.Slice(i * ldc, n));
        }
        else if (n == 1 && ldc == 1)
        {
            // A stored k×m times a vector: c += b_p · a_p, rows of stored A contiguous; c stays in registers over all
            // of k while stored A is cached.
            if ((long)k * m * Unsafe.SizeOf<T>() <= CachedB) RowTimesMatrix(b, 0, 1, a, lda, c[..m], k);
            else
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

    // c_i (+)= a_i·b (a_i at a[i·aStep]) for a b of one to four vectors: b's vectors stay in registers over all rows, at
    // offsets min(q·w, n − w), so the last ones overlap; each row of c is read before it is written, so an element two
    // vectors cover gets the same value twice. Multiply then add, as Rows.Scale does, so results are the same.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void ShortOuter<T>(ReadOnlySpan<T> a, int aStep, ReadOnlySpan<T> b, Span<T> c, int ldc, int m, bool accumulate)
        where T : unmanaged, INumber<T>
    {
        // Unchecked loads and stores: Validate has checked that A and C hold the product's elements.
        ref T ar = ref MemoryMarshal.GetReference(a), br = ref MemoryMarshal.GetReference(b), cr = ref MemoryMarshal.GetReference(c);
        int n = b.Length, w = Vector<T>.Count;
        nuint o1 = (nuint)Math.Min(w, n - w), o2 = (nuint)Math.Min(2 * w, n - w), o3 = (nuint)(n - w);
        Vector<T> b0 = Vector.LoadUnsafe(ref br), b1 = Vector.LoadUnsafe(ref br, o1), b2 = Vector.LoadUnsafe(ref br, o2), b3 = Vector.LoadUnsafe(ref br, o3);
        for (int i = 0; i < m; i++)
        {
            var s = new Vector<T>(Unsafe.Add(ref ar, i * aStep));
            ref T ci = ref Unsafe.Add(ref cr, i * ldc);
            Vector<T> c0 = b0 * s, c1 = b1 * s, c2 = b2 * s, c3 = b3 * s;
            if (accumulate)
            {
                c0 += Vector.LoadUnsafe(ref ci);
                c1 += Vector.LoadUnsafe(ref ci, o1);
                c2 += Vector.LoadUnsafe(ref ci, o2);
                c3 += Vector.LoadUnsafe(ref ci, o3);
            }
            c0.StoreUnsafe(ref ci);
            c1.StoreUnsafe(ref ci, o1);
            c2.StoreUnsafe(ref ci, o2);
            c3.StoreUnsafe(ref ci, o3);
        }
    }

    // c += a·B for the row a (element p at a[a0 + p·aStep]) and k rows of B: blocks of columns of c stay in registers
    // over all of k, where a row kernel per element of a would load and store c k times (an LSTM step at batch 1 is
    // eight such products). Multiply then add per element in the order of p, as Rows.Scale does, so results are the same.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void RowTimesMatrix<T>(ReadOnlySpan<T> a, int a0, int aStep, ReadOnlySpan<T> b, int ldb, Span<T> c, int k)
        where T : unmanaged, INumber<T>
    {
        // Unchecked loads and stores: Validate has checked that A, B and C hold the product's elements.
        ref T ar = ref MemoryMarshal.GetReference(a), br = ref MemoryMarshal.GetReference(b), cr = ref MemoryMarshal.GetReference(c);
        int n = c.Length, j = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            int w = Vector<T>.Count;
            if (n >= w && n <= 4 * w)
            {
                // A short row of c as four vectors, the last ones overlapping (each read before any is written).
                FourColumns(ref ar, a0, aStep, ref br, ldb, ref cr, 0, (nuint)Math.Min(w, n - w), (nuint)Math.Min(2 * w, n - w), (nuint)(n - w), k);
                return;
            }
            var tail = n % w != 0 && n >= w ? Columns(ref ar, a0, aStep, ref br, ldb, ref cr, n - w, k) : default;
            for (; j <= n - 4 * w; j += 4 * w)
                FourColumns(ref ar, a0, aStep, ref br, ldb, ref cr, j, (nuint)w, (nuint)(2 * w), (nuint)(3 * w), k);
            for (; j <= n - w; j += w) Columns(ref ar, a0, aStep, ref br, ldb, ref cr, j, k).StoreUnsafe(ref cr, (nuint)j);
            // The last columns as a vector ending at n, overlapping the one before, summed from c as it was.
            if (j < n && n >= w)
            {
                tail.StoreUnsafe(ref cr, (nuint)(n - w));
                return;
            }
        }
        for (; j < n; j++)
        {
            T s = Unsafe.Add(ref cr, j);
            for (int p = 0; p < k; p++) s += Unsafe.Add(ref ar, a0 + p * aStep) * Unsafe.Add(ref br, p * ldb + j);
            Unsafe.Add(ref cr, j) = s;
        }
    }

    // c[j + o…] += a·B[·, j + o…] for four vectors of columns at offsets 0, o1, o2 and o3 from j, in registers over all of k.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void FourColumns<T>(ref T ar, int a0, int aStep, ref T br, int ldb, ref T cr, int j, nuint o1, nuint o2, nuint o3, int k)
        where T : unmanaged, INumber<T>
    {
        ref T cj = ref Unsafe.Add(ref cr, j);
        Vector<T> c0 = Vector.LoadUnsafe(ref cj), c1 = Vector.LoadUnsafe(ref cj, o1), c2 = Vector.LoadUnsafe(ref cj, o2), c3 = Vector.LoadUnsafe(ref cj, o3);
        for (int p = 0; p < k; p++)
        {
            var s = new Vector<T>(Unsafe.Add(ref ar, a0 + p * aStep));
            ref T bp = ref Unsafe.Add(ref br, p * ldb + j);
            c0 += Vector.LoadUnsafe(ref bp) * s;
            c1 += Vector.LoadUnsafe(ref bp, o1) * s;
            c2 += Vector.LoadUnsafe(ref bp, o2) * s;
            c3 += Vector.LoadUnsafe(ref bp, o3) * s;
        }
        c0.StoreUnsafe(ref cj);
        c1.StoreUnsafe(ref cj, o1);
        c2.StoreUnsafe(ref cj, o2);
        c3.StoreUnsafe(ref cj, o3);
    }

    // c[j…] + a·B[·, j…] for one vector of columns.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector<T> Columns<T>(ref T ar, int a0, int aStep, ref T br, int ldb, ref T cr, int j, int k) where T : unmanaged, INumber<T>
    {
        var cv = Vector.LoadUnsafe(ref cr, (nuint)j);
        for (int p = 0; p < k; p++)
            cv += Vector.LoadUnsafe(ref br, (nuint)(p * ldb + j)) * new Vector<T>(Unsafe.Add(ref ar, a0 + p * aStep));
        return cv;
    }

    // c_j += a · b_j for the rows b_j of stored B (the LSTM's gy·Wᵀ at batch 1), four rows at a time so four sums
    // advance together. The library's own loop: TensorPrimitives.Dot per row runs as tier-0 code in its first calls.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void RowDotRows<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, int ldb, Span<T> c)
        where T : unmanaged, INumber<T>
    {
        // Unchecked loads: Validate has checked that B holds c.Length rows of a.Length elements.
        ref T ar = ref MemoryMarshal.GetReference(a), br = ref MemoryMarshal.GetReference(b);
        int k = a.Length, n = c.Length, j = 0;
        bool vector = Vector.IsHardwareAccelerated && Vector<T>.IsSupported;
        for (; j <= n - 4; j += 4)
        {
            ref T b0 = ref Unsafe.Add(ref br, j * ldb);
            ref T b1 = ref Unsafe.Add(ref b0, ldb);
            ref T b2 = ref Unsafe.Add(ref b1, ldb);
            ref T b3 = ref Unsafe.Add(ref b2, ldb);
            T s0 = T.Zero, s1 = T.Zero, s2 = T.Zero, s3 = T.Zero;
            int p = 0;
            if (vector)
            {
                Vector<T> v0 = Vector<T>.Zero, v1 = Vector<T>.Zero, v2 = Vector<T>.Zero, v3 = Vector<T>.Zero;
                for (; p <= k - Vector<T>.Count; p += Vector<T>.Count)
                {
                    var x = Vector.LoadUnsafe(ref ar, (nuint)p);
                    v0 += x * Vector.LoadUnsafe(ref b0, (nuint)p);
                    v1 += x * Vector.LoadUnsafe(ref b1, (nuint)p);
                    v2 += x * Vector.LoadUnsafe(ref b2, (nuint)p);
                    v3 += x * Vector.LoadUnsafe(ref b3, (nuint)p);
                }
                (s0, s1, s2, s3) = (Vector.Sum(v0), Vector.Sum(v1), Vector.Sum(v2), Vector.Sum(v3));
            }
            for (; p < k; p++)
            {
                T x = Unsafe.Add(ref ar, p);
                s0 += x * Unsafe.Add(ref b0, p);
                s1 += x * Unsafe.Add(ref b1, p);
                s2 += x * Unsafe.Add(ref b2, p);
                s3 += x * Unsafe.Add(ref b3, p);
            }
            c[j] += s0;
            c[j + 1] += s1;
            c[j + 2] += s2;
            c[j + 3] += s3;
        }
        for (; j < n; j++)
        {
            ref T bj = ref Unsafe.Add(ref br, j * ldb);
            T s = T.Zero;
            int p = 0;
            if (vector)
            {
                var v = Vector<T>.Zero;
                for (; p <= k - Vector<T>.Count; p += Vector<T>.Count)
                    v += Vector.LoadUnsafe(ref ar, (nuint)p) * Vector.LoadUnsafe(ref bj, (nuint)p);
                s = Vector.Sum(v);
            }
            for (; p < k; p++) s += Unsafe.Add(ref ar, p) * Unsafe.Add(ref bj, p);
            c[j] += s;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void ClearRows<T>(Span<T> c, int m, int n, int ldc)
    {
        for (int i = 0; i < m; i++) c.Slice(i * ldc, n).Clear();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Validate(bool transA, bool transB, int m, int n, int k, int aLen, int lda, int bLen, int ldb, int cLen, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"Gemm.Multiply: negative size m={m}, n={n}, k={k}.");
        Check("A", transA ? k : m, transA ? m : k, aLen, lda);
        Check("B", transB ? n : k, transB ? k : n, bLen, ldb);
        Check("C", m, n, cLen, ldc);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static void Check(string name, int rows, int cols, int length, int ld)
        {
            if (ld < cols || ld < 0 || rows > 0 && cols > 0 && (long)(rows - 1) * ld + cols > length)
                throw new ArgumentException(
                    $"Gemm.Multiply: {name} stored as {rows}×{cols} with row stride {ld} does not fit a buffer of {length} elements.");
        }
    }
}
