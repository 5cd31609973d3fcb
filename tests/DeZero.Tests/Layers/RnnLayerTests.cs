using System.Text.Json;
using DeZero.Layers;
using F = DeZero.Functions;
using L = DeZero.Layers;

namespace DeZero.Tests.Layers;

/// <summary>L.RNN and L.LSTM against the Python DeZero (tests/data/layers2.json): weights, outputs over several steps, ResetState, BPTT gradients.</summary>
[Collection("GlobalRandom")]
public class RnnLayerTests
{
    static readonly JsonElement Ref = Reference.Load("layers2");

    static NDArray R(string section, string name) => Reference.Array(Ref.GetProperty(section).GetProperty(name));

    static NDArray[] Rs(string section, string name) =>
        Ref.GetProperty(section).GetProperty(name).EnumerateArray().Select(Reference.Array).ToArray();

    static Dictionary<string, NDArray> RDict(JsonElement e) =>
        e.EnumerateObject().ToDictionary(p => p.Name, p => Reference.Array(p.Value));

    static Dictionary<string, Parameter> Named(Layer l) => l.NamedParams().ToDictionary(e => e.Key, e => e.Param);

    // Seeds the global generator and draws the inputs and loss weights the generator drew before building the layer.
    static (NDArray xs, NDArray cs) Inputs(string section, int steps, int batch, int inSize, int hidden, int lossSteps)
    {
        RandomState.Global.Seed(0);
        var xs = RandomState.Global.Rand(steps, batch, inSize);
        var cs = RandomState.Global.Rand(lossSteps, batch, hidden);
        Reference.AssertClose(R(section, "xs"), xs, rtol: 0, what: "xs");
        Reference.AssertClose(R(section, "cs"), cs, rtol: 0, what: "cs");
        return (xs, cs);
    }

    static NDArray Step(NDArray a, int t) => a[t];

    static void AssertGrads(Dictionary<string, NDArray> expected, Layer layer, double rtol)
    {
        var named = Named(layer);
        Assert.Equal(expected.Keys.Order(), named.Keys.Order());
        foreach (var (key, g) in expected)
            Reference.AssertClose(g, named[key].Grad!.Data, rtol, atol: rtol, what: "grad " + key);
    }

    [Fact]
    public void RnnMatchesTheBookOverStepsBackwardAndAfterResetState()
    {
        var (xs, cs) = Inputs("rnn", 5, 2, 2, 3, 3);
        var rnn = new L.RNN(3);
        Assert.Null(rnn.H);
        var hs = new Variable[3];
        Variable? loss = null;
        for (int t = 0; t < 3; t++)
        {
            hs[t] = rnn.Call(Step(xs, t));
            Assert.Same(hs[t], rnn.H);
            var term = F.Sum(hs[t] * Step(cs, t));
            loss = loss is null ? term : loss + term;
        }
        loss!.Backward();
        var expected = Rs("rnn", "hs");
        for (int t = 0; t < 3; t++) Reference.AssertClose(expected[t], hs[t].Data, 1e-12, what: $"h{t}");
        AssertGrads(RDict(Ref.GetProperty("rnn").GetProperty("grads")), rnn, 1e-12);
        Assert.Equal(["x2h/W", "x2h/b", "h2h/W"], rnn.NamedParams().Select(e => e.Key));

        rnn.ResetState();
        Assert.Null(rnn.H);
        var after = Rs("rnn", "after_reset");
        Reference.AssertClose(after[0], rnn.Call(Step(xs, 3)).Data, 1e-12, what: "after reset 0");
        Reference.AssertClose(after[1], rnn.Call(Step(xs, 4)).Data, 1e-12, what: "after reset 1");
    }

    [Fact]
    public void EagerRnnDrawsTheBooksWeights()
    {
        RandomState.Global.Seed(0);
        var rnn = new L.RNN(3, inSize: 3);
        var named = Named(rnn);
        var expected = RDict(Ref.GetProperty("rnn_eager"));
        Assert.Equal(expected.Keys.Order(), named.Keys.Order());
        foreach (var (key, w) in expected) Reference.AssertClose(w, named[key].Data, rtol: 0, what: key);
        Assert.Equal(3, rnn.HiddenSize);
    }

    [Fact]
    public void RnnWithInputWidthOtherThanHiddenSizeRunsSeveralSteps()
    {
        var rnn = new L.RNN(4, inSize: 2, rng: new RandomState(3));
        Assert.Equal([2, 4], Named(rnn)["x2h/W"].Data.Shape);
        Assert.Equal([4, 4], Named(rnn)["h2h/W"].Data.Shape);
        var x = NDArray.Ones(1, 2);
        var h1 = rnn.Call(x);
        var h2 = rnn.Call(x);
        var w = Named(rnn);
        var expected = NDArray.Tanh(NDArray.MatMul(x, w["x2h/W"].Data) + w["x2h/b"].Data + NDArray.MatMul(h1.Data, w["h2h/W"].Data));
        Reference.AssertClose(expected, h2.Data, 1e-10);
    }

    [Fact]
    public void LstmMatchesTheBookUnrolledForThreeStepsThenAfterResetState()
    {
        var (xs, cs) = Inputs("lstm", 6, 2, 3, 4, 3);
        var lstm = new L.LSTM(4);
        var xvs = new Variable[3];
        var hs = new Variable[3];
        var cells = new Variable[3];
        Variable? loss = null;
        for (int t = 0; t < 3; t++)
        {
            xvs[t] = new Variable(Step(xs, t));
            hs[t] = lstm.Call(xvs[t]);
            cells[t] = lstm.C!;
            Assert.Same(hs[t], lstm.H);
            var term = F.Sum(hs[t] * Step(cs, t));
            loss = loss is null ? term : loss + term;
        }
        loss!.Backward();

        var named = Named(lstm);
        var weights = RDict(Ref.GetProperty("lstm").GetProperty("W"));
        foreach (var (key, w) in weights) Reference.AssertClose(w, named[key].Data, rtol: 0, what: key);
        var expectedH = Rs("lstm", "hs");
        var expectedC = Rs("lstm", "cells");
        for (int t = 0; t < 3; t++)
        {
            Reference.AssertClose(expectedH[t], hs[t].Data, 1e-12, what: $"h{t}");
            Reference.AssertClose(expectedC[t], cells[t].Data, 1e-12, what: $"c{t}");
        }
        AssertGrads(RDict(Ref.GetProperty("lstm").GetProperty("grads")), lstm, 1e-11);
        var gxs = Rs("lstm", "gxs");
        for (int t = 0; t < 3; t++) Reference.AssertClose(gxs[t], xvs[t].Grad!.Data, 1e-11, atol: 1e-14, what: $"gx{t}");

        lstm.ResetState();
        Assert.Null(lstm.H);
        Assert.Null(lstm.C);
        var after = Rs("lstm", "after_reset");
        for (int t = 0; t < 3; t++) Reference.AssertClose(after[t], lstm.Call(Step(xs, 3 + t)).Data, 1e-12, what: $"after reset {t}");
    }

    [Fact]
    public void LstmKeysAndEagerWeightsFollowTheBooksDeclarationOrder()
    {
        RandomState.Global.Seed(0);
        var lstm = new L.LSTM(4, inSize: 3);
        string[] order = ["x2f", "x2i", "x2o", "x2u", "h2f", "h2i", "h2o", "h2u"];
        Assert.Equal(order.SelectMany(n => n.StartsWith('x') ? new[] { n + "/W", n + "/b" } : [n + "/W"]),
            lstm.NamedParams().Select(e => e.Key));
        var named = Named(lstm);
        foreach (var (key, w) in RDict(Ref.GetProperty("lstm_eager"))) Reference.AssertClose(w, named[key].Data, rtol: 0, what: key);
        Assert.Equal(4, lstm.HiddenSize);
    }

    [Fact]
    public void AGivenRandomStateReplacesTheGlobalOne()
    {
        RandomState.Global.Seed(5);
        var fromGlobal = new L.LSTM(3, inSize: 2).NamedParams().Select(e => e.Param.Data).ToArray();
        var own = new L.LSTM(3, inSize: 2, rng: new RandomState(5)).NamedParams().Select(e => e.Param.Data).ToArray();
        for (int i = 0; i < own.Length; i++) Reference.AssertClose(fromGlobal[i], own[i], rtol: 0);
        RandomState.Global.Seed(5);
        var rnnGlobal = new L.RNN(3, inSize: 2).NamedParams().Select(e => e.Param.Data).ToArray();
        var rnnOwn = new L.RNN(3, inSize: 2, rng: new RandomState(5)).NamedParams().Select(e => e.Param.Data).ToArray();
        for (int i = 0; i < rnnOwn.Length; i++) Reference.AssertClose(rnnGlobal[i], rnnOwn[i], rtol: 0);
    }

    [Fact]
    public void BadInputNamesTheLayerAndShapes()
    {
        var lstm = new L.LSTM(4, rng: new RandomState(1));
        var e = Assert.Throws<ArgumentException>(() => lstm.Call(NDArray.Ones(3)));
        Assert.Contains("L.LSTM(4)", e.Message);
        Assert.Contains("(3,)", e.Message);
        lstm.Call(NDArray.Ones(2, 3));
        e = Assert.Throws<ArgumentException>(() => lstm.Call(NDArray.Ones(1, 3)));
        Assert.Contains("L.LSTM(4)", e.Message);
        Assert.Contains("(1, 3)", e.Message);
        Assert.Contains("(2, 4)", e.Message);
        Assert.Contains("ResetState", e.Message);
        lstm.ResetState();
        Assert.Equal([1, 4], lstm.Call(NDArray.Ones(1, 3)).Shape);

        var rnn = new L.RNN(2, rng: new RandomState(1));
        e = Assert.Throws<ArgumentException>(() => rnn.Call(NDArray.Ones(1, 2, 3)));
        Assert.Contains("L.RNN(2)", e.Message);
        Assert.Contains("(1, 2, 3)", e.Message);
    }

    [Fact]
    public void BadSizesAreRejected()
    {
        Assert.Contains("L.RNN", Assert.Throws<ArgumentOutOfRangeException>(() => new L.RNN(0)).Message);
        Assert.Contains("L.RNN", Assert.Throws<ArgumentOutOfRangeException>(() => new L.RNN(2, inSize: -1)).Message);
        Assert.Contains("L.LSTM", Assert.Throws<ArgumentOutOfRangeException>(() => new L.LSTM(-3)).Message);
        Assert.Contains("L.LSTM", Assert.Throws<ArgumentOutOfRangeException>(() => new L.LSTM(3, inSize: 0)).Message);
    }
}
