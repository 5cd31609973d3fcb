using F = DeZero.Functions;
using System.Text.Json;

namespace DeZero.Tests.Functions;

/// <summary>
/// Checks shared by the tests of F, in the spirit of Chainer's FunctionTestCase: a test class names a case of the
/// function reference files (inputs, output gradient gy, and the output and input gradients the Python DeZero
/// computed; see tests/data/README.md) and the C# call, and these helpers run the forward and backward comparison in
/// float64 and float32, the numerical gradient check and the higher-order checks. An input whose reference gradient
/// is null (integer labels and ids, running statistics) is held constant by the numerical checks.
/// </summary>
public static class FunctionTester
{
    /// <summary>The reference files of function cases (tests/data/&lt;name&gt;.json), whose case names are distinct.</summary>
    public static readonly string[] Files = ["functions", "cnn"];

    static readonly Dictionary<string, JsonElement> Cases = Files
        .SelectMany(file => Reference.Load(file).EnumerateObject())
        .ToDictionary(c => c.Name, c => c.Value);

    /// <summary>The float dtypes every case runs in.</summary>
    public static readonly DType[] FloatTypes = [DType.Float64, DType.Float32];

    /// <summary>Case names × float dtypes, for a [Theory] over both.</summary>
    public static TheoryData<string, DType> WithDTypes(IEnumerable<string> names)
    {
        var data = new TheoryData<string, DType>();
        foreach (var name in names)
            foreach (var dtype in FloatTypes) data.Add(name, dtype);
        return data;
    }

    /// <summary>The inputs of a case, float inputs converted to <paramref name="dtype"/> (integer labels unchanged).</summary>
    public static NDArray[] Inputs(string name, DType dtype = DType.Float64) =>
        Case(name).GetProperty("inputs").EnumerateArray().Select(e => ToFloat(Reference.Array(e), dtype)).ToArray();

    static NDArray Gy(string name, DType dtype) => ToFloat(Reference.Array(Case(name).GetProperty("gy")), dtype);

    /// <summary>
    /// Runs f on the case's inputs in <paramref name="dtype"/>, seeds backward with the case's gy and compares the
    /// output and every input gradient with the reference; results and gradients must keep the dtype. float64 must
    /// match to ~1e-12, float32 to ~1e-6 (tolerances scaled by <paramref name="tolScale"/> for ill-conditioned cases).
    /// </summary>
    public static void CheckForwardBackward(string name, Func<Variable[], Variable> f, DType dtype, double tolScale = 1)
    {
        var c = Case(name);
        var (rtol, atol) = dtype == DType.Float64 ? (1e-12, 1e-14) : (2e-6, 1e-6);
        rtol *= tolScale;
        atol *= tolScale;
        var xs = Inputs(name, dtype).Select(a => new Variable(a)).ToArray();
        var y = f(xs);
        var expectedY = Reference.Array(c.GetProperty("y"));
        AssertClose(expectedY, y.Data, dtype, rtol, atol, $"{name} {dtype.Name()} forward");

        y.Grad = new Variable(Gy(name, dtype));
        y.Backward();
        var grads = c.GetProperty("grads").EnumerateArray().ToArray();
        for (int i = 0; i < grads.Length; i++)
        {
            if (grads[i].ValueKind == JsonValueKind.Null) continue;
            var gx = xs[i].Grad;
            Assert.True(gx is not null, $"{name} {dtype.Name()}: input {i} got no gradient");
            AssertClose(Reference.Array(grads[i]), gx.Data, dtype, rtol, atol, $"{name} {dtype.Name()} gradient of input {i}");
        }
    }

    /// <summary>
    /// Numerical (central differences, float64) against backprop for Σ gy·f(x) over every differentiated input, gy
    /// being the case's output gradient, so that functions whose outputs sum to a constant (softmax) are tested too.
    /// </summary>
    public static void CheckGradient(string name, Func<Variable[], Variable> f, double rtol = 1e-4, double atol = 1e-5)
    {
        var gy = Gy(name, DType.Float64);
        var inputs = Inputs(name);
        var varying = Differentiated(name);
        AssertGradientCheck(vs => F.Mul(f(WithConstants(inputs, varying, vs)), gy), varying.Select(i => inputs[i]).ToArray(), rtol, atol);
    }

    /// <summary>
    /// Derivatives of order <paramref name="order"/> (2 or more): the gradients obtained with <c>createGraph: true</c>,
    /// projected on fixed random weights, are differentiated again (order − 1 times in all) and the last gradients are
    /// compared by backprop and central differences. An input the gradients do not depend on (a bias) may get no
    /// gradient; its numerical one must be 0.
    /// </summary>
    public static void CheckHigherOrder(string name, Func<Variable[], Variable> f, int order = 2, double rtol = 1e-4, double atol = 1e-5)
    {
        var inputs = Inputs(name);
        var varying = Differentiated(name);
        var rs = new RandomState(0);
        var g = ProjectedGradients(f, Gy(name, DType.Float64), inputs, varying, rs);
        for (int k = 3; k <= order; k++) g = ProjectedGradients(g, null, inputs, varying, rs);
        var vars = inputs.Select(a => new Variable(a)).ToArray();
        g(vars).Backward();
        foreach (int i in varying)
        {
            var numerical = Utils.NumericalGrad(g, inputs, i);
            var backprop = vars[i].Grad?.Data ?? NDArray.Zeros(inputs[i].Shape);
            Assert.True(NDArray.AllClose(numerical, backprop, rtol, atol),
                $"{name}: derivative of order {order} of input {i}\n  numerical: [{string.Join(", ", numerical.ToArray<double>())}]\n  backprop:  [{string.Join(", ", backprop.ToArray<double>())}]");
        }
    }

    // xs ↦ Σᵢ Σ (∂(gy·f)/∂xᵢ)·wᵢ over the differentiated inputs, for fixed random weights wᵢ (gy null: f is a scalar).
    static Func<Variable[], Variable> ProjectedGradients(Func<Variable[], Variable> f, NDArray? gy, NDArray[] inputs, int[] varying, RandomState rs)
    {
        var weights = inputs.Select(a => rs.Randn(a.Shape)).ToArray();
        return xs =>
        {
            // NumericalGrad evaluates under NoGrad; the backward pass needs the graph of f.
            using var scope = Config.Using(enableBackprop: true, train: Config.Train);
            foreach (var x in xs) x.ClearGrad();
            var y = f(xs);
            if (gy is not null) y.Grad = new Variable(gy);
            y.Backward(createGraph: true);
            Variable total = new(NDArray.Scalar(0.0));
            foreach (int i in varying)
                if (xs[i].Grad is { } gx) total += F.Sum(gx * weights[i]);
            foreach (var x in xs) x.ClearGrad();
            return total;
        };
    }

    // The indices of the inputs a case differentiates: those whose reference gradient is not null.
    static int[] Differentiated(string name)
    {
        var grads = Case(name).GetProperty("grads").EnumerateArray().ToArray();
        return Enumerable.Range(0, grads.Length).Where(i => grads[i].ValueKind != JsonValueKind.Null).ToArray();
    }

    // Every input of the case, the differentiated ones being the given variables and the others constants.
    static Variable[] WithConstants(NDArray[] inputs, int[] varying, Variable[] vs)
    {
        var all = inputs.Select(a => new Variable(a)).ToArray();
        for (int k = 0; k < varying.Length; k++) all[varying[k]] = vs[k];
        return all;
    }

    /// <summary>Utils.GradientCheck, failing with its log (both gradients) as the message.</summary>
    public static void AssertGradientCheck(Func<Variable[], Variable> f, NDArray[] inputs, double rtol = 1e-4, double atol = 1e-5)
    {
        var log = new StringWriter();
        bool ok = Utils.GradientCheck(f, inputs, rtol, atol, log);
        Assert.True(ok, log.ToString());
    }

    /// <summary>Asserts that <paramref name="act"/> throws exactly <typeparamref name="T"/> with every fragment in its message.</summary>
    public static void Throws<T>(Action act, params string[] fragments) where T : Exception
    {
        var e = Assert.Throws<T>(act);
        foreach (var s in fragments)
            Assert.True(e.Message.Contains(s, StringComparison.Ordinal), $"message lacks \"{s}\": {e.Message}");
    }

    /// <summary>Asserts that calling f with a variable named "w" that has no data throws naming the function and the variable.</summary>
    public static void ThrowsOnMissingData(Func<Variable, Variable> f, string op) =>
        Throws<InvalidOperationException>(() => f(new Variable(null, "w")), op, "w");

    static void AssertClose(NDArray expected, NDArray actual, DType dtype, double rtol, double atol, string what)
    {
        Assert.True(actual.DType == (expected.DType.IsFloat() ? dtype : expected.DType),
            $"{what}: dtype {actual.DType.Name()}, expected {dtype.Name()}");
        Reference.AssertClose(expected.AsType(DType.Float64), actual.AsType(DType.Float64), rtol, atol, what);
    }

    static NDArray ToFloat(NDArray a, DType dtype) => a.DType.IsFloat() ? a.AsType(dtype) : a;

    /// <summary>The case of that name in one of the <see cref="Files"/>.</summary>
    public static JsonElement Case(string name) =>
        Cases.TryGetValue(name, out var c) ? c : throw new KeyNotFoundException($"no case {name} in tests/data/{string.Join(".json or ", Files)}.json");
}
