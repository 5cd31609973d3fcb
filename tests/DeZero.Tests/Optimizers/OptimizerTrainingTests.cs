using System.Text.Json;
using DeZero.Models;
using DeZero.Optimizers;
using F = DeZero.Functions;

namespace DeZero.Tests.Optimizers;

/// <summary>Each optimizer trains the step-45 sin regression (MLP((10, 1)), seeded) like the Python DeZero.</summary>
[Collection("GlobalRandom")]
public class OptimizerTrainingTests
{
    static readonly JsonElement Ref = Reference.Load("layers");

    [Theory]
    [InlineData("MomentumSGD", 1000)]
    [InlineData("AdaGrad", 1000)]
    [InlineData("AdaDelta", 4000)]
    [InlineData("Adam", 1000)]
    public void TrainsTheSinRegressionLikeTheBook(string name, int iters)
    {
        Optimizer optimizer = name switch
        {
            "MomentumSGD" => new MomentumSGD(0.2),
            "AdaGrad" => new AdaGrad(0.3),
            "AdaDelta" => new AdaDelta(),
            _ => new Adam(0.05),
        };
        RandomState.Global.Seed(0);
        var x = RandomState.Global.Rand(100, 1);
        var y = NDArray.Sin(2 * Math.PI * x) + RandomState.Global.Rand(100, 1);
        var model = new MLP([10, 1]);
        optimizer.Setup(model);
        var losses = new List<double>();
        Variable loss = null!;
        for (int i = 0; i < iters; i++)
        {
            loss = F.MeanSquaredError(y, model.Call(x));
            model.ClearGrads();
            loss.Backward();
            optimizer.Update();
            if (i % 100 == 0) losses.Add((double)loss.Data);
        }
        losses.Add((double)loss.Data);

        var expected = Ref.GetProperty("train").GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(expected.Length, losses.Count);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - losses[i]) <= 1e-5 * expected[i],
                $"{name} loss {i}: expected {expected[i]:R}, got {losses[i]:R}\nexpected: [{string.Join(", ", expected)}]\nactual:   [{string.Join(", ", losses)}]");
        Assert.True(losses[^1] < 0.1, $"{name}: final loss {losses[^1]} is not below 0.1");
    }
}
