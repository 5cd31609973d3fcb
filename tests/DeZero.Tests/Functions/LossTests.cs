using F = DeZero.Functions;

namespace DeZero.Tests.Functions;

public class LossTests : BroadcastingFunctionTestCase<LossTests>
{
    protected override Dictionary<string, Func<Variable[], Variable>> Cases => new()
    {
        ["mse"] = x => F.MeanSquaredError(x[0], x[1]),
        ["mse_bcast"] = x => F.MeanSquaredError(x[0], x[1]),
        ["mse_vec"] = x => F.MeanSquaredError(x[0], x[1]),
        ["softmax_ce"] = x => F.SoftmaxCrossEntropy(x[0], x[1]),
        ["softmax_ce_int32"] = x => F.SoftmaxCrossEntropy(x[0], x[1]),
        ["softmax_ce_large"] = x => F.SoftmaxCrossEntropy(x[0], x[1]),
        ["sigmoid_ce"] = x => F.SigmoidCrossEntropy(x[0], x[1]),
        ["sigmoid_ce_2d"] = x => F.SigmoidCrossEntropy(x[0], x[1]),
        ["sigmoid_ce_soft"] = x => F.SigmoidCrossEntropy(x[0], x[1]),
        ["sigmoid_ce_saturated"] = x => F.SigmoidCrossEntropy(x[0], x[1]),
        ["binary_ce"] = x => F.BinaryCrossEntropy(x[0], x[1]),
        ["binary_ce_2d"] = x => F.BinaryCrossEntropy(x[0], x[1]),
    };

    protected override IEnumerable<string> SecondOrder => ["mse_bcast", "softmax_ce", "sigmoid_ce_soft"];

    // Each loss with the bad input as the prediction and as the target.
    protected override Dictionary<string, Func<Variable, Variable>> Calls
    {
        get
        {
            var x = NDArray.Zeros(3, 1);
            var t = NDArray.FromArray(new long[] { 0, 0, 0 });
            var calls = new Dictionary<string, Func<Variable, Variable>>();
            foreach (var (op, f) in new (string, Func<Variable, Variable, Variable>)[]
            {
                ("F.MeanSquaredError", F.MeanSquaredError), ("F.SoftmaxCrossEntropy", F.SoftmaxCrossEntropy),
                ("F.SigmoidCrossEntropy", F.SigmoidCrossEntropy), ("F.BinaryCrossEntropy", F.BinaryCrossEntropy), ("F.Accuracy", F.Accuracy),
            })
            {
                calls[op] = w => f(w, t);
                calls[op + " target"] = w => f(x, w);
            }
            return calls;
        }
    }

    [Theory]
    [InlineData(DType.Float64)]
    [InlineData(DType.Float32)]
    public void AccuracyMatchesDeZero(DType dtype)
    {
        var x = FunctionTester.Inputs("accuracy", dtype);
        var acc = F.Accuracy(x[0], x[1]);
        // NumPy's mean of a bool array is float64 whatever the scores' dtype.
        Reference.AssertClose(Reference.Array(Reference.Load("functions").GetProperty("accuracy").GetProperty("y")), acc.Data);
        Assert.Null(acc.Creator);
    }

    // Backward without a graph takes a fused kernel; with createGraph it records the book's formulas: same bits.
    [Theory]
    [InlineData(DType.Float64, 100)]
    [InlineData(DType.Float32, 37)]
    public void MeanSquaredErrorGradientsAreTheSameWithAndWithoutAGraph(DType dt, int n)
    {
        var rng = new RandomState(n);
        var (a, b) = (rng.Randn(n, 1).AsType(dt), rng.Randn(n, 1).AsType(dt));
        NDArray[] Grads(bool createGraph)
        {
            var (x0, x1) = (new Variable(a), new Variable(b));
            var loss = F.MeanSquaredError(x0, x1) * 3.0;
            loss.Backward(createGraph: createGraph);
            return [x0.Grad!.Data, x1.Grad!.Data];
        }
        var (fused, recorded) = (Grads(false), Grads(true));
        Reference.AssertClose(recorded[0], fused[0], rtol: 0);
        Reference.AssertClose(recorded[1], fused[1], rtol: 0);
    }

    // Targets passed as an array (the book's F.mean_squared_error(y, y_pred)) take no gradient; the prediction's is the
    // one a target variable gives.
    [Theory]
    [InlineData(DType.Float64)]
    [InlineData(DType.Float32)]
    public void MeanSquaredErrorOfArrayTargetsGradsOnlyThePrediction(DType dt)
    {
        var rng = new RandomState(4);
        var (t, p) = (rng.Randn(20, 1).AsType(dt), rng.Randn(20, 1).AsType(dt));
        var (a, b, target) = (new Variable(p), new Variable(p), new Variable(t));
        var loss = F.MeanSquaredError(t, a);
        loss.Backward();
        F.MeanSquaredError(target, b).Backward();
        Reference.AssertClose(b.Grad!.Data, a.Grad!.Data, rtol: 0);
        Assert.NotNull(target.Grad);
        Assert.Null(loss.Creator!.Inputs[0].Grad);
    }

    [Fact]
    public void BadShapesThrow()
    {
        FunctionTester.Throws<ArgumentException>(() => F.MeanSquaredError(NDArray.Zeros(4, 3), NDArray.Zeros(4)), "F.MeanSquaredError", "(4, 3)", "(4,)");
        FunctionTester.Throws<ArgumentException>(() => F.MeanSquaredError(NDArray.Scalar(1.0), NDArray.Scalar(2.0)), "F.MeanSquaredError", "()");
        FunctionTester.Throws<ArgumentException>(() => F.SigmoidCrossEntropy(NDArray.Zeros(4, 1), NDArray.Zeros(3)), "F.SigmoidCrossEntropy", "(4, 1)", "(3,)");
        FunctionTester.Throws<ArgumentException>(() => F.SigmoidCrossEntropy(NDArray.Zeros(4, 1), NDArray.Zeros(1, 4)), "F.SigmoidCrossEntropy", "(4, 1)", "(1, 4)");
        FunctionTester.Throws<ArgumentException>(() => F.BinaryCrossEntropy(NDArray.Zeros(4), NDArray.Zeros(2, 3)), "F.BinaryCrossEntropy", "(4,)", "(2, 3)");
        FunctionTester.Throws<ArgumentException>(() => F.BinaryCrossEntropy(NDArray.Scalar(0.5), NDArray.Scalar(1.0)), "F.BinaryCrossEntropy", "()");
        FunctionTester.Throws<ArgumentException>(() => F.Accuracy(NDArray.Zeros(4, 3), NDArray.Zeros(3)), "F.Accuracy", "(4, 3)", "(3,)");
        FunctionTester.Throws<ArgumentException>(() => F.Accuracy(NDArray.Zeros(4), NDArray.Zeros(4)), "F.Accuracy", "(4,)");
    }

    [Fact]
    public void BadLabelsThrow()
    {
        var x = NDArray.Zeros(3, 4);
        static NDArray Labels(params long[] t) => NDArray.FromArray(t);
        FunctionTester.Throws<ArgumentException>(() => F.SoftmaxCrossEntropy(x, Labels(0, 4, 1)), "F.SoftmaxCrossEntropy", "label 4", "(3, 4)");
        FunctionTester.Throws<ArgumentException>(() => F.SoftmaxCrossEntropy(x, Labels(0, -1, 1)), "F.SoftmaxCrossEntropy", "label -1", "(3, 4)");
        FunctionTester.Throws<ArgumentException>(() => F.SoftmaxCrossEntropy(x, NDArray.FromArray(new[] { 0.0, 1, 2 })), "F.SoftmaxCrossEntropy", "float64", "(3,)");
        FunctionTester.Throws<ArgumentException>(() => F.SoftmaxCrossEntropy(x, Labels(0, 1)), "F.SoftmaxCrossEntropy", "(3, 4)", "(2,)");
        FunctionTester.Throws<ArgumentException>(() => F.SoftmaxCrossEntropy(x, Labels(0, 1, 2).Reshape(3, 1)), "F.SoftmaxCrossEntropy", "(3, 4)", "(3, 1)");
        FunctionTester.Throws<ArgumentException>(() => F.SoftmaxCrossEntropy(NDArray.Zeros(3, 4, 2), Labels(0, 1, 2)), "F.SoftmaxCrossEntropy", "(3, 4, 2)");
    }
}
