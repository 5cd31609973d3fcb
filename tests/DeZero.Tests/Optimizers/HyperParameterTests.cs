using DeZero.Data;
using DeZero.Optimizers;
using F = DeZero.Functions;
using L = DeZero.Layers;

namespace DeZero.Tests.Optimizers;

/// <summary>
/// Every hyper-parameter is checked like PyTorch checks it: an ArgumentOutOfRangeException naming the owner, the
/// parameter and the accepted range, at construction and when a property is set, never NaN weights after a step.
/// </summary>
[Collection("GlobalRandom")] // Spiral, SinCurve and dropout draw from RandomState.Global
public class HyperParameterTests
{
    static void Rejected(Func<object?> create, string owner, string parameter, string range)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(create);
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains(owner, e.Message);
        Assert.Contains(range, e.Message);
    }

    public static TheoryData<string, Func<object?>, string, string> Bad => new()
    {
        { "SGD lr NaN", () => new SGD(double.NaN), "lr", "finite number ≥ 0" },
        { "SGD lr ∞", () => new SGD(double.PositiveInfinity), "lr", "finite number ≥ 0" },
        { "SGD lr < 0", () => new SGD(-0.1), "lr", "finite number ≥ 0" },
        { "MomentumSGD lr", () => new MomentumSGD(double.NaN), "lr", "finite number ≥ 0" },
        { "MomentumSGD momentum", () => new MomentumSGD(0.1, -0.5), "momentum", "in [0, 1]" },
        { "MomentumSGD momentum > 1", () => new MomentumSGD(0.1, 1.5), "momentum", "in [0, 1]" },
        { "AdaGrad lr", () => new AdaGrad(double.NegativeInfinity), "lr", "finite number ≥ 0" },
        { "AdaGrad eps", () => new AdaGrad(0.1, -1e-8), "eps", "≥ 0" },
        { "AdaDelta rho 2", () => new AdaDelta(rho: 2), "rho", "in [0, 1]" },
        { "AdaDelta rho NaN", () => new AdaDelta(rho: double.NaN), "rho", "in [0, 1]" },
        { "AdaDelta eps", () => new AdaDelta(eps: double.NaN), "eps", "≥ 0" },
        { "Adam alpha", () => new Adam(alpha: double.NaN), "alpha", "finite number ≥ 0" },
        { "Adam beta1 1", () => new Adam(beta1: 1.0), "beta1", "in [0, 1)" },
        { "Adam beta1 < 0", () => new Adam(beta1: -0.1), "beta1", "in [0, 1)" },
        { "Adam beta2 1", () => new Adam(beta2: 1.0), "beta2", "in [0, 1)" },
        { "Adam eps", () => new Adam(eps: -1), "eps", "≥ 0" },
        { "WeightDecay NaN", () => new WeightDecay(double.NaN), "rate", "finite number ≥ 0" },
        { "WeightDecay < 0", () => new WeightDecay(-1e-4), "rate", "finite number ≥ 0" },
        { "ClipGrad -1", () => new ClipGrad(-1), "maxNorm", "> 0" },
        { "ClipGrad 0", () => new ClipGrad(0), "maxNorm", "> 0" },
        { "ClipGrad NaN", () => new ClipGrad(double.NaN), "maxNorm", "> 0" },
        { "DataLoader batchSize", () => new DataLoader(new Spiral(), 0), "batchSize", "positive" },
        { "SeqDataLoader batchSize", () => new SeqDataLoader(new SinCurve(), -3), "batchSize", "positive" },
        { "Linear outSize", () => new L.Linear(0), "outSize", "positive" },
        { "Linear inSize", () => new L.Linear(3, inSize: -1), "inSize", "positive" },
        { "Conv2d kernel", () => new L.Conv2d(4, 0), "kernelSize", "positive" },
        { "Conv2d stride", () => new L.Conv2d(4, 3, 0), "stride", "positive" },
        { "Conv2d pad", () => new L.Conv2d(4, 3, 1, -1), "pad", "≥ 0" },
        { "Deconv2d stride", () => new L.Deconv2d(4, 3, -2), "stride", "positive" },
        { "RNN hiddenSize", () => new L.RNN(0), "hiddenSize", "positive" },
        { "LSTM inSize", () => new L.LSTM(3, inSize: 0), "inSize", "positive" },
        { "EmbedID inSize", () => new L.EmbedID(0, 3), "inSize", "positive" },
        { "Dropout ratio 1", () => F.Dropout(NDArray.Ones(2), 1.0), "dropoutRatio", "in [0, 1)" },
        { "Dropout ratio NaN", () => F.Dropout(NDArray.Ones(2), double.NaN), "dropoutRatio", "in [0, 1)" },
        { "BatchNorm decay", () => F.BatchNorm(NDArray.Ones(2, 3), NDArray.Ones(3), NDArray.Zeros(3), NDArray.Zeros(3), NDArray.Ones(3), decay: 1.5), "decay", "in [0, 1]" },
        { "Transforms.Normalize std 0", () => Transforms.Normalize(0.5, 0), "std", "nonzero" },
        { "Transforms.Normalize std NaN", () => Transforms.Normalize([0.5, 0.5], [1, double.NaN]), "std", "nonzero" },
        { "BatchNorm eps", () => F.BatchNorm(NDArray.Ones(2, 3), NDArray.Ones(3), NDArray.Zeros(3), NDArray.Zeros(3), NDArray.Ones(3), eps: -1), "eps", "≥ 0" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void BadHyperParametersAreRejected(string owner, Func<object?> create, string parameter, string range) =>
        Rejected(create, owner.Split(' ')[0], parameter, range);

    [Fact]
    public void SettersCheckToo()
    {
        var adam = new Adam();
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.Beta1 = 1.0);
        Assert.Equal(0.9, adam.Beta1);
        var sgd = new SGD();
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.Lr = double.NaN);
        Assert.Equal(0.01, sgd.Lr);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClipGrad(1).MaxNorm = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new WeightDecay(0).Rate = double.PositiveInfinity);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdaDelta().Rho = 2);
    }

    [Fact]
    public void BoundaryValuesPyTorchAcceptsAreAccepted()
    {
        _ = new SGD(0);
        _ = new MomentumSGD(0, 0);
        _ = new MomentumSGD(0.1, 1);
        _ = new AdaDelta(rho: 0, eps: 0);
        _ = new AdaDelta(rho: 1);
        _ = new Adam(0, 0, 0, 0);
        _ = new WeightDecay(0);
        _ = new ClipGrad(double.PositiveInfinity);
        _ = F.Dropout(NDArray.Ones(2), 0);
    }
}
