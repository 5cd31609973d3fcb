using DeZero.Models;

namespace DeZero.Tests.Layers;

[Collection("GlobalRandom")]
public class WeightsTests
{
    static MLP Build(int seed)
    {
        RandomState.Global.Seed(seed);
        var m = new MLP([5, 3]);
        m.Call(NDArray.Ones([1, 2], DType.Float32));
        return m;
    }

    [Fact]
    public void SaveThenLoadRestoresEveryParameter()
    {
        var dir = Directory.CreateTempSubdirectory("dezero-weights").FullName;
        try
        {
            var path = Path.Combine(dir, "mlp.npz");
            var a = Build(1);
            a.SaveWeights(path);
            var b = Build(2);
            b.LoadWeights(path);
            var x = NDArray.FromArray(new float[,] { { 0.5f, -1f }, { 2f, 3f } });
            Reference.AssertClose(a.Call(x).Data, b.Call(x).Data, 0);
            Assert.Equal(a.NamedParams().Select(e => e.Key), new[] { "l0/W", "l0/b", "l1/W", "l1/b" });
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void LoadsWeightsSavedByThePythonDeZero()
    {
        var r = Reference.Load("weights");
        var model = new MLP([5, 3]);
        model.LoadWeights(Path.Combine(AppContext.BaseDirectory, "data", "npy", "dezero_mlp.npz"));
        var y = model.Call(Reference.Array(r.GetProperty("x")));
        Reference.AssertClose(Reference.Array(r.GetProperty("y")), y.Data, 1e-6);
    }

    [Fact]
    public void MismatchedFileNamesEveryProblemAndChangesNothing()
    {
        var dir = Directory.CreateTempSubdirectory("dezero-weights").FullName;
        try
        {
            var path = Path.Combine(dir, "other.npz");
            DeZero.IO.Npz.Save(path, new Dictionary<string, NDArray>
            {
                ["l0/W"] = NDArray.Zeros([3, 5], DType.Float32),
                ["l0/b"] = NDArray.Zeros([5], DType.Float32),
                ["l1/W"] = NDArray.Zeros([5, 3], DType.Float32),
                ["l9/b"] = NDArray.Zeros([3], DType.Float32),
            });
            var model = Build(3);
            var before = model.NamedParams().Select(e => e.Param.Data.Copy()).ToList();
            var e = Assert.Throws<InvalidDataException>(() => model.LoadWeights(path));
            Assert.Contains("'l0/W' has shape (3, 5)", e.Message);
            Assert.Contains("missing 'l1/b'", e.Message);
            Assert.Contains("extra 'l9/b'", e.Message);
            var after = model.NamedParams().Select(p => p.Param.Data).ToList();
            for (int i = 0; i < before.Count; i++) Reference.AssertClose(before[i], after[i], 0);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void CorruptFileGivesInvalidDataAndChangesNothing()
    {
        var dir = Directory.CreateTempSubdirectory("dezero-weights").FullName;
        try
        {
            var path = Path.Combine(dir, "bad.npz");
            File.WriteAllBytes(path, [0x50, 0x4b, 0x03, 0x04, 1, 2, 3]);
            var model = Build(4);
            var w = model.NamedParams().First().Param.Data;
            Assert.Throws<InvalidDataException>(() => model.LoadWeights(path));
            Assert.Same(w, model.NamedParams().First().Param.Data);
        }
        finally { Directory.Delete(dir, true); }
    }
}

/// <summary>LoadWeights keeps each parameter's dtype, converting the file's arrays like PyTorch's load_state_dict.</summary>
public sealed class WeightsDTypeTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("dezero-weights").FullName;

    public void Dispose() => Directory.Delete(dir, true);

    string Save(NDArray w, NDArray b)
    {
        var path = Path.Combine(dir, "w.npz");
        DeZero.IO.Npz.Save(path, new Dictionary<string, NDArray> { ["W"] = w, ["b"] = b });
        return path;
    }

    [Fact]
    public void Int64AndFloat64ArraysLoadIntoFloat32ParametersAsFloat32()
    {
        var layer = new DeZero.Layers.Linear(3, inSize: 2, rng: new RandomState(0));
        layer.LoadWeights(Save(NDArray.Arange(6).Reshape(2, 3), NDArray.FromArray(new[] { 0.5, 1.25, -2.0 })));
        Assert.Equal(DType.Float32, layer.W.DType);
        Assert.Equal(DType.Float32, layer.b!.DType);
        Assert.Equal(new float[] { 0, 1, 2, 3, 4, 5 }, layer.W.Data.ToArray<float>());
        Assert.Equal(new float[] { 0.5f, 1.25f, -2f }, layer.b.Data.ToArray<float>());
    }

    [Fact]
    public void ALazyParameterTakesTheFilesDTypeOnlyWhenItIsFloat()
    {
        var path = Save(NDArray.Arange(6).Reshape(2, 3), NDArray.Zeros(3));
        var lazy = new DeZero.Layers.Linear(3, rng: new RandomState(0));
        var e = Assert.Throws<InvalidDataException>(() => lazy.LoadWeights(path));
        Assert.Contains("'W' is int64", e.Message);
        Assert.False(lazy.W.HasData);

        var ok = new DeZero.Layers.Linear(3, rng: new RandomState(0));
        ok.LoadWeights(Save(NDArray.Arange(6.0).Reshape(2, 3), NDArray.Zeros(3)));
        Assert.Equal(DType.Float64, ok.W.DType);
    }
}
