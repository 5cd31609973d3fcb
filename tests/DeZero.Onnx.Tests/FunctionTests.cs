using DeZero.Layers;
using DeZero.Models;
using F = DeZero.Functions;
using L = DeZero.Layers;

namespace DeZero.Onnx.Tests;

/// <summary>
/// Each mapped function alone, exported at batch 2 and run in ONNX Runtime at batches 2 and 3 against DeZero, so
/// both the mapping and the batch-independent form of every shape it bakes are checked.
/// </summary>
public class FunctionTests
{
    /// <summary>A function of the batch, the shape of one sample and the input's dtype.</summary>
    public sealed record Case(Func<Variable, Variable> F, int[] Sample, DType DType = DType.Float32);

    static readonly RandomState Rng = new(7);
    static NDArray R(params int[] shape) => Rng.Randn(shape).AsType(DType.Float32);
    static readonly NDArray W43 = R(4, 3), W34 = R(3, 4), B3 = R(3), C4 = R(4), Positive4 = NDArray.Abs(R(4)) + 0.5f;
    static readonly NDArray ConvW = R(3, 2, 3, 3), ConvB = R(3), DeconvW = R(2, 3, 3, 3), Embed = R(10, 4);
    static readonly NDArray Gamma = R(2), Beta = R(2), Mean = R(2), Var = NDArray.Abs(R(2)) + 0.5f;
    static readonly NDArray W21 = R(21, 5);
    static readonly NDArray Mask = NDArray.FromArray(new[] { true, false, true, true });

    static readonly Dictionary<string, Case> Cases = new()
    {
        ["Add"] = new(x => x + C4, [4]),
        ["AddSelf"] = new(x => x + x, [4]),
        ["Sub"] = new(x => C4 - x, [4]),
        ["Mul"] = new(x => x * x, [4]),
        ["Div"] = new(x => x / Positive4, [4]),
        ["Neg"] = new(x => -x, [4]),
        ["Pow"] = new(x => x.Pow(3), [4]),
        ["Square"] = new(F.Square, [4]),
        ["Exp"] = new(F.Exp, [4]),
        ["Log"] = new(x => F.Log(x * x + 1.0), [4]),
        ["Sin"] = new(F.Sin, [4]),
        ["Cos"] = new(F.Cos, [4]),
        ["Tanh"] = new(F.Tanh, [4]),
        ["Sigmoid"] = new(F.Sigmoid, [4]),
        ["ReLU"] = new(F.ReLU, [4]),
        ["LeakyReLU"] = new(x => F.LeakyReLU(x, 0.1), [4]),
        ["Softmax"] = new(x => F.Softmax(x), [4]),
        ["SoftmaxAxis2"] = new(x => F.Softmax(x, 2), [3, 4]),
        ["LogSoftmax"] = new(x => F.LogSoftmax(x), [4]),
        ["Clip"] = new(x => F.Clip(x, -0.5, 0.5), [4]),
        ["ClipOneSided"] = new(x => F.Clip(x, double.NegativeInfinity, 0.3), [4]),
        ["Linear"] = new(x => F.Linear(x, W43, B3), [4]),
        ["LinearNoBias"] = new(x => F.Linear(x, W43), [4]),
        ["MatMul"] = new(x => F.MatMul(x, W43), [4]),
        ["MatMulTransposedW"] = new(x => F.MatMul(x, W34, false, true), [4]),
        ["MatMulOverBatch"] = new(x => F.MatMul(x, x, true, false), [4]),
        ["MatMulStacked"] = new(x => F.MatMul(x, W43), [2, 4]),
        ["Reshape"] = new(x => F.Reshape(x, x.Shape[0], 2, 2), [4]),
        ["ReshapeThroughFlat"] = new(x => F.Reshape(F.Reshape(x, -1), x.Shape[0], 2, 2), [4]),
        ["ExpandDims"] = new(x => F.ExpandDims(x, 1), [4]),
        ["Transpose"] = new(x => F.Transpose(x, 0, 2, 3, 1), [2, 3, 4]),
        ["TransposeReversed"] = new(x => F.Transpose(x), [3, 4]),
        ["Flatten"] = new(F.Flatten, [2, 3]),
        ["Sum"] = new(x => F.Sum(x, 1), [3, 4]),
        ["SumKeepDims"] = new(x => F.Sum(x, -1, keepdims: true), [3, 4]),
        ["SumAll"] = new(x => F.Sum(x), [4]),
        ["SumOverBatch"] = new(x => F.Sum(x, 0), [4]),
        ["Average"] = new(x => F.Average(x, 1), [4]),
        ["SumTo"] = new(x => F.SumTo(x, x.Shape[0], 1, 4), [3, 4]),
        ["SumToLeading"] = new(x => F.SumTo(x, 1, 4), [3, 4]),
        ["BroadcastTo"] = new(x => F.BroadcastTo(x, x.Shape[0], 3, 4), [1, 4]),
        ["Max"] = new(x => F.Max(x, 1), [3, 4]),
        ["MaxAll"] = new(x => F.Max(x), [4]),
        ["Min"] = new(x => F.Min(x, 2, keepdims: true), [3, 4]),
        ["Concat"] = new(x => F.Concat([x, F.Sin(x)], 1), [4]),
        ["GetItemSlice"] = new(x => F.GetItem(x, Slice.All, Slice.Of(1, null)), [4]),
        ["GetItemNegativeStep"] = new(x => F.GetItem(x, Slice.All, Slice.Of(null, null, -2)), [4]),
        ["GetItemReversedBatch"] = new(x => F.GetItem(x, Slice.Of(null, null, -1)), [4]),
        ["GetItemInt"] = new(x => F.GetItem(x, Slice.All, 2), [3, 4]),
        ["GetItemLastInt"] = new(x => F.GetItem(x, NDIndex.Ellipsis, -1), [3, 4]),
        ["GetItemFirstSample"] = new(x => F.GetItem(x, 0), [3, 4]),
        ["GetItemNewAxis"] = new(x => F.GetItem(x, Slice.All, NDIndex.NewAxis, 1..), [4]),
        ["GetItemArray"] = new(x => F.GetItem(x, Slice.All, NDArray.FromArray(new[] { 3, 0, -1, 0 })), [4]),
        ["GetItemArrays"] = new(x => F.GetItem(x, Slice.All, NDArray.FromArray(new[] { 0, 2 }), NDArray.FromArray(new[] { 1, 3 })), [3, 4]),
        ["GetItemIntAndArray"] = new(x => F.GetItem(x, Slice.All, 1, NDArray.FromArray(new[,] { { 0, 1 }, { 3, 3 } })), [3, 4]),
        ["GetItemSeparatedArrays"] = new(x => F.GetItem(x, Slice.All, NDArray.FromArray(new[] { 0, 2 }), Slice.All, NDArray.FromArray(new[] { 1, 0 })), [3, 4, 2]),
        ["GetItemArrayFirst"] = new(x => F.GetItem(x, NDArray.FromArray(new[] { 1, 0 }), Slice.All, 1), [3, 4]),
        ["GetItemSamplesFromTheEnd"] = new(x => F.GetItem(x, NDArray.FromArray(new[] { -1, 0, -2 })), [4]),
        ["GetItemMask"] = new(x => F.GetItem(x, Slice.All, Mask), [4]),
        ["Conv2d"] = new(x => F.Conv2d(x, ConvW, ConvB, stride: 2, pad: 1), [2, 6, 5]),
        ["Conv2dNoBias"] = new(x => F.Conv2d(x, ConvW), [2, 5, 5]),
        ["Deconv2d"] = new(x => F.Deconv2d(x, DeconvW, ConvB, stride: 2, pad: 1), [2, 4, 3]),
        ["Deconv2dOutsize"] = new(x => F.Deconv2d(x, DeconvW, null, stride: 2, pad: 1, outsize: (8, 6)), [2, 4, 3]),
        ["Pooling"] = new(x => F.Pooling(x, 2, 2), [2, 4, 4]),
        ["PoolingPadded"] = new(x => F.Pooling(x - 3.0, 3, 2, 1), [2, 5, 5]),
        ["AveragePooling"] = new(x => F.AveragePooling(x, 3, 2, 1), [2, 5, 5]),
        ["BatchNorm"] = new(x => F.BatchNorm(x, Gamma, Beta, Mean, Var), [2]),
        ["BatchNormImages"] = new(x => F.BatchNorm(x, Gamma, Beta, Mean, Var), [2, 3, 3]),
        ["Dropout"] = new(x => F.Dropout(x), [4]),
        ["EmbedID"] = new(x => F.EmbedID(x, Embed), [3], DType.Int64),
        ["EmbedIDInt32"] = new(x => F.EmbedID(x, Embed), [3], DType.Int32),
        ["SinOfIntegers"] = new(F.Sin, [3], DType.Int64),
        ["SumOfInt32"] = new(x => F.Sum(x, 1), [3], DType.Int32),
        ["Float64Weights"] = new(x => F.Linear(x, W43.AsType(DType.Float64)), [4]),
    };

    public static TheoryData<string> Names => [.. Cases.Keys];

    static NDArray Sample(Case c, int batch) => c.DType switch
    {
        DType.Int64 or DType.Int32 => Rng.RandInt(0, 10, [batch, .. c.Sample]).AsType(c.DType),
        var t => Rng.Randn([batch, .. c.Sample]).AsType(t),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesDeZeroAtAnyBatch(string name)
    {
        var c = Cases[name];
        var x = new Variable(Sample(c, 2));
        Variable y;
        using (Config.TestMode()) y = c.F(x);
        using var dir = new TempDir();
        OnnxExporter.Export(y, dir.File("f.onnx"), x);
        using var onnx = new OnnxModel(dir.File("f.onnx"));
        Runtime.AssertClose(y.Data, onnx.Run(x.Data)[0]);
        var x3 = Sample(c, 3);
        using (Config.Using(false, false)) Runtime.AssertClose(c.F(x3).Data, onnx.Run(x3)[0]);
    }

    /// <summary>A layer made of a function, to chain functions in a <see cref="Sequential"/>.</summary>
    sealed class Fn(Func<Variable, Variable> f) : Layer
    {
        public override Variable Forward(Variable x) => f(x);
    }

    [Fact]
    public void SequentialOfEveryMappedFunction_ExportedAtBatch1_RunsAtBatch7()
    {
        RandomState.Global.Seed(8);
        var embed = new L.EmbedID(10, 16);
        // ONNX Runtime has no float64 convolution, so the book's float64 embeddings become float32.
        embed.W.Data = embed.W.Data.AsType(DType.Float32);
        var model = new Sequential(
            embed,                                                  // (N, 4) ids → (N, 4, 16)
            new Fn(x => F.Reshape(x, x.Shape[0], 4, 4, 4)),
            new L.Conv2d(6, 3, stride: 1, pad: 1), new L.BatchNorm(), new Fn(F.ReLU),
            new Fn(x => F.Pooling(x, 3, 2, 1)),                     // (N, 6, 2, 2)
            new L.Deconv2d(3, 3, stride: 2, pad: 1),                // (N, 3, 3, 3)
            new Fn(x => F.AveragePooling(x, 2, 1, 0)),              // (N, 3, 2, 2)
            new Fn(x => F.LeakyReLU(x, 0.05)),
            new Fn(x => F.Transpose(x, 0, 2, 3, 1)),
            new Fn(F.Flatten),                                      // (N, 12)
            new L.Linear(8), new Fn(F.Sigmoid),
            new Fn(x => F.Concat([F.Tanh(x), F.Sin(x), F.Cos(x), F.Exp(x), F.Log(x + 1.0)], 1)),   // (N, 40)
            new Fn(x => F.Clip(x.Pow(2) - x / 2.0 + F.Square(x) * 0.1, -1, 3)),
            new Fn(x => F.Dropout(x)),
            new Fn(x => F.GetItem(F.Reshape(x, x.Shape[0], 5, 8), Slice.All, NDArray.FromArray(new[] { 4, 0, 2 }), 1..)),  // (N, 3, 7)
            new Fn(x => F.BroadcastTo(F.ExpandDims(x, 1), x.Shape[0], 2, 3, 7)),
            new Fn(x => F.SumTo(x, x.Shape[0], 1, 3, 7) + F.Max(x, 1, keepdims: true) - F.Min(x, 1, keepdims: true)),
            new Fn(x => F.Sum(F.Reshape(x, x.Shape[0], 21), 1, keepdims: true) * 0.01 + F.MatMul(F.Reshape(x, x.Shape[0], 21), W21)),   // (N, 5)
            new Fn(x => F.LogSoftmax(F.ReLU(x) + F.Softmax(-x, 0))));
        var ids = Rng.RandInt(0, 10, 1, 4);
        using (Config.Using(false, true)) model.Call(Rng.RandInt(0, 10, 5, 4));      // running statistics off 0 and 1
        using var dir = new TempDir();
        OnnxExporter.Export(model, ids, dir.File("all.onnx"));
        using var onnx = new OnnxModel(dir.File("all.onnx"));
        foreach (var x in new[] { ids, Rng.RandInt(0, 10, 7, 4) })
            using (Config.Using(false, false)) Runtime.AssertClose(model.Call(x).Data, onnx.Run(x)[0]);
    }
}
