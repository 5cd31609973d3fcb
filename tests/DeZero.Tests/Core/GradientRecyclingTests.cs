using static DeZero.Tests.Core.GradientMemoryTests;
using F = DeZero.Functions;

namespace DeZero.Tests.Core;

/// <summary>Tests that assert which buffers the shared free list holds and hands out run one at a time.</summary>
[CollectionDefinition("GradientMemory", DisableParallelization = true)]
public class GradientMemoryCollection;

// What backward recycles: which buffers go to the free list, which allocations take them, the free list's 64 MB.
// The free list is one for all threads, and its 64 MB are shared by every size: a pass on another thread that lets go
// of its buffers can fill it (then this pass's buffers are not taken in) or take what this test put there. These
// tests assert that particular buffers are, or are not, on the list, or how many bytes it holds, so they run alone
// (after the parallel tests). That other threads' passes never reach a pass's buffers is GradientMemoryTests' part.
[Collection("GradientMemory")]
public class GradientRecyclingTests
{
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
        AssertAmong(liar.Returned!.Buffer, NextBuffers(2));
        AssertNotAmong(x.Grad!.Data.Buffer, NextBuffers(2));
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

    // A marked function that notes which buffers it receives and returns as gradients.
    [KeepsNoGradients]
    sealed class Probe : UnaryFunction
    {
        public Array? Received, Returned;
        protected override NDArray Forward(NDArray x) => x.Copy();
        protected override Variable Backward(Variable gy)
        {
            Received = gy.Data.Buffer;
            var gx = gy.Data * 1.0;
            Returned = gx.Buffer;
            return gx;
        }
    }

    // Rule 7: the sigmoid and tanh write their input's gradient into their output's, which the pass lets go of next;
    // not when the pass keeps gradients or does not recycle, and the gradients are those of a recorded pass.
    [Theory]
    [InlineData("sigmoid")]
    [InlineData("tanh")]
    public void AnActivationWritesItsInputsGradientIntoItsOutputsBuffer(string name)
    {
        Func<Variable, Variable> f = name == "sigmoid" ? F.Sigmoid : F.Tanh;
        var x = new Variable(new RandomState(9).Randn(Rows, Cols));
        (Probe before, Probe after, NDArray gx) Pass(Action<Variable> backward)
        {
            var (before, after) = (new Probe(), new Probe());
            x.ClearGrad();
            backward(F.Sum(after.Apply(f(before.Apply(x)))));
            return (before, after, x.Grad!.Data.Copy());
        }
        var recorded = Pass(loss => loss.Backward(createGraph: true));
        var reused = Pass(loss => loss.Backward());
        Assert.Same(reused.after.Returned, reused.before.Received);
        Reference.AssertClose(recorded.gx, reused.gx, rtol: 0);
        var retained = Pass(loss => loss.Backward(retainGrad: true));
        Assert.NotSame(retained.after.Returned, retained.before.Received);
        using (Config.NoGradientRecycling())
        {
            var plain = Pass(loss => loss.Backward());
            Assert.NotSame(plain.after.Returned, plain.before.Received);
            Reference.AssertClose(recorded.gx, plain.gx, rtol: 0);
        }
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
        const long Cap = 64L << 20;
        const int size = 70_001; // 560 KB of float64, a size no other test uses
        Chain(new Variable(NDArray.Ones(Rows, Cols)), new Twice()).Backward(); // installs the free list as the buffer source
        for (int i = 0; i < 150; i++) GradientMemory.Free(new double[size]);
        int held = GradientMemory.FreeBuffers(DType.Float64, size);
        Assert.InRange(held * (long)size * 8, 1, Cap);
        Assert.InRange(GradientMemory.FreeBytes, held * (long)size * 8, Cap);
        // Less than one more of them fits; a float32 buffer (4 bytes an element) that fills the room exactly is taken
        // in, and then not one more element.
        long room = Cap - GradientMemory.FreeBytes;
        Assert.InRange(room, 0, size * 8L - 1);
        var exact = new float[room / 4];
        GradientMemory.Free(exact);
        Assert.Equal(Cap, GradientMemory.FreeBytes);
        GradientMemory.Free(new float[1]);
        Assert.Equal(Cap, GradientMemory.FreeBytes);
        Assert.Equal(0, GradientMemory.FreeBuffers(DType.Float32, 1));
        Assert.Same(exact, BufferSource.Installed!.Rent(DType.Float32, exact.Length));
        for (int i = 0; i < held; i++) NDArray.Uninitialized(DType.Float64, [size]);
        Assert.Equal(0, GradientMemory.FreeBuffers(DType.Float64, size));
    }

    [Fact]
    public void AFreeBufferServesOnlyAllocationsOfItsElementType()
    {
        const int n = 70_003; // a size no other test uses
        Chain(new Variable(NDArray.Ones(Rows, Cols)), new Twice()).Backward(); // installs the free list as the buffer source
        var d = new double[n];
        GradientMemory.Free(d);
        Assert.Equal((1, 0), (GradientMemory.FreeBuffers(DType.Float64, n), GradientMemory.FreeBuffers(DType.Float32, n)));
        Assert.IsType<float[]>(NDArray.Uninitialized(DType.Float32, [n]).Buffer);
        var f = new float[n];
        GradientMemory.Free(f);
        Assert.Equal((1, 1), (GradientMemory.FreeBuffers(DType.Float64, n), GradientMemory.FreeBuffers(DType.Float32, n)));
        Assert.Same(f, NDArray.Uninitialized(DType.Float32, [n]).Buffer);
        Assert.Same(d, NDArray.Uninitialized(DType.Float64, [n]).Buffer);
        Assert.Equal((0, 0), (GradientMemory.FreeBuffers(DType.Float64, n), GradientMemory.FreeBuffers(DType.Float32, n)));
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
        AssertAmong(after.Returned!.Buffer, NextBuffers(2));
        // Honest functions pass: marked ones that keep nothing, unmarked ones that keep what they like.
        Utils.CheckKeepsNoGradients(xs => new Twice().Apply(F.Sin(xs[0])), NDArray.Ones(4));
        Utils.CheckKeepsNoGradients(xs => new Keeper().Apply(F.Sin(xs[0])), NDArray.Ones(4));
    }
}
