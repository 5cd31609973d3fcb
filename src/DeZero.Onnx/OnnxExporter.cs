namespace DeZero.Onnx;

/// <summary>Placeholder.</summary>
public static class OnnxExporter
{
    internal static global::Onnx.ModelProto Make() => new();
}
