using DeZero.Ops;
using P = global::Onnx;

namespace DeZero.Onnx;

// The ONNX form of each DeZero function. Inputs are cast to the output's dtype first where NumPy promotes
// (float32 with float64, integers to float), so ONNX computes in the dtype DeZero did.
internal sealed partial class GraphWriter
{
    Value Map(Function f) => f switch
    {
        Add => Arithmetic("Add", f),
        Sub => Arithmetic("Sub", f),
        Mul => Arithmetic("Mul", f),
        Div => Arithmetic("Div", f),
        Neg => Elementwise("Neg", f),
        Pow p => new(Node("Pow", [In(f, 0), Scalar(p.C, Out(f).DType)]), Broadcast(f)),
        Square => SquareOp(f),
        Exp => Elementwise("Exp", f),
        Log => Elementwise("Log", f),
        Sin => Elementwise("Sin", f),
        Cos => Elementwise("Cos", f),
        Tanh => Elementwise("Tanh", f),
        Sigmoid => Elementwise("Sigmoid", f),
        ReLU => Elementwise("Relu", f),
        LeakyReLU l => Elementwise("LeakyRelu", f, Attr("alpha", l.Slope)),
        Softmax s => Elementwise("Softmax", f, Attr("axis", s.Axis)),
        LogSoftmax s => Elementwise("LogSoftmax", f, Attr("axis", s.Axis)),
        Clip c => ClipOp(c),
        Linear => LinearOp(f),
        MatMul m => MatMulOp(m),
        Reshape => ReshapeOp(f),
        Transpose t => TransposeOp(t),
        BroadcastTo => ExpandOp(f),
        SumTo => SumToOp(f),
        Sum s => Reduce("ReduceSum", f, s.Reduction.Axis, s.Reduction.KeepDims),
        Min m => Reduce("ReduceMin", f, m.Axis, m.KeepDims),
        Max m => Reduce("ReduceMax", f, m.Axis, m.KeepDims),
        Concat c => ConcatOp(c),
        GetItem g => GetItemOp(g),
        EmbedID => EmbedIDOp(f),
        Conv2d c => ConvOp(c),
        Deconv2d d => DeconvOp(d),
        Pooling p => MaxPoolOp(p),
        AveragePooling a => AveragePoolOp(a),
        BatchNorm b => BatchNormOp(b),
        _ => throw new NotSupportedException(
            $"OnnxExporter.Export: {f.GetType().Name} has no ONNX mapping; met at {Where(f)}. " +
            "Export the inference graph (losses and gradient functions are not exported)."),
    };

    static Variable Out(Function f) => f.Outputs[0];

    /// <summary>Input <paramref name="i"/> of <paramref name="f"/>, cast to the output's dtype.</summary>
    string In(Function f, int i)
    {
        var x = f.Inputs[i];
        var to = Out(f).DType;
        var name = Get(x).Name;
        return x.DType == to ? name : Node("Cast", [name], Attr("to", ElemType(to)));
    }

    int BatchOf(Function f, int i) => Get(f.Inputs[i]).Batch;

    // NumPy broadcasting aligns the trailing axes, so an input's batch axis keeps its distance from the end.
    int Broadcast(Function f)
    {
        int n = Out(f).Ndim;
        foreach (var x in f.Inputs)
            if (Get(x).Batch is int b and >= 0) return b + n - x.Ndim;
        return -1;
    }

    // A function on images keeps the batch on axis 0; one with the batch elsewhere cannot be written for any batch.
    int ImageBatch(Function f)
    {
        int b = BatchOf(f, 0);
        return b <= 0 ? b : throw Dynamic(f, "the batch is not the first axis of its input");
    }

    NotSupportedException Dynamic(Function f, string why) =>
        new($"OnnxExporter.Export: {f.GetType().Name} cannot be written for a dynamic batch: {why}; met at {Where(f)}. Export with DynamicBatch = false.");

    NotSupportedException NoDType(Function f, string op) =>
        new($"OnnxExporter.Export: {f.GetType().Name} on {Out(f).DType.Name()} has no ONNX form ({op} does not take {Out(f).DType.Name()}); met at {Where(f)}.");

    Value Elementwise(string op, Function f, params P.AttributeProto[] attributes) =>
        new(Node(op, f.Inputs.Select((_, i) => In(f, i)), attributes), Broadcast(f));

    // NumPy adds and multiplies bools as logical or/and; ONNX arithmetic takes numbers only.
    Value Arithmetic(string op, Function f) =>
        Out(f).DType == DType.Bool ? throw NoDType(f, op) : Elementwise(op, f);

    Value SquareOp(Function f)
    {
        var x = In(f, 0);
        return new(Node("Mul", [x, x]), BatchOf(f, 0));
    }

    Value ClipOp(Clip c)
    {
        var t = Out(c).DType;
        var (min, max) = c.Range;
        string Bound(double v) => double.IsInfinity(v) ? "" : Scalar(v, t);
        return new(Node("Clip", [In(c, 0), Bound(min), Bound(max)]), BatchOf(c, 0));
    }

    // x·W + b: Gemm when b is a row, else MatMul then Add.
    Value LinearOp(Function f)
    {
        if (Out(f).DType == DType.Bool) throw NoDType(f, "MatMul");
        int batch = MatMulBatch(BatchOf(f, 0), BatchOf(f, 1), 2, 2, 2, false, false);
        if (f.Inputs.Count == 2) return new(Node("MatMul", [In(f, 0), In(f, 1)]), batch);
        var b = f.Inputs[2];
        if (Get(b).Batch < 0 && (b.Ndim <= 1 || b.Shape[0] == 1))
            return new(Node("Gemm", [In(f, 0), In(f, 1), In(f, 2)]), batch);
        var xw = Node("MatMul", [In(f, 0), In(f, 1)]);
        return new(Node("Add", [xw, In(f, 2)]), batch >= 0 ? batch : Get(b).Batch + 2 - b.Ndim);
    }

    Value MatMulOp(MatMul m)
    {
        if (Out(m).DType == DType.Bool) throw NoDType(m, "MatMul");
        var (ta, tb) = m.Trans;
        var (a, b) = (m.Inputs[0], m.Inputs[1]);
        int batch = MatMulBatch(BatchOf(m, 0), BatchOf(m, 1), a.Ndim, b.Ndim, Out(m).Ndim, ta, tb);
        if (!ta && !tb) return new(Node("MatMul", [In(m, 0), In(m, 1)]), batch);
        return new(Node("Gemm", [In(m, 0), In(m, 1)], Attr("transA", ta ? 1 : 0), Attr("transB", tb ? 1 : 0)), batch);
    }

    // Where the batch axis of a matrix product's operand lands: rows of a and columns of b stay, the contracted axis
    // vanishes, stacked (leading) axes align from the end. Transpose flags only exist for 2-D operands.
    static int MatMulBatch(int ba, int bb, int na, int nb, int n, bool ta, bool tb)
    {
        if (ta && ba >= 0) ba = 1 - ba;
        if (tb && bb >= 0) bb = 1 - bb;
        if (ba >= 0) return na == 1 || ba == na - 1 ? -1 : ba == na - 2 ? n - (nb == 1 ? 1 : 2) : ba + n - na;
        if (bb >= 0) return nb == 1 || bb == nb - 2 ? -1 : bb == nb - 1 ? n - 1 : bb + n - nb;
        return -1;
    }

    // A fixed shape, except that the axis holding the batch is written −1 so ONNX infers it for any batch size. It is the
    // first output axis whose leading axes hold as many elements as those before the input's batch axis.
    Value ReshapeOp(Function f)
    {
        var (x, y) = (f.Inputs[0], Out(f));
        int b = BatchOf(f, 0);
        var shape = y.Shape.Select(d => (long)d).ToArray();
        int batch = -1;
        if (b >= 0)
        {
            long before = x.Shape.Take(b).Aggregate(1L, (p, d) => p * d), prod = 1;
            for (int j = 0; j < shape.Length && batch < 0; prod *= shape[j], j++)
                if (prod == before && shape[j] % _batchSize == 0) batch = j;
            if (batch < 0) throw Dynamic(f, $"the reshape from {ShapeUtil.Str(x.Shape)} to {ShapeUtil.Str(y.Shape)} splits the batch axis {b}");
            shape[batch] = -1;
        }
        if (!shape.Contains(0)) return new(Node("Reshape", [In(f, 0), Ints(shape)]), batch);
        if (_opset < 14) throw new NotSupportedException($"OnnxExporter.Export: a reshape to a shape with zeros needs opset 14 or later; met at {Where(f)}.");
        return new(Node("Reshape", [In(f, 0), Ints(shape)], Attr("allowzero", 1)), batch);
    }

    Value TransposeOp(Transpose t)
    {
        int n = Out(t).Ndim;
        var perm = t.Axes ?? [.. Enumerable.Range(0, n).Reverse()];
        int b = BatchOf(t, 0);
        return new(Node("Transpose", [In(t, 0)], Attr("perm", perm.Select(a => (long)a))), b < 0 ? -1 : Array.IndexOf(perm, b));
    }

    // Expand broadcasts both ways, so a 1 on the batch axis keeps the input's batch, whatever its size.
    Value ExpandOp(Function f)
    {
        var (x, y) = (f.Inputs[0], Out(f));
        var shape = y.Shape.Select(d => (long)d).ToArray();
        int b = BatchOf(f, 0), lead = y.Ndim - x.Ndim, batch = -1;
        if (b >= 0 && x.Shape[b] == y.Shape[b + lead])
        {
            batch = b + lead;
            shape[batch] = 1;
        }
        return new(Node("Expand", [In(f, 0), Ints(shape)]), batch);
    }

    // Sums the leading axes away, then the axes of length 1 in the target with keepdims.
    Value SumToOp(Function f)
    {
        var (x, y) = (f.Inputs[0], Out(f));
        int lead = x.Ndim - y.Ndim, b = BatchOf(f, 0);
        var name = In(f, 0);
        if (lead > 0) name = Node("ReduceSum", [name, Ints([.. Enumerable.Range(0, lead).Select(i => (long)i)])], Attr("keepdims", 0));
        var ones = Enumerable.Range(0, y.Ndim).Where(i => y.Shape[i] == 1 && x.Shape[i + lead] != 1).Select(i => (long)i).ToArray();
        if (ones.Length > 0) name = Node("ReduceSum", [name, Ints(ones)], Attr("keepdims", 1));
        return new(name, b < lead || ones.Contains(b - lead) ? -1 : b - lead);
    }

    Value Reduce(string op, Function f, int[]? axis, bool keepdims)
    {
        if (op != "ReduceSum" && Out(f).DType == DType.Bool && _opset < 20) throw NoDType(f, op + " before opset 20");
        var x = f.Inputs[0];
        int b = BatchOf(f, 0);
        var axes = axis?.Select(a => a < 0 ? a + x.Ndim : a).ToArray();
        int batch = b < 0 || axes is null || axes.Contains(b) ? -1 : keepdims ? b : b - axes.Count(a => a < b);
        if (axes is { Length: 0 }) return new(Node("Identity", [In(f, 0)]), b);
        var keep = Attr("keepdims", keepdims ? 1 : 0);
        if (axes is null) return new(Node(op, [In(f, 0)], keep), batch);
        var longs = axes.Select(a => (long)a);
        // ReduceSum takes its axes as an input from opset 13, ReduceMax and ReduceMin from opset 18.
        return op == "ReduceSum" || _opset >= 18
            ? new(Node(op, [In(f, 0), Ints([.. longs])], keep), batch)
            : new(Node(op, [In(f, 0)], keep, Attr("axes", longs)), batch);
    }

    Value ConcatOp(Concat c) =>
        new(Node("Concat", c.Inputs.Select((_, i) => In(c, i)), Attr("axis", c.Axis)), c.Inputs.Select(x => Get(x).Batch).FirstOrDefault(b => b >= 0, -1));

    // W[ids]: rows of W gathered along axis 0; ids of any integer type and shape.
    Value EmbedIDOp(Function f)
    {
        var (ids, w) = (f.Inputs[0], f.Inputs[1]);
        int bi = BatchOf(f, 0), bw = BatchOf(f, 1);
        int batch = bi >= 0 ? bi : bw > 0 ? ids.Ndim + bw - 1 : -1;
        return new(Node("Gather", [Get(w).Name, Get(ids).Name], Attr("axis", 0)), batch);
    }
}
