using System.Diagnostics;
using DeZero.Layers;
using DeZero.Models;
using DeZero.Optimizers;
using F = DeZero.Functions;
using L = DeZero.Layers;

namespace DeZero.Bench;

/// <summary>The workloads in DeZero for .NET; each runs one untimed warm-up iteration before the timed loop.</summary>
public sealed class Workloads : IWorkloads
{
    // The book's step-43 network: 1-10-1, sigmoid, float64, 100 samples, lr 0.2.
    public double Seed()
    {
        var rng = new RandomState(0);
        var x = rng.Rand(100, 1);
        var y = NDArray.Sin(2 * Math.PI * x) + rng.Rand(100, 1);
        var W1 = new Variable(0.01 * rng.Randn(1, 10));
        var b1 = new Variable(NDArray.Zeros(10));
        var W2 = new Variable(0.01 * rng.Randn(10, 1));
        var b2 = new Variable(NDArray.Zeros(1));
        Variable[] ps = [W1, b1, W2, b2];
        return Measure.Rate(10_000, () =>
        {
            var loss = F.MeanSquaredError(y, F.Linear(F.Sigmoid(F.Linear(x, W1, b1)), W2, b2));
            foreach (var p in ps) p.ClearGrad();
            loss.Backward();
            foreach (var p in ps) p.Data -= 0.2 * p.Grad!.Data;
        });
    }

    // Trains a model with the library's SGD (in-place updates) on one fixed batch; returns iterations per second.
    static double Train(Layer model, NDArray x, NDArray t, int iters)
    {
        var optimizer = new SGD(0.01).Setup(model);
        return Measure.Rate(iters, () =>
        {
            var loss = F.SoftmaxCrossEntropy(model.Call(x), t);
            model.ClearGrads();
            loss.Backward();
            optimizer.Update();
        });
    }

    // 784-1000-1000-10 ReLU MLP, batch 100, softmax cross-entropy, SGD lr 0.01, 200 iterations.
    public double Mlp()
    {
        var rng = new RandomState(0);
        var x = rng.Rand(100, 784).AsType(DType.Float32);
        var t = rng.RandInt(0, 10, 100);
        var model = new Sequential(new L.Linear(1000, rng: rng), new Fn(F.ReLU), new L.Linear(1000, rng: rng), new Fn(F.ReLU), new L.Linear(10, rng: rng));
        return 100 * Train(model, x, t, 200);
    }

    // conv3×3(1→32) ReLU pool2, conv3×3(32→64) ReLU pool2, linear 3136→10; batch 64 of 1×28×28, 30 iterations.
    public double Cnn()
    {
        var rng = new RandomState(0);
        var x = rng.Rand(64, 1, 28, 28).AsType(DType.Float32);
        var t = rng.RandInt(0, 10, 64);
        var model = new Sequential(
            new L.Conv2d(32, 3, pad: 1, rng: rng), new Fn(F.ReLU), new Fn(h => F.Pooling(h, 2, 2)),
            new L.Conv2d(64, 3, pad: 1, rng: rng), new Fn(F.ReLU), new Fn(h => F.Pooling(h, 2, 2)),
            new Fn(F.Flatten), new L.Linear(10, rng: rng));
        return 64 * Train(model, x, t, 30);
    }

    /// <summary>A parameterless layer applying a function, so a workload reads as a sequence of layers.</summary>
    sealed class Fn(Func<Variable, Variable> f) : Layer
    {
        public override Variable Forward(Variable x) => f(x);
    }

    // LSTM(100) + linear(100→1) on a sine wave, batch 1: MSE summed over 30-step chunks, truncated backprop + Adam.
    public double Lstm()
    {
        var rnn = new L.LSTM(100, rng: new RandomState(0));
        var fc = new L.Linear(1, rng: new RandomState(1));
        var model = new Sequential(rnn, fc);
        var optimizer = new Adam().Setup(model);
        var wave = NDArray.Sin(NDArray.Linspace(0, 2 * Math.PI * 40, 1001)).AsType(DType.Float32);
        Variable? loss = null;
        int step = 0;
        return Measure.Rate(1000, () =>
        {
            var x = wave[Slice.Of(step % 1000, step % 1000 + 1)].Reshape(1, 1);
            var t = wave[Slice.Of(step % 1000 + 1, step % 1000 + 2)].Reshape(1, 1);
            var l = F.MeanSquaredError(model.Call(x), t);
            loss = loss is null ? l : loss + l;
            if (++step % 30 == 0)
            {
                model.ClearGrads();
                loss.Backward();
                loss.UnchainBackward();
                optimizer.Update();
                loss = null;
            }
        }, warmup: 30);
    }

    // x = 1.0, y = tanh(x), six backward passes with createGraph; 200 repetitions.
    public double HigherOrder() => Measure.Rate(200, () =>
    {
        var x = new Variable(NDArray.Scalar(1.0));
        F.Tanh(x).Backward(createGraph: true);
        for (int i = 0; i < 5; i++)
        {
            var gx = x.Grad!;
            x.ClearGrad();
            gx.Backward(createGraph: true);
        }
    });

    public Action MatMul(int n)
    {
        var rng = new RandomState(0);
        var a = Float32Rand(rng, n);
        // RandomState draws float64 (like NumPy): collect a's draw before b's, so the setup does not hold both.
        GC.Collect();
        var b = Float32Rand(rng, n);
        return () => NDArray.MatMul(a, b);
    }

    // An n×n float32 draw. In a method of its own, because a caller running as tier-0 code keeps the float64 draw in a
    // stack temporary that the GC counts as live until the caller returns, so the collection above would not free it.
    static NDArray Float32Rand(RandomState rng, int n) => rng.Rand(n, n).AsType(DType.Float32);
}
