using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DeZero.Numerics.Kernels;

/// <summary>
/// A GEMM micro-kernel: C[MR×NR] (+)= Apanel·Bpanel over kc steps, where the A sliver holds MR values per
/// step (packed contiguously) and the B sliver NR contiguous values per step, step p at b + p·ldb (ldb = NR when
/// packed, B's row stride when read in place), and C is row-major with stride ldc.
/// Only the first <c>rows</c> rows of C are stored (the rest of a sliver at the edge of A is padding).
/// </summary>
internal unsafe interface IGemmKernel<T> where T : unmanaged
{
    static abstract int MR { get; }
    static abstract int NR { get; }
    static abstract bool IsSupported { get; }
    static abstract void Run(nint kc, T* a, T* b, nint ldb, T* c, nint ldc, bool add, int rows);
}

/// <summary>AVX-512 kernel: 12 rows × 2 vectors of 512 bits, 24 accumulators in the 32 zmm registers.</summary>
internal unsafe struct GemmKernel512<T> : IGemmKernel<T> where T : unmanaged, INumber<T>
{
    public static int MR => 12;
    public static int NR => 2 * Vector512<T>.Count;
    public static bool IsSupported => Vector512.IsHardwareAccelerated && (typeof(T) == typeof(float) || typeof(T) == typeof(double));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<T> Fma(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }

    // A sliver of at most 4 or 8 rows (the edge of A, as in 100 = 8·12 + 4) runs a kernel of that height, which does
    // a third or two thirds of the full one's work: the padding rows of the sliver are never multiplied.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(nint kc, T* a, T* b, nint ldb, T* c, nint ldc, bool add, int rows)
    {
        if (rows > 8) Run<Rows12>(kc, a, b, ldb, c, ldc, add, rows);
        else if (rows > 4) Run<Rows8>(kc, a, b, ldb, c, ldc, add, rows);
        else Run<Rows4>(kc, a, b, ldb, c, ldc, add, rows);
    }

    // The kernel for the first TRows.Count rows of a 12-row sliver: each instantiation is compiled with the rows past
    // the count (their loads, multiply-adds and stores) removed.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Run<TRows>(nint kc, T* a, T* b, nint ldb, T* c, nint ldc, bool add, int rows) where TRows : IRowCount
    {
        nint w = Vector512<T>.Count;
        // C is read or written only after the loop: start fetching its rows now.
        for (nint i = 0; i < rows; i++)
        {
            Sse.Prefetch0(c + i * ldc);
            Sse.Prefetch0(c + i * ldc + 2 * w - 1);
        }
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default,
            c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default,
            c90 = default, c91 = default, cA0 = default, cA1 = default, cB0 = default, cB1 = default;
        for (nint p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + w);
            var x = Vector512.Create(a[0]); c00 = Fma(x, b0, c00); c01 = Fma(x, b1, c01);
            x = Vector512.Create(a[1]); c10 = Fma(x, b0, c10); c11 = Fma(x, b1, c11);
            x = Vector512.Create(a[2]); c20 = Fma(x, b0, c20); c21 = Fma(x, b1, c21);
            x = Vector512.Create(a[3]); c30 = Fma(x, b0, c30); c31 = Fma(x, b1, c31);
            if (TRows.Count > 4)
            {
                x = Vector512.Create(a[4]); c40 = Fma(x, b0, c40); c41 = Fma(x, b1, c41);
                x = Vector512.Create(a[5]); c50 = Fma(x, b0, c50); c51 = Fma(x, b1, c51);
                x = Vector512.Create(a[6]); c60 = Fma(x, b0, c60); c61 = Fma(x, b1, c61);
                x = Vector512.Create(a[7]); c70 = Fma(x, b0, c70); c71 = Fma(x, b1, c71);
            }
            if (TRows.Count > 8)
            {
                x = Vector512.Create(a[8]); c80 = Fma(x, b0, c80); c81 = Fma(x, b1, c81);
                x = Vector512.Create(a[9]); c90 = Fma(x, b0, c90); c91 = Fma(x, b1, c91);
                x = Vector512.Create(a[10]); cA0 = Fma(x, b0, cA0); cA1 = Fma(x, b1, cA1);
                x = Vector512.Create(a[11]); cB0 = Fma(x, b0, cB0); cB1 = Fma(x, b1, cB1);
            }
            a += 12;
            b += ldb;
        }
        Store(c, w, c00, c01, add); if (rows == 1) return; c += ldc;
        Store(c, w, c10, c11, add); if (rows == 2) return; c += ldc;
        Store(c, w, c20, c21, add); if (rows == 3) return; c += ldc;
        Store(c, w, c30, c31, add); if (TRows.Count == 4 || rows == 4) return; c += ldc;
        Store(c, w, c40, c41, add); if (rows == 5) return; c += ldc;
        Store(c, w, c50, c51, add); if (rows == 6) return; c += ldc;
        Store(c, w, c60, c61, add); if (rows == 7) return; c += ldc;
        Store(c, w, c70, c71, add); if (TRows.Count == 8 || rows == 8) return; c += ldc;
        Store(c, w, c80, c81, add); if (rows == 9) return; c += ldc;
        Store(c, w, c90, c91, add); if (rows == 10) return; c += ldc;
        Store(c, w, cA0, cA1, add); if (rows == 11) return; c += ldc;
        Store(c, w, cB0, cB1, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store(T* c, nint w, Vector512<T> v0, Vector512<T> v1, bool add)
    {
        if (add)
        {
            v0 += Vector512.Load(c);
            v1 += Vector512.Load(c + w);
        }
        v0.Store(c);
        v1.Store(c + w);
    }
}

/// <summary>A number of rows known when a kernel is compiled.</summary>
internal interface IRowCount
{
    static abstract int Count { get; }
}

internal struct Rows4 : IRowCount
{
    public static int Count => 4;
}

internal struct Rows8 : IRowCount
{
    public static int Count => 8;
}

internal struct Rows12 : IRowCount
{
    public static int Count => 12;
}

/// <summary>AVX2 + FMA kernel: 6 rows × 2 vectors of 256 bits, 12 accumulators in the 16 ymm registers.</summary>
internal unsafe struct GemmKernel256<T> : IGemmKernel<T> where T : unmanaged, INumber<T>
{
    public static int MR => 6;
    public static int NR => 2 * Vector256<T>.Count;
    public static bool IsSupported => Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported
        && (typeof(T) == typeof(float) || typeof(T) == typeof(double));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<T> Fma(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (typeof(T) == typeof(float))
            return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(nint kc, T* a, T* b, nint ldb, T* c, nint ldc, bool add, int rows)
    {
        nint w = Vector256<T>.Count;
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        if (add)
            for (nint i = 0; i < 6; i++)
            {
                Sse.Prefetch0(c + i * ldc);
                Sse.Prefetch0(c + i * ldc + 2 * w - 1);
            }
        for (nint p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + w);
            var x = Vector256.Create(a[0]); c00 = Fma(x, b0, c00); c01 = Fma(x, b1, c01);
            x = Vector256.Create(a[1]); c10 = Fma(x, b0, c10); c11 = Fma(x, b1, c11);
            x = Vector256.Create(a[2]); c20 = Fma(x, b0, c20); c21 = Fma(x, b1, c21);
            x = Vector256.Create(a[3]); c30 = Fma(x, b0, c30); c31 = Fma(x, b1, c31);
            x = Vector256.Create(a[4]); c40 = Fma(x, b0, c40); c41 = Fma(x, b1, c41);
            x = Vector256.Create(a[5]); c50 = Fma(x, b0, c50); c51 = Fma(x, b1, c51);
            a += 6;
            b += ldb;
        }
        Store(c, w, c00, c01, add); if (rows == 1) return; c += ldc;
        Store(c, w, c10, c11, add); if (rows == 2) return; c += ldc;
        Store(c, w, c20, c21, add); if (rows == 3) return; c += ldc;
        Store(c, w, c30, c31, add); if (rows == 4) return; c += ldc;
        Store(c, w, c40, c41, add); if (rows == 5) return; c += ldc;
        Store(c, w, c50, c51, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store(T* c, nint w, Vector256<T> v0, Vector256<T> v1, bool add)
    {
        if (add)
        {
            v0 += Vector256.Load(c);
            v1 += Vector256.Load(c + w);
        }
        v0.Store(c);
        v1.Store(c + w);
    }
}

/// <summary>Portable kernel on <see cref="Vector{T}"/>: 4 rows × 2 vectors, fused where the hardware can.</summary>
internal unsafe struct GemmKernelVector<T> : IGemmKernel<T> where T : unmanaged, INumber<T>
{
    public static int MR => 4;
    public static int NR => 2 * Vector<T>.Count;
    public static bool IsSupported => typeof(T) == typeof(float) || typeof(T) == typeof(double);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector<T> Fma(Vector<T> a, Vector<T> b, Vector<T> c)
    {
        if (typeof(T) == typeof(float))
            return Vector.As<float, T>(Vector.MultiplyAddEstimate(Vector.AsVectorSingle(a), Vector.AsVectorSingle(b), Vector.AsVectorSingle(c)));
        return Vector.As<double, T>(Vector.MultiplyAddEstimate(Vector.AsVectorDouble(a), Vector.AsVectorDouble(b), Vector.AsVectorDouble(c)));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(nint kc, T* a, T* b, nint ldb, T* c, nint ldc, bool add, int rows)
    {
        nint w = Vector<T>.Count;
        Vector<T> c00 = default, c01 = default, c10 = default, c11 = default,
            c20 = default, c21 = default, c30 = default, c31 = default;
        for (nint p = 0; p < kc; p++)
        {
            var b0 = Vector.Load(b);
            var b1 = Vector.Load(b + w);
            var x = new Vector<T>(a[0]); c00 = Fma(x, b0, c00); c01 = Fma(x, b1, c01);
            x = new Vector<T>(a[1]); c10 = Fma(x, b0, c10); c11 = Fma(x, b1, c11);
            x = new Vector<T>(a[2]); c20 = Fma(x, b0, c20); c21 = Fma(x, b1, c21);
            x = new Vector<T>(a[3]); c30 = Fma(x, b0, c30); c31 = Fma(x, b1, c31);
            a += 4;
            b += ldb;
        }
        Store(c, w, c00, c01, add); if (rows == 1) return; c += ldc;
        Store(c, w, c10, c11, add); if (rows == 2) return; c += ldc;
        Store(c, w, c20, c21, add); if (rows == 3) return; c += ldc;
        Store(c, w, c30, c31, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store(T* c, nint w, Vector<T> v0, Vector<T> v1, bool add)
    {
        if (add)
        {
            v0 += Vector.Load(c);
            v1 += Vector.Load(c + w);
        }
        v0.Store(c);
        v1.Store(c + w);
    }
}
