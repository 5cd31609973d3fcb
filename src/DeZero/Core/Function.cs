using System.Runtime.CompilerServices;

namespace DeZero;

/// <summary>
/// Base of every differentiable operation. <see cref="Forward"/> computes on arrays; <see cref="Backward"/>
/// is written with Variables so the backward pass is itself differentiable (higher-order derivatives).
/// Applying a function records it as the creator of its outputs while <see cref="Config.EnableBackprop"/> is on.
/// </summary>
public abstract class Function
{
    // Outputs are held directly: the book holds them weakly only to break CPython's reference-counting cycles,
    // and .NET's GC collects the Variable ↔ Function cycle by itself, without a GC handle per output.
    Variable[] _inputs = [];
    Variable[] _outputs = [];

    /// <summary>The inputs of the recorded call (empty when the graph was not recorded).</summary>
    public IReadOnlyList<Variable> Inputs => InputArray;

    /// <summary>The outputs of the recorded call.</summary>
    public IReadOnlyList<Variable> Outputs => OutputArray;

    /// <summary>Topological order of this function in the graph: the largest generation of its inputs.</summary>
    public int Generation { get; private protected set; }

    /// <summary>
    /// Applies a function of one output (the book's <c>f(x0, x1, …)</c>): <see cref="Forward"/> on the inputs' data,
    /// and, while <see cref="Config.EnableBackprop"/> is on, this function recorded as the output's creator.
    /// A function instance is applied once; a function of several outputs is applied with <see cref="ApplyAll"/>.
    /// </summary>
    public Variable Apply(params Variable[] inputs) => Run(inputs, oneOutput: true)[0];

    /// <summary>Applies a function of any number of outputs and returns them all, in the order Forward returned them.</summary>
    public Variable[] ApplyAll(params Variable[] inputs) => Run(inputs, oneOutput: false);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    Variable[] Run(Variable[] inputs, bool oneOutput)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ThrowIfRecorded();
        var xs = new NDArray[inputs.Length];
        for (int i = 0; i < inputs.Length; i++) xs[i] = DataOf(inputs[i], i);
        var ys = Forward(xs);
        if (oneOutput && ys.Length != 1)
            throw new InvalidOperationException($"{GetType().Name} returned {ys.Length} outputs: apply it with ApplyAll, which returns them all.");
        var outputs = new Variable[ys.Length];
        for (int i = 0; i < ys.Length; i++) outputs[i] = new Variable(ys[i]);
        if (Config.EnableBackprop) Connect(inputs, outputs);
        return outputs;
    }

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

    // Views for the graph tools (no interface dispatch). One-input and one-output functions keep their variables in
    // fields instead (two arrays fewer per node) and build these only when asked.
    internal virtual Variable[] InputArray => _inputs;
    internal virtual Variable[] OutputArray => _outputs;

    // The backward pass's step, one call per function: the gradients of the inputs from those of the outputs.
    // The one- and two-input forms call their typed Backward without argument and result arrays.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal virtual InputGradients Gradients()
    {
        var gys = new Variable[_outputs.Length];
        for (int i = 0; i < gys.Length; i++) gys[i] = GradOf(_outputs[i]);
        var gxs = Backward(gys);
        if (gxs is null || gxs.Length != _inputs.Length)
            throw new InvalidOperationException($"{GetType().Name}.Backward returned {gxs?.Length ?? 0} gradients for {_inputs.Length} inputs.");
        return new(gxs);
    }

    // The gradient of an output, zeros for an output that received none (it was not used).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private protected static Variable GradOf(Variable y) => y.Grad ?? new Variable(NDArray.ZerosLike(y.Data));

    // The engine's view of the recorded inputs and outputs, without arrays for the one- and two-input forms.
    // They are JIT'd fully optimised at first call, like the loop that calls them (precompiled, they would run as
    // instrumented code for much of a short program).
    internal virtual int InputCount { [MethodImpl(MethodImplOptions.AggressiveOptimization)] get => _inputs.Length; }
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal virtual Variable InputAt(int i) => _inputs[i];
    internal virtual int OutputCount { [MethodImpl(MethodImplOptions.AggressiveOptimization)] get => _outputs.Length; }
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal virtual Variable OutputAt(int i) => _outputs[i];

    // The number of the backward pass that last queued this function.
    internal int QueuedBy;

    private protected virtual bool Recorded => _outputs.Length > 0;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal virtual void Connect(Variable[] inputs, Variable[] outputs)
    {
        int gen = 0;
        foreach (var x in inputs) gen = Math.Max(gen, x.Generation);
        Generation = gen;
        _inputs = inputs;
        _outputs = outputs;
        foreach (var y in outputs) y.SetCreator(this);
    }

    // A recorded function's Backward reads its inputs and outputs: applying it again would replace them.
    private protected void ThrowIfRecorded()
    {
        if (Recorded) throw AppliedTwice();
    }

    private protected InvalidOperationException AppliedTwice() =>
        new($"{GetType().Name}: this instance was already applied and recorded in a graph; applying it again would overwrite the inputs its Backward uses. Create a new {GetType().Name} for each application.");

    // Backward must return, for each input, null or a float gradient of the input's shape. Its float dtype may be
    // wider than the input's: NumPy's promotion, as in the book (a float32 weight times float64 data).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void CheckGradient(int i, Variable x, Variable gx)
    {
        NDArray xd = x.Data, gd = gx.Data;
        if (ShapeUtil.SameShape(xd.Dims, gd.Dims) && gd.DType.IsFloat()) return;
        throw new InvalidOperationException(
            $"{GetType().Name}.Backward returned a gradient of shape {ShapeUtil.Str(gd.Dims)} and dtype {gd.DType.Name()} for input {i} of shape {ShapeUtil.Str(xd.Dims)} and dtype {xd.DType.Name()}.");
    }

    private protected InvalidOperationException NotRecorded() =>
        new($"{GetType().Name}: the graph of this call was not recorded (backprop was off), so it has no inputs or outputs.");

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private protected NDArray DataOf(Variable x, int i)
    {
        if (x is null) throw new ArgumentNullException($"{GetType().Name} input {i}");
        return x.DataOrNull ?? throw new InvalidOperationException(
            $"{GetType().Name}: input {i} ({x.Name ?? "unnamed variable"}) has no data; assign Data before using it.");
    }
}

/// <summary>The gradients a function's Backward returned for its inputs: up to two held inline, more in an array.</summary>
internal readonly struct InputGradients
{
    readonly Variable? _g0, _g1;
    readonly Variable?[]? _all;

    public InputGradients(Variable? g0, Variable? g1 = null) => (_g0, _g1) = (g0, g1);

    public InputGradients(Variable?[] all) => _all = all;

    public Variable? this[int i] => _all is { } all ? all[i] : i == 0 ? _g0 : _g1;
}

/// <summary>A function of one input and one output, with typed Forward/Backward.</summary>
public abstract class UnaryFunction : Function
{
    Variable? _x, _y;

    /// <summary>Applies the function to <paramref name="x"/> (once per instance).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Variable Apply(Variable x)
    {
        // Call without argument and result arrays.
        if (_y is not null) throw AppliedTwice();
        var y = new Variable(Forward(DataOf(x, 0)));
        if (Config.EnableBackprop) Connect(x, y);
        return y;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Connect(Variable x, Variable y)
    {
        Generation = x.Generation;
        (_x, _y) = (x, y);
        y.SetCreator(this);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal sealed override void Connect(Variable[] inputs, Variable[] outputs) => Connect(inputs[0], outputs[0]);
    internal sealed override Variable[] InputArray => _x is null ? [] : [_x];
    internal sealed override Variable[] OutputArray => _y is null ? [] : [_y];
    internal sealed override int InputCount { [MethodImpl(MethodImplOptions.AggressiveOptimization)] get => 1; }
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal sealed override Variable InputAt(int i) => X;
    internal sealed override int OutputCount { [MethodImpl(MethodImplOptions.AggressiveOptimization)] get => 1; }
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal sealed override Variable OutputAt(int i) => Y;
    private protected sealed override bool Recorded => _y is not null;
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal sealed override InputGradients Gradients() => new(Backward(GradOf(Y)));

    /// <summary>Computes y from x.</summary>
    protected abstract NDArray Forward(NDArray x);

    /// <summary>Computes gx from gy.</summary>
    protected abstract Variable Backward(Variable gy);

    /// <inheritdoc/>
    public sealed override NDArray[] Forward(params NDArray[] xs) => [Forward(xs[0])];

    /// <inheritdoc/>
    public sealed override Variable?[] Backward(params Variable[] gys) => [Backward(gys[0])];

    /// <summary>The input of the recorded call.</summary>
    protected internal Variable X => _x ?? throw NotRecorded();

    /// <summary>The output of the recorded call.</summary>
    protected internal Variable Y => _y ?? throw NotRecorded();
}

/// <summary>A function of two inputs and one output, with typed Forward/Backward.</summary>
public abstract class BinaryFunction : Function
{
    Variable? _x0, _x1, _y;

    /// <summary>Applies the function to <paramref name="x0"/> and <paramref name="x1"/> (once per instance).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Variable Apply(Variable x0, Variable x1)
    {
        if (_y is not null) throw AppliedTwice();
        var y = new Variable(Forward(DataOf(x0, 0), DataOf(x1, 1)));
        if (Config.EnableBackprop) Connect(x0, x1, y);
        return y;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Connect(Variable x0, Variable x1, Variable y)
    {
        Generation = Math.Max(x0.Generation, x1.Generation);
        (_x0, _x1, _y) = (x0, x1, y);
        y.SetCreator(this);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal sealed override void Connect(Variable[] inputs, Variable[] outputs) => Connect(inputs[0], inputs[1], outputs[0]);
    internal sealed override Variable[] InputArray => _x0 is null ? [] : [_x0, _x1!];
    internal sealed override Variable[] OutputArray => _y is null ? [] : [_y];
    internal sealed override int InputCount { [MethodImpl(MethodImplOptions.AggressiveOptimization)] get => 2; }
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal sealed override Variable InputAt(int i) => i == 0 ? X0 : X1;
    internal sealed override int OutputCount { [MethodImpl(MethodImplOptions.AggressiveOptimization)] get => 1; }
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal sealed override Variable OutputAt(int i) => Y;
    private protected sealed override bool Recorded => _y is not null;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal sealed override InputGradients Gradients()
    {
        var (g0, g1) = Backward(GradOf(Y));
        return new(g0, g1);
    }

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

    /// <summary>The first input of the recorded call.</summary>
    protected internal Variable X0 => _x0 ?? throw NotRecorded();

    /// <summary>The second input of the recorded call.</summary>
    protected internal Variable X1 => _x1 ?? throw NotRecorded();

    /// <summary>The output of the recorded call.</summary>
    protected internal Variable Y => _y ?? throw NotRecorded();
}
