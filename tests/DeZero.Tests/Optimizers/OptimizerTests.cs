using System.Text.Json;
using DeZero.Layers;
using DeZero.Optimizers;

namespace DeZero.Tests.Optimizers;

/// <summary>
/// Each optimizer and hook over three updates with fixed gradients against the Python DeZero (tests/data/layers.json):
/// a float32 parameter with float32 gradients, a float32 one with float64 gradients (as in step 45) and a float64 one.
/// </summary>
public class OptimizerTests
{
    static readonly JsonElement Ref = Reference.Load("layers");

    sealed class Holder : Layer
    {
        public readonly Parameter a, b, c;

        public Holder()
        {
            var init = Ref.GetProperty("opt_init");
            a = new Parameter(Reference.Array(init[0]));
            b = new Parameter(Reference.Array(init[1]));
            c = new Parameter(Reference.Array(init[2]));
        }

        public Parameter[] All => [a, b, c];
    }

    static void RunAgainstReference(string name, Optimizer optimizer)
    {
        var h = new Holder();
        optimizer.Setup(h);
        var expected = Ref.GetProperty("opt").GetProperty(name);
        var grads = Ref.GetProperty("opt_grads");
        for (int step = 0; step < 3; step++)
        {
            for (int i = 0; i < 3; i++) h.All[i].Grad = new Variable(Reference.Array(grads[step][i]));
            optimizer.Update();
            for (int i = 0; i < 3; i++)
            {
                var p = h.All[i].Data;
                Reference.AssertClose(Reference.Array(expected[step][i]), p, p.DType == DType.Float32 ? 1e-6 : 1e-12, what: $"{name} step {step} param {i}");
            }
        }
    }

    public static TheoryData<string, Func<Optimizer>> Cases => new()
    {
        { "SGD", () => new SGD() },
        { "SGD_custom", () => new SGD(0.5) },
        { "MomentumSGD", () => new MomentumSGD() },
        { "MomentumSGD_custom", () => new MomentumSGD(0.05, 0.5) },
        { "AdaGrad", () => new AdaGrad() },
        { "AdaGrad_custom", () => new AdaGrad(0.5, 1e-3) },
        { "AdaDelta", () => new AdaDelta() },
        { "AdaDelta_custom", () => new AdaDelta(0.8, 1e-3) },
        { "Adam", () => new Adam() },
        { "Adam_custom", () => new Adam(0.05, 0.8, 0.9, 1e-3) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ThreeUpdatesMatchTheBook(string name, Func<Optimizer> create) => RunAgainstReference(name, create());

    public static TheoryData<string, IOptimizerHook[]> HookCases => new()
    {
        { "WeightDecay", [new WeightDecay(0.1)] },
        { "ClipGrad", [new ClipGrad(1.0)] },
        { "ClipGrad_loose", [new ClipGrad(100.0)] },
        { "WeightDecay_ClipGrad", [new WeightDecay(0.1), new ClipGrad(1.0)] },
    };

    [Theory]
    [MemberData(nameof(HookCases))]
    public void HooksMatchTheBook(string name, IOptimizerHook[] hooks)
    {
        var sgd = new SGD(0.1);
        foreach (var hook in hooks) sgd.AddHook(hook);
        RunAgainstReference(name, sgd);
    }

    [Fact]
    public void ClipGradLeavesSmallGradientsAloneAndScalesLargeOnesToMaxNorm()
    {
        var h = new Holder();
        h.a.Grad = new Variable(NDArray.Full([2, 3], 0.5, DType.Float32));
        h.c.Grad = new Variable(NDArray.Full([2, 2], 0.5));
        // |grad| = sqrt(10 · 0.25) ≈ 1.58: unchanged under max norm 2, scaled to norm 1 under max norm 1.
        new ClipGrad(2.0).Apply([h.a, h.c]);
        Assert.Equal(0.5, (double)h.c.Grad!.Data.Max());
        new ClipGrad(1.0).Apply([h.a, h.c]);
        double norm = Math.Sqrt((double)(h.a.Grad.Data * h.a.Grad.Data).Sum() + (double)(h.c.Grad.Data * h.c.Grad.Data).Sum());
        Assert.Equal(1.0, norm, 5);
        Assert.Equal(DType.Float32, h.a.Grad.DType);
    }

    [Fact]
    public void FreezeParamKeepsLayersAndParametersFixed()
    {
        var h = new Holder();
        var frozen = new FreezeParam(h.a, h.c);
        var before = h.All.Select(p => p.Data.Copy()).ToArray();
        var sgd = new SGD(0.1).Setup(h);
        sgd.AddHook(frozen);
        foreach (var p in h.All) p.Grad = new Variable(NDArray.OnesLike(p.Data));
        sgd.Update();
        Reference.AssertClose(before[0], h.a.Data, rtol: 0);
        Reference.AssertClose(before[1] - 0.1, h.b.Data, rtol: 0);
        Reference.AssertClose(before[2], h.c.Data, rtol: 0);
        Assert.Null(h.a.Grad);

        var model = new Outer();
        var l1 = model.l1.Params().ToArray();
        var opt = new SGD(1.0).Setup(model);
        opt.AddHook(new FreezeParam(model.l1));
        var w1 = model.l1.W.Data.Copy();
        var w2 = model.l2.W.Data.Copy();
        foreach (var p in model.Params()) p.Grad = new Variable(NDArray.OnesLike(p.Data));
        opt.Update();
        Reference.AssertClose(w1, model.l1.W.Data, rtol: 0);
        Reference.AssertClose((w2 - 1.0).AsType(DType.Float32), model.l2.W.Data, rtol: 0);
    }

    sealed class Outer : Layer
    {
        public readonly DeZero.Layers.Linear l1 = new(2, inSize: 2, rng: new RandomState(0)), l2 = new(1, inSize: 2, rng: new RandomState(1));
    }

    [Fact]
    public void UpdateSkipsParametersWithoutGradientAndRunsHooksOnTheOthers()
    {
        var h = new Holder();
        var before = h.b.Data.Copy();
        h.a.Grad = new Variable(NDArray.OnesLike(h.a.Data));
        h.c.Grad = new Variable(NDArray.OnesLike(h.c.Data));
        var seen = new List<Parameter>();
        var adam = new Adam().Setup(h);
        adam.AddHook(ps => seen.AddRange(ps));
        adam.Update();
        Assert.Equal([h.a, h.c], seen);
        Reference.AssertClose(before, h.b.Data, rtol: 0);
        Assert.Equal(1, adam.T);
        adam.Update();
        Assert.Equal(2, adam.T);
    }

    [Fact]
    public void AdamLrIsBiasCorrected()
    {
        var adam = new Adam(0.05, 0.8, 0.9, 1e-3).Setup(new Holder());
        for (int i = 0; i < 3; i++) adam.Update();
        Assert.Equal(3, adam.T);
        Assert.Equal(Ref.GetProperty("adam_custom_lr_t3").GetDouble(), adam.Lr, 15);
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void AdamInPlaceUpdateIsBitForBitTheBooksArrayExpressions(DType dt)
    {
        // 37 × 11 = 407 elements: whole vectors and a scalar tail. The expected values follow the book's expressions
        // with arrays (m += (1 − β1)(g − m); v += (1 − β2)(g² − v); p −= lr · m / (√v + eps)).
        var rng = new RandomState(7);
        var p = new Parameter(rng.Randn(37, 11).AsType(dt));
        var h = new Single(p);
        var adam = new Adam(0.01, 0.8, 0.9, 1e-3).Setup(h);
        NDArray data = p.Data, expected = data.Copy(), m = NDArray.ZerosLike(data), v = NDArray.ZerosLike(data);
        for (int step = 1; step <= 3; step++)
        {
            var g = rng.Randn(37, 11).AsType(dt);
            p.Grad = new Variable(g);
            adam.Update();
            m = m + (1 - 0.8) * (g - m);
            v = v + (1 - 0.9) * (g * g - v);
            expected = expected - adam.Lr * m / (NDArray.Sqrt(v) + 1e-3);
            Assert.Same(data, p.Data);
            Assert.Equal(expected.DType, p.Data.DType);
            Assert.Equal(expected.ToArray<double>(), p.Data.ToArray<double>());
        }
    }

    sealed class Single(Parameter p) : Layer
    {
        public readonly Parameter P = p;
    }

    [Fact]
    public void SetupReturnsTheOptimizerWithItsOwnType()
    {
        var h = new Holder();
        var sgd = new SGD(0.3);
        SGD same = sgd.Setup(h);
        Assert.Same(sgd, same);
        Assert.Same(h, sgd.Target);
        Assert.Equal(0.3, same.Lr);
    }

    [Fact]
    public void BadUseIsRejected()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new MomentumSGD().Update());
        Assert.Contains("Setup", e.Message);
        Assert.Throws<ArgumentNullException>(() => new SGD().Setup(null!));
        Assert.Throws<ArgumentNullException>(() => new SGD().AddHook((IOptimizerHook)null!));

        var h = new Holder();
        h.b.Grad = new Variable(NDArray.Ones(4, 3));
        var before = h.b.Data.Copy();
        var e2 = Assert.Throws<InvalidOperationException>(() => new SGD().Setup(h).Update());
        Assert.Contains("(3,)", e2.Message);
        Assert.Contains("(4, 3)", e2.Message);
        Reference.AssertClose(before, h.b.Data, rtol: 0);
    }
}

public class SharedGradientTests
{
    [Fact]
    public void HooksDoNotChangeAGradientSharedBetweenParameters()
    {
        var a = new Parameter(NDArray.FromArray(new[] { 1.0, 2.0 }), "a");
        var b = new Parameter(NDArray.FromArray(new[] { 3.0, 4.0 }), "b");
        (a + b).Backward();
        Assert.Same(a.Grad, b.Grad); // Add passes the same gradient to both inputs
        var decay = new DeZero.Optimizers.WeightDecay(0.5);
        decay.Apply([a, b]);
        Assert.Equal(new[] { 1.5, 2.0 }, a.Grad!.Data.ToArray<double>());
        Assert.Equal(new[] { 2.5, 3.0 }, b.Grad!.Data.ToArray<double>());
    }
}
