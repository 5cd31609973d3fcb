using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DeZero.Onnx.Tests;

/// <summary>An exported file loaded in ONNX Runtime.</summary>
sealed class OnnxModel(string path) : IDisposable
{
    readonly InferenceSession _session = new(path);

    /// <summary>The outputs for the inputs, in graph order.</summary>
    public NDArray[] Run(params NDArray[] inputs)
    {
        var names = _session.InputMetadata.Keys.ToArray();
        Assert.Equal(names.Length, inputs.Length);
        var feeds = names.Select((n, i) => Runtime.Feed(n, inputs[i])).ToList();
        using var results = _session.Run(feeds);
        return [.. results.Select(Runtime.Fetch)];
    }

    public void Dispose() => _session.Dispose();
}

/// <summary>Runs exported files in ONNX Runtime and compares the results with DeZero's.</summary>
static class Runtime
{
    /// <summary>The outputs of the model in <paramref name="path"/> for the inputs, in graph order.</summary>
    public static NDArray[] Run(string path, params NDArray[] inputs)
    {
        using var model = new OnnxModel(path);
        return model.Run(inputs);
    }

    internal static NamedOnnxValue Feed(string name, NDArray a)
    {
        var dims = a.Shape;
        return a.DType switch
        {
            DType.Float32 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(a.ToArray<float>(), dims)),
            DType.Float64 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<double>(a.ToArray<double>(), dims)),
            DType.Int32 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<int>(a.ToArray<int>(), dims)),
            DType.Int64 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<long>(a.ToArray<long>(), dims)),
            _ => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<bool>(a.ToArray<bool>(), dims)),
        };
    }

    internal static NDArray Fetch(DisposableNamedOnnxValue v) => v.ElementType switch
    {
        TensorElementType.Float => FromTensor(v.AsTensor<float>()),
        TensorElementType.Double => FromTensor(v.AsTensor<double>()),
        TensorElementType.Int32 => FromTensor(v.AsTensor<int>()),
        TensorElementType.Int64 => FromTensor(v.AsTensor<long>()),
        TensorElementType.Bool => FromTensor(v.AsTensor<bool>()),
        var t => throw new InvalidOperationException($"unexpected output type {t}"),
    };

    static NDArray FromTensor<T>(Tensor<T> t) where T : unmanaged =>
        NDArray.FromArray(t.ToArray()).Reshape(t.Dimensions.ToArray());

    /// <summary>
    /// Same shape and dtype, and every element within <paramref name="rtol"/> of the expected one relative to the
    /// larger of its own magnitude and the largest magnitude of the expected array (float32 rounding scales with both).
    /// </summary>
    public static void AssertClose(NDArray expected, NDArray actual, double rtol = 1e-5)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(expected.DType, actual.DType);
        var e = expected.ToArray<double>();
        var a = actual.ToArray<double>();
        double scale = e.Length == 0 ? 0 : e.Max(Math.Abs);
        for (int i = 0; i < e.Length; i++)
        {
            double tol = rtol * Math.Max(Math.Abs(e[i]), scale);
            if (!(Math.Abs(a[i] - e[i]) <= tol))
                Assert.Fail($"element {i}: DeZero {e[i]:R}, ONNX Runtime {a[i]:R} (|diff| {Math.Abs(a[i] - e[i]):E2} > {tol:E2}; largest |value| {scale:E2})");
        }
    }
}

/// <summary>A folder of its own for each test, removed afterwards.</summary>
sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("dezero-onnx-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
