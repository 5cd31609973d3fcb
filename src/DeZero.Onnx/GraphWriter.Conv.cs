using DeZero.Ops;

namespace DeZero.Onnx;

// Convolution, pooling and batch normalisation on (N, C, H, W) images.
internal sealed partial class GraphWriter
{
    static long[] Pair((int, int) p) => [p.Item1, p.Item2];

    // ONNX pads are (top, left, bottom, right); DeZero pads both sides alike.
    static long[] Pads((int, int) p) => [p.Item1, p.Item2, p.Item1, p.Item2];

    Value ConvOp(Conv2d c)
    {
        var (stride, pad) = c.Geometry;
        var w = c.Inputs[1].Shape;
        return new(Node("Conv", c.Inputs.Select((_, i) => In(c, i)),
            Attr("kernel_shape", [w[2], w[3]]), Attr("strides", Pair(stride)), Attr("pads", Pads(pad))), ImageBatch(c));
    }

    // The output size DeZero was given (outsize) becomes ONNX's output_padding beyond the default size.
    Value DeconvOp(Deconv2d d)
    {
        var (stride, pad, _) = d.Geometry;
        var (x, w, y) = (d.Inputs[0].Shape, d.Inputs[1].Shape, Out(d).Shape);
        long[] extra =
        [
            y[2] - (stride.Item1 * (x[2] - 1) + w[2] - 2 * pad.Item1),
            y[3] - (stride.Item2 * (x[3] - 1) + w[3] - 2 * pad.Item2),
        ];
        return new(Node("ConvTranspose", d.Inputs.Select((_, i) => In(d, i)),
            Attr("kernel_shape", [w[2], w[3]]), Attr("strides", Pair(stride)), Attr("pads", Pads(pad)), Attr("output_padding", extra)), ImageBatch(d));
    }

    // DeZero's max pooling pads with zeros (ONNX's MaxPool ignores padding), so the zeros are padded explicitly.
    Value MaxPoolOp(Pooling p)
    {
        var (kernel, stride, pad) = p.Window;
        int batch = ImageBatch(p);
        var x = In(p, 0);
        if (pad != (0, 0)) x = Node("Pad", [x, Ints([0, 0, pad.Item1, pad.Item2, 0, 0, pad.Item1, pad.Item2])]);
        return new(Node("MaxPool", [x], Attr("kernel_shape", Pair(kernel)), Attr("strides", Pair(stride))), batch);
    }

    // Padding counts as zeros in the average, like the book's.
    Value AveragePoolOp(AveragePooling a)
    {
        var (kernel, stride, pad) = a.Window;
        return new(Node("AveragePool", [In(a, 0)], Attr("kernel_shape", Pair(kernel)), Attr("strides", Pair(stride)),
            Attr("pads", Pads(pad)), Attr("count_include_pad", 1)), ImageBatch(a));
    }

    // The inference form: the running statistics, which DeZero passes as arrays, become initializers.
    Value BatchNormOp(BatchNorm b)
    {
        var (mean, variance, eps, testMode) = b.Statistics;
        if (!testMode)
            throw new InvalidOperationException(
                $"OnnxExporter.Export: BatchNorm ran in training mode (batch statistics); compute the graph under Config.TestMode() or use Export(Layer, …); met at {Where(b)}.");
        var t = Out(b).DType;
        string mu = Constant(mean.AsType(t), _keys.GetValueOrDefault(mean) ?? "avg_mean");
        string sigma2 = Constant(variance.AsType(t), _keys.GetValueOrDefault(variance) ?? "avg_var");
        return new(Node("BatchNormalization", [In(b, 0), In(b, 1), In(b, 2), mu, sigma2], Attr("epsilon", eps)), ImageBatch(b));
    }
}
