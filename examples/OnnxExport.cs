using DeZero.Data;
using DeZero.Models;
using DeZero.Onnx;
using DeZero.Optimizers;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using F = DeZero.Functions;

namespace DeZero.Examples;

/// <summary>Ships a trained model: the Fashion-MNIST MLP exported to ONNX and run by ONNX Runtime from the file.</summary>
public static class OnnxExport
{
    /// <summary>
    /// Trains step 51's MLP(1000, 10) with ReLU, Adam and weight decay for <paramref name="epochs"/>, exports it to
    /// <paramref name="path"/>, then classifies the test set with ONNX Runtime from that file and prints both accuracies.
    /// </summary>
    public static void Run(int epochs, string path)
    {
        RandomState.Global.Seed(0);
        var trainSet = new FashionMNIST(train: true);
        var testSet = new FashionMNIST(train: false);
        var testLoader = new DataLoader(testSet, 1000, shuffle: false);
        var model = new MLP([1000, 10], F.ReLU);
        var optimizer = new Adam().Setup(model);
        optimizer.AddHook(new WeightDecay(1e-4));
        Classifier.Fit(model, optimizer, new DataLoader(trainSet, 100), testLoader, epochs);

        // One image is enough to trace the network; the batch axis of the file is symbolic.
        var (image, _) = testSet[0];
        OnnxExporter.Export(model, image.Reshape(1, -1), path);
        Console.WriteLine($"exported {path} ({new FileInfo(path).Length:N0} bytes)");

        int dezeroCorrect = 0, onnxCorrect = 0, disagree = 0, n = 0;
        using var session = new InferenceSession(path);
        foreach (var (x, t) in testLoader)
        {
            NDArray ours;
            using (Config.NoGrad())
            using (Config.TestMode())
                ours = model.Call(x).Data;
            var input = new DenseTensor<float>(x.ToArray<float>(), x.Shape);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", input)]);
            var theirs = NDArray.FromArray(results[0].AsTensor<float>().ToArray()).Reshape(ours.Shape);
            var (a, b, labels) = (ours.Argmax(1).ToArray<long>(), theirs.Argmax(1).ToArray<long>(), t.ToArray<long>());
            for (int i = 0; i < labels.Length; i++)
            {
                dezeroCorrect += a[i] == labels[i] ? 1 : 0;
                onnxCorrect += b[i] == labels[i] ? 1 : 0;
                disagree += a[i] != b[i] ? 1 : 0;
            }
            n += labels.Length;
        }
        Console.WriteLine($"test accuracy  DeZero: {(double)dezeroCorrect / n:F4}  ONNX Runtime: {(double)onnxCorrect / n:F4}  ({disagree} of {n} predictions differ)");
    }
}
