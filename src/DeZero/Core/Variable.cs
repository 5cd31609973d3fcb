using System.Runtime.CompilerServices;

namespace DeZero;

/// <summary>
/// A node of the computational graph: an array with its gradient and the function that created it
/// (the book's <c>Variable</c>). Arithmetic on variables records the graph that <see cref="Backward"/> walks.
/// </summary>
public class Variable
{
    /// <summary>
    /// Wraps an array. Null leaves the variable without data, like the book's <c>Parameter(None)</c> of a layer that
    /// has not seen its first input: <see cref="HasData"/> is false until <see cref="Data"/> is assigned.
    /// </summary>
    public Variable(NDArray? data, string? name = null)
    {
        _data = data;
        if (name is not null) Name = name;
    }

    /// <summary>A 0-d float64 variable holding <paramref name="value"/> (<c>Variable(np.array(2.0))</c> in the book).</summary>
    public Variable(double value, string? name = null) : this(NDArray.Scalar(value), name) { }

    NDArray? _data;

    /// <summary>The value; reading it throws <see cref="InvalidOperationException"/>, naming the variable, while it has none.</summary>
    public NDArray Data
    {
        get => _data ?? ThrowNoData();
        set => _data = value ?? throw new ArgumentNullException(nameof(value), $"Variable {Name ?? "(unnamed)"}: Data cannot be set to null.");
    }

    /// <summary>Whether the variable holds data (false only for a parameter whose layer has not seen its first input).</summary>
    public bool HasData => _data is not null;

    // The data or null, in one read, for the library's own checks.
    internal NDArray? DataOrNull => _data;

    NDArray ThrowNoData() => throw new InvalidOperationException($"Variable {Name ?? "(unnamed)"} has no data.");

    /// <summary>The gradient, set by <see cref="Backward"/>; a Variable so it can be differentiated again.</summary>
    public Variable? Grad { get; set; }

    /// <summary>The gradient where one must exist: throws <see cref="InvalidOperationException"/>, naming the variable, when it has none.</summary>
    public Variable GetGrad() => Grad ?? throw new InvalidOperationException(
        $"Variable {Name ?? "(unnamed)"} has no gradient: call Backward on a result that depends on it first (and keep intermediate gradients with retainGrad: true).");

    // The gradient memory's marks (see GradientMemory): the backward pass that last set Grad, and whether Grad is a sum
    // that pass made for this variable alone.
    internal int GradPass;
    internal bool GradIsOwnSum;

    /// <summary>A label shown in graphs.</summary>
    public string? Name
    {
        get => s_names.TryGetValue(this, out var name) ? name : null;
        set
        {
            if (value is null) s_names.Remove(this);
            else s_names.AddOrUpdate(this, value);
        }
    }

    // Few variables have a name, and graphs hold very many variables: names live beside them, not in each one.
    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Variable, string> s_names = [];

    /// <summary>The function that produced this variable, or null for a leaf.</summary>
    public Function? Creator { get; private set; }

    /// <summary>Depth in the graph: one more than the creator's generation.</summary>
    public int Generation { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void SetCreator(Function f)
    {
        Creator = f;
        Generation = f.Generation + 1;
    }

    /// <summary>Shape of the data.</summary>
    public Shape Shape => Data.Shape;
    // The data's own shape array, not a copy: for read-only use inside the library.
    internal int[] Dims => Data.Dims;
    /// <summary>Number of dimensions of the data.</summary>
    public int Ndim => Data.Ndim;
    /// <summary>Number of elements of the data.</summary>
    public int Size => Data.Size;
    /// <summary>Element type of the data.</summary>
    public DType DType => Data.DType;
    /// <summary>Length of the first axis (Python's <c>len</c>).</summary>
    public int Length => Data.Length;

    /// <summary>Forgets the gradient (the book's <c>cleargrad</c>).</summary>
    public void ClearGrad() => Grad = null;

    /// <summary>Cuts the link to the creator, making this variable a leaf.</summary>
    public void Unchain() => Creator = null;

    /// <summary>Cuts every link of the graph below this variable (truncated backpropagation).</summary>
    public void UnchainBackward()
    {
        if (Creator is null) return;
        var funcs = new Stack<Function>();
        funcs.Push(Creator);
        while (funcs.Count > 0)
        {
            var f = funcs.Pop();
            foreach (var x in f.Inputs)
            {
                if (x.Creator is null) continue;
                funcs.Push(x.Creator);
                x.Unchain();
            }
        }
    }

    /// <summary>
    /// Backpropagation: fills <see cref="Grad"/> of every variable this one depends on. Starts from ones
    /// when this variable has no gradient yet. Intermediate gradients are released unless
    /// <paramref name="retainGrad"/>; with <paramref name="createGraph"/> the backward pass is recorded,
    /// so gradients can be differentiated again. Leaf gradients accumulate over calls, like the book's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Backward(bool retainGrad = false, bool createGraph = false)
    {
        Grad ??= new Variable(NDArray.OnesLike(Data));
        if (Creator is null) return;
        var funcs = new FunctionQueue();
        funcs.Add(Creator);
        using var config = Config.Using(enableBackprop: createGraph, Config.Train);
        using var memory = GradientMemory.Begin(createGraph, retainGrad);
        while (funcs.Count > 0)
        {
            var f = funcs.Pop();                          // the function of largest generation
            var gxs = f.Gradients();                      // its Backward, from the gradients of its outputs
            for (int i = 0, n = f.InputCount; i < n; i++)
            {
                var (gx, x) = (gxs[i], f.InputAt(i));
                if (gx is null || !x.RequiresGrad) continue; // an input that takes no gradient
                f.CheckGradient(i, x, gx);
                memory.Accumulate(x, gx, f);              // x.Grad = x.Grad + gx
                if (x.Creator is not null) funcs.Add(x.Creator);
            }
            if (!retainGrad)
                for (int i = 0, n = f.OutputCount; i < n; i++) memory.Drop(f.OutputAt(i), f);   // y.Grad = None
            memory.EndStep();
        }
    }

    /// <summary>Reshapes (differentiable); see <see cref="Functions.Reshape"/>.</summary>
    public Variable Reshape(params int[] shape) => Functions.Reshape(this, shape);

    /// <summary>Permutes axes (differentiable); see <see cref="Functions.Transpose"/>.</summary>
    public Variable Transpose(params int[] axes) => Functions.Transpose(this, axes);

    /// <summary>The transpose.</summary>
    public Variable T => Functions.Transpose(this);

    /// <summary>Sum over axes (differentiable); see <see cref="Functions.Sum(Variable, int[], bool)"/>.</summary>
    public Variable Sum(int[]? axis = null, bool keepdims = false) => Functions.Sum(this, axis, keepdims);

    /// <summary>Sum over one axis.</summary>
    public Variable Sum(int axis, bool keepdims = false) => Functions.Sum(this, [axis], keepdims);

    /// <summary>Indexing <c>x[…]</c> (differentiable); see <see cref="Functions.GetItem"/>.</summary>
    public Variable this[params NDIndex[] index] => Functions.GetItem(this, index);

    /// <summary>Raises to a power (differentiable).</summary>
    public Variable Pow(double c) => Functions.Pow(this, c);

    /// <summary>Wraps an array as a variable (the book's <c>as_variable</c>).</summary>
    public static implicit operator Variable(NDArray data) => new(data);

    /// <summary>The single element as double (a size-1 variable; NumPy's <c>item()</c> of its data).</summary>
    public static explicit operator double(Variable v) => Scalar<double>(v);
    /// <summary>The single element as float.</summary>
    public static explicit operator float(Variable v) => Scalar<float>(v);
    /// <summary>The single element as long.</summary>
    public static explicit operator long(Variable v) => Scalar<long>(v);
    /// <summary>The single element as int.</summary>
    public static explicit operator int(Variable v) => Scalar<int>(v);
    /// <summary>The single element as bool.</summary>
    public static explicit operator bool(Variable v) => Scalar<bool>(v);

    static T Scalar<T>(Variable v) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(v);
        if (v.Data.Size != 1)
            throw new InvalidOperationException($"Variable {v.Name ?? "(unnamed)"}: only a size-1 variable converts to a scalar, got shape {ShapeUtil.Str(v.Data.Dims)}.");
        return v.Data.ToScalar<T>();
    }

#pragma warning disable CS1591 // operators mirror the book's Variable arithmetic
    public static Variable operator +(Variable a, Variable b) => Functions.Add(a, b);
    public static Variable operator +(Variable a, double b) => Functions.Add(a, Const(b));
    public static Variable operator +(double a, Variable b) => Functions.Add(b, Const(a));
    public static Variable operator -(Variable a, Variable b) => Functions.Sub(a, b);
    public static Variable operator -(Variable a, double b) => Functions.Sub(a, Const(b));
    public static Variable operator -(double a, Variable b) => Functions.Sub(Const(a), b);
    public static Variable operator *(Variable a, Variable b) => Functions.Mul(a, b);
    public static Variable operator *(Variable a, double b) => Functions.Mul(a, Const(b));
    public static Variable operator *(double a, Variable b) => Functions.Mul(b, Const(a));
    public static Variable operator /(Variable a, Variable b) => Functions.Div(a, b);
    public static Variable operator /(Variable a, double b) => Functions.Div(a, Const(b));
    public static Variable operator /(double a, Variable b) => Functions.Div(Const(a), b);
    public static Variable operator -(Variable a) => Functions.Neg(a);
#pragma warning restore CS1591

    static Variable Const(double v) => Constant(NDArray.Scalar(v));

    /// <summary>
    /// An operand nobody else holds: a scalar the library made from a C# number (<c>x * 2.0</c>), or data handed to
    /// a layer as an array. Backward skips its gradient instead of computing and discarding it.
    /// </summary>
    internal static Variable Constant(NDArray data) => new(data) { RequiresGrad = false };

    /// <summary>
    /// Whether backward gives this variable a gradient (true unless set otherwise). Set it to false on the parameters
    /// of a network a program does not train (a pretrained model it only looks through, as Grad-CAM and style
    /// transfer do): backward then neither computes nor keeps their gradients, and does not go past the variable.
    /// </summary>
    public bool RequiresGrad { get; set; } = true;

    /// <summary>Prints like the book: <c>variable([1. 2.])</c>, continuation lines indented by nine spaces.</summary>
    public override string ToString() =>
        !HasData ? "variable(None)" : "variable(" + $"{Data}".Replace("\n", "\n         ") + ")";
}

/// <summary>A variable that is a learnable parameter of a layer.</summary>
public class Parameter : Variable
{
    /// <summary>Wraps an array (null until a lazily initialised layer sees its first input).</summary>
    public Parameter(NDArray? data, string? name = null) : base(data, name) { }
}
