using BenchmarkDotNet.Attributes;
using F = DeZero.Functions;

namespace DeZero.Benchmarks;

/// <summary>Elementwise, broadcasting and reduction kernels on a 1000×1000 float32 array and a small float64 one.</summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    NDArray big = null!, bigRow = null!, small = null!, smallRow = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new RandomState(0);
        big = rng.Rand(1000, 1000).AsType(DType.Float32);
        bigRow = rng.Rand(1000).AsType(DType.Float32);
        small = rng.Rand(100, 10);
        smallRow = rng.Rand(10);
    }

    [Benchmark] public NDArray AddSameShape() => big + big;
    [Benchmark] public NDArray AddBroadcastRow() => big + bigRow;
    [Benchmark] public NDArray MultiplyScalar() => big * 0.5;
    [Benchmark] public NDArray Exp() => NDArray.Exp(big);
    [Benchmark] public NDArray SumAll() => big.Sum();
    [Benchmark] public NDArray SumAxis0() => big.Sum(0);
    [Benchmark] public NDArray SumAxis1() => big.Sum(1);
    [Benchmark] public NDArray SmallAddBroadcastRow() => small + smallRow;
    [Benchmark] public NDArray SmallSumTo() => small.SumTo(10);
}

/// <summary>Convolution and pooling forward and backward at the CNN workload's shapes (batch 64, float32).</summary>
[MemoryDiagnoser]
public class ConvBenchmarks
{
    Variable x = null!, w = null!, b = null!, h = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new RandomState(0);
        x = new Variable(rng.Rand(64, 32, 14, 14).AsType(DType.Float32));
        w = new Variable(rng.Randn(64, 32, 3, 3).AsType(DType.Float32));
        b = new Variable(NDArray.Zeros([64], DType.Float32));
        h = new Variable(rng.Rand(64, 32, 28, 28).AsType(DType.Float32));
    }

    [Benchmark]
    public Variable Conv2dForward()
    {
        using (Config.NoGrad()) return F.Conv2d(x, w, b, 1, 1);
    }

    [Benchmark]
    public Variable Conv2dForwardBackward()
    {
        x.ClearGrad();
        w.ClearGrad();
        b.ClearGrad();
        var y = F.Sum(F.Conv2d(x, w, b, 1, 1));
        y.Backward();
        return y;
    }

    [Benchmark]
    public Variable MaxPoolingForwardBackward()
    {
        h.ClearGrad();
        var y = F.Sum(F.Pooling(h, 2, 2));
        y.Backward();
        return y;
    }
}

/// <summary>One training step of the book's step-43 network and of the 784-1000-1000-10 MLP.</summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    NDArray x43 = null!, y43 = null!, xMlp = null!, tMlp = null!;
    Variable[] p43 = null!;
    DeZero.Models.MLP mlp = null!;
    DeZero.Optimizers.SGD sgd = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new RandomState(0);
        x43 = rng.Rand(100, 1);
        y43 = NDArray.Sin(2 * Math.PI * x43) + rng.Rand(100, 1);
        p43 = [new Variable(0.01 * rng.Randn(1, 10)), new Variable(NDArray.Zeros(10)), new Variable(0.01 * rng.Randn(10, 1)), new Variable(NDArray.Zeros(1))];
        xMlp = rng.Rand(100, 784).AsType(DType.Float32);
        tMlp = rng.RandInt(0, 10, 100);
        mlp = new DeZero.Models.MLP([1000, 1000, 10], F.ReLU);
        sgd = DeZero.Optimizers.OptimizerExtensions.Setup(new DeZero.Optimizers.SGD(0.01), mlp);
    }

    [Benchmark]
    public void Step43()
    {
        var loss = F.MeanSquaredError(y43, F.Linear(F.Sigmoid(F.Linear(x43, p43[0], p43[1])), p43[2], p43[3]));
        foreach (var p in p43) p.ClearGrad();
        loss.Backward();
        foreach (var p in p43) p.Data.SubtractInPlace(0.2 * p.Grad!.Data);
    }

    [Benchmark]
    public void MlpStep()
    {
        var loss = F.SoftmaxCrossEntropy(mlp.Call(xMlp), tMlp);
        mlp.ClearGrads();
        loss.Backward();
        sgd.Update();
    }
}
