using DeZero.Layers;
using DeZero.Models;
using DeZero.Optimizers;
using F = DeZero.Functions;
using L = DeZero.Layers;

namespace DeZero.Tests.Core;

/// <summary>Tests that inspect the shared free list of gradient buffers run one at a time.</summary>
[CollectionDefinition("GradientMemory", DisableParallelization = true)]
public class GradientMemoryCollection;

// Backward hands the buffers of large intermediate gradients back for reuse. Whatever a user can still reach
// (activations, leaf gradients, retained gradients, arrays a custom function kept) must never change afterwards.
// The free list is shared by all threads, so these tests, which count and take its buffers, run alone.
[Collection("GradientMemory")]
public class GradientMemoryTests
{
    const int Big = 300; // 300×300 = 90 000 elements, above the pool's threshold

    // A function outside the library that keeps the gradient it is given and the one it returns.
    internal sealed class Keeper : UnaryFunction
    {
        public NDArray? Given, Returned;
        protected override NDArray Forward(NDArray x) => x * 2.0;
        protected override Variable Backward(Variable gy)
        {
            Given = gy.Data;
            Returned = gy.Data * 2.0;
            return Returned;
        }
    }

    // A graph that uses every way a gradient can be shared: an input used twice, reshapes (views), broadcast sums,
    // indexing, concatenation, a matrix product, activations, and a custom function.
    static (Variable loss, Variable[] seen) Graph(Variable x, Variable w, Keeper keeper)
    {
        var a = F.Tanh(x + x);
        // Views of a gradient reach a transpose, which reads them in another order than it writes its result.
        var b = F.Reshape(F.Transpose(F.Sigmoid(a)), Big * Big).Reshape(Big, Big);
        var c = F.MatMul(b, w) + F.Sum(b, 0, keepdims: true);
        var d = F.Concat([c, F.ReLU(c)], 0)[Slice.Of(0, Big)];
        var e = keeper.Apply(F.Exp(d * 0.01));
        var loss = F.Sum(e * e);
        return (loss, [a, b, c, d, e]);
    }

    [Fact]
    public void ReachableArraysNeverChangeAndGradientsMatchTheUnpooledPass()
    {
        var rng = new RandomState(5);
        var x = new Variable(rng.Randn(Big, Big) * 0.1);
        var w = new Variable(rng.Randn(Big, Big) * 0.1);

        // Reference gradients from a recorded pass, which never recycles.
        var (refLoss, _) = Graph(x, w, new Keeper());
        refLoss.Backward(createGraph: true);
        var (gxRef, gwRef) = (x.Grad!.Data.Copy(), w.Grad!.Data.Copy());
        x.ClearGrad();
        w.ClearGrad();

        var keeper = new Keeper();
        var (loss, seen) = Graph(x, w, keeper);
        loss.Backward();
        Assert.True(GradientMemory.FreeBytes > 0, "the pass recycled no gradient buffer");
        Reference.AssertClose(gxRef, x.Grad!.Data, rtol: 1e-12);
        Reference.AssertClose(gwRef, w.Grad!.Data, rtol: 1e-12);

        // Snapshot everything reachable, then run more passes that take buffers from the pool.
        var kept = seen.Select(v => v.Data).Concat([x.Grad.Data, w.Grad.Data, keeper.Given!, keeper.Returned!]).ToArray();
        var copies = kept.Select(a => a.Copy()).ToArray();
        for (int i = 0; i < 3; i++)
        {
            var (l, _) = Graph(new Variable(rng.Randn(Big, Big)), new Variable(rng.Randn(Big, Big)), new Keeper());
            l.Backward();
        }
        for (int i = 0; i < kept.Length; i++) Reference.AssertClose(copies[i], kept[i], rtol: 0, what: $"array {i}");
        // The custom function saw the gradient of loss = Σ e², 2e, and returned twice that.
        var e = seen[^1].Data;
        Reference.AssertClose(e * 2.0, keeper.Given!, rtol: 1e-15);
        Reference.AssertClose(e * 4.0, keeper.Returned!, rtol: 1e-15);
    }

    [Fact]
    public void RetainedGradientsAreNeverRecycled()
    {
        var rng = new RandomState(6);
        var x = new Variable(rng.Randn(Big, Big));
        var h = F.Tanh(x);
        var y = F.Sigmoid(h);
        F.Sum(y * y).Backward(retainGrad: true);
        var held = new[] { h.Grad!.Data, y.Grad!.Data, x.Grad!.Data };
        var copies = held.Select(a => a.Copy()).ToArray();
        for (int i = 0; i < 3; i++) F.Sum(F.Sigmoid(F.Tanh(new Variable(rng.Randn(Big, Big))))).Backward();
        for (int i = 0; i < held.Length; i++) Reference.AssertClose(copies[i], held[i], rtol: 0, what: $"gradient {i}");
    }

    [Fact]
    public void TrainingWithThePoolGivesTheSameWeightsAsWithout()
    {
        // Two identical models; one is trained with recorded passes (createGraph: nothing is recycled).
        NDArray[] Train(bool createGraph) => TrainFourSteps(7, F.Sigmoid, createGraph);
        var (pooled, recorded) = (Train(false), Train(true));
        for (int i = 0; i < pooled.Length; i++) Reference.AssertClose(recorded[i], pooled[i], rtol: 1e-12, what: $"parameter {i}");
    }

    // Buffers from the pool hold old values: every kernel must write each element of its result. Poisoning the pool
    // with NaN buffers of every size a convolutional graph uses must not change a single bit of its results.
    [Theory]
    [InlineData(DType.Float64)]
    [InlineData(DType.Float32)]
    public void KernelsWriteEveryElementOfRecycledBuffers(DType dt)
    {
        var rng = new RandomState(8);
        NDArray A(params int[] shape) => (rng.Randn(shape) * 0.5).AsType(dt);
        var (x, w1, b1, w2, w3) = (A(16, 4, 32, 32), A(8, 4, 3, 3), A(8), A(8, 4, 3, 3), A(8 * 16 * 16, 10));
        var (gamma, beta) = (A(8), A(8));
        var t = rng.RandInt(0, 10, 16);
        (Variable Loss, Variable[] Leaves) Graph()
        {
            Variable[] leaves = [new Variable(x), new Variable(w1), new Variable(b1), new Variable(w2), new Variable(w3), new Variable(gamma), new Variable(beta)];
            var (vx, vw1, vb1, vw2, vw3, vg, vb) = (leaves[0], leaves[1], leaves[2], leaves[3], leaves[4], leaves[5], leaves[6]);
            var h = F.Conv2d(vx, vw1, vb1, stride: 1, pad: 1);
            h = F.BatchNorm(h, vg, vb, NDArray.Zeros(8).AsType(dt), NDArray.Ones(8).AsType(dt));
            var d = F.Deconv2d(F.ReLU(h), vw2, null, stride: 1, pad: 1);
            var p = F.Pooling(F.Tanh(h + F.Sum(d, [1], keepdims: true)), 2, 2) + F.AveragePooling(F.Sigmoid(h), 2, 2);
            var y = F.Linear(F.Reshape(p, 16, -1), vw3);
            return (F.SoftmaxCrossEntropy(y, t) + F.MeanSquaredError(F.Exp(h * 0.1), h.Transpose(0, 1, 3, 2)), leaves);
        }
        NDArray[] Run()
        {
            var (loss, leaves) = Graph();
            loss.Backward();
            return [loss.Data, .. leaves.Select(v => v.Grad!.Data)];
        }
        var reference = Run();
        // Every size a variable or gradient of the graph has, from a run that keeps the intermediate gradients.
        var (retained, _) = Graph();
        retained.Backward(retainGrad: true);
        var sizes = new HashSet<int>();
        var stack = new Stack<Variable>([retained]);
        while (stack.Count > 0)
        {
            var v = stack.Pop();
            sizes.Add(v.Size);
            if (v.Grad is { } g) sizes.Add(g.Size);
            if (v.Creator is { } f) foreach (var input in f.Inputs) stack.Push(input);
        }
        foreach (int size in sizes.Where(n => n >= GradientMemory.MinSize))
            for (int k = 0; k < 4; k++) GradientMemory.Free(NDArray.Full([size], double.NaN).AsType(dt).Buffer);
        var poisoned = Run();
        for (int i = 0; i < reference.Length; i++) Reference.AssertClose(reference[i], poisoned[i], rtol: 0, what: $"result {i}");
    }

    // A size no other test uses, so the free list's buffers of this size come from these tests alone.
    const int Rows = 317, Cols = 211;

    // Marked, but keeps the gradient it is given and the one it returns: the lie the check must catch.
    [KeepsNoGradients]
    sealed class Liar : UnaryFunction
    {
        public NDArray? Given, Returned;
        protected override NDArray Forward(NDArray x) => x * 2.0;
        protected override Variable Backward(Variable gy)
        {
            Given = gy.Data;
            Returned = gy.Data * 2.0;
            return Returned;
        }
    }

    // Marked, and keeps nothing.
    [KeepsNoGradients]
    sealed class Twice : UnaryFunction
    {
        protected override NDArray Forward(NDArray x) => x * 2.0;
        protected override Variable Backward(Variable gy) => gy * 2.0;
    }

    // x → sin → f → Σ: f's gradient comes from Σ's backward and f returns sin's; both are made in the pass.
    static Variable Chain(Variable x, UnaryFunction f) => F.Sum(f.Apply(F.Sin(x)));

    // The buffers the next allocations of the test size take (the free list is last in, first out).
    // Four SGD steps of a 300-400-300-10 network (ReLU, then the given activation) on random data; its parameters after them.
    static NDArray[] TrainFourSteps(int seed, Func<Variable, Variable> activation, bool createGraph)
    {
        var rng = new RandomState(seed);
        var model = new Sequential(new L.Linear(400, rng: rng), new Fn(F.ReLU), new L.Linear(300, rng: rng), new Fn(activation), new L.Linear(10, rng: rng));
        var optimizer = new SGD(0.1).Setup(model);
        var data = rng.Randn(250, 300);
        var t = rng.RandInt(0, 10, 250);
        for (int i = 0; i < 4; i++)
        {
            var loss = F.SoftmaxCrossEntropy(model.Call(data), t);
            model.ClearGrads();
            loss.Backward(createGraph: createGraph);
            optimizer.Update();
        }
        return model.Params().Select(p => p.Data).ToArray();
    }

    static Array[] NextBuffers(int n) =>
        Enumerable.Range(0, n).Select(_ => NDArray.Uninitialized(DType.Float64, [Rows, Cols]).Buffer).ToArray();

    static int FreeOfTestSize => GradientMemory.FreeBuffers(DType.Float64, Rows * Cols);

    static void DrainTestSize()
    {
        while (FreeOfTestSize > 0) NDArray.Uninitialized(DType.Float64, [Rows, Cols]);
    }

    [Fact]
    public void BuffersAMarkedFunctionLetGoOfAreReused()
    {
        var liar = new Liar();
        var x = new Variable(new RandomState(1).Randn(Rows, Cols));
        Chain(x, liar).Backward();
        // Σ's gradient, ones, was handed to the liar; the pass then reused its buffer for a result of its own.
        Assert.False(liar.Given!.ToArray<double>().All(v => v == 1.0), "the buffer of the liar's gradient was not reused");
        Assert.Contains(liar.Returned!.Buffer, NextBuffers(2));
        Assert.DoesNotContain(x.Grad!.Data.Buffer, NextBuffers(2));
    }

    [Fact]
    public void AUserFunctionGetsRecyclingWhenItIsMarkedAndNotOtherwise()
    {
        // The same chain through a marked and an unmarked function of this test assembly.
        var x = new Variable(new RandomState(2).Randn(Rows, Cols));
        DrainTestSize();
        Chain(x, new Twice()).Backward();
        Assert.True(FreeOfTestSize > 0, "the marked function's gradients were not recycled");
        DrainTestSize();
        Chain(x, new Keeper()).Backward();
        Assert.Equal(0, FreeOfTestSize);
    }

    [Fact]
    public void AnUnmarkedFunctionsGradientsAreNeverReused()
    {
        var keeper = new Keeper();
        var x = new Variable(new RandomState(3).Randn(Rows, Cols));
        F.Sum(keeper.Apply(F.Sin(x))).Backward();
        var next = NextBuffers(4);
        Assert.DoesNotContain(keeper.Given!.Buffer, next);
        Assert.DoesNotContain(keeper.Returned!.Buffer, next);
        // Σ's gradient is ones, and the keeper returned twice that: neither changed during or after the pass.
        Assert.All(keeper.Given.ToArray<double>(), v => Assert.Equal(1.0, v));
        Assert.All(keeper.Returned.ToArray<double>(), v => Assert.Equal(2.0, v));
    }

    [Fact]
    public void ABufferSharedWithALeafGradientIsNeverReused()
    {
        // Add hands its gradient to both inputs, reshape hands a view of it: the leaves share the buffers of the
        // intermediate gradients the pass drops.
        var rng = new RandomState(4);
        var a = new Variable(rng.Randn(Rows, Cols));
        var b = new Variable(rng.Randn(Rows * Cols));
        var h = F.Sin(a) + F.Reshape(b, Rows, Cols);
        F.Sum(F.Exp(h)).Backward();
        var next = NextBuffers(4);
        Assert.DoesNotContain(a.Grad!.Data.Buffer, next);
        Assert.DoesNotContain(b.Grad!.Data.Buffer, next);
        Reference.AssertClose(NDArray.Exp(h.Data) * NDArray.Cos(a.Data), a.Grad.Data, rtol: 1e-15);
        Reference.AssertClose(NDArray.Exp(h.Data).Reshape(Rows * Cols), b.Grad.Data, rtol: 0);
    }

    [Fact]
    public void ASumLetsGoOfTheTermItReplaces()
    {
        // h takes two terms; the first is replaced by the sum, so its buffer is free again within the pass.
        var (first, second) = (new Liar(), new Liar());
        var h = F.Sin(new Variable(new RandomState(6).Randn(Rows, Cols)));
        F.Sum(first.Apply(h) + second.Apply(h)).Backward();
        var next = NextBuffers(3);
        bool Reused(Liar l) => next.Contains(l.Returned!.Buffer) || !l.Returned!.ToArray<double>().All(v => v == 2.0);
        Assert.True(Reused(first) || Reused(second), "the replaced gradient term was not recycled");
    }

    [Fact]
    public void TheFreeListHoldsAtMost64MB()
    {
        const int size = 70_001; // 560 KB of float64, a size no other test uses
        for (int i = 0; i < 150; i++) GradientMemory.Free(new double[size]);
        int held = GradientMemory.FreeBuffers(DType.Float64, size);
        Assert.InRange(held * (long)size * 8, 1, 64L << 20);
        Assert.InRange(GradientMemory.FreeBytes, held * (long)size * 8, 64L << 20);
        for (int i = 0; i < held; i++) NDArray.Uninitialized(DType.Float64, [size]);
        Assert.Equal(0, GradientMemory.FreeBuffers(DType.Float64, size));
    }

    [Fact]
    public void WithRecyclingOffNothingIsReused()
    {
        var liar = new Liar();
        var x = new Variable(new RandomState(5).Randn(Rows, Cols));
        Assert.True(Config.RecycleGradients);
        using (Config.NoGradientRecycling())
        {
            Assert.False(Config.RecycleGradients);
            Chain(x, liar).Backward();
        }
        Assert.True(Config.RecycleGradients);
        var next = NextBuffers(4);
        Assert.DoesNotContain(liar.Given!.Buffer, next);
        Assert.DoesNotContain(liar.Returned!.Buffer, next);
    }

    [Fact]
    public void ResultsAreIdenticalWithRecyclingOnAndOff()
    {
        NDArray[] Train(bool recycle)
        {
            Config.RecycleGradients = recycle;
            try
            {
                return TrainFourSteps(9, F.Tanh, createGraph: false);
            }
            finally
            {
                Config.RecycleGradients = true;
            }
        }
        var (on, off) = (Train(true), Train(false));
        for (int i = 0; i < on.Length; i++) Reference.AssertClose(off[i], on[i], rtol: 0, what: $"parameter {i}");
    }

    [Fact]
    public void TheCheckCatchesAMarkedFunctionThatKeepsAGradient()
    {
        Liar? liar = null;
        var e = Assert.Throws<InvalidOperationException>(() => Utils.CheckKeepsNoGradients(xs => (liar = new Liar()).Apply(xs[0]), NDArray.Ones(4)));
        Assert.Contains("Liar", e.Message);
        Assert.Contains("field Given", e.Message);
        // What the pass let go of was filled with NaN, not reused.
        Assert.All(liar!.Given!.ToArray<double>(), v => Assert.True(double.IsNaN(v)));
        // After the check, passes recycle as before.
        var x = new Variable(new RandomState(7).Randn(Rows, Cols));
        var after = new Liar();
        Chain(x, after).Backward();
        Assert.Contains(after.Returned!.Buffer, NextBuffers(2));
        // Honest functions pass: marked ones that keep nothing, unmarked ones that keep what they like.
        Utils.CheckKeepsNoGradients(xs => new Twice().Apply(F.Sin(xs[0])), NDArray.Ones(4));
        Utils.CheckKeepsNoGradients(xs => new Keeper().Apply(F.Sin(xs[0])), NDArray.Ones(4));
    }

    [Fact]
    public void EveryLibraryFunctionIsMarkedAndItsMarkHolds()
    {
        var unmarked = typeof(Function).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Function)) && !t.IsAbstract && !t.IsDefined(typeof(KeepsNoGradientsAttribute), false))
            .Select(t => t.Name).ToArray();
        Assert.Empty(unmarked);
        var rng = new RandomState(10);
        var (x, w, b) = (rng.Randn(2, 3, 6, 6), rng.Randn(4, 3, 3, 3), rng.Randn(4));
        var (gamma, beta) = (rng.Randn(4), rng.Randn(4));
        var (w2, t) = (rng.Randn(9, 5), rng.RandInt(0, 5, 8));
        // Most of F's families in one graph: conv, batch norm, pooling, activations, shapes, indexing, reductions, losses.
        Utils.CheckKeepsNoGradients(v =>
        {
            var h = F.Conv2d(v[0], v[1], v[2], stride: 1, pad: 1);
            h = F.BatchNorm(h, v[3], v[4], NDArray.Zeros(4), NDArray.Ones(4));
            var p = F.Pooling(F.ReLU(h), 2, 2) + F.AveragePooling(F.Sigmoid(h), 2, 2);
            var y = F.Linear(F.Reshape(p, 8, -1), v[5]);
            var z = F.Concat([F.Softmax(y), F.LogSoftmax(y)], 1)[Slice.Of(0, 8)];
            return F.SoftmaxCrossEntropy(y, t) + F.MeanSquaredError(F.Exp(y * 0.1), F.Max(z, 1, keepdims: true) + F.Sum(z, 1, keepdims: true).Pow(2))
                + F.Sum(F.Clip(F.Cos(y), -0.5, 0.5) / F.BroadcastTo(F.Average(y, 0) + 2.0, [8, 5])) + F.Sum(F.Deconv2d(F.Tanh(h), v[1], null, 1, 1));
        }, x, w, b, gamma, beta, w2);
    }

    sealed class Fn(Func<Variable, Variable> f) : Layer
    {
        public override Variable Forward(Variable x) => f(x);
    }
}
