using DeZero.Data;
using DeZero.Layers;
using DeZero.Optimizers;
using F = DeZero.Functions;

namespace DeZero.Examples;

/// <summary>The training and evaluation loops the book's classification examples repeat (steps 50–53 and the CNN).</summary>
public static class Classifier
{
    /// <summary>One epoch of softmax cross-entropy training; returns the average loss and accuracy.</summary>
    public static (double loss, double acc) Epoch(Layer model, DataLoader loader, Optimizer optimizer, string? label = null)
    {
        double sumLoss = 0, sumAcc = 0;
        int n = 0;
        var progress = label is null ? null : new Progress(label, loader.MaxIter);
        foreach (var (x, t) in loader)
        {
            var y = model.Call(x);
            var loss = F.SoftmaxCrossEntropy(y, t);
            var acc = F.Accuracy(y, t);
            model.ClearGrads();
            loss.Backward();
            optimizer.Update();
            sumLoss += (double)loss.Data * t.Length;
            sumAcc += (double)acc.Data * t.Length;
            n += t.Length;
            progress?.Step(sumLoss / n);
        }
        progress?.Done();
        return (sumLoss / n, sumAcc / n);
    }

    /// <summary>
    /// Trains for <paramref name="maxEpoch"/> epochs, printing train and test loss and accuracy after each;
    /// returns them per epoch, keyed "train loss", "test loss", "train accuracy" and "test accuracy".
    /// </summary>
    public static Dictionary<string, List<double>> Fit(Layer model, Optimizer optimizer, DataLoader train, DataLoader test, int maxEpoch)
    {
        var history = new Dictionary<string, List<double>> { ["train loss"] = [], ["test loss"] = [], ["train accuracy"] = [], ["test accuracy"] = [] };
        for (int epoch = 0; epoch < maxEpoch; epoch++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var (loss, acc) = Epoch(model, train, optimizer, $"epoch {epoch + 1}/{maxEpoch}");
            var (testLoss, testAcc) = Evaluate(model, test);
            Console.WriteLine($"epoch: {epoch + 1}  train loss: {loss:F4}, accuracy: {acc:F4}  test loss: {testLoss:F4}, accuracy: {testAcc:F4}  ({clock.Elapsed.TotalSeconds:F1} s)");
            history["train loss"].Add(loss);
            history["test loss"].Add(testLoss);
            history["train accuracy"].Add(acc);
            history["test accuracy"].Add(testAcc);
        }
        return history;
    }

    /// <summary>Average loss and accuracy over a loader without recording graphs, in test mode.</summary>
    public static (double loss, double acc) Evaluate(Layer model, DataLoader loader)
    {
        double sumLoss = 0, sumAcc = 0;
        int n = 0;
        using (Config.NoGrad())
        using (Config.TestMode())
            foreach (var (x, t) in loader)
            {
                var y = model.Call(x);
                sumLoss += (double)F.SoftmaxCrossEntropy(y, t).Data * t.Length;
                sumAcc += (double)F.Accuracy(y, t).Data * t.Length;
                n += t.Length;
            }
        return (sumLoss / n, sumAcc / n);
    }
}
