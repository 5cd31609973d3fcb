using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using DeZero.Data;
using DeZero.IO;
using Xunit.Abstractions;

namespace DeZero.Tests.IO;

/// <summary>Tests that change <see cref="ReadLimits.MaxArrayBytes"/> run one at a time (it is process-wide).</summary>
[CollectionDefinition("ReadLimits", DisableParallelization = true)]
public class ReadLimitsCollection;

/// <summary>
/// Seeded mutation fuzzing of every file reader (.npy, .npz, IDX plain and gzipped, CIFAR-10 binary): byte flips,
/// truncations, appended bytes and length lies. Every case must load or throw the documented
/// <see cref="InvalidDataException"/>, never anything else, and allocate at most the configured limit.
/// </summary>
[Collection("ReadLimits")]
public sealed class ReaderFuzzTests(ITestOutputHelper output) : IDisposable
{
    const int Cases = 2000;
    const long Limit = 16 << 20;

    readonly string dir = Directory.CreateTempSubdirectory("dezero-fuzz-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    // One mutation of a valid file: flipped bytes, a truncation, appended bytes, or a 32-bit field overwritten with a
    // large or random value (a size, count or dimension that lies), at a random place or in the first 64 bytes.
    internal static byte[] Mutate(byte[] valid, Random rng)
    {
        var b = (byte[])valid.Clone();
        switch (rng.Next(5))
        {
            case 0:
                for (int k = rng.Next(1, 5); k > 0; k--) b[rng.Next(b.Length)] = (byte)rng.Next(256);
                return b;
            case 1:
                return b[..rng.Next(b.Length)];
            case 2:
                var extra = new byte[rng.Next(1, 64)];
                rng.NextBytes(extra);
                return [.. b, .. extra];
            default:
                int at = rng.Next(rng.Next(2) == 0 ? Math.Min(64, b.Length - 4) : b.Length - 4);
                uint lie = rng.Next(3) switch { 0 => 0x7FFFFFFF, 1 => (uint)rng.Next(1 << 16, int.MaxValue), _ => (uint)rng.Next() };
                if (rng.Next(2) == 0) BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(at), lie);
                else BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), lie);
                return b;
        }
    }

    internal static byte[] Gzip(byte[] bytes)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest)) gz.Write(bytes);
        return ms.ToArray();
    }

    internal static byte[] Idx(int magic, int[] dims, byte[] payload)
    {
        var bytes = new byte[4 + 4 * dims.Length + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        payload.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    static byte[] NpyBytes(NDArray a)
    {
        using var ms = new MemoryStream();
        Npy.Save(ms, a);
        return ms.ToArray();
    }

    static byte[] NpzBytes(bool compressed, string path)
    {
        Npz.Save(path, new Dictionary<string, NDArray>
        {
            ["l1/W"] = NDArray.Arange(12.0).Reshape(3, 4),
            ["l1/b"] = NDArray.Ones([4], DType.Float32),
            ["n"] = NDArray.Arange(5),
        }, compressed);
        return File.ReadAllBytes(path);
    }

    // Runs the reader on `cases` mutations; returns the outcome counts by exception type (or "loaded").
    Dictionary<string, int> Fuzz(string format, int seed, Func<Random, byte[]> mutant, Action<byte[]> read)
    {
        var rng = new Random(seed);
        var outcomes = new SortedDictionary<string, int>();
        long maxAllocated = 0;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < Cases; i++)
        {
            var bytes = mutant(rng);
            long before = GC.GetAllocatedBytesForCurrentThread();
            string outcome = "loaded";
            try { read(bytes); }
            catch (InvalidDataException) { outcome = nameof(InvalidDataException); }
            catch (Exception e)
            {
                Assert.Fail($"{format} case {i} (seed {seed}): {e.GetType().Name}: {e.Message}\n{Convert.ToHexString(bytes[..Math.Min(bytes.Length, 128)])}");
            }
            maxAllocated = Math.Max(maxAllocated, GC.GetAllocatedBytesForCurrentThread() - before);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
        output.WriteLine($"{format}: {Cases} cases in {clock.ElapsedMilliseconds} ms, {string.Join(", ", outcomes.Select(o => $"{o.Key} {o.Value}"))}, max allocated {maxAllocated / 1024} KiB per case");
        Assert.True(maxAllocated <= Limit + (1 << 20), $"{format}: a case allocated {maxAllocated} bytes, more than the limit {Limit}");
        return new(outcomes);
    }

    void WithLimit(Action run)
    {
        var old = ReadLimits.MaxArrayBytes;
        ReadLimits.MaxArrayBytes = Limit;
        try { run(); }
        finally { ReadLimits.MaxArrayBytes = old; }
    }

    [Fact]
    public void NpyMutations() => WithLimit(() =>
    {
        var valid = new[] { NpyBytes(NDArray.Arange(24.0).Reshape(2, 3, 4)), NpyBytes(NDArray.Arange(7)), NpyBytes(NDArray.Ones([5], DType.Bool)) };
        var path = Path.Combine(dir, "a.npy");
        var r = Fuzz(".npy", 1, rng => Mutate(valid[rng.Next(valid.Length)], rng), bytes =>
        {
            File.WriteAllBytes(path, bytes);
            Npy.Load(path);
        });
        Assert.True(r.GetValueOrDefault("loaded") > 0 && r.GetValueOrDefault(nameof(InvalidDataException)) > Cases / 2);
    });

    [Fact]
    public void NpzMutations() => WithLimit(() =>
    {
        var path = Path.Combine(dir, "w.npz");
        var valid = new[] { NpzBytes(false, path), NpzBytes(true, path) };
        var r = Fuzz(".npz", 2, rng => Mutate(valid[rng.Next(valid.Length)], rng), bytes =>
        {
            File.WriteAllBytes(path, bytes);
            Npz.Load(path);
        });
        Assert.True(r.GetValueOrDefault(nameof(InvalidDataException)) > Cases / 2);
    });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void IdxMutations(bool gz) => WithLimit(() =>
    {
        byte[] Pack(byte[] b) => gz ? Gzip(b) : b;
        string Name(string n) => Path.Combine(dir, gz ? n + ".gz" : n);
        var images = Idx(0x803, [3, 28, 28], Enumerable.Range(0, 3 * 784).Select(k => (byte)k).ToArray());
        var labels = Idx(0x801, [3], [1, 2, 3]);
        File.WriteAllBytes(Name("t10k-images-idx3-ubyte"), Pack(images));
        File.WriteAllBytes(Name("t10k-labels-idx1-ubyte"), Pack(labels));
        // The mutation hits the decompressed bytes (header lies that survive gzip's CRC) or the gzip file itself.
        var r = Fuzz(gz ? "IDX .gz" : "IDX", gz ? 4 : 3, rng =>
        {
            bool image = rng.Next(2) == 0;
            var valid = image ? images : labels;
            var bytes = !gz ? Mutate(valid, rng) : rng.Next(2) == 0 ? Gzip(Mutate(valid, rng)) : Mutate(Gzip(valid), rng);
            return [image ? (byte)1 : (byte)0, .. bytes];
        }, tagged =>
        {
            string name = tagged[0] == 1 ? "t10k-images-idx3-ubyte" : "t10k-labels-idx1-ubyte";
            File.WriteAllBytes(Name(name), tagged[1..]);
            try { _ = new FashionMNIST(train: false, root: dir); }
            finally { File.WriteAllBytes(Name(name), Pack(tagged[0] == 1 ? images : labels)); }
        });
        Assert.True(r.GetValueOrDefault(nameof(InvalidDataException)) > Cases / 2);
    });

    [Fact]
    public void CifarMutations() => WithLimit(() =>
    {
        var valid = Enumerable.Range(0, 2 * 3073).Select(k => (byte)(k % 3073 == 0 ? k / 3073 : k * 7)).ToArray();
        var path = Path.Combine(dir, "test_batch.bin");
        var r = Fuzz("CIFAR-10", 5, rng => rng.Next(3) switch
        {
            0 => Mutate(valid, rng),
            1 => Gzip(Mutate(valid, rng)),
            _ => Mutate(Gzip(valid), rng),
        }, bytes =>
        {
            File.WriteAllBytes(path, bytes);
            _ = new CIFAR10(train: false, root: dir);
        });
        Assert.True(r.GetValueOrDefault("loaded") > 0 && r.GetValueOrDefault(nameof(InvalidDataException)) > Cases / 4);
    });
}
