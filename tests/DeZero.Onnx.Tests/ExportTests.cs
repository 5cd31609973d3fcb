using DeZero.Models;
using Microsoft.ML.OnnxRuntime;
using F = DeZero.Functions;
using L = DeZero.Layers;

namespace DeZero.Onnx.Tests;

/// <summary>What the written file holds (names, shapes, opsets, folding) and how bad input is refused.</summary>
public class ExportTests
{
    static global::Onnx.ModelProto Read(string path) => global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));

    static Variable Input(params int[] shape) => new(new RandomState(0).Randn(shape).AsType(DType.Float32), "x");

    [Fact]
    public void InitializersAreNamedByWeightKeysAndTheBatchIsSymbolic()
    {
        RandomState.Global.Seed(0);
        var model = new Sequential(new L.Linear(3), new L.BatchNorm(), new L.Linear(2));
        using var dir = new TempDir();
        OnnxExporter.Export(model, new RandomState(1).Rand(4, 5).AsType(DType.Float32), dir.File("m.onnx"));
        var g = Read(dir.File("m.onnx")).Graph;
        string[] keys = ["l0/W", "l0/b", "l1/avg_mean", "l1/avg_var", "l1/beta", "l1/gamma", "l2/W", "l2/b"];
        Assert.Equal(keys, g.Initializer.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.Equal("input", g.Input.Single().Name);
        Assert.Equal("batch", g.Input[0].Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal(5, g.Input[0].Type.TensorType.Shape.Dim[1].DimValue);
        Assert.Equal("output", g.Output.Single().Name);
        Assert.Equal("batch", g.Output[0].Type.TensorType.Shape.Dim[0].DimParam);
    }

    [Fact]
    public void NamesAndFixedBatchFromOptions()
    {
        var x = Input(2, 4);
        var y = F.Softmax(F.Linear(x, new Parameter(NDArray.Ones(4, 3).AsType(DType.Float32), "W")));
        using var dir = new TempDir();
        // "Softmax" is also the name the exporter would give the softmax node: a chosen name wins.
        var options = new OnnxExportOptions { DynamicBatch = false, InputNames = ["pixels"], OutputNames = ["Softmax"] };
        OnnxExporter.Export(y, dir.File("m.onnx"), options, x);
        using var session = new InferenceSession(dir.File("m.onnx"));
        Assert.Equal(["pixels"], session.InputMetadata.Keys);
        Assert.Equal(["Softmax"], session.OutputMetadata.Keys);
        Assert.Equal([2, 4], session.InputMetadata["pixels"].Dimensions);
        Assert.Equal("W", Read(dir.File("m.onnx")).Graph.Initializer.Single().Name);
        Assert.Throws<OnnxRuntimeException>(() => Runtime.Run(dir.File("m.onnx"), NDArray.Ones(3, 4).AsType(DType.Float32)));
    }

    [Theory]
    [InlineData(13, 7)]
    [InlineData(17, 8)]
    [InlineData(18, 8)]
    [InlineData(20, 9)]
    [InlineData(21, 10)]
    public void EverySupportedOpsetRuns(int opset, long irVersion)
    {
        var x = Input(3, 4);
        var y = F.Max(F.LogSoftmax(x), 1) - F.Min(x, [1], keepdims: false) + F.Sum(x, 1);
        using var dir = new TempDir();
        OnnxExporter.Export(y, dir.File("m.onnx"), new OnnxExportOptions { Opset = opset }, x);
        var model = Read(dir.File("m.onnx"));
        Assert.Equal(irVersion, model.IrVersion);
        Assert.Equal(opset, model.OpsetImport.Single().Version);
        Runtime.AssertClose(y.Data, Runtime.Run(dir.File("m.onnx"), x.Data)[0]);
    }

    [Fact]
    public void PartsThatDependOnlyOnParametersAreFolded()
    {
        var x = Input(2, 4);
        var w = new Parameter(new RandomState(2).Randn(3, 4).AsType(DType.Float32), "W");
        var y = F.MatMul(x, F.Transpose(w) * 2.0);
        using var dir = new TempDir();
        OnnxExporter.Export(y, dir.File("m.onnx"), x);
        var g = Read(dir.File("m.onnx")).Graph;
        Assert.Equal(["MatMul", "Identity"], g.Node.Select(n => n.OpType));
        Assert.Equal([4L, 3L], g.Initializer.Single().Dims);
        Runtime.AssertClose(y.Data, Runtime.Run(dir.File("m.onnx"), x.Data)[0]);
    }

    [Fact]
    public void AnOutputThatIsAnInputPassesThrough()
    {
        var x = Input(2, 3);
        using var dir = new TempDir();
        OnnxExporter.Export([x, F.Exp(x)], dir.File("m.onnx"), [x], new OnnxExportOptions { OutputNames = ["same", "exp"] });
        var ys = Runtime.Run(dir.File("m.onnx"), x.Data);
        Runtime.AssertClose(x.Data, ys[0]);
        Runtime.AssertClose(F.Exp(x).Data, ys[1]);
    }

    [Fact]
    public void UnsupportedFunctionIsNamedWithItsPlaceInTheGraph()
    {
        var x = Input(1, 1, 4, 4);
        var y = F.Tanh(F.Sum(F.Im2col(x, 2), 1));
        using var dir = new TempDir();
        var e = Assert.Throws<NotSupportedException>(() => OnnxExporter.Export(y, dir.File("m.onnx"), x));
        Assert.Contains("Im2col has no ONNX mapping", e.Message);
        Assert.Contains("output ← Tanh ← Sum ← Im2col", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void LossIsNotExported()
    {
        var x = Input(2, 3);
        var loss = F.SoftmaxCrossEntropy(x, NDArray.FromArray(new[] { 0, 2 }));
        using var dir = new TempDir();
        var e = Assert.Throws<NotSupportedException>(() => OnnxExporter.Export(loss, dir.File("m.onnx"), x));
        Assert.Contains("SoftmaxCrossEntropy", e.Message);
    }

    [Fact]
    public void NoPathFromTheInputs()
    {
        var x = Input(2, 3);
        var y = F.Exp(x);
        using var dir = new TempDir();
        var e = Assert.Throws<InvalidOperationException>(() => OnnxExporter.Export(y, dir.File("m.onnx"), x.Data));
        Assert.Contains("does not depend on any input", e.Message);
        Variable z;
        using (Config.NoGrad()) z = F.Exp(x);
        e = Assert.Throws<InvalidOperationException>(() => OnnxExporter.Export(z, dir.File("m.onnx"), x));
        Assert.Contains("backprop off", e.Message);
    }

    [Fact]
    public void AnInputOffThePathIsNamed()
    {
        var (x, h) = (Input(2, 3), Input(2, 3));
        var e = Assert.Throws<InvalidOperationException>(() => OnnxExporter.Export(F.Exp(x), "unused.onnx", x, h));
        Assert.Contains("input 1 (x, float32 (2, 3)) is not on any path", e.Message);
        Assert.False(File.Exists("unused.onnx"));
    }

    [Fact]
    public void BoolArithmeticHasNoOnnxForm()
    {
        var x = new Variable(NDArray.FromArray(new[,] { { true, false } }), "mask");
        using var dir = new TempDir();
        var e = Assert.Throws<NotSupportedException>(() => OnnxExporter.Export(x + x, dir.File("m.onnx"), x));
        Assert.Contains("Add on bool has no ONNX form", e.Message);
    }

    [Fact]
    public void BatchNormInTrainingModeIsRefused()
    {
        var x = Input(4, 2);
        var y = F.BatchNorm(x, NDArray.Ones(2).AsType(DType.Float32), NDArray.Zeros(2).AsType(DType.Float32), NDArray.Zeros(2), NDArray.Ones(2));
        var e = Assert.Throws<InvalidOperationException>(() => OnnxExporter.Export(y, "bn.onnx", x));
        Assert.Contains("training mode", e.Message);
    }

    [Fact]
    public void UnwritablePathGivesAClearErrorAndLeavesNoFile()
    {
        var x = Input(2, 3);
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "missing", "m.onnx");
        var e = Assert.Throws<IOException>(() => OnnxExporter.Export(F.Exp(x), path, x));
        Assert.Contains(path, e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void FailedExportKeepsTheOldFile()
    {
        var x = Input(1, 1, 4, 4);
        using var dir = new TempDir();
        File.WriteAllText(dir.File("m.onnx"), "old");
        Assert.Throws<NotSupportedException>(() => OnnxExporter.Export(F.Im2col(x, 2), dir.File("m.onnx"), x));
        Assert.Equal("old", File.ReadAllText(dir.File("m.onnx")));
        Assert.Single(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void BadArgumentsAreNamed()
    {
        var x = Input(2, 3);
        var y = F.Exp(x);
        Assert.Throws<ArgumentOutOfRangeException>(() => OnnxExporter.Export(y, "m.onnx", new OnnxExportOptions { Opset = 12 }, x));
        Assert.Throws<ArgumentException>(() => OnnxExporter.Export(y, "m.onnx"));
        Assert.Throws<ArgumentException>(() => OnnxExporter.Export(y, "m.onnx", new OnnxExportOptions { OutputNames = ["a", "b"] }, x));
        Assert.Throws<ArgumentException>(() => OnnxExporter.Export([y, y], "m.onnx", [x], new OnnxExportOptions { OutputNames = ["a", "a"] }));
        var other = Input(5, 3);
        var e = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(y + F.Sum(other), "m.onnx", x, other));
        Assert.Contains("DynamicBatch = false", e.Message);
        Assert.False(File.Exists("m.onnx"));
    }
}
