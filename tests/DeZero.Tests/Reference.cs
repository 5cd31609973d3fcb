using System.Text.Json;

namespace DeZero.Tests;

/// <summary>Reads reference data written by tools/refdata.py (NumPy and the Python DeZero) from tests/data/*.json.</summary>
public static class Reference
{
    static readonly Dictionary<string, JsonElement> Cache = new();

    /// <summary>The root element of tests/data/&lt;name&gt;.json.</summary>
    public static JsonElement Load(string name)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out var root))
            {
                var path = Path.Combine(AppContext.BaseDirectory, "data", name + ".json");
                root = JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();
                Cache[name] = root;
            }
            return root;
        }
    }

    /// <summary>An array object {dtype, shape, data} as an NDArray.</summary>
    public static NDArray Array(JsonElement e)
    {
        var dtype = e.GetProperty("dtype").GetString() switch
        {
            "float64" => DType.Float64,
            "float32" => DType.Float32,
            "int64" => DType.Int64,
            "int32" => DType.Int32,
            "bool" => DType.Bool,
            var s => throw new InvalidDataException($"Reference: unsupported dtype {s}"),
        };
        var shape = e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        var values = e.GetProperty("data").EnumerateArray().Select(Number).ToArray();
        var a = NDArray.Zeros(shape, dtype);
        // Integers and bools are exact in double up to 2^53; larger int64 values are read separately.
        if (dtype == DType.Int64)
        {
            var longs = e.GetProperty("data").EnumerateArray().Select(x => x.GetInt64()).ToArray();
            return new NDArray(longs, shape);
        }
        for (int i = 0; i < values.Length; i++) a.SetFlat(i, values[i]);
        return a;
    }

    /// <summary>A JSON number, bool or the strings "nan", "inf", "-inf" as double.</summary>
    public static double Number(JsonElement x) => x.ValueKind switch
    {
        JsonValueKind.True => 1,
        JsonValueKind.False => 0,
        JsonValueKind.String => x.GetString() switch
        {
            "nan" => double.NaN,
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            var s => throw new InvalidDataException($"Reference: not a number: {s}"),
        },
        _ => x.GetDouble(),
    };

    /// <summary>Asserts equal shape and dtype, and values within rtol/atol (NaNs must match), printing both on failure.</summary>
    public static void AssertClose(NDArray expected, NDArray actual, double rtol = 1e-12, double atol = 0, string? what = null)
    {
        string ctx = what is null ? "" : what + ": ";
        Assert.True(expected.Shape.SequenceEqual(actual.Shape),
            $"{ctx}shape: expected ({string.Join(", ", expected.Shape)}), got ({string.Join(", ", actual.Shape)})");
        Assert.True(expected.DType == actual.DType, $"{ctx}dtype: expected {expected.DType}, got {actual.DType}");
        var e = expected.ToArray<double>();
        var a = actual.ToArray<double>();
        for (int i = 0; i < e.Length; i++)
        {
            bool ok = double.IsNaN(e[i]) ? double.IsNaN(a[i])
                : e[i] == a[i] || Math.Abs(e[i] - a[i]) <= atol + rtol * Math.Abs(e[i]);
            Assert.True(ok, $"{ctx}element {i}: expected {e[i]:R}, got {a[i]:R}\nexpected: [{string.Join(", ", e.Take(20))}]\nactual:   [{string.Join(", ", a.Take(20))}]");
        }
    }
}
