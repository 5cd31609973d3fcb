using L = DeZero.Layers;

namespace DeZero.Tests.Numerics;

/// <summary>
/// RandomState.Global is shared by every layer, dropout and loader: calls from several threads are serialised, each
/// call draws a contiguous run of the seeded sequence, and a per-object generator gives reproducible parallel work.
/// </summary>
[Collection("GlobalRandom")]
public class RandomStateThreadTests
{
    static float[] Weights(L.Linear layer) => layer.W.Data.ToArray<float>();

    [Fact]
    public void LayersConstructedInParallelDrawWholeRunsOfTheSequence()
    {
        const int rounds = 20, threads = 4;
        RandomState.Global.Seed(0);
        var sequential = Enumerable.Range(0, threads).Select(_ => Weights(new L.Linear(512, inSize: 784))).ToArray();
        for (int round = 0; round < rounds; round++)
        {
            RandomState.Global.Seed(0);
            var parallel = new float[threads][];
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => parallel[i] = Weights(new L.Linear(512, inSize: 784)));
            // Each layer got one of the sequential draws whole (in whatever order the threads took the lock).
            var matched = parallel.Select(w => Array.FindIndex(sequential, s => s.AsSpan().SequenceEqual(w))).ToArray();
            Assert.DoesNotContain(-1, matched);
            Assert.Equal(threads, matched.Distinct().Count());
        }
    }

    [Fact]
    public void ScalarDrawsFromManyThreadsAreThoseOfOneThread()
    {
        const int threads = 4, each = 20000;
        RandomState.Global.Seed(42);
        var expected = Enumerable.Range(0, threads * each).Select(_ => RandomState.Global.NextDouble()).Order().ToArray();
        RandomState.Global.Seed(42);
        var drawn = new double[threads][];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            drawn[t] = new double[each];
            for (int i = 0; i < each; i++) drawn[t][i] = RandomState.Global.NextDouble();
        });
        Assert.Equal(expected, drawn.SelectMany(d => d).Order().ToArray());
    }

    [Fact]
    public void OneGeneratorPerObjectIsReproducibleInParallel()
    {
        var parallel = new float[8][];
        Parallel.For(0, parallel.Length, i => parallel[i] = Weights(new L.Linear(16, inSize: 8, rng: new RandomState(i))));
        for (int i = 0; i < parallel.Length; i++)
            Assert.Equal(Weights(new L.Linear(16, inSize: 8, rng: new RandomState(i))), parallel[i]);
    }
}
