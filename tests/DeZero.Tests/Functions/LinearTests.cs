using F = DeZero.Functions;

namespace DeZero.Tests.Functions;

public class LinearTests : FunctionTestCase<LinearTests>
{
    protected override Dictionary<string, Func<Variable[], Variable>> Cases => new()
    {
        ["matmul"] = x => F.MatMul(x[0], x[1]),
        ["matmul_transA"] = x => F.MatMul(x[0], x[1], transA: true, transB: false),
        ["matmul_transB"] = x => F.MatMul(x[0], x[1], transA: false, transB: true),
        ["matmul_transAB"] = x => F.MatMul(x[0], x[1], transA: true, transB: true),
        ["matmul_batched"] = x => F.MatMul(x[0], x[1]),
        ["matmul_batched_bcast"] = x => F.MatMul(x[0], x[1]),
        ["matmul_batched_bcast2"] = x => F.MatMul(x[0], x[1]),
        ["matmul_vec_mat"] = x => F.MatMul(x[0], x[1]),
        ["matmul_mat_vec"] = x => F.MatMul(x[0], x[1]),
        ["matmul_vec_vec"] = x => F.MatMul(x[0], x[1]),
        ["linear"] = x => F.Linear(x[0], x[1], x[2]),
        ["linear_nobias"] = x => F.Linear(x[0], x[1]),
        ["linear_bias_row"] = x => F.Linear(x[0], x[1], x[2]),
        ["linear_bias_scalar"] = x => F.Linear(x[0], x[1], x[2]),
    };

    protected override Dictionary<string, Func<Variable, Variable>> Calls => new()
    {
        ["F.MatMul"] = w => F.MatMul(NDArray.Zeros(2, 3), w),
        ["F.Linear"] = w => F.Linear(NDArray.Zeros(2, 3), w),
    };

    [Fact]
    public void LinearEqualsMatMulPlusBias()
    {
        var x = FunctionTester.Inputs("linear");
        Reference.AssertClose((F.MatMul(x[0], x[1]) + x[2]).Data, F.Linear(x[0], x[1], x[2]).Data);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(100, 1, 10)]
    [InlineData(100, 10, 1)]
    [InlineData(7, 13, 5)]
    [InlineData(65, 130, 70)]
    public void LinearWithBiasRowEqualsMatMulPlusBias(int m, int k, int n)
    {
        var rng = new RandomState(m + k + n);
        foreach (var dt in new[] { DType.Float64, DType.Float32 })
        {
            var x = rng.Randn(m, k).AsType(dt);
            var w = rng.Randn(k, n).AsType(dt);
            foreach (var b in new[] { rng.Randn(n).AsType(dt), rng.Randn(1, n).AsType(dt), rng.Randn(n) })
            {
                var y = F.Linear(x, w, b).Data;
                Assert.Equal(dt, y.DType);
                Reference.AssertClose((NDArray.MatMul(x, w) + b).AsType(dt), y, rtol: dt == DType.Float32 ? 1e-5 : 1e-12, atol: 1e-5);
            }
        }
    }

    [Fact]
    public void BadMatMulShapesThrow()
    {
        FunctionTester.Throws<ArgumentException>(() => F.MatMul(NDArray.Zeros(2, 3), NDArray.Zeros(4, 5)), "F.MatMul", "(2, 3)", "(4, 5)");
        FunctionTester.Throws<ArgumentException>(() => F.MatMul(NDArray.Zeros(3), NDArray.Zeros(4)), "F.MatMul", "(3,)", "(4,)");
        FunctionTester.Throws<ArgumentException>(() => F.MatMul(NDArray.Scalar(1.0), NDArray.Zeros(2, 2)), "F.MatMul", "()", "(2, 2)");
        FunctionTester.Throws<ArgumentException>(() => F.MatMul(NDArray.Zeros(2, 3, 4), NDArray.Zeros(3, 4, 5)), "F.MatMul", "(2, 3, 4)", "(3, 4, 5)");
        FunctionTester.Throws<ArgumentException>(() => F.MatMul(NDArray.Zeros(2, 3), NDArray.Zeros(2, 4), false, false), "F.MatMul", "(2, 3)", "(2, 4)");
        FunctionTester.Throws<ArgumentException>(() => F.MatMul(NDArray.Zeros(2, 3), NDArray.Zeros(4, 3), true, true), "F.MatMul", "(2, 3)", "(4, 3)");
        FunctionTester.Throws<ArgumentException>(() => F.MatMul(NDArray.Zeros(2, 2, 3), NDArray.Zeros(3, 4), true, false), "F.MatMul", "2-D", "(2, 2, 3)");
        FunctionTester.ThrowsOnMissingData(w => F.MatMul(NDArray.Zeros(2, 3), w), "F.MatMul");
    }

    [Fact]
    public void BadLinearShapesThrow()
    {
        var x = NDArray.Zeros(3, 4);
        var w = NDArray.Zeros(4, 5);
        FunctionTester.Throws<ArgumentException>(() => F.Linear(x, NDArray.Zeros(3, 5)), "F.Linear", "(3, 4)", "(3, 5)");
        FunctionTester.Throws<ArgumentException>(() => F.Linear(NDArray.Zeros(4), w), "F.Linear", "(4,)", "(4, 5)");
        FunctionTester.Throws<ArgumentException>(() => F.Linear(NDArray.Zeros(2, 3, 4), w), "F.Linear", "(2, 3, 4)", "(4, 5)");
        FunctionTester.Throws<ArgumentException>(() => F.Linear(x, w, NDArray.Zeros(4)), "F.Linear", "(4,)", "(3, 5)");
        FunctionTester.Throws<ArgumentException>(() => F.Linear(x, w, NDArray.Zeros(2, 3, 5)), "F.Linear", "(2, 3, 5)", "(3, 5)");
        FunctionTester.ThrowsOnMissingData(p => F.Linear(x, p), "F.Linear");
        FunctionTester.ThrowsOnMissingData(p => F.Linear(p, w), "F.Linear");
        FunctionTester.ThrowsOnMissingData(p => F.Linear(x, w, p), "F.Linear");
    }
}
