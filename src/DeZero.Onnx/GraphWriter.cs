using System.Runtime.InteropServices;
using Google.Protobuf;
using P = global::Onnx;

namespace DeZero.Onnx;

/// <summary>
/// Builds the ONNX model of a DeZero trace: orders the functions between the inputs and the outputs, folds the
/// values that do not depend on the inputs into initializers, and maps every other function to ONNX nodes
/// (the mappings are in <c>GraphWriter.Ops.cs</c>).
/// </summary>
/// <remarks>
/// With a dynamic batch, every tensor remembers which of its axes carries the batch (<see cref="Value.Batch"/>), so
/// that the operations that bake a shape (Reshape, Expand) write it in a form that holds for any batch size.
/// </remarks>
internal sealed partial class GraphWriter
{
    /// <summary>A tensor of the graph: its name and the axis that carries the batch (−1 when none does).</summary>
    readonly record struct Value(string Name, int Batch);

    const string BatchDim = "batch";

    readonly P.GraphProto _graph = new() { Name = "dezero" };
    readonly int _opset;
    readonly Dictionary<Variable, Value> _values = new(ReferenceEqualityComparer.Instance);
    // Weight keys (l1/W) of the parameters, and of their arrays (batch norm receives its running statistics as arrays).
    readonly Dictionary<object, string> _keys = new(ReferenceEqualityComparer.Instance);
    readonly HashSet<string> _names = [];
    // The function that first needed each function, to say where in the graph an error was met.
    readonly Dictionary<Function, Function?> _consumer = new(ReferenceEqualityComparer.Instance);
    int _batchSize;

    GraphWriter(OnnxExportOptions options)
    {
        _opset = options.Opset;
        if (options.ParameterNames is { } layer)
            foreach (var (key, p) in layer.NamedParams())
            {
                _keys.TryAdd(p, key);
                if (p.HasData) _keys.TryAdd(p.Data, key);
            }
    }

    /// <summary>The model of the graph that computed <paramref name="outputs"/> from <paramref name="inputs"/>.</summary>
    public static P.ModelProto Build(Variable[] outputs, Variable[] inputs, OnnxExportOptions options)
    {
        Check(outputs, inputs, options);
        var w = new GraphWriter(options);
        w.Write(outputs, inputs, options);
        var model = new P.ModelProto
        {
            IrVersion = IrVersion(options.Opset),
            ProducerName = "DeZero for .NET",
            ProducerVersion = typeof(GraphWriter).Assembly.GetName().Version?.ToString(3) ?? "",
            Graph = w._graph,
        };
        model.OpsetImport.Add(new P.OperatorSetIdProto { Domain = "", Version = options.Opset });
        return model;
    }

    // The IR version released with each operator set (ONNX 1.8 … 1.16), the oldest a runtime must read.
    static long IrVersion(int opset) => opset switch { <= 14 => 7, <= 18 => 8, <= 20 => 9, _ => 10 };

    static void Check(Variable[] outputs, Variable[] inputs, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(options);
        if (outputs.Length == 0) throw new ArgumentException("OnnxExporter.Export: give at least one output.", nameof(outputs));
        if (inputs.Length == 0) throw new ArgumentException("OnnxExporter.Export: give at least one input (the variables the graph was computed from).", nameof(inputs));
        foreach (var (vars, what) in new[] { (outputs, "output"), (inputs, "input") })
            for (int i = 0; i < vars.Length; i++)
            {
                if (vars[i] is null) throw new ArgumentNullException(what + "s", $"OnnxExporter.Export: {what} {i} is null.");
                if (!vars[i].HasData) throw new ArgumentException($"OnnxExporter.Export: {what} {i} ({vars[i].Name ?? "unnamed"}) has no data.", what + "s");
            }
        if (options.Opset is < OnnxExporter.MinOpset or > OnnxExporter.MaxOpset)
            throw new ArgumentOutOfRangeException(nameof(options), options.Opset,
                $"OnnxExporter.Export: opset must be from {OnnxExporter.MinOpset} to {OnnxExporter.MaxOpset}.");
        if (options.InputNames is { } inNames && inNames.Count != inputs.Length)
            throw new ArgumentException($"OnnxExporter.Export: {inNames.Count} input names for {inputs.Length} inputs.", nameof(options));
        if (options.OutputNames is { } outNames && outNames.Count != outputs.Length)
            throw new ArgumentException($"OnnxExporter.Export: {outNames.Count} output names for {outputs.Length} outputs.", nameof(options));
        if (inputs.Distinct(ReferenceEqualityComparer.Instance).Count() != inputs.Length)
            throw new ArgumentException("OnnxExporter.Export: the same variable is given twice as an input.", nameof(inputs));
        if (options.DynamicBatch)
        {
            var sizes = inputs.Select(x => x.Ndim == 0 ? -1 : x.Shape[0]).Distinct().ToArray();
            if (sizes.Length != 1 || sizes[0] < 1)
                throw new ArgumentException(
                    $"OnnxExporter.Export: a dynamic batch needs inputs of one batch size along their first axis, got shapes {string.Join(", ", inputs.Select(x => ShapeUtil.Str(x.Shape)))}; set DynamicBatch = false.",
                    nameof(inputs));
        }
    }

    void Write(Variable[] outputs, Variable[] inputs, OnnxExportOptions options)
    {
        var inputSet = new HashSet<Variable>(inputs, ReferenceEqualityComparer.Instance);
        var order = Order(outputs, inputSet);

        // A function is exported when it depends on an input; the rest of the graph is folded into constants.
        var dynamic = new HashSet<Variable>(inputs, ReferenceEqualityComparer.Instance);
        var exported = new List<Function>();
        foreach (var f in order)
            if (f.Inputs.Any(dynamic.Contains))
            {
                exported.Add(f);
                foreach (var y in f.Outputs) dynamic.Add(y);
            }
        for (int i = 0; i < outputs.Length; i++)
            if (!dynamic.Contains(outputs[i]))
                throw new InvalidOperationException(
                    $"OnnxExporter.Export: output {i} ({Describe(outputs[i])}) does not depend on any input, so there is no path from the inputs to it. " +
                    (outputs[i].Creator is null
                        ? "It has no creator: it was computed with backprop off (Config.NoGrad) or is a constant; compute it with backprop on."
                        : "Pass the variables the graph was computed from (an NDArray passed as an input becomes a new variable outside the graph)."));
        var used = new HashSet<Variable>(outputs.Where(inputSet.Contains), ReferenceEqualityComparer.Instance);
        foreach (var f in exported) used.UnionWith(f.Inputs.Where(inputSet.Contains));
        for (int i = 0; i < inputs.Length; i++)
            if (!used.Contains(inputs[i]))
                throw new InvalidOperationException(
                    $"OnnxExporter.Export: input {i} ({Describe(inputs[i])}) is not on any path to the outputs; the graph was not computed from this variable.");

        _batchSize = options.DynamicBatch ? inputs[0].Shape[0] : 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            var x = inputs[i];
            string name = Unique(options.InputNames?[i] ?? x.Name ?? "input", exact: options.InputNames is not null);
            _values[x] = new Value(name, options.DynamicBatch ? 0 : -1);
            _graph.Input.Add(Info(name, x, options.DynamicBatch ? 0 : -1));
        }
        // The outputs' names are taken before the nodes' so that the names chosen for them stay as they are.
        var outputNames = outputs.Select((y, i) => Unique(options.OutputNames?[i] ?? y.Name ?? "output", exact: options.OutputNames is not null)).ToArray();
        foreach (var f in exported) _values[f.Outputs[0]] = Map(f);
        for (int i = 0; i < outputs.Length; i++)
        {
            var v = _values[outputs[i]];
            _graph.Node.Add(NodeProto("Identity", [v.Name], outputNames[i], []));
            _graph.Output.Add(Info(outputNames[i], outputs[i], v.Batch));
        }
    }

    // The functions that lead from the inputs to the outputs, each after those it takes values from.
    List<Function> Order(Variable[] outputs, HashSet<Variable> inputs)
    {
        var order = new List<Function>();
        var visited = new HashSet<Function>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Function F, bool Done)>();
        foreach (var y in outputs)
            if (y.Creator is { } c && !inputs.Contains(y))
            {
                _consumer.TryAdd(c, null);
                stack.Push((c, false));
            }
        while (stack.Count > 0)
        {
            var (f, done) = stack.Pop();
            if (done) { order.Add(f); continue; }
            if (!visited.Add(f)) continue;
            stack.Push((f, true));
            foreach (var x in f.Inputs)
                if (x.Creator is { } c && !inputs.Contains(x) && !visited.Contains(c))
                {
                    _consumer.TryAdd(c, f);
                    stack.Push((c, false));
                }
        }
        return order;
    }

    /// <summary>The graph value of a variable; a variable that does not depend on the inputs becomes an initializer.</summary>
    Value Get(Variable v)
    {
        if (_values.TryGetValue(v, out var value)) return value;
        string hint = _keys.GetValueOrDefault(v) ?? v.Name ?? (v.Creator is null ? "const" : "folded");
        string name = Unique(hint);
        _graph.Initializer.Add(Tensor(v.Data, name));
        return _values[v] = new Value(name, -1);
    }

    /// <summary>An initializer holding <paramref name="a"/>.</summary>
    string Constant(NDArray a, string hint)
    {
        string name = Unique(hint);
        _graph.Initializer.Add(Tensor(a, name));
        return name;
    }

    string Ints(params long[] values)
    {
        string name = Unique("const");
        var t = new P.TensorProto { Name = name, DataType = (int)P.TensorProto.Types.DataType.Int64 };
        t.Dims.Add(values.Length);
        t.Int64Data.AddRange(values);
        _graph.Initializer.Add(t);
        return name;
    }

    string Scalar(double value, DType dtype) => Constant(NDArray.Scalar(value, dtype), "const");

    /// <summary>Adds a node of one output and returns the output's name.</summary>
    string Node(string op, IEnumerable<string> inputs, params P.AttributeProto[] attributes)
    {
        string output = Unique(op);
        _graph.Node.Add(NodeProto(op, inputs, output, attributes));
        return output;
    }

    static P.NodeProto NodeProto(string op, IEnumerable<string> inputs, string output, P.AttributeProto[] attributes)
    {
        var n = new P.NodeProto { OpType = op, Name = output };
        n.Input.AddRange(inputs);
        n.Output.Add(output);
        n.Attribute.AddRange(attributes);
        return n;
    }

    static P.AttributeProto Attr(string name, long value) =>
        new() { Name = name, Type = P.AttributeProto.Types.AttributeType.Int, I = value };

    static P.AttributeProto Attr(string name, double value) =>
        new() { Name = name, Type = P.AttributeProto.Types.AttributeType.Float, F = (float)value };

    static P.AttributeProto Attr(string name, IEnumerable<long> values)
    {
        var a = new P.AttributeProto { Name = name, Type = P.AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    // Names are unique in a graph; an exact name (one the caller chose) must not be changed.
    string Unique(string hint, bool exact = false)
    {
        if (_names.Add(hint)) return hint;
        if (exact) throw new ArgumentException($"OnnxExporter.Export: the name '{hint}' is used twice.");
        for (int i = 1; ; i++)
            if (_names.Add($"{hint}_{i}")) return $"{hint}_{i}";
    }

    P.ValueInfoProto Info(string name, Variable v, int batch)
    {
        var shape = new P.TensorShapeProto();
        var dims = v.Shape;
        for (int i = 0; i < dims.Length; i++)
        {
            var d = new P.TensorShapeProto.Types.Dimension();
            if (i != batch) d.DimValue = dims[i];
            else if (dims[i] == _batchSize) d.DimParam = BatchDim;
            shape.Dim.Add(d);
        }
        var type = new P.TypeProto { TensorType = new P.TypeProto.Types.Tensor { ElemType = ElemType(v.DType), Shape = shape } };
        return new P.ValueInfoProto { Name = name, Type = type };
    }

    static int ElemType(DType t) => (int)(t switch
    {
        DType.Float32 => P.TensorProto.Types.DataType.Float,
        DType.Float64 => P.TensorProto.Types.DataType.Double,
        DType.Int32 => P.TensorProto.Types.DataType.Int32,
        DType.Int64 => P.TensorProto.Types.DataType.Int64,
        DType.Bool => P.TensorProto.Types.DataType.Bool,
        _ => throw new NotSupportedException($"OnnxExporter: ONNX has no element type for dtype {t}."),
    });

    // Little-endian raw bytes, as ONNX stores them (bool as one byte per element, as .NET does).
    static P.TensorProto Tensor(NDArray a, string name)
    {
        var t = new P.TensorProto { Name = name, DataType = ElemType(a.DType) };
        foreach (var d in a.Shape) t.Dims.Add(d);
        t.RawData = a.DType switch
        {
            DType.Float32 => Bytes<float>(a),
            DType.Float64 => Bytes<double>(a),
            DType.Int32 => Bytes<int>(a),
            DType.Int64 => Bytes<long>(a),
            _ => Bytes<bool>(a),
        };
        return t;
    }

    static ByteString Bytes<T>(NDArray a) where T : unmanaged => ByteString.CopyFrom(MemoryMarshal.AsBytes(a.AsSpan<T>()));

    static string Describe(Variable v) => $"{v.Name ?? "unnamed"}, {v.DType.Name()} {ShapeUtil.Str(v.Shape)}";

    // Where a function sits: the chain of functions from the output down to it.
    string Where(Function f)
    {
        var chain = new List<string>();
        for (Function? c = f; c is not null; c = _consumer.GetValueOrDefault(c)) chain.Add(c.GetType().Name);
        chain.Add("output");
        chain.Reverse();
        if (chain.Count > 9) chain = [.. chain.Take(4), "…", .. chain.TakeLast(4)];
        return $"{f.GetType().Name} (output {Describe(f.Outputs[0])}) at {string.Join(" ← ", chain)}";
    }
}
