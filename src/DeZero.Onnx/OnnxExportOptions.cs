using DeZero.Layers;

namespace DeZero.Onnx;

/// <summary>How <see cref="OnnxExporter"/> writes a model.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>The ONNX operator set, from <see cref="OnnxExporter.MinOpset"/> to <see cref="OnnxExporter.MaxOpset"/> (the default).</summary>
    public int Opset { get; init; } = OnnxExporter.MaxOpset;

    /// <summary>
    /// Whether the first axis of every input is a symbolic <c>batch</c> dimension (the default), so a model exported
    /// from a batch of one runs on any batch size; otherwise every dimension is fixed to the sample's.
    /// </summary>
    public bool DynamicBatch { get; init; } = true;

    /// <summary>Names of the graph inputs, one per input (default: the variables' names, else <c>input</c>, <c>input_1</c>, …).</summary>
    public IReadOnlyList<string>? InputNames { get; init; }

    /// <summary>Names of the graph outputs, one per output (default: the variables' names, else <c>output</c>, <c>output_1</c>, …).</summary>
    public IReadOnlyList<string>? OutputNames { get; init; }

    /// <summary>
    /// A layer or model whose parameters name the initializers by their weight keys (<c>l1/W</c>, as in
    /// <see cref="Layer.SaveWeights"/>); other parameters are named by their own names. Set by
    /// <see cref="OnnxExporter.Export(Layer, NDArray, string, OnnxExportOptions?)"/>.
    /// </summary>
    public Layer? ParameterNames { get; init; }
}
