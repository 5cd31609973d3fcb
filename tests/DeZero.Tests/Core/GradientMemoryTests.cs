using DeZero.Layers;
using DeZero.Models;
using DeZero.Optimizers;
using F = DeZero.Functions;
using L = DeZero.Layers;

namespace DeZero.Tests.Core;

// Backward hands the buffers of large intermediate gradients back for reuse. Whatever a user can still reach
// (activations, leaf gradients, retained gradients, arrays a custom function kept) must never change afterwards.
public class GradientMemoryTests
{
    const int Big = 300; // 300×300 = 90 000 elements, above the pool's threshold

    // A function outside the library that keeps the gradient it is given and the one it returns.
    sealed class Keeper : UnaryFunction
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
        NDArray[] Train(bool createGraph)
        {
            var rng = new RandomState(7);
            var model = new Sequential(new L.Linear(400, rng: rng), new Fn(F.ReLU), new L.Linear(300, rng: rng), new Fn(F.Sigmoid), new L.Linear(10, rng: rng));
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

    sealed class Fn(Func<Variable, Variable> f) : Layer
    {
        public override Variable Forward(Variable x) => f(x);
    }
}
