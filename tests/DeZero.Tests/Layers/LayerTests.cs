using DeZero.Layers;
using DeZero.Models;
using F = DeZero.Functions;
using L = DeZero.Layers;

namespace DeZero.Tests.Layers;

/// <summary>Parameter and sub-layer discovery, keys, Call/Forward forms and ClearGrads of the Layer base.</summary>
[Collection("GlobalRandom")]
public class LayerTests
{
    [Fact]
    public void DataArraysTakeNoGradientButTheSameWeightGradients()
    {
        var x = new RandomState(3).Randn(4, 3);
        var model = new Sequential(new L.Linear(5, rng: new RandomState(4)), new L.Linear(2, rng: new RandomState(6)));
        var fromArray = F.Sum(model.Call(x));
        fromArray.Backward();
        var weightGrads = model.Params().Select(p => p.Grad!.Data).ToArray();
        var input = FirstInput(fromArray);
        Assert.Same(x, input.Data);
        Assert.Null(input.Grad);

        model.ClearGrads();
        var xv = new Variable(x);
        F.Sum(model.Call(xv)).Backward();
        Assert.NotNull(xv.Grad);
        foreach (var (p, g) in model.Params().Zip(weightGrads)) Reference.AssertClose(g, p.Grad!.Data);

        var conv = new L.Conv2d(2, 3, pad: 1, rng: new RandomState(8));
        var image = new RandomState(9).Randn(1, 1, 4, 4);
        var fromImage = F.Sum(conv.Call(image));
        fromImage.Backward();
        Assert.Null(FirstInput(fromImage).Grad);
        Assert.NotNull(conv.W.Grad);

        var w = new Variable(new RandomState(5).Randn(3, 2));
        var y = F.Linear(x, w);
        y.Backward();
        Assert.Null(FirstInput(y).Grad);
        Assert.NotNull(w.Grad);

        Assert.Throws<ArgumentNullException>(() => model.Call((NDArray)null!));
        Assert.Throws<ArgumentNullException>(() => model.Call((Variable)null!));

        // The graph's first variable: follow the first input of each creator down to a leaf.
        static Variable FirstInput(Variable v)
        {
            while (v.Creator is { } f) v = f.Inputs[0];
            return v;
        }
    }

    static readonly RandomState Rng = new(0);

    static Parameter P(double v, string? name = null) => new(NDArray.FromArray(new[] { v }), name);

    static string[] Keys(Layer l) => l.NamedParams().Select(e => e.Key).ToArray();

    // Fields of every kind the discovery must see: public, private, readonly, auto-property, a Variable-typed
    // field holding a Parameter, and members it must skip (plain Variable state, null, collections, delegates).
    class Block : Layer
    {
        public Parameter first = P(1);
        readonly Parameter _second = P(2);
        public Parameter Third { get; } = P(3);
        public Variable state = new(NDArray.Scalar(0.0));
        public Variable held = P(4);
        public Parameter? missing = null;
        public List<Parameter> list = [P(99)];
        public Func<Variable, Variable> act = F.Sigmoid;
        public int count = 7;

        public Parameter Second => _second;
        public override Variable Forward(Variable x) => x * first;
    }

    [Fact]
    public void FindsParametersOfEveryMemberKindInDeclarationOrder()
    {
        var b = new Block();
        Assert.Equal(["first", "_second", "Third", "held"], Keys(b));
        Assert.Equal(new[] { 1.0, 2, 3, 4 }, b.Params().Select(p => (double)p.Data));
        Assert.Same(b.Second, b.NamedParams().ElementAt(1).Param);
    }

    class Derived : Block
    {
        public L.Linear inner = new(2, inSize: 3, rng: Rng);
        Parameter _own = P(5);
        public Parameter Own => _own;
    }

    [Fact]
    public void BaseClassMembersComeFirstAndSubLayersAreFlattenedWithSlashKeys()
    {
        var d = new Derived();
        Assert.Equal(["first", "_second", "Third", "held", "inner/W", "inner/b", "_own"], Keys(d));
        Assert.Same(d.inner.W, d.NamedParams().Single(e => e.Key == "inner/W").Param);
        Assert.Same(d.Own, d.Params().Last());
    }

    class Nested : Model
    {
        public Nested(RandomState rng)
        {
            enc = new Derived();
            head = new L.Linear(1, nobias: true, inSize: 2, rng: rng);
        }

        public Derived enc;
        public L.Linear head;
    }

    [Fact]
    public void ParamsIsDepthFirstThroughSeveralLevels()
    {
        var n = new Nested(Rng);
        Assert.Equal(["enc/first", "enc/_second", "enc/Third", "enc/held", "enc/inner/W", "enc/inner/b", "enc/_own", "head/W"], Keys(n));
        Assert.Equal(n.NamedParams().Select(e => e.Param), n.Params());
    }

    // The brief's example: a model is its fields and a Forward, nothing else.
    class TwoLayerNet : Model
    {
        L.Linear l1 = new(10), l2 = new(1);
        public override Variable Forward(Variable x) => l2.Call(F.Sigmoid(l1.Call(x)));
    }

    [Fact]
    public void LazyParametersAreListedBeforeAndAfterTheirFirstCall()
    {
        var model = new TwoLayerNet();
        Assert.Equal(["l1/W", "l1/b", "l2/W", "l2/b"], Keys(model));
        var w1 = model.Params().First();
        Assert.False(w1.HasData);
        var y = model.Call(NDArray.Ones(5, 3));
        Assert.Equal([5, 1], y.Shape);
        Assert.Same(w1, model.Params().First());
        Assert.Equal([3, 10], w1.Shape);
        Assert.Equal([10, 1], model.Params().ElementAt(2).Shape);
    }

    class Primary(L.Linear body) : Model
    {
        public override Variable Forward(Variable x) => body.Call(x);
    }

    [Fact]
    public void CapturedPrimaryConstructorParametersAreKeyedByTheirName()
    {
        var m = new Primary(new L.Linear(2, inSize: 2, rng: Rng));
        Assert.Equal(["body/W", "body/b"], Keys(m));
    }

    [Fact]
    public void ASharedParameterIsUpdatedOnceButSavedUnderEachKey()
    {
        var shared = new L.Linear(2, inSize: 2, rng: Rng);
        var s = new Sequential(shared, shared);
        Assert.Equal(["l0/W", "l0/b", "l1/W", "l1/b"], Keys(s));
        Assert.Equal(2, s.Params().Count());
    }

    class Loop : Layer
    {
        public Layer? self;
    }

    [Fact]
    public void ALayerThatContainsItselfIsRejected()
    {
        var l = new Loop();
        l.self = l;
        var e = Assert.Throws<InvalidOperationException>(() => l.Params().ToList());
        Assert.Contains("Loop", e.Message);
    }

    class Clash : Block
    {
        public new Parameter first = P(8);
    }

    [Fact]
    public void TwoMembersWithOneKeyAreRejected()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new Clash().Params().ToList());
        Assert.Contains("'first'", e.Message);
    }

    class Registered : Layer
    {
        public Parameter p = P(1);

        public Registered(int n)
        {
            for (int i = 0; i < n; i++) AddLayer("l" + i, new L.Linear(1, inSize: 1, rng: Rng));
        }

        public void Add(string name) => AddLayer(name, new Registered(0));
    }

    [Fact]
    public void RegisteredLayersFollowTheMembersInRegistrationOrder()
    {
        var r = new Registered(2);
        Assert.Equal(["p", "l0/W", "l0/b", "l1/W", "l1/b"], Keys(r));
        Assert.Throws<ArgumentException>(() => r.Add("l1"));
        Assert.Throws<ArgumentException>(() => r.Add("p"));
        Assert.Throws<ArgumentException>(() => r.Add("a/b"));
        Assert.Throws<ArgumentException>(() => r.Add(""));
        r.Add("sub");
        Assert.Equal("sub/p", Keys(r)[^1]);
    }

    [Fact]
    public void ClearGradsClearsEveryParameter()
    {
        var n = new Nested(Rng);
        foreach (var p in n.Params()) p.Grad = new Variable(NDArray.Scalar(1.0));
        n.ClearGrads();
        Assert.All(n.Params(), p => Assert.Null(p.Grad));
    }

    // A layer with two inputs and two outputs overrides the array form only.
    class SumDiff : Layer
    {
        public override Variable[] Forward(params Variable[] xs) => [xs[0] + xs[1], xs[0] - xs[1]];
    }

    class Scale : Layer
    {
        public override Variable[] Forward(params Variable[] xs) => [xs[0] * 2.0];
    }

    class Fork : Layer
    {
        public override Variable[] Forward(params Variable[] xs) => [xs[0], -xs[0]];
    }

    class Nothing : Layer;

    [Fact]
    public void CallDispatchesToWhicheverForwardTheLayerOverrides()
    {
        Variable a = NDArray.Scalar(5.0), b = NDArray.Scalar(3.0);
        var ys = new SumDiff().Call(a, b);
        Assert.Equal(8.0, (double)ys[0].Data);
        Assert.Equal(2.0, (double)ys[1].Data);
        Assert.Equal(10.0, (double)new Scale().Call(a).Data);
        var fork = Assert.Throws<InvalidOperationException>(() => new Fork().Call(a));
        Assert.Contains("Fork returned 2 outputs", fork.Message);
        Assert.Equal(-5.0, (double)new Fork().Call([a])[1].Data);

        var block = new Block();
        Assert.Equal(5.0, (double)block.Call(a).Data);
        Assert.Equal(5.0, (double)block.Call([a])[0].Data);
        Assert.Throws<ArgumentException>(() => block.Call(a, b));
        var e = Assert.Throws<InvalidOperationException>(() => new Nothing().Call(a));
        Assert.Contains("Nothing must override Forward", e.Message);
        Assert.Throws<InvalidOperationException>(() => new Nothing().Call(a, b));
    }
}
