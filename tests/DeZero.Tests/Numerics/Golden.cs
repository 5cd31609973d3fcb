using System.Text.Json;

namespace DeZero.Tests.Numerics;

/// <summary>
/// The NumPy cases of tests/data/ndarray_*.json (tools/gen_ndarray_ref.py): each has a name, inputs and either the
/// expected array ("out", dtype included) or "error" (the C# side must throw ArgumentException).
/// </summary>
internal static class Golden
{
    static readonly Dictionary<string, Dictionary<string, JsonElement>> Files = new();

    static Dictionary<string, JsonElement> File(string file)
    {
        lock (Files)
        {
            if (!Files.TryGetValue(file, out var cases))
            {
                cases = Reference.Load(file).GetProperty("cases").EnumerateArray()
                    .ToDictionary(c => c.GetProperty("name").GetString()!);
                Files[file] = cases;
            }
            return cases;
        }
    }

    /// <summary>The case names of a file (optionally those starting with <paramref name="prefix"/>) as theory data.</summary>
    public static TheoryData<string> Names(string file, string prefix = "")
    {
        var data = new TheoryData<string>();
        foreach (var name in File(file).Keys.Where(n => n.StartsWith(prefix, StringComparison.Ordinal))) data.Add(name);
        return data;
    }

    public static JsonElement Case(string file, string name) => File(file)[name];

    public static string Str(this JsonElement c, string key) => c.GetProperty(key).GetString()!;

    /// <summary>An array, or a Python scalar as a C# double (float) or long (int).</summary>
    public static object Operand(JsonElement e)
    {
        if (!e.TryGetProperty("scalar", out var kind)) return Reference.Array(e);
        var v = e.GetProperty("value");
        return kind.GetString() == "int" ? (object)v.GetInt64() : Reference.Number(v);
    }

    /// <summary>An operand as an array: C# scalars become 0-d float64 / int64 arrays, as NumPy does with Python scalars.</summary>
    public static NDArray Arr(object o) => o switch
    {
        NDArray a => a,
        double d => NDArray.FromArray(d),
        long l => NDArray.FromArray(l),
        _ => throw new ArgumentException($"not an operand: {o}"),
    };

    public static DType ParseDType(string name) => name switch
    {
        "bool" => DeZero.DType.Bool,
        "int32" => DeZero.DType.Int32,
        "int64" => DeZero.DType.Int64,
        "float32" => DeZero.DType.Float32,
        "float64" => DeZero.DType.Float64,
        _ => throw new ArgumentException($"unknown dtype {name}"),
    };

    /// <summary>An "axis" entry: null, an int or a list of ints.</summary>
    public static int[]? Axes(JsonElement c) => c.GetProperty("axis") switch
    {
        { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.Number } n => [n.GetInt32()],
        var a => a.EnumerateArray().Select(x => x.GetInt32()).ToArray(),
    };

    public static int[] Ints(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();

    /// <summary>
    /// Runs the case: checks the result against "out", or that it throws ArgumentException when NumPy raised,
    /// leaving <paramref name="inputs"/> unchanged.
    /// </summary>
    public static void Check(JsonElement c, Func<NDArray> run, params NDArray[] inputs)
    {
        if (c.TryGetProperty("error", out var error))
        {
            var before = inputs.Select(a => a.Copy()).ToArray();
            var ex = Assert.ThrowsAny<ArgumentException>(() => run());
            Assert.True(ex.Message.StartsWith("NDArray.", StringComparison.Ordinal), $"message does not name the operation: {ex.Message}\nNumPy: {error.GetString()}");
            for (int i = 0; i < inputs.Length; i++) AssertMatch(before[i], inputs[i], "exact", $"input {i} after the error");
            return;
        }
        AssertMatch(Reference.Array(c.GetProperty("out")), run(), c.Str("tol"), c.Str("name"));
    }

    /// <summary>
    /// Asserts shape, dtype and values: "exact" bit for bit (NaN equals NaN, the sign of zero counts), "exact_nosign"
    /// with −0 = +0, "math" within 1e-12 (float64) or 1e-6 (float32) relative. Integers always compare exactly.
    /// </summary>
    public static void AssertMatch(NDArray expected, NDArray actual, string tol, string what)
    {
        Assert.True(expected.Shape.SequenceEqual(actual.Shape),
            $"{what}: shape: expected ({string.Join(", ", expected.Shape)}), got ({string.Join(", ", actual.Shape)})");
        Assert.True(expected.DType == actual.DType, $"{what}: dtype: expected {expected.DType}, got {actual.DType}");
        if (!expected.DType.IsFloat())
        {
            Assert.Equal(expected.ToArray<long>(), actual.ToArray<long>());
            return;
        }
        var e = expected.ToArray<double>();
        var a = actual.ToArray<double>();
        double rtol = tol == "math" ? (expected.DType == DeZero.DType.Float32 ? 1e-6 : 1e-12) : 0;
        // A float32 sum of products (matmul) cancels: its error scales with the largest result, not each one.
        double atol = tol == "math" && expected.DType == DeZero.DType.Float32
            ? 1e-6 * e.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max() : 0;
        for (int i = 0; i < e.Length; i++)
        {
            bool ok = double.IsNaN(e[i]) ? double.IsNaN(a[i])
                : tol == "exact" ? e[i] == a[i] && double.IsNegative(e[i]) == double.IsNegative(a[i])
                : e[i] == a[i] || Math.Abs(e[i] - a[i]) <= atol + rtol * Math.Abs(e[i]);
            Assert.True(ok, $"{what}: element {i}: expected {e[i]:R}, got {a[i]:R}\nexpected: [{string.Join(", ", e.Take(24))}]\nactual:   [{string.Join(", ", a.Take(24))}]");
        }
    }
}
