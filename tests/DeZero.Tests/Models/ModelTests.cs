using System.Text.Json;
using DeZero.Models;
using DeZero.Optimizers;
using F = DeZero.Functions;
using L = DeZero.Layers;

namespace DeZero.Tests.Models;

/// <summary>Model, Sequential and MLP, and the book's steps 45–47 against the Python DeZero (tests/data/layers.json).</summary>
[Collection("GlobalRandom")]
public class ModelTests
{
    static readonly JsonElement Ref = Reference.Load("layers");

    static double[] Doubles(string name) => Ref.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();

    static void AssertLosses(double[] expected, IReadOnlyList<double> actual, double rtol)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= rtol * Math.Abs(expected[i]),
                $"loss {i}: expected {expected[i]:R}, got {actual[i]:R}\nexpected: [{string.Join(", ", expected)}]\nactual:   [{string.Join(", ", actual)}]");
    }

    static (NDArray x, NDArray y) SinData()
    {
        RandomState.Global.Seed(0);
        var x = RandomState.Global.Rand(100, 1);
        return (x, NDArray.Sin(2 * Math.PI * x) + RandomState.Global.Rand(100, 1));
    }

    class TwoLayerNet : Model
    {
        readonly L.Linear l1, l2;

        public TwoLayerNet(int hiddenSize, int outSize)
        {
            l1 = new L.Linear(hiddenSize);
            l2 = new L.Linear(outSize);
        }

        public L.Linear L1 => l1;

        public override Variable Forward(Variable x) => l2.Call(F.Sigmoid(l1.Call(x)));
    }

    [Fact]
    public void Step45TwoLayerNetTrainsLikeTheBook()
    {
        var (x, y) = SinData();
        var model = new TwoLayerNet(10, 1);
        var losses = new List<double>();
        for (int i = 0; i < 10000; i++)
        {
            var loss = F.MeanSquaredError(y, model.Call(x));
            model.ClearGrads();
            loss.Backward();
            // The book's p.data -= lr * p.grad.data updates in place, so float32 parameters stay float32.
            foreach (var p in model.Params()) p.Data = (p.Data - 0.2 * p.Grad!.Data).AsType(p.DType);
            if (i % 1000 == 0) losses.Add((double)loss.Data);
        }
        AssertLosses(Doubles("step45_losses"), losses, 1e-5);
        Reference.AssertClose(Reference.Array(Ref.GetProperty("step45_W1")), model.L1.W.Data, rtol: 1e-4, atol: 1e-6);
    }

    [Fact]
    public void Step46MlpWithSgdTrainsLikeTheBook()
    {
        var (x, y) = SinData();
        var model = new MLP([10, 1]);
        var optimizer = new SGD(0.2).Setup(model);
        var losses = new List<double>();
        for (int i = 0; i < 10000; i++)
        {
            var loss = F.MeanSquaredError(y, model.Call(x));
            model.ClearGrads();
            loss.Backward();
            optimizer.Update();
            if (i % 1000 == 0) losses.Add((double)loss.Data);
        }
        AssertLosses(Doubles("step46_losses"), losses, 1e-5);
        Assert.All(model.Params(), p => Assert.Equal(DType.Float32, p.DType));
        Assert.True(losses[^1] < 0.1, $"final loss {losses[^1]}");
    }

    [Fact]
    public void Step47MlpOutputMatchesTheBook()
    {
        RandomState.Global.Seed(0);
        var model = new MLP([10, 3]);
        var y = model.Call(NDArray.FromArray(new[,] { { 0.2, -0.4 } }));
        Reference.AssertClose(Reference.Array(Ref.GetProperty("step47_y")), y.Data, rtol: 1e-6);
    }

    [Fact]
    public void MlpKeysAndActivation()
    {
        var relu = new MLP([4, 3, 2], F.ReLU);
        Assert.Equal(["l0/W", "l0/b", "l1/W", "l1/b", "l2/W", "l2/b"], relu.NamedParams().Select(e => e.Key));
        Assert.Equal(3, relu.Layers.Count);
        Assert.Same(relu.Layers[1].W, relu.NamedParams().ElementAt(2).Param);

        var x = RandomState.Global.Randn(5, 6);
        var y = relu.Call(x);
        Assert.Equal([5, 2], y.Shape);
        // The same layers applied by hand: ReLU between them, nothing after the last.
        var l = relu.Layers;
        var expected = l[2].Call(F.ReLU(l[1].Call(F.ReLU(l[0].Call(x)))));
        Reference.AssertClose(expected.Data, y.Data, rtol: 0);
        var sigmoid = new MLP([3, 2]);
        var ys = sigmoid.Call(x);
        Reference.AssertClose(sigmoid.Layers[1].Call(F.Sigmoid(sigmoid.Layers[0].Call(x))).Data, ys.Data, rtol: 0);

        Assert.Throws<ArgumentException>(() => new MLP([]));
        Assert.Throws<ArgumentNullException>(() => new MLP(null!));
    }

    [Fact]
    public void SequentialChainsItsLayersUnderKeysL0L1()
    {
        var rng = new RandomState(3);
        var seq = new Sequential(new L.Linear(4, rng: rng), new MLP([3, 2]), new L.Linear(1, nobias: true, rng: rng));
        Assert.Equal(["l0/W", "l0/b", "l1/l0/W", "l1/l0/b", "l1/l1/W", "l1/l1/b", "l2/W"], seq.NamedParams().Select(e => e.Key));
        var x = rng.Randn(2, 5);
        var y = seq.Call(x);
        var expected = seq.Layers[2].Call(seq.Layers[1].Call(seq.Layers[0].Call(x)));
        Reference.AssertClose(expected.Data, y.Data, rtol: 0);
        Assert.Equal([2, 1], y.Shape);
        Assert.Throws<ArgumentNullException>(() => new Sequential(new L.Linear(1), null!));
    }
}
