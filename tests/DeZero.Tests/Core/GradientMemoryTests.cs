using System.Threading;
using DeZero.Layers;
using DeZero.Models;
using DeZero.Optimizers;
using F = DeZero.Functions;
using L = DeZero.Layers;

namespace DeZero.Tests.Core;

// Backward hands the buffers of large intermediate gradients back for reuse. Whatever a user can still reach
// (activations, leaf gradients, retained gradients, arrays a custom function kept) must never change afterwards.
// These tests assert that and the other rules that hold whatever other threads put on or take from the free list,
// which every thread shares, so they run in parallel with the rest (and so also check that passes on other threads
// never reach their buffers). Which buffers are reused, and the free list's size, are GradientRecyclingTests' part,
// which runs alone.
public class GradientMemoryTests
{
    internal const int Big = 300; // 300×300 = 90 000 elements, above the pool's threshold

    // A function outside the library that keeps the gradient it is given and the one it returns.
    internal class Keeper : UnaryFunction
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

    // A size no other test uses, so the free list's buffers of this size come from these tests alone.
    internal const int Rows = 317, Cols = 211;

    // Marked, but keeps the gradient it is given and the one it returns: the lie the check must catch.
    [KeepsNoGradients]
    internal sealed class Liar : Keeper;

    // Marked, and keeps nothing.
    [KeepsNoGradients]
    internal sealed class Twice : UnaryFunction
    {
        protected override NDArray Forward(NDArray x) => x * 2.0;
        protected override Variable Backward(Variable gy) => gy * 2.0;
    }

    // x → sin → f → Σ: f's gradient comes from Σ's backward and f returns sin's; both are made in the pass.
    internal static Variable Chain(Variable x, UnaryFunction f) => F.Sum(f.Apply(F.Sin(x)));

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

    // The buffers the next allocations of the test size take (the free list is last in, first out).
    internal static Array[] NextBuffers(int n) =>
        Enumerable.Range(0, n).Select(_ => NDArray.Uninitialized(DType.Float64, [Rows, Cols]).Buffer).ToArray();

    // By reference: xunit compares arrays element by element, so a different free buffer that happens to hold the same
    // values (ones from another test's Σ) would count as the same one.
    internal static void AssertNotAmong(Array buffer, IEnumerable<Array> buffers) =>
        Assert.DoesNotContain(buffers, b => ReferenceEquals(b, buffer));

    internal static void AssertAmong(Array buffer, IEnumerable<Array> buffers) =>
        Assert.Contains(buffers, b => ReferenceEquals(b, buffer));

    [Fact]
    public void AnUnmarkedFunctionsGradientsAreNeverReused()
    {
        var keeper = new Keeper();
        var x = new Variable(new RandomState(3).Randn(Rows, Cols));
        F.Sum(keeper.Apply(F.Sin(x))).Backward();
        var next = NextBuffers(4);
        AssertNotAmong(keeper.Given!.Buffer, next);
        AssertNotAmong(keeper.Returned!.Buffer, next);
        // Σ's gradient is ones, and the keeper returned twice that: neither changed during or after the pass.
        Assert.All(keeper.Given.ToArray<double>(), v => Assert.Equal(1.0, v));
        Assert.All(keeper.Returned.ToArray<double>(), v => Assert.Equal(2.0, v));
    }

    // Marked and keeps nothing; its Backward first runs an action (that stops the pass until it is let go on, or
    // checks on it once the functions after it in the graph have run theirs).
    [KeepsNoGradients]
    sealed class Calling(Action action) : UnaryFunction
    {
        protected override NDArray Forward(NDArray x) => x * 2.0;
        protected override Variable Backward(Variable gy)
        {
            action();
            return gy * 2.0;
        }
    }

    [Fact]
    public void APassOnAnotherThreadNeverReusesWhatThisPassOrItsFunctionsHold()
    {
        // Thread A's pass x → sin → keeper → pause → exp → Σ stops in the pause's Backward, when it holds the
        // gradient exp gave the pause and the keeper holds nothing yet. Meanwhile this thread runs passes of the same
        // size that let go of their buffers, then takes every buffer of that size on the free list and overwrites it.
        // A's gradients and what its keeper kept must be exactly those of a pass that recycles nothing.
        using var paused = new ManualResetEventSlim();
        using var resume = new ManualResetEventSlim();
        var x = new Variable(new RandomState(11).Randn(Rows, Cols));
        var keeper = new Keeper();
        var pause = new Calling(() =>
        {
            paused.Set();
            Assert.True(resume.Wait(TimeSpan.FromMinutes(1)), "not resumed");
        });
        Exception? failure = null;
        var a = new Thread(() =>
        {
            try
            {
                F.Sum(F.Exp(pause.Apply(keeper.Apply(F.Sin(x))))).Backward();
            }
            catch (Exception e)
            {
                failure = e;
                paused.Set();
            }
        });
        a.Start();
        var taken = new List<Array>();
        try
        {
            Assert.True(paused.Wait(TimeSpan.FromMinutes(1)), "thread A did not reach the pause");
            var rng = new RandomState(12);
            for (int i = 0; i < 3; i++) Chain(new Variable(rng.Randn(Rows, Cols)), new Twice()).Backward();
            while (GradientMemory.FreeBuffers(DType.Float64, Rows * Cols) > 0) taken.AddRange(NextBuffers(1));
            foreach (var buffer in taken) Array.Fill((double[])buffer, -1.0);
        }
        finally
        {
            resume.Set();
            a.Join();
        }
        Assert.Null(failure);
        var e = NDArray.Exp(NDArray.Sin(x.Data) * 4.0);   // ∂Σ/∂(pause's output)
        Reference.AssertClose(e * 2.0, keeper.Given!, rtol: 1e-15);
        Reference.AssertClose(e * 4.0, keeper.Returned!, rtol: 1e-15);
        Reference.AssertClose(e * 4.0 * NDArray.Cos(x.Data), x.Grad!.Data, rtol: 1e-15);
        AssertNotAmong(keeper.Given!.Buffer, taken);
        AssertNotAmong(keeper.Returned!.Buffer, taken);
        AssertNotAmong(x.Grad.Data.Buffer, taken);
    }

    // Records what the running pass offers as its input's own gradient sum (GradientMemory.OwnedSum, where a backward
    // may add its term in place), asked in the input's dtype and shape, in the other float dtype and in another shape.
    [KeepsNoGradients]
    sealed class SumProbe : UnaryFunction
    {
        public NDArray? Same, OtherDType, OtherShape;
        protected override NDArray Forward(NDArray x) => x * 1.0;
        protected override Variable Backward(Variable gy)
        {
            var x = X;
            Same = GradientMemory.OwnedSum(x, x.DType, x.Dims);
            OtherDType = GradientMemory.OwnedSum(x, x.DType == DType.Float64 ? DType.Float32 : DType.Float64, x.Dims);
            OtherShape = GradientMemory.OwnedSum(x, x.DType, [x.Size]);
            return gy;
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AVariablesOwnSumIsOfferedForTermsInPlaceOnlyInItsDTypeAndShapeAndNotWhenRecording(bool createGraph)
    {
        // h feeds three probes: its first term becomes its gradient as it is (shared with the output the term came
        // from), the second makes the sum h alone holds, and the third probe is offered that sum and added into it.
        var h = F.Sin(new Variable(new RandomState(14).Randn(3, 4)));
        SumProbe[] probes = [new(), new(), new()];
        F.Sum(probes[0].Apply(h) + probes[1].Apply(h) + probes[2].Apply(h)).Backward(retainGrad: true, createGraph: createGraph);
        Reference.AssertClose(NDArray.Full([3, 4], 3.0), h.Grad!.Data, rtol: 0);
        Assert.All(probes, p => Assert.Null(p.OtherDType));
        Assert.All(probes, p => Assert.Null(p.OtherShape));
        var offered = probes.Where(p => p.Same is not null).ToArray();
        if (createGraph)
        {
            Assert.Empty(offered);
            return;
        }
        Assert.Single(offered);
        Assert.Same(h.Grad.Data.Buffer, offered[0].Same!.Buffer);
    }

    // Marked; its backward makes a temporary besides the gradient it returns, and notes where the temporary is.
    [KeepsNoGradients]
    sealed class WithTemporary : UnaryFunction
    {
        public WeakReference? Temporary;
        protected override NDArray Forward(NDArray x) => x * 2.0;
        protected override Variable Backward(Variable gy)
        {
            var temporary = gy.Data * 3.0;
            Temporary = new WeakReference(temporary.Buffer);
            return gy * 2.0;
        }
    }

    [Fact]
    public void APassDoesNotKeepTheTemporariesOfAFunctionsBackwardAlive()
    {
        // x → then → withTemporary → Σ: backward runs withTemporary's step, then then's, while the pass goes on.
        var withTemporary = new WithTemporary();
        bool? aliveDuringThePass = null;
        var then = new Calling(() =>
        {
            GC.Collect();
            aliveDuringThePass = withTemporary.Temporary!.IsAlive;
        });
        var x = new Variable(new RandomState(16).Randn(Rows, Cols));
        F.Sum(withTemporary.Apply(then.Apply(x))).Backward();
        Assert.False(aliveDuringThePass);
        Reference.AssertClose(NDArray.Full(x.Shape, 4.0), x.Grad!.Data, rtol: 0);
    }

    [Fact]
    public void BuffersBelowTheThresholdAreNeverTracked()
    {
        // Gradients of 511 float64 elements, one below GradientMemory.MinSize: nothing of their size is let go of.
        const int size = GradientMemory.MinSize - 1;
        var rng = new RandomState(15);
        for (int i = 0; i < 3; i++) Chain(new Variable(rng.Randn(size)), new Twice()).Backward();
        Assert.Equal(0, GradientMemory.FreeBuffers(DType.Float64, size));
    }

    [Fact]
    public void TheCheckPoisonsFloat32BuffersToo()
    {
        Liar? liar = null;
        var e = Assert.Throws<InvalidOperationException>(() => Utils.CheckKeepsNoGradients(xs => (liar = new Liar()).Apply(xs[0]), NDArray.Ones([4], DType.Float32)));
        Assert.Contains("Liar", e.Message);
        Assert.Equal(DType.Float32, liar!.Given!.DType);
        Assert.All(liar.Given.ToArray<float>(), v => Assert.True(float.IsNaN(v)));
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
        AssertNotAmong(a.Grad!.Data.Buffer, next);
        AssertNotAmong(b.Grad!.Data.Buffer, next);
        Reference.AssertClose(NDArray.Exp(h.Data) * NDArray.Cos(a.Data), a.Grad.Data, rtol: 1e-15);
        Reference.AssertClose(NDArray.Exp(h.Data).Reshape(Rows * Cols), b.Grad.Data, rtol: 0);
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
        AssertNotAmong(liar.Given!.Buffer, next);
        AssertNotAmong(liar.Returned!.Buffer, next);
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
