using DeZero.Layers;
using Google.Protobuf;

namespace DeZero.Onnx;

/// <summary>
/// Writes a DeZero graph as an ONNX model that ONNX Runtime, ML.NET's <c>ApplyOnnxModel</c> and every other
/// ONNX runtime can run. The define-by-run graph is the trace: the functions that produced the output, from the
/// inputs, become the ONNX nodes; the parameters met on the way become initializers.
/// </summary>
public static class OnnxExporter
{
    /// <summary>The oldest operator set the exporter writes.</summary>
    public const int MinOpset = 13;

    /// <summary>The newest operator set the exporter writes, and the default.</summary>
    public const int MaxOpset = 21;

    /// <summary>
    /// Exports the graph that computed <paramref name="output"/> from <paramref name="inputs"/>. Every function on
    /// the way must have an ONNX mapping; parts that do not depend on the inputs are folded into constants.
    /// </summary>
    public static void Export(Variable output, string path, params Variable[] inputs) =>
        Export([output], path, inputs, null);

    /// <summary>Exports the graph that computed <paramref name="output"/> from <paramref name="inputs"/> with the given options.</summary>
    public static void Export(Variable output, string path, OnnxExportOptions options, params Variable[] inputs) =>
        Export([output], path, inputs, options);

    /// <summary>Exports the graph that computed <paramref name="outputs"/> from <paramref name="inputs"/>.</summary>
    public static void Export(Variable[] outputs, string path, Variable[] inputs, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var model = GraphWriter.Build(outputs, inputs, options ?? new OnnxExportOptions());
        Write(path, model);
    }

    /// <summary>
    /// Runs <paramref name="model"/> once on <paramref name="sampleInput"/> in test mode (dropout off, batch norm with its
    /// running statistics) with the graph recorded, and exports that graph; initializers are named by the model's
    /// weight keys (<c>l1/W</c>). A recurrent layer keeps the state of this run, and a state it had before is exported as a constant.
    /// </summary>
    public static void Export(Layer model, NDArray sampleInput, string path, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sampleInput);
        var x = new Variable(sampleInput, "input");
        Variable y;
        // The graph is the trace, so it must be recorded: backprop stays on, only the layers switch to test mode.
        using (Config.Using(enableBackprop: true, train: false)) y = model.Call(x);
        options ??= new OnnxExportOptions();
        Export([y], path, [x], options with { ParameterNames = options.ParameterNames ?? model });
    }

    // The model is complete before the file is touched; the file is replaced atomically, so a failed export leaves none.
    static void Write(string path, global::Onnx.ModelProto model)
    {
        try
        {
            IO.AtomicFile.Write(path, model.WriteTo);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"OnnxExporter.Export: cannot write '{path}': {e.Message}", e);
        }
    }
}
