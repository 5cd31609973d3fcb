using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace DeZero.Numerics.Kernels;

/// <summary>
/// The blocked GEMM driver (the BLIS loop nest) for one micro-kernel: for each NB-column block of C, MB-row block
/// and KC-deep slice of the product, op(A) and op(B) are packed into MR-row and NR-column slivers (transposes are
/// folded into packing), then C tiles of at most MC rows are computed by the micro-kernel, in parallel when asked.
/// Every C element is summed by one kernel call per slice in increasing k, so the result does not depend on the
/// thread count.
/// </summary>
internal static unsafe class GemmPacked<T, TKernel> where T : unmanaged, INumber<T> where TKernel : IGemmKernel<T>
{
    // A KC-deep slice amortises each pass over C; a tile's MC×KC of A (~480 KB) stays in the L2 while B slivers
    // stream past it; the shared packed blocks of A (MB rows) and B (NB columns) stay in the L3.
    const int KC = 512;
    static int MC => 491520 / (KC * sizeof(T)) / TKernel.MR * TKernel.MR;
    static int MB => (3 << 20) / (KC * sizeof(T)) / TKernel.MR * TKernel.MR;
    const int NB = 2048;
    const int Align = 64;

    public static void Run(bool transA, bool transB, int m, int n, int k, T* a, nint lda, T* b, nint ldb,
        T* c, nint ldc, bool accumulate, int threads)
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        int kcMax = Math.Min(k, KC);
        int aLen = Math.Min(RoundUp(m, mr), MB) * kcMax + Align / sizeof(T);
        int bLen = Math.Min(RoundUp(n, nr), NB) * kcMax + Align / sizeof(T);
        var aBuf = ArrayPool<T>.Shared.Rent(aLen);
        var bBuf = ArrayPool<T>.Shared.Rent(bLen);
        try
        {
            fixed (T* pa = aBuf, pb = bBuf)
            {
                var job = new Job
                {
                    TransA = transA, TransB = transB, A = a, Lda = lda, B = b, Ldb = ldb, C = c, Ldc = ldc,
                    PackedA = AlignUp(pa), PackedB = AlignUp(pb), Threads = threads,
                };
                for (int jc = 0; jc < n; jc += NB)
                    for (int ic = 0; ic < m; ic += MB)
                        for (int pc = 0; pc < k; pc += KC)
                            job.Block(ic, jc, pc, Math.Min(MB, m - ic), Math.Min(NB, n - jc), Math.Min(KC, k - pc),
                                accumulate || pc > 0);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(aBuf);
            ArrayPool<T>.Shared.Return(bBuf);
        }
    }

    static int RoundUp(int x, int step) => (x + step - 1) / step * step;

    static T* AlignUp(T* p) => (T*)(((nint)p + Align - 1) & ~(nint)(Align - 1));

    sealed class Job
    {
        public bool TransA, TransB, Add;
        public int Threads;
        public T* A, B, C, PackedA, PackedB;
        public nint Lda, Ldb, Ldc;
        int ic, jc, pc, mb, nb, kc, aSlivers, bSlivers, packChunks, tileRows, tileCols, colTiles, tiles;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Block(int ic, int jc, int pc, int mb, int nb, int kc, bool add)
        {
            int mr = TKernel.MR, nr = TKernel.NR;
            (this.ic, this.jc, this.pc, this.mb, this.nb, this.kc, Add) = (ic, jc, pc, mb, nb, kc, add);
            aSlivers = (mb + mr - 1) / mr;
            bSlivers = (nb + nr - 1) / nr;
            int rowTiles = (mb + MC - 1) / MC;
            colTiles = Threads > 1 ? Math.Clamp((4 * Threads + rowTiles - 1) / rowTiles, 1, bSlivers) : 1;
            tileRows = RoundUp((mb + rowTiles - 1) / rowTiles, mr);
            tileCols = RoundUp((nb + colTiles - 1) / colTiles, nr);
            rowTiles = (mb + tileRows - 1) / tileRows;
            colTiles = (nb + tileCols - 1) / tileCols;
            tiles = rowTiles * colTiles;
            packChunks = Threads;
            ForEach(2 * packChunks, Pack);
            ForEach(tiles, Tile);
        }

        // Runs body(0 … count-1) on up to Threads threads, each taking the next index as it finishes one.
        void ForEach(int count, Action<int> body)
        {
            if (Threads == 1 || count == 1)
            {
                for (int i = 0; i < count; i++) body(i);
                return;
            }
            int next = -1;
            Parallel.For(0, Math.Min(Threads, count), new ParallelOptions { MaxDegreeOfParallelism = Threads }, _ =>
            {
                for (int i; (i = Interlocked.Increment(ref next)) < count;) body(i);
            });
        }

        // Items [0, packChunks) pack parts of op(A), the rest parts of op(B). Stored rows are always read contiguously.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Pack(int item)
        {
            bool isA = item < packChunks;
            int chunk = isA ? item : item - packChunks;
            if (isA)
            {
                if (TransA) PackCopy(A + pc * Lda + ic, Lda, PackedA, TKernel.MR, mb, Range(kc, chunk));
                else PackScatter(A + ic * Lda + pc, Lda, PackedA, TKernel.MR, mb, Range(aSlivers, chunk));
            }
            else
            {
                if (TransB) PackScatter(B + jc * Ldb + pc, Ldb, PackedB, TKernel.NR, nb, Range(bSlivers, chunk));
                else PackCopy(B + pc * Ldb + jc, Ldb, PackedB, TKernel.NR, nb, Range(kc, chunk));
            }
        }

        (int From, int To) Range(int count, int chunk) =>
            ((int)((long)count * chunk / packChunks), (int)((long)count * (chunk + 1) / packChunks));

        // Stored rows p in [from, to) hold `count` consecutive indices of the sliver dimension: each row is cut
        // into w-wide pieces, piece s going to sliver s at step p (zero-padded past count).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void PackCopy(T* src, nint ld, T* dst, int w, int count, (int From, int To) rows)
        {
            int full = count / w, rest = count - full * w;
            nint sliver = (nint)w * kc;
            for (int p = rows.From; p < rows.To; p++)
            {
                T* s = src + p * ld;
                T* d = dst + (nint)p * w;
                for (int t = 0; t < full; t++, s += w, d += sliver)
                    Unsafe.CopyBlockUnaligned(d, s, (uint)(w * sizeof(T)));
                if (rest > 0)
                {
                    for (int j = 0; j < rest; j++) d[j] = s[j];
                    for (int j = rest; j < w; j++) d[j] = T.Zero;
                }
            }
        }

        // Stored rows i (slivers [from, to) of w rows each, `count` rows in all) hold kc steps: row i becomes
        // lane i mod w of sliver i / w (lanes past count are zero). Groups of 4 rows × 4 steps go through a
        // register transpose where the hardware has one, rows past count read from a row of zeros.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void PackScatter(T* src, nint ld, T* dst, int w, int count, (int From, int To) slivers)
        {
            bool simd = typeof(T) == typeof(float) ? Sse.IsSupported : typeof(T) == typeof(double) && Avx.IsSupported;
            int kc4 = simd ? kc & ~3 : 0;
            T* zeros = stackalloc T[kc];
            new Span<T>(zeros, kc).Clear();
            T** rowPtr = stackalloc T*[4];
            for (int sl = slivers.From; sl < slivers.To; sl++)
            {
                T* d0 = dst + (nint)sl * w * kc;
                for (int r = 0; r < w; r += 4)
                {
                    int i = sl * w + r;
                    T* s = src + i * ld;
                    T* d = d0 + r;
                    int g = Math.Min(4, w - r);
                    if (g == 4)
                    {
                        for (int q = 0; q < 4; q++) rowPtr[q] = i + q < count ? s + q * ld : zeros;
                        if (Sse.IsSupported && i + 8 <= count)
                            for (int p = 0; p < kc; p += 64 / sizeof(T))
                                for (int q = 4; q < 8; q++) Sse.Prefetch0(s + q * ld + p);
                        for (int p = 0; p < kc4; p += 4) Transpose4x4(rowPtr[0] + p, rowPtr[1] + p, rowPtr[2] + p, rowPtr[3] + p, d + p * w, w);
                        for (int q = 0; q < 4; q++)
                            for (int p = kc4; p < kc; p++) d[p * w + q] = rowPtr[q][p];
                    }
                    else
                    {
                        for (int q = 0; q < g; q++)
                            for (int p = 0; p < kc; p++) d[p * w + q] = i + q < count ? s[q * ld + p] : T.Zero;
                    }
                }
            }
        }

        // d[q·w + r] = s_r[q] for r, q < 4.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static void Transpose4x4(T* s0, T* s1, T* s2, T* s3, T* d, nint w)
        {
            if (typeof(T) == typeof(float))
            {
                float* o = (float*)d;
                var r0 = Sse.LoadVector128((float*)s0);
                var r1 = Sse.LoadVector128((float*)s1);
                var r2 = Sse.LoadVector128((float*)s2);
                var r3 = Sse.LoadVector128((float*)s3);
                var t0 = Sse.UnpackLow(r0, r1);
                var t1 = Sse.UnpackLow(r2, r3);
                var t2 = Sse.UnpackHigh(r0, r1);
                var t3 = Sse.UnpackHigh(r2, r3);
                Sse.Store(o, Sse.MoveLowToHigh(t0, t1));
                Sse.Store(o + w, Sse.MoveHighToLow(t1, t0));
                Sse.Store(o + 2 * w, Sse.MoveLowToHigh(t2, t3));
                Sse.Store(o + 3 * w, Sse.MoveHighToLow(t3, t2));
            }
            else
            {
                double* o = (double*)d;
                var r0 = Avx.LoadVector256((double*)s0);
                var r1 = Avx.LoadVector256((double*)s1);
                var r2 = Avx.LoadVector256((double*)s2);
                var r3 = Avx.LoadVector256((double*)s3);
                var t0 = Avx.UnpackLow(r0, r1);
                var t1 = Avx.UnpackHigh(r0, r1);
                var t2 = Avx.UnpackLow(r2, r3);
                var t3 = Avx.UnpackHigh(r2, r3);
                Avx.Store(o, Avx.Permute2x128(t0, t2, 0x20));
                Avx.Store(o + w, Avx.Permute2x128(t1, t3, 0x20));
                Avx.Store(o + 2 * w, Avx.Permute2x128(t0, t2, 0x31));
                Avx.Store(o + 3 * w, Avx.Permute2x128(t1, t3, 0x31));
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Tile(int t)
        {
            int mr = TKernel.MR, nr = TKernel.NR;
            int r0 = t / colTiles * tileRows, c0 = t % colTiles * tileCols;
            int r1 = Math.Min(mb, r0 + tileRows), c1 = Math.Min(nb, c0 + tileCols);
            T* edge = stackalloc T[mr * nr];
            for (int jr = c0; jr < c1; jr += nr)
            {
                T* bp = PackedB + (nint)jr * kc;
                int cols = Math.Min(nr, nb - jr);
                for (int ir = r0; ir < r1; ir += mr)
                {
                    T* ap = PackedA + (nint)ir * kc;
                    T* cp = C + (ic + ir) * Ldc + jc + jr;
                    int rows = Math.Min(mr, mb - ir);
                    if (cols == nr)
                    {
                        TKernel.Run(kc, ap, bp, cp, Ldc, Add, rows);
                        continue;
                    }
                    TKernel.Run(kc, ap, bp, edge, nr, false, rows);
                    for (int i = 0; i < rows; i++)
                    {
                        var e = new ReadOnlySpan<T>(edge + i * nr, cols);
                        var d = new Span<T>(cp + i * Ldc, cols);
                        if (Add) TensorPrimitives.Add(d, e, d);
                        else e.CopyTo(d);
                    }
                }
            }
        }
    }
}
