using DeZero.Examples;
using DeZero.Layers;
using DeZero.Models;
using F = DeZero.Functions;
using L = DeZero.Layers;

namespace DeZero.Onnx.Tests;

/// <summary>The book's models exported, run in ONNX Runtime and compared with DeZero's own output.</summary>
public class ModelTests
{
    static NDArray Images(int n, int c, int size) => RandomState.Global.Randn(n, c, size, size).AsType(DType.Float32);

    // DeZero's inference output (test mode, no graph).
    static NDArray Expected(Layer model, NDArray x)
    {
        using (Config.Using(enableBackprop: false, train: false)) return model.Call(x).Data;
    }

    // Exports at the sample's batch and checks ONNX Runtime against DeZero on every given batch.
    static void ExportAndCompare(Layer model, NDArray sample, params NDArray[] batches)
    {
        using var dir = new TempDir();
        var path = dir.File("model.onnx");
        OnnxExporter.Export(model, sample, path);
        using var onnx = new OnnxModel(path);
        foreach (var x in batches.Prepend(sample))
            Runtime.AssertClose(Expected(model, x), onnx.Run(x)[0]);
    }

    [Fact]
    public void Mlp()
    {
        RandomState.Global.Seed(0);
        var x = RandomState.Global.Rand(16, 4).AsType(DType.Float32);
        ExportAndCompare(new MLP([10, 10, 3]), x);
    }

    [Fact]
    public void CnnExampleNetwork_ExportedAtBatch1_RunsAtBatch7()
    {
        RandomState.Global.Seed(1);
        ExportAndCompare(new Stage5.SimpleCnn(), Images(1, 1, 28), Images(7, 1, 28));
    }

    [Fact]
    public void Vgg16()
    {
        RandomState.Global.Seed(2);
        ExportAndCompare(new VGG16(), Images(1, 3, 32), Images(2, 3, 32));
    }

    [Fact]
    public void ResNet50WithBatchNormStatistics()
    {
        RandomState.Global.Seed(3);
        var model = new ResNet50();
        // Running statistics away from their initial 0 and 1, so the inference form of batch norm is exercised.
        using (Config.Using(enableBackprop: false, train: true)) model.Call(Images(2, 3, 32));
        ExportAndCompare(model, Images(1, 3, 32), Images(3, 3, 32));
    }

    [Fact]
    public void SqueezeNet()
    {
        RandomState.Global.Seed(4);
        ExportAndCompare(new SqueezeNet(), Images(1, 3, 40), Images(2, 3, 40));
    }

    /// <summary>An LSTM unrolled over the time axis of (N, T, D) input, then a linear layer on the last hidden state.</summary>
    sealed class UnrolledLstm : Model
    {
        readonly L.LSTM lstm = new(6);
        readonly L.Linear fc = new(4);

        public override Variable Forward(Variable x)
        {
            lstm.ResetState();
            Variable h = null!;
            for (int t = 0; t < x.Shape[1]; t++) h = lstm.Call(F.GetItem(x, Slice.All, t));
            return fc.Call(h);
        }
    }

    [Fact]
    public void LstmUnrolledOverFourSteps()
    {
        RandomState.Global.Seed(5);
        var x = RandomState.Global.Randn(1, 4, 3).AsType(DType.Float32);
        ExportAndCompare(new UnrolledLstm(), x, RandomState.Global.Randn(7, 4, 3).AsType(DType.Float32));
    }

    /// <summary>An Elman RNN unrolled over three inputs given separately, whose hidden states are summed.</summary>
    sealed class UnrolledRnn : Model
    {
        readonly L.RNN rnn = new(5);

        public override Variable[] Forward(params Variable[] xs)
        {
            rnn.ResetState();
            return [xs.Select(rnn.Call).Aggregate((a, b) => a + b)];
        }
    }

    [Fact]
    public void RnnOverThreeInputs()
    {
        RandomState.Global.Seed(9);
        var model = new UnrolledRnn();
        var xs = Enumerable.Range(0, 3).Select(_ => new Variable(RandomState.Global.Randn(1, 2).AsType(DType.Float32))).ToArray();
        Variable y;
        using (Config.TestMode()) y = model.Call(xs)[0];
        using var dir = new TempDir();
        OnnxExporter.Export([y], dir.File("rnn.onnx"), xs);
        using var onnx = new OnnxModel(dir.File("rnn.onnx"));
        Runtime.AssertClose(y.Data, onnx.Run([.. xs.Select(x => x.Data)])[0]);
        var batch7 = Enumerable.Range(0, 3).Select(_ => RandomState.Global.Randn(7, 2).AsType(DType.Float32)).ToArray();
        using (Config.Using(false, false))
            Runtime.AssertClose(model.Call([.. batch7.Select(a => new Variable(a))])[0].Data, onnx.Run(batch7)[0]);
    }

    [Fact]
    public void Float64Model()
    {
        RandomState.Global.Seed(6);
        var model = new MLP([5, 2], F.Tanh);
        var x = RandomState.Global.Randn(3, 4);
        ExportAndCompare(model, x, RandomState.Global.Randn(7, 4));
    }
}
