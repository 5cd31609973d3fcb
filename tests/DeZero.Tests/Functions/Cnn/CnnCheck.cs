using System.Text.Json;
using F = DeZero.Functions;

namespace DeZero.Tests.Functions.Cnn;

/// <summary>
/// Shared helpers of the CNN function tests: cases of tests/data/cnn.json (tools/gen_cnn_ref.py, the book's DeZero),
/// gradient checks printing both gradients, and higher-order checks.
/// </summary>
internal static class CnnCheck
{
    static JsonElement Group(string group) => Reference.Load("cnn").GetProperty(group);

    /// <summary>Every case name of a group, once per float dtype.</summary>
    public static TheoryData<string, DType> Cases(string group)
    {
        var data = new TheoryData<string, DType>();
        foreach (var c in Group(group).EnumerateArray())
            foreach (var dt in new[] { DType.Float64, DType.Float32 })
                data.Add(Name(c), dt);
        return data;
    }

    public static JsonElement Case(string group, string name) =>
        Group(group).EnumerateArray().Single(c => Name(c) == name);

    /// <summary>The case of a group whose "op" and name match (im2col/col2im share a group).</summary>
    public static JsonElement Case(string group, string op, string name) =>
        Group(group).EnumerateArray().Single(c => Name(c) == name && c.GetProperty("op").GetString() == op);

    static string Name(JsonElement c) =>
        c.TryGetProperty("op", out var op) ? $"{op.GetString()}_{c.GetProperty("name").GetString()}" : c.GetProperty("name").GetString()!;

    /// <summary>An input array of the case in the given dtype, or null when the case stores null.</summary>
    public static NDArray? Input(JsonElement c, string key, DType dt) =>
        c.GetProperty(key) is { ValueKind: not JsonValueKind.Null } e ? Reference.Array(e).AsType(dt) : null;

    public static NDArray In(JsonElement c, string key, DType dt) => Input(c, key, dt)!;

    public static (int, int) Pair(JsonElement c, string key)
    {
        var a = c.GetProperty(key).EnumerateArray().Select(e => e.GetInt32()).ToArray();
        return (a[0], a[1]);
    }

    /// <summary>Compares with the reference computed in the same dtype: 1e-10 in float64, 1e-5 in float32.</summary>
    public static void AssertRef(JsonElement c, string key, DType dt, NDArray? actual)
    {
        var k = dt == DType.Float32 ? key + "32" : key;
        var e = c.GetProperty(k);
        if (e.ValueKind == JsonValueKind.Null)
        {
            Assert.Null(actual);
            return;
        }
        Assert.NotNull(actual);
        double tol = dt == DType.Float32 ? 1e-5 : 1e-10;
        Reference.AssertClose(Reference.Array(e), actual, tol, tol, $"{Name(c)} {k}");
    }

    /// <summary>Backpropagates Σ y·gy with the case's gy and compares each input's gradient with the reference "g" + name.</summary>
    public static void AssertBackward(JsonElement c, DType dt, Variable y, params (string name, Variable? v)[] inputs)
    {
        F.Sum(y * In(c, "gy", dt)).Backward();
        foreach (var (name, v) in inputs)
            AssertRef(c, "g" + name, dt, v?.Grad?.Data);
    }

    public static NDArray Randn(int seed, params int[] shape) => new RandomState(seed).Randn(shape);

    /// <summary>Gradient check (float64 central differences) of Σ f(inputs)·r for a fixed random r.</summary>
    public static void GradientCheck(Func<Variable[], Variable> f, params NDArray[] inputs)
    {
        NDArray? r = null;
        Variable Weighted(Variable[] vs)
        {
            var y = f(vs);
            r ??= Randn(99, y.Shape);
            return y * r;
        }
        var log = new StringWriter();
        Assert.True(Utils.GradientCheck(Weighted, inputs, log: log), log.ToString());
    }

    /// <summary>
    /// The function vs ↦ Σₖ Σ (∂L/∂vsₖ)·rₖ with L = Σ f(vs)², whose gradient is built with createGraph: checking it
    /// numerically checks the second derivatives of f (the backward of the backward).
    /// </summary>
    public static Func<Variable[], Variable> GradOf(Func<Variable[], Variable> f, int seed = 7) => vs =>
    {
        using var scope = Config.Using(true, Config.Train);
        foreach (var v in vs) v.ClearGrad();
        var y = f(vs);
        F.Sum(y * y).Backward(createGraph: true);
        Variable? z = null;
        for (int k = 0; k < vs.Length; k++)
        {
            if (vs[k].Grad is not { } g) continue;
            var term = F.Sum(g * Randn(seed + k, g.Shape));
            z = z is null ? term : z + term;
        }
        foreach (var v in vs) v.ClearGrad();
        return z ?? throw new InvalidOperationException("no input received a gradient");
    };
}
