namespace DeZero;

/// <summary>
/// A node of the computational graph: an array with its gradient and the function that created it
/// (the book's <c>Variable</c>). Arithmetic on variables records the graph that <see cref="Backward"/> walks.
/// </summary>
public class Variable
{
    /// <summary>Wraps an array (null data is allowed, like the book's <c>Parameter(None)</c> before lazy initialisation).</summary>
    public Variable(NDArray? data, string? name = null)
    {
        Data = data;
        if (name is not null) Name = name;
    }

    /// <summary>The value; null only for a parameter whose layer has not seen its first input yet.</summary>
    [System.Diagnostics.CodeAnalysis.AllowNull]
    public NDArray Data { get; set; }

    /// <summary>The gradient, set by <see cref="Backward"/>; a Variable so it can be differentiated again.</summary>
    public Variable? Grad { get; set; }

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

    internal void SetCreator(Function f)
    {
        Creator = f;
        Generation = f.Generation + 1;
    }

    NDArray D => Data ?? throw new InvalidOperationException($"Variable {Name ?? "(unnamed)"} has no data.");

    /// <summary>Shape of the data.</summary>
    public int[] Shape => D.Shape;
    // The data's own shape array, not a copy: for read-only use inside the library.
    internal int[] Dims => D.Dims;
    /// <summary>Number of dimensions of the data.</summary>
    public int Ndim => D.Ndim;
    /// <summary>Number of elements of the data.</summary>
    public int Size => D.Size;
    /// <summary>Element type of the data.</summary>
    public DType DType => D.DType;
    /// <summary>Length of the first axis (Python's <c>len</c>).</summary>
    public int Length => D.Length;

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
    /// so gradients can be differentiated again.
    /// </summary>
    public void Backward(bool retainGrad = false, bool createGraph = false)
    {
        Grad ??= new Variable(NDArray.OnesLike(D));
        if (Creator is null) return;
        // Each pass has its own number: a function is queued once per pass, and a gradient sum this pass made is
        // marked with it (both stamps replace hash sets, which cost more than the small operations they track).
        int pass = Interlocked.Increment(ref s_passes);
        var funcs = new List<Function>();
        void Add(Function f)
        {
            if (f.QueuedBy == pass) return;
            f.QueuedBy = pass;
            // Keep the list sorted by generation; among equals the newest is taken first, as in the book.
            int i = funcs.Count;
            while (i > 0 && funcs[i - 1].Generation > f.Generation) i--;
            funcs.Insert(i, f);
        }
        void Propagate(Variable x, Variable? gx, Function f)
        {
            if (gx is null) return;
            Accumulate(x, gx, f);
            if (x.Creator is not null) Add(x.Creator);
        }
        Add(Creator);
        using var scope = Config.Using(createGraph, Config.Train);
        int outerPass = t_pass;
        t_pass = createGraph ? 0 : pass;
        try
        {
            while (funcs.Count > 0)
            {
                var f = funcs[^1];
                funcs.RemoveAt(funcs.Count - 1);
                // One-output functions are called through their typed Backward, without argument and result arrays.
                switch (f)
                {
                    case UnaryFunction u:
                        Propagate(u.X, u.Gradient(GradOf(u.Y)), f);
                        if (!retainGrad) Drop(u.Y, f);
                        break;
                    case BinaryFunction b:
                        var (g0, g1) = b.Gradients(GradOf(b.Y));
                        Propagate(b.X0, g0, f);
                        Propagate(b.X1, g1, f);
                        if (!retainGrad) Drop(b.Y, f);
                        break;
                    default:
                        var (inputs, outputs) = (f.InputArray, f.OutputArray);
                        var gys = new Variable[outputs.Length];
                        for (int i = 0; i < gys.Length; i++) gys[i] = GradOf(outputs[i]);
                        var gxs = f.Backward(gys);
                        if (gxs.Length != inputs.Length)
                            throw new InvalidOperationException($"{f.GetType().Name}.Backward returned {gxs.Length} gradients for {inputs.Length} inputs.");
                        for (int i = 0; i < gxs.Length; i++) Propagate(inputs[i], gxs[i], f);
                        if (!retainGrad)
                            foreach (var y in outputs) Drop(y, f);
                        break;
                }
            }
        }
        finally
        {
            t_pass = outerPass;
        }
    }

    static int s_passes;

    // The backward pass running on this thread without createGraph (0: none).
    [ThreadStatic] static int t_pass;

    /// <summary>The backward pass running on this thread without createGraph (0: none).</summary>
    internal static int CurrentPass => t_pass;

    /// <summary>
    /// The gradient sum of this variable that the running backward pass made and it alone holds, when it has the
    /// given dtype and shape: a backward function may add its term into it in place and return null instead.
    /// </summary>
    internal NDArray? OwnedGradSum(DType dtype, int[] dims) =>
        t_pass != 0 && _gradSumOf == t_pass && Grad?.Data is { } sum && sum.DType == dtype && ShapeUtil.SameShape(sum.Dims, dims) ? sum : null;

    // The pass that made this variable's current gradient as a sum it alone holds (0: none).
    int _gradSumOf;

    static Variable GradOf(Variable y) => y.Grad ?? new Variable(NDArray.ZerosLike(y.Data));

    // x.Grad += gx. A sum this pass created is owned by x alone, so later terms are added into it in place
    // (a weight used at every step of an RNN would otherwise get a new array per step). Gradients handed
    // in by backward functions may be shared, and graphs must be recorded with createGraph, so those
    // cases take the book's x.grad = x.grad + gx.
    static void Accumulate(Variable x, Variable gx, Function f)
    {
        if (x.Grad is not { } g)
        {
            x.Grad = gx;
            Claim(gx.Data, f);
            return;
        }
        if (x.OwnedGradSum(gx.Data.DType, gx.Data.Dims) is { } sum)
        {
            sum.AddInPlace(gx.Data);
            return;
        }
        x.Grad = g + gx;
        x._gradSumOf = t_pass;
        Claim(x.Grad.Data, null);
        Release(g.Data);
    }

    // Gradient recycling (GradientPool), for arrays that may go back to the pool: a variable holding one as its
    // gradient claims it. A function outside the library (f) may keep the arrays it is given or returns, so those
    // are never recycled; f is null for the engine's own sums.
    static void Claim(NDArray d, Function? f)
    {
        if (d.FreshInPass == 0) return;
        if (f is null || IsLibrary(f)) d.GradClaims++;
        else d.FreshInPass = 0;
    }

    // The engine lets go of y's gradient once y's creator f has used it.
    static void Drop(Variable y, Function f)
    {
        var g = y.Grad;
        y.Grad = null;
        if (g is null || g.Data.FreshInPass == 0) return;
        if (IsLibrary(f)) Release(g.Data);
        else g.Data.FreshInPass = 0;
    }

    static bool IsLibrary(Function f) => f.GetType().Assembly == typeof(Function).Assembly;

    // When no variable holds the array any more and it was made during this pass (so no code outside the pass saw
    // it, and no view shares its buffer), its buffer goes back to the pool.
    static void Release(NDArray d)
    {
        if (d.FreshInPass != 0 && d.GradClaims > 0 && --d.GradClaims == 0 && d.FreshInPass == t_pass) GradientPool.Return(d);
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
    internal static Variable Constant(NDArray data) => new(data) { IsConstant = true };

    internal bool IsConstant { get; private init; }

    /// <summary>Prints like the book: <c>variable([1. 2.])</c>, continuation lines indented by nine spaces.</summary>
    public override string ToString() =>
        (NDArray?)Data is null ? "variable(None)" : "variable(" + $"{Data}".Replace("\n", "\n         ") + ")";
}

/// <summary>A variable that is a learnable parameter of a layer.</summary>
public class Parameter : Variable
{
    /// <summary>Wraps an array (null until a lazily initialised layer sees its first input).</summary>
    public Parameter(NDArray? data, string? name = null) : base(data, name) { }
}
