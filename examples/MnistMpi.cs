using System.Diagnostics;
using DeZero.Data;
using DeZero.Distributed;
using DeZero.Layers;
using DeZero.Models;
using DeZero.Optimizers;
using F = DeZero.Functions;

namespace DeZero.Examples;

/// <summary>
/// The <c>fashion-mnist</c> example (MLP(1000, 10) with ReLU, Adam, weight decay 1e-4, batches of 100) trained
/// data-parallel over MPI like ChainerMN: each of the <c>mpirun -np N</c> ranks takes 100 / N examples of every batch,
/// and the gradients are averaged before each update. Only rank 0 prints and plots; without mpirun it is one process.
/// </summary>
public static class MnistMpi
{
    public static void Run(int maxEpoch = 5, string? plot = null)
    {
        const int batchSize = 100;
        var comm = Communicator.World;
        bool lead = comm.Rank == 0;
        if (batchSize % comm.Size != 0) throw new ArgumentException($"mnist-mpi: {comm.Size} ranks cannot share batches of {batchSize} evenly.");
        // Rank 0 makes the same random draws as the fashion-mnist example: the first epoch's order, then the weights.
        RandomState.Global.Seed(0);
        var trainSet = new FashionMNIST(train: true);
        var testSet = new FashionMNIST(train: false);
        var trainLoader = new DistributedDataLoader(trainSet, batchSize / comm.Size, comm);
        var testLoader = new DistributedDataLoader(testSet, batchSize / comm.Size, comm, shuffle: false);
        var model = new MLP([1000, 10], F.ReLU);
        model.Call(trainSet[0].x.Reshape(1, -1));
        var optimizer = new DistributedOptimizer(new Adam(), comm).Setup(model).AddHook(new WeightDecay(1e-4));
        if (lead) Console.WriteLine($"{comm.Size} rank(s), {batchSize / comm.Size} examples of every batch of {batchSize} on each");

        var history = new Dictionary<string, List<double>> { ["train loss"] = [], ["test loss"] = [], ["train accuracy"] = [], ["test accuracy"] = [] };
        var clock = Stopwatch.StartNew();
        for (int epoch = 0; epoch < maxEpoch; epoch++)
        {
            var start = clock.Elapsed;
            var communication = optimizer.CommunicationTime;
            var progress = lead ? new Progress($"epoch {epoch + 1}/{maxEpoch}", trainLoader.MaxIter) : null;
            var (loss, acc) = Pass(model, trainLoader, optimizer, progress);
            progress?.Done();
            var seconds = (clock.Elapsed - start).TotalSeconds;
            var perStep = (optimizer.CommunicationTime - communication).TotalMilliseconds / trainLoader.MaxIter;
            (double testLoss, double testAcc) result;
            using (Config.NoGrad())
            using (Config.TestMode())
                result = Pass(model, testLoader, null, null);
            (loss, acc) = (comm.Mean(loss), comm.Mean(acc));
            var (testLoss, testAcc) = (comm.Mean(result.testLoss), comm.Mean(result.testAcc));
            if (!lead) continue;
            Console.WriteLine($"epoch: {epoch + 1}  train loss: {loss:F4}, accuracy: {acc:F4}  test loss: {testLoss:F4}, accuracy: {testAcc:F4}  " +
                $"({seconds:F1} s, {trainLoader.MaxIter * batchSize / seconds:F0} samples/s, all-reduce {perStep:F1} ms/step)");
            history["train loss"].Add(loss);
            history["test loss"].Add(testLoss);
            history["train accuracy"].Add(acc);
            history["test accuracy"].Add(testAcc);
        }
        if (lead && plot is not null) Figures.History(plot, history);
    }

    // Mean loss and accuracy of this rank's share; trains when an optimizer is given. Every rank has as many examples.
    static (double loss, double acc) Pass(Layer model, DistributedDataLoader loader, DistributedOptimizer? optimizer, Progress? progress)
    {
        double sumLoss = 0, sumAcc = 0;
        int n = 0;
        foreach (var (x, t) in loader)
        {
            var y = model.Call(x);
            var loss = F.SoftmaxCrossEntropy(y, t);
            if (optimizer is not null)
            {
                model.ClearGrads();
                loss.Backward();
                optimizer.Update();
            }
            sumLoss += (double)loss.Data * t.Length;
            sumAcc += (double)F.Accuracy(y, t).Data * t.Length;
            n += t.Length;
            progress?.Step(sumLoss / n);
        }
        return (sumLoss / n, sumAcc / n);
    }
}
