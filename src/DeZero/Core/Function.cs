namespace DeZero;

/// <summary>
/// Base of every differentiable operation. <see cref="Forward"/> computes on arrays; <see cref="Backward"/>
/// is written with Variables so the backward pass is itself differentiable (higher-order derivatives).
/// Calling a function records it as the creator of its outputs while <see cref="Config.EnableBackprop"/> is on.
/// </summary>
public abstract class Function
{
    // Outputs are held directly: the book holds them weakly only to break CPython's reference-counting cycles,
    // and .NET's GC collects the Variable ↔ Function cycle by itself, without a GC handle per output.
    Variable[] _inputs = [];
    Variable[] _outputs = [];

    /// <summary>The inputs of the last call (kept only when the graph was recorded).</summary>
    public IReadOnlyList<Variable> Inputs => InputArray;

    /// <summary>The outputs of the recorded call.</summary>
    public IReadOnlyList<Variable> Outputs => OutputArray;

    /// <summary>Topological order of this function in the graph: the largest generation of its inputs.</summary>
    public int Generation { get; private protected set; }

    /// <summary>Applies the function (the book's <c>__call__</c>).</summary>
    public Variable[] Call(params Variable[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var xs = new NDArray[inputs.Length];
        for (int i = 0; i < inputs.Length; i++) xs[i] = DataOf(inputs[i], i);
        var ys = Forward(xs);
        var outputs = new Variable[ys.Length];
        for (int i = 0; i < ys.Length; i++) outputs[i] = new Variable(ys[i]);
        if (Config.EnableBackprop) Connect(inputs, outputs);
        return outputs;
    }

    /// <summary>Applies a function of one output.</summary>
    public Variable Call1(params Variable[] inputs) => Call(inputs)[0];

    /// <summary>Computes the outputs from the input arrays.</summary>
    public abstract NDArray[] Forward(params NDArray[] xs);

    /// <summary>
    /// Gradients of the inputs from the gradients of the outputs, built from differentiable functions.
    /// An entry may be null for an input that takes no gradient (e.g. integer labels).
    /// </summary>
    public abstract Variable?[] Backward(params Variable[] gys);

    /// <summary>The input variables of the recorded call, for use in <see cref="Backward"/>.</summary>
    protected Variable Input(int i) => InputArray[i];

    /// <summary>The output variable of the recorded call, for backward formulas that reuse it (e.g. y of exp).</summary>
    protected Variable Output(int i) => OutputArray[i];

    internal int InputCount => InputArray.Length;

    // Views for the engine and the graph tools (no interface dispatch). One-input and one-output functions keep
    // their variables in fields instead (two arrays fewer per node) and build these only when asked.
    internal virtual Variable[] InputArray => _inputs;
    internal virtual Variable[] OutputArray => _outputs;

    // The number of the backward pass that last queued this function.
    internal int QueuedBy;

    internal virtual void Connect(Variable[] inputs, Variable[] outputs)
    {
        int gen = 0;
        foreach (var x in inputs) gen = Math.Max(gen, x.Generation);
        Generation = gen;
        _inputs = inputs;
        _outputs = outputs;
        foreach (var y in outputs) y.SetCreator(this);
    }

    private protected InvalidOperationException NotRecorded() =>
        new($"{GetType().Name}: the graph of this call was not recorded (backprop was off), so it has no inputs or outputs.");

    private protected NDArray DataOf(Variable x, int i)
    {
        if (x is null) throw new ArgumentNullException($"{GetType().Name} input {i}");
        return x.Data ?? throw new InvalidOperationException(
            $"{GetType().Name}: input {i} ({x.Name ?? "unnamed variable"}) has no data; assign Data before using it.");
    }
}

/// <summary>A function of one input and one output, with typed Forward/Backward.</summary>
public abstract class UnaryFunction : Function
{
    Variable? _x, _y;

    /// <summary>Applies the function to <paramref name="x"/>.</summary>
    public Variable Apply(Variable x)
    {
        // Call without argument and result arrays.
        var y = new Variable(Forward(DataOf(x, 0)));
        if (Config.EnableBackprop) Connect(x, y);
        return y;
    }

    void Connect(Variable x, Variable y)
    {
        Generation = x.Generation;
        (_x, _y) = (x, y);
        y.SetCreator(this);
    }

    internal sealed override void Connect(Variable[] inputs, Variable[] outputs) => Connect(inputs[0], outputs[0]);
    internal sealed override Variable[] InputArray => _x is null ? [] : [_x];
    internal sealed override Variable[] OutputArray => _y is null ? [] : [_y];

    /// <summary>Computes y from x.</summary>
    protected abstract NDArray Forward(NDArray x);

    /// <summary>Computes gx from gy.</summary>
    protected abstract Variable Backward(Variable gy);

    /// <inheritdoc/>
    public sealed override NDArray[] Forward(params NDArray[] xs) => [Forward(xs[0])];

    /// <inheritdoc/>
    public sealed override Variable?[] Backward(params Variable[] gys) => [Backward(gys[0])];

    // For the engine: the typed Backward, without argument and result arrays.
    internal Variable Gradient(Variable gy) => Backward(gy);

    /// <summary>The input of the recorded call.</summary>
    protected internal Variable X => _x ?? throw NotRecorded();

    /// <summary>The output of the recorded call.</summary>
    protected internal Variable Y => _y ?? throw NotRecorded();
}

/// <summary>A function of two inputs and one output, with typed Forward/Backward.</summary>
public abstract class BinaryFunction : Function
{
    Variable? _x0, _x1, _y;

    /// <summary>Applies the function to <paramref name="x0"/> and <paramref name="x1"/>.</summary>
    public Variable Apply(Variable x0, Variable x1)
    {
        var y = new Variable(Forward(DataOf(x0, 0), DataOf(x1, 1)));
        if (Config.EnableBackprop) Connect(x0, x1, y);
        return y;
    }

    void Connect(Variable x0, Variable x1, Variable y)
    {
        Generation = Math.Max(x0.Generation, x1.Generation);
        (_x0, _x1, _y) = (x0, x1, y);
        y.SetCreator(this);
    }

    internal sealed override void Connect(Variable[] inputs, Variable[] outputs) => Connect(inputs[0], inputs[1], outputs[0]);
    internal sealed override Variable[] InputArray => _x0 is null ? [] : [_x0, _x1!];
    internal sealed override Variable[] OutputArray => _y is null ? [] : [_y];

    /// <summary>Computes y from x0 and x1.</summary>
    protected abstract NDArray Forward(NDArray x0, NDArray x1);

    /// <summary>Computes (gx0, gx1) from gy.</summary>
    protected abstract (Variable? gx0, Variable? gx1) Backward(Variable gy);

    /// <inheritdoc/>
    public sealed override NDArray[] Forward(params NDArray[] xs) => [Forward(xs[0], xs[1])];

    /// <inheritdoc/>
    public sealed override Variable?[] Backward(params Variable[] gys)
    {
        var (g0, g1) = Backward(gys[0]);
        return [g0, g1];
    }

    // For the engine: the typed Backward, without argument and result arrays.
    internal (Variable? gx0, Variable? gx1) Gradients(Variable gy) => Backward(gy);

    /// <summary>The first input of the recorded call.</summary>
    protected internal Variable X0 => _x0 ?? throw NotRecorded();

    /// <summary>The second input of the recorded call.</summary>
    protected internal Variable X1 => _x1 ?? throw NotRecorded();

    /// <summary>The output of the recorded call.</summary>
    protected internal Variable Y => _y ?? throw NotRecorded();
}
