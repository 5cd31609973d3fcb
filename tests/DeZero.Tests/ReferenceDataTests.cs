using System.Text.Json;

namespace DeZero.Tests;

/// <summary>Every committed reference file follows the one schema of tests/data/README.md.</summary>
public class ReferenceDataTests
{
    static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "data");

    public static TheoryData<string> Files => new(Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "data"), "*.json", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(Path.Combine(AppContext.BaseDirectory, "data"), f)).Order());

    static readonly string[] DTypes = ["float64", "float32", "int64", "int32", "bool"];

    [Theory, MemberData(nameof(Files))]
    public void EveryArrayHasDTypeShapeAndFlatData(string file)
    {
        var root = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, file))).RootElement;
        Walk(root, "$");

        void Walk(JsonElement e, string at)
        {
            if (e.ValueKind == JsonValueKind.Object)
            {
                if (e.TryGetProperty("dtype", out var dtype) && e.TryGetProperty("data", out _))
                {
                    CheckArray(e, dtype, $"{file} {at}");
                    return;
                }
                foreach (var p in e.EnumerateObject()) Walk(p.Value, at + "." + p.Name);
            }
            else if (e.ValueKind == JsonValueKind.Array)
            {
                int i = 0;
                foreach (var item in e.EnumerateArray()) Walk(item, $"{at}[{i++}]");
            }
        }
    }

    static void CheckArray(JsonElement e, JsonElement dtype, string at)
    {
        Assert.True(e.EnumerateObject().Select(p => p.Name).Order().SequenceEqual(["data", "dtype", "shape"]), $"{at}: an array has exactly dtype, shape and data");
        Assert.Contains(dtype.GetString(), DTypes);
        long size = e.GetProperty("shape").EnumerateArray().Aggregate(1L, (n, d) => n * d.GetInt64());
        var data = e.GetProperty("data");
        Assert.True(data.GetArrayLength() == size, $"{at}: shape holds {size} elements, data has {data.GetArrayLength()}");
        foreach (var v in data.EnumerateArray())
            Assert.True(v.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
                || v.ValueKind == JsonValueKind.String && v.GetString() is "nan" or "inf" or "-inf", $"{at}: element {v}");
    }

    public static TheoryData<string> FunctionFiles => new(Functions.FunctionTester.Files);

    [Theory, MemberData(nameof(FunctionFiles))]
    public void EveryFunctionCaseHasInputsGyYAndOneGradientPerInput(string file)
    {
        foreach (var c in Reference.Load(file).EnumerateObject())
        {
            var keys = c.Value.EnumerateObject().Select(p => p.Name).Order().ToArray();
            if (keys.SequenceEqual(["inputs", "y"])) continue; // a function without gradient (accuracy, running statistics)
            Assert.True(keys.SequenceEqual(["grads", "gy", "inputs", "y"]), $"{c.Name}: keys {string.Join(", ", keys)}");
            Assert.Equal(c.Value.GetProperty("inputs").GetArrayLength(), c.Value.GetProperty("grads").GetArrayLength());
        }
    }
}
