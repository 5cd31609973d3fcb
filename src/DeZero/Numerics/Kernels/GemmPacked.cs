using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DeZero.Numerics.Kernels;

/// <summary>
/// The blocked GEMM driver (the BLIS loop nest) for one micro-kernel. C is cut along its longer side into one part
/// per thread, and each part is an independent product: for each NC-column block and KC-deep slice, op(B) is packed
/// into NR-column slivers (or, when small and shared by few rows, read in place), then for each MC-row block op(A)
/// into MR-row slivers (transposes are folded into packing), and the micro-kernel runs over the block with each B
/// sliver held while the A slivers pass. The parts share nothing, so the threads never wait for each other and each
/// packs into its own caches. Every C element is summed by one kernel call per slice in increasing k, so the result
/// does not depend on the thread count.
/// </summary>
internal static unsafe class GemmPacked<T, TKernel> where T : unmanaged, INumber<T> where TKernel : IGemmKernel<T>
{
    // A KC-deep B sliver (NR columns, 32 KB in either float type) stays in the 48 KB L1 cache with the A sliver
    // streaming past it, as BLIS sizes it (480 steps, 60 KB, left the sliver in the L2: the MLP's products at M = 100
    // took 3–6% more CPU time); a block's MC×KC of A (~480 KB) stays in the L2 while the B slivers stream past it; the
    // packed NC×KC of B stays in the L3. NC×KC plus the alignment slack stays within one ArrayPool
    // bucket (2^20 elements).
    const int KC = 256;
    static int MC => 491520 / (KC * sizeof(T)) / TKernel.MR * TKernel.MR;
    const int NC = 2048;
    const int InPlaceSlivers = 10, InPlaceBytes = 1 << 20;
    const int Align = 64;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(bool transA, bool transB, int m, int n, int k, T* a, nint lda, T* b, nint ldb,
        T* c, nint ldc, bool accumulate, int threads)
    {
        var job = new Part
        {
            TransA = transA, TransB = transB, K = k, A = a, Lda = lda, B = b, Ldb = ldb, C = c, Ldc = ldc,
            Accumulate = accumulate,
        };
        bool byRows = m >= n;
        int length = byRows ? m : n, threadCount = Math.Max(threads, 1);
        int size = RoundUp((length + threadCount - 1) / threadCount, byRows ? TKernel.MR : TKernel.NR);
        int parts = (length + size - 1) / size;
        // The calling thread rents every part's packing buffers (enough for the largest part) and returns them, so
        // the pool keeps one set per caller instead of one per pool thread that ever ran a part.
        int kcMax = (k + Slices(k) - 1) / Slices(k);
        int aLen = Math.Min(RoundUp(byRows ? size : m, TKernel.MR), MC) * kcMax + Align / sizeof(T);
        int bLen = Math.Min(RoundUp(byRows ? n : size, TKernel.NR), NC) * kcMax + Align / sizeof(T);
        var buffers = new T[2 * parts][];
        try
        {
            for (int i = 0; i < parts; i++) (buffers[2 * i], buffers[2 * i + 1]) = (ArrayPool<T>.Shared.Rent(aLen), ArrayPool<T>.Shared.Rent(bLen));
            if (parts == 1)
            {
                job.Run(0, m, 0, n, buffers[0], buffers[1]);
                return;
            }
            Workers.Run(parts, p =>
            {
                int from = p * size;
                if (byRows) job.Run(from, Math.Min(m, from + size), 0, n, buffers[2 * p], buffers[2 * p + 1]);
                else job.Run(0, m, from, Math.Min(n, from + size), buffers[2 * p], buffers[2 * p + 1]);
            });
        }
        finally
        {
            foreach (var buffer in buffers)
                if (buffer is not null) ArrayPool<T>.Shared.Return(buffer);
        }
    }

    // KC-deep slices of a k-deep product.
    static int Slices(int k) => (k + KC - 1) / KC;

    static int RoundUp(int x, int step) => (x + step - 1) / step * step;

    static T* AlignUp(T* p) => (T*)(((nint)p + Align - 1) & ~(nint)(Align - 1));

    sealed class Part
    {
        public bool TransA, TransB, Accumulate;
        public int K;
        public T* A, B, C;
        public nint Lda, Ldb, Ldc;

        // C[rows, cols] of the product, packed into the part's own buffers. Compiled optimized at once: the loop
        // nest would otherwise run as tier-0 code through a program's first products.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int row0, int row1, int col0, int col1, T[] aBuf, T[] bBuf)
        {
            int m = row1 - row0, slices = Slices(K);
            // Row blocks of equal height (to a sliver), so the last one still shares each B sliver among many A slivers.
            int blocks = (m + MC - 1) / MC, mc = RoundUp((m + blocks - 1) / blocks, TKernel.MR);
            // A B that fits in half the L2 cache and that only a few A slivers share (up to InPlaceSlivers: the 32 or 64
            // filters of a convolution) is read in place, all but its last, partial sliver: a copy would cost about as
            // much as those few kernel calls. A larger B is packed: read in place it would come from the L3 cache in
            // the kernel's strided loads (an MLP's W at M = 100 ran 12% slower). Neither when B's rows are a multiple
            // of 4 KB apart: a sliver's rows would then share a few cache sets and evict each other.
            bool readInPlace = !TransB && m <= InPlaceSlivers * TKernel.MR && (long)K * (col1 - col0) * sizeof(T) <= InPlaceBytes
                && Ldb * sizeof(T) % 4096 != 0;
            fixed (T* pa = aBuf, pb = bBuf)
            {
                T* packedA = AlignUp(pa), packedB = AlignUp(pb);
                for (int jc = col0; jc < col1; jc += NC)
                {
                    int nb = Math.Min(NC, col1 - jc);
                    for (int s = 0; s < slices; s++)
                    {
                        // Slices of equal depth (to one step), so none is much shorter than the others.
                        int pc = (int)((long)K * s / slices), kc = (int)((long)K * (s + 1) / slices) - pc;
                        T* inPlace = readInPlace ? B + pc * Ldb + jc : null;
                        if (TransB) PackScatter(B + jc * Ldb + pc, Ldb, packedB, TKernel.NR, nb, kc);
                        else if (readInPlace) PackCopy(inPlace + nb / TKernel.NR * TKernel.NR, Ldb, packedB, TKernel.NR, nb % TKernel.NR, kc);
                        else PackCopy(B + pc * Ldb + jc, Ldb, packedB, TKernel.NR, nb, kc);
                        for (int ic = row0; ic < row1; ic += mc)
                        {
                            int mb = Math.Min(mc, row1 - ic);
                            if (TransA) PackCopy(A + pc * Lda + ic, Lda, packedA, TKernel.MR, mb, kc);
                            else PackScatter(A + ic * Lda + pc, Lda, packedA, TKernel.MR, mb, kc);
                            Block(packedA, packedB, inPlace, C + ic * Ldc + jc, mb, nb, kc, Accumulate || s > 0);
                        }
                    }
                }
            }
        }

        // Stored rows p < kc hold `count` consecutive indices of the sliver dimension: each row is cut into w-wide
        // pieces, piece s going to sliver s at step p (zero-padded past count). Pieces move as vectors in place of
        // a call per piece.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        static void PackCopy(T* src, nint ld, T* dst, int w, int count, int kc)
        {
            int full = count / w, rest = count - full * w, v = Vector256<T>.Count, wv = Vector256.IsHardwareAccelerated ? w / v * v : 0;
            nint sliver = (nint)w * kc;
            for (int p = 0; p < kc; p++)
            {
                T* s = src + p * ld;
                T* d = dst + (nint)p * w;
                for (int t = 0; t < full; t++, s += w, d += sliver)
                {
                    int j = 0;
                    for (; j < wv; j += v) Vector256.Store(Vector256.Load(s + j), d + j);
                    for (; j < w; j++) d[j] = s[j];
                }
                if (rest > 0)
                {
                    for (int j = 0; j < rest; j++) d[j] = s[j];
                    for (int j = rest; j < w; j++) d[j] = T.Zero;
                }
            }
        }

        // Stored rows i < count hold kc steps: row i becomes lane i mod w of sliver i / w (lanes past count are
        // zero). Groups of 8 rows × 8 steps (float with AVX) or 4 × 4 go through a register transpose where the
        // hardware has one, rows past count read from a row of zeros. A sliver is filled a group of steps at a time
        // across all its rows, so each stretch of it is written whole while it is in the L1 cache.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        static void PackScatter(T* src, nint ld, T* dst, int w, int count, int kc)
        {
            bool simd = typeof(T) == typeof(float) ? Sse.IsSupported : typeof(T) == typeof(double) && Avx.IsSupported;
            bool wide = typeof(T) == typeof(float) && Avx.IsSupported;
            int steps = wide ? 8 : 4, w8 = wide ? w & ~7 : 0, w4 = simd ? w & ~3 : 0, kcg = w4 > 0 ? kc / steps * steps : 0;
            T* zeros = stackalloc T[kc];
            new Span<T>(zeros, kc).Clear();
            T** rows = stackalloc T*[w];
            for (int sl = 0; sl * w < count; sl++)
            {
                T* d = dst + (nint)sl * w * kc;
                for (int r = 0; r < w; r++) rows[r] = sl * w + r < count ? src + (sl * w + r) * ld : zeros;
                for (int p = 0; p < kcg; p += steps)
                {
                    int r = 0;
                    for (; r < w8; r += 8) Transpose8x8((float**)rows + r, p, (float*)(d + p * w + r), w);
                    for (; r < w4; r += 4)
                        for (int q = p; q < p + steps; q += 4)
                            Transpose4x4(rows[r] + q, rows[r + 1] + q, rows[r + 2] + q, rows[r + 3] + q, d + q * w + r, w);
                    for (; r < w; r++)
                        for (int q = p; q < p + steps; q++) d[q * w + r] = rows[r][q];
                }
                for (int p = kcg; p < kc; p++)
                    for (int r = 0; r < w; r++) d[p * w + r] = rows[r][p];
            }
        }

        // d[q·w + r] = s[r][p + q] for r, q < 8. Each 256-bit register holds 4 steps of row r in its low half and of
        // row r + 4 in its high half (the high half inserted straight from memory), so one 4×4 transpose per half
        // does the whole block: 16 shuffles for 64 values where 4×4 blocks take 24.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static void Transpose8x8(float** s, int p, float* d, nint w)
        {
            for (int h = 0; h < 8; h += 4)
            {
                var a0 = Avx.InsertVector128(Sse.LoadVector128(s[0] + p + h).ToVector256Unsafe(), Sse.LoadVector128(s[4] + p + h), 1);
                var a1 = Avx.InsertVector128(Sse.LoadVector128(s[1] + p + h).ToVector256Unsafe(), Sse.LoadVector128(s[5] + p + h), 1);
                var a2 = Avx.InsertVector128(Sse.LoadVector128(s[2] + p + h).ToVector256Unsafe(), Sse.LoadVector128(s[6] + p + h), 1);
                var a3 = Avx.InsertVector128(Sse.LoadVector128(s[3] + p + h).ToVector256Unsafe(), Sse.LoadVector128(s[7] + p + h), 1);
                var t0 = Avx.UnpackLow(a0, a1);
                var t1 = Avx.UnpackLow(a2, a3);
                var t2 = Avx.UnpackHigh(a0, a1);
                var t3 = Avx.UnpackHigh(a2, a3);
                Avx.Store(d + h * w, Avx.Shuffle(t0, t1, 0x44));
                Avx.Store(d + (h + 1) * w, Avx.Shuffle(t0, t1, 0xEE));
                Avx.Store(d + (h + 2) * w, Avx.Shuffle(t2, t3, 0x44));
                Avx.Store(d + (h + 3) * w, Avx.Shuffle(t2, t3, 0xEE));
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

        // C[mb×nb] (+)= the packed A block · the B panel, one micro-tile at a time. The panel is packed, or read in
        // place from inPlace (B's rows) with only its partial last sliver packed.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Block(T* packedA, T* packedB, T* inPlace, T* c, int mb, int nb, int kc, bool add)
        {
            int mr = TKernel.MR, nr = TKernel.NR;
            T* edge = stackalloc T[mr * nr];
            for (int jr = 0; jr < nb; jr += nr)
            {
                int cols = Math.Min(nr, nb - jr);
                bool read = inPlace != null && cols == nr;
                T* bp = read ? inPlace + jr : inPlace != null ? packedB : packedB + (nint)jr * kc;
                nint ldb = read ? Ldb : nr;
                for (int ir = 0; ir < mb; ir += mr)
                {
                    T* ap = packedA + (nint)ir * kc;
                    T* cp = c + ir * Ldc + jr;
                    int rows = Math.Min(mr, mb - ir);
                    if (cols == nr)
                    {
                        TKernel.Run(kc, ap, bp, ldb, cp, Ldc, add, rows);
                        continue;
                    }
                    // The partial tile through a scratch tile, its columns added with the library's own row loop (a
                    // TensorPrimitives call per row ran as tier-0 code through a program's first products) or copied.
                    TKernel.Run(kc, ap, bp, ldb, edge, nr, false, rows);
                    for (int i = 0; i < rows; i++)
                    {
                        var e = new ReadOnlySpan<T>(edge + i * nr, cols);
                        var d = new Span<T>(cp + i * Ldc, cols);
                        if (add) AddOp<T>.VV(d, e, d);
                        else e.CopyTo(d);
                    }
                }
            }
        }
    }
}
