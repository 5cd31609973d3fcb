using DeZero.Data;
using DeZero.Models;
using DeZero.Optimizers;
using DeZero.Plotting;
using F = DeZero.Functions;
using L = DeZero.Layers;

namespace DeZero.Examples;

/// <summary>The programs of the book's stage 5: a convolutional network and the LSTM of step 60.</summary>
public static class Stage5
{
    /// <summary>Two 3×3 convolutions with ReLU and 2×2 max pooling, then two fully connected layers.</summary>
    public sealed class SimpleCnn : Model
    {
        readonly L.Conv2d conv1 = new(32, 3, pad: 1), conv2 = new(64, 3, pad: 1);
        readonly L.Linear fc1 = new(128), fc2 = new(10);

        public override Variable Forward(Variable x)
        {
            x = F.Pooling(F.ReLU(conv1.Call(x)), 2, 2);
            x = F.Pooling(F.ReLU(conv2.Call(x)), 2, 2);
            x = F.Dropout(F.ReLU(fc1.Call(F.Flatten(x))), 0.25);
            return fc2.Call(x);
        }
    }

    /// <summary>The CNN on Fashion-MNIST images (1×28×28 scaled to [0, 1]) with Adam; prints loss and accuracy per epoch.</summary>
    public static void Cnn(int maxEpoch = 3, string? plot = null)
    {
        RandomState.Global.Seed(0);
        var scale = Transforms.Compose(Transforms.ToFloat(), Transforms.Normalize(0.0, 255.0));
        var trainSet = new FashionMNIST(train: true, transform: scale);
        var testSet = new FashionMNIST(train: false, transform: scale);
        var trainLoader = new DataLoader(trainSet, 100);
        var testLoader = new DataLoader(testSet, 100, shuffle: false);
        var model = new SimpleCnn();
        var optimizer = new Adam().Setup(model);
        var history = Classifier.Fit(model, optimizer, trainLoader, testLoader, maxEpoch);
        if (plot is not null) Figures.History(plot, history);
    }

    /// <summary>Step 60's model: an LSTM followed by a linear layer.</summary>
    public sealed class BetterRnn(int hiddenSize, int outSize) : Model
    {
        readonly L.LSTM rnn = new(hiddenSize);
        readonly L.Linear fc = new(outSize);

        public void ResetState() => rnn.ResetState();

        public override Variable Forward(Variable x) => fc.Call(rnn.Call(x));
    }

    /// <summary>
    /// Step 60: the LSTM learns the noisy sine curve with truncated backprop every 30 steps and Adam; returns the
    /// average loss of every epoch. With <paramref name="plot"/> it predicts cos(x) step by step and draws it.
    /// </summary>
    public static List<double> Lstm(int maxEpoch = 100, bool print = true, string? plot = null)
    {
        const int batchSize = 30, hiddenSize = 100, bpttLength = 30;
        RandomState.Global.Seed(0);
        var trainSet = new SinCurve(train: true);
        var loader = new SeqDataLoader(trainSet, batchSize);
        int seqLen = trainSet.Count;
        var model = new BetterRnn(hiddenSize, 1);
        var optimizer = new Adam().Setup(model);
        var losses = new List<double>();
        for (int epoch = 0; epoch < maxEpoch; epoch++)
        {
            model.ResetState();
            Variable? loss = null;
            int count = 0;
            foreach (var (x, t) in loader)
            {
                var step = F.MeanSquaredError(model.Call(x), t);
                loss = loss is null ? step : loss + step;
                count++;
                if (count % bpttLength == 0 || count == seqLen)
                {
                    model.ClearGrads();
                    loss.Backward();
                    loss.UnchainBackward();
                    optimizer.Update();
                }
            }
            losses.Add((double)loss!.Data / count);
            if (print) Console.WriteLine($"| epoch {epoch + 1} | loss {losses[^1]:F6}");
        }
        if (plot is not null)
        {
            var xs = NDArray.Cos(NDArray.Linspace(0, 4 * Math.PI, 1000));
            var predicted = new double[xs.Size];
            model.ResetState();
            using (Config.NoGrad())
                for (int i = 0; i < xs.Size; i++)
                    predicted[i] = (double)model.Call(xs[i].Reshape(1, 1)).Data;
            Console.WriteLine("wrote prediction: " + Plots.Curves(plot, new Dictionary<string, IReadOnlyList<double>>
            {
                ["y = cos(x)"] = xs.ToArray<double>(),
                ["predict"] = predicted,
            }, xLabel: "x", yLabel: "y"));
        }
        return losses;
    }
}
