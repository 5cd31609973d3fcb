using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace DeZero;

/// <summary>
/// The 32-bit Mersenne Twister MT19937 as NumPy's legacy bit generator implements it: the same seeding
/// (<c>init_genrand</c>), twist, tempering, 64-bit draws (high word first) and 53-bit doubles.
/// </summary>
internal sealed class Mt19937
{
    const int N = 624, M = 397;
    const uint MatrixA = 0x9908b0df, UpperMask = 0x80000000, LowerMask = 0x7fffffff;

    readonly uint[] key = new uint[N];
    int pos = N;

    /// <summary>NumPy's <c>mt19937_seed</c> (Matsumoto and Nishimura's <c>init_genrand</c>).</summary>
    public void Seed(uint seed)
    {
        for (int i = 0; i < N; i++)
        {
            key[i] = seed;
            seed = 1812433253u * (seed ^ (seed >> 30)) + (uint)(i + 1);
        }
        pos = N;
    }

    /// <summary>Fills the state from the operating system's entropy; the top bit of the first word guarantees a non-zero state.</summary>
    public void SeedFromEntropy()
    {
        RandomNumberGenerator.Fill(MemoryMarshal.AsBytes(key.AsSpan()));
        key[0] = UpperMask;
        pos = N;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint NextUInt32()
    {
        if (pos >= N) Twist();
        uint y = key[pos++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        return y ^ (y >> 18);
    }

    /// <summary>Two 32-bit draws, the first one as the high word (NumPy's <c>mt19937_next64</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong hi = NextUInt32();
        return hi << 32 | NextUInt32();
    }

    /// <summary>A double in [0, 1) with 53 random bits (<c>genrand_res53</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble()
    {
        uint a = NextUInt32() >> 5, b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    void Twist()
    {
        var k = key;
        int i = 0;
        for (; i < N - M; i++) k[i] = k[i + M] ^ Mix(k[i], k[i + 1]);
        for (; i < N - 1; i++) k[i] = k[i + M - N] ^ Mix(k[i], k[i + 1]);
        k[N - 1] = k[M - 1] ^ Mix(k[N - 1], k[0]);
        pos = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static uint Mix(uint upper, uint lower)
    {
        uint y = (upper & UpperMask) | (lower & LowerMask);
        return (y >> 1) ^ ((0u - (y & 1)) & MatrixA);
    }
}
