using DeZero.Data;
using DeZero.Models;
using DeZero.Optimizers;
using F = DeZero.Functions;
using L = DeZero.Layers;

namespace DeZero.Examples;

/// <summary>The programs of the book's stage 4 (steps 44–53): layers, models, optimizers, data and weight files.</summary>
public static class Stage4
{
    static (NDArray x, NDArray y) SinData()
    {
        var rng = RandomState.Global;
        rng.Seed(0);
        var x = rng.Rand(100, 1);
        var y = NDArray.Sin(2 * Math.PI * x) + rng.Rand(100, 1);
        return (x, y);
    }

    /// <summary>Step 44: the sin regression with two <c>L.Linear</c> layers and a hand-written update.</summary>
    public static List<double> SinLayers(int iters = 10000, double lr = 0.2, bool print = true)
    {
        var (x, y) = SinData();
        var l1 = new L.Linear(10);
        var l2 = new L.Linear(1);
        var losses = new List<double>();
        for (int i = 0; i < iters; i++)
        {
            var yPred = l2.Call(F.Sigmoid(l1.Call(x)));
            var loss = F.MeanSquaredError(y, yPred);
            l1.ClearGrads();
            l2.ClearGrads();
            loss.Backward();
            foreach (var l in new[] { l1, l2 })
                foreach (var p in l.Params()) p.Data.SubtractInPlace(lr * p.Grad!.Data);
            if (i % 1000 == 0)
            {
                losses.Add((double)loss.Data);
                if (print) Console.WriteLine(loss);
            }
        }
        return losses;
    }

    /// <summary>Step 45: the network as a <see cref="Model"/> subclass; parameters come from its fields.</summary>
    public sealed class TwoLayerNet(int hiddenSize, int outSize) : Model
    {
        readonly L.Linear l1 = new(hiddenSize), l2 = new(outSize);

        public override Variable Forward(Variable x) => l2.Call(F.Sigmoid(l1.Call(x)));
    }

    /// <summary>Steps 45–46: an <see cref="MLP"/> trained by an optimizer; returns every 1000th loss.</summary>
    public static List<double> SinOptimizer(int iters = 10000, bool print = true, string? plot = null)
    {
        var (x, y) = SinData();
        var model = new MLP([10, 1]);
        var optimizer = new SGD(0.2).Setup(model);
        var losses = new List<double>();
        for (int i = 0; i < iters; i++)
        {
            var loss = F.MeanSquaredError(y, model.Call(x));
            model.ClearGrads();
            loss.Backward();
            optimizer.Update();
            if (i % 1000 == 0)
            {
                losses.Add((double)loss.Data);
                if (print) Console.WriteLine(loss);
            }
        }
        if (plot is not null) Figures.SinFit(plot, x, y, model.Call);
        return losses;
    }

    /// <summary>Step 48: spiral classification with mini-batches drawn by hand; returns the average loss of every epoch.</summary>
    public static List<double> Spiral(int maxEpoch = 300, bool print = true, string? plot = null)
    {
        const int batchSize = 30;
        var (x, t) = Data.Spiral.GetSpiral(train: true);
        var model = new MLP([10, 3]);
        var optimizer = new SGD(1.0).Setup(model);
        int dataSize = x.Length, maxIter = (dataSize + batchSize - 1) / batchSize;
        var losses = new List<double>();
        for (int epoch = 0; epoch < maxEpoch; epoch++)
        {
            var index = RandomState.Global.Permutation(dataSize);
            double sumLoss = 0;
            for (int i = 0; i < maxIter; i++)
            {
                var batchIndex = index[Slice.Of(i * batchSize, (i + 1) * batchSize)];
                var batchX = x[batchIndex];
                var batchT = t[batchIndex];
                var loss = F.SoftmaxCrossEntropy(model.Call(batchX), batchT);
                model.ClearGrads();
                loss.Backward();
                optimizer.Update();
                sumLoss += (double)loss.Data * batchT.Length;
            }
            losses.Add(sumLoss / dataSize);
            if (print) Console.WriteLine($"epoch {epoch + 1}, loss {sumLoss / dataSize:F2}");
        }
        if (plot is not null) Figures.Regions(plot, x, t, model);
        return losses;
    }

    /// <summary>Step 50: spiral with Dataset and DataLoader, reporting train and test loss and accuracy.</summary>
    public static void SpiralLoader(int maxEpoch = 300)
    {
        const int batchSize = 30;
        var trainSet = new Spiral(train: true);
        var testSet = new Spiral(train: false);
        var trainLoader = new DataLoader(trainSet, batchSize);
        var testLoader = new DataLoader(testSet, batchSize, shuffle: false);
        var model = new MLP([10, 3]);
        var optimizer = new SGD(1.0).Setup(model);
        for (int epoch = 0; epoch < maxEpoch; epoch++)
        {
            var (loss, acc) = Classifier.Epoch(model, trainLoader, optimizer);
            Console.WriteLine($"epoch: {epoch + 1}");
            Console.WriteLine($"train loss: {loss:F4}, accuracy: {acc:F4}");
            (loss, acc) = Classifier.Evaluate(model, testLoader);
            Console.WriteLine($"test loss: {loss:F4}, accuracy: {acc:F4}");
        }
    }

    /// <summary>
    /// Step 51 on Fashion-MNIST: MLP(1000, 10) with ReLU, Adam and weight decay, printing loss and accuracy per
    /// epoch; with <paramref name="weights"/> it resumes from and saves to that file (step 53).
    /// </summary>
    public static void FashionMnist(int maxEpoch = 5, string? weights = null, string? plot = null)
    {
        const int batchSize = 100;
        RandomState.Global.Seed(0);
        var trainSet = new FashionMNIST(train: true);
        var testSet = new FashionMNIST(train: false);
        var trainLoader = new DataLoader(trainSet, batchSize);
        var testLoader = new DataLoader(testSet, batchSize, shuffle: false);
        var model = new MLP([1000, 10], F.ReLU);
        var optimizer = new Adam().Setup(model);
        optimizer.AddHook(new WeightDecay(1e-4));
        if (weights is not null && File.Exists(weights))
        {
            model.LoadWeights(weights);
            Console.WriteLine($"resumed from {weights}");
        }
        var history = Classifier.Fit(model, optimizer, trainLoader, testLoader, maxEpoch);
        if (weights is not null)
        {
            model.SaveWeights(weights);
            Console.WriteLine($"saved weights to {weights}");
        }
        if (plot is not null)
        {
            Figures.History(plot, history);
            Figures.Images($"{plot}-samples.png", testSet.Data[..50].Reshape(50, 28, 28));
        }
    }
}
