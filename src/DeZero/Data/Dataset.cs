namespace DeZero.Data;

/// <summary>
/// A dataset like the book's <c>Dataset</c>: whole arrays <see cref="Data"/> and <see cref="Label"/> whose first axis
/// runs over the examples, with optional per-example transforms. Subclasses fill the arrays in <see cref="Prepare"/>
/// (or in their constructor) or override the indexer and <see cref="Count"/> for data made on demand.
/// </summary>
/// <remarks>
/// Unlabelled data (<see cref="Label"/> null) gives an empty target: shape (0) for one example and (batch, 0) for a
/// batch, where the book gives <c>None</c>; test it with <c>t.Size == 0</c>.
/// </remarks>
public class Dataset
{
    NDArray? data;
    NDArray? label;
    readonly bool itemOverridden;

    /// <summary>A dataset for the training or the test split; calls <see cref="Prepare"/> like the book's constructor.</summary>
    /// <param name="train">Whether to load the training split (the book's <c>train</c>).</param>
    /// <param name="transform">Applied to each example; null leaves it unchanged.</param>
    /// <param name="targetTransform">Applied to each label; null leaves it unchanged.</param>
    protected Dataset(bool train = true, Func<NDArray, NDArray>? transform = null, Func<NDArray, NDArray>? targetTransform = null)
    {
        Train = train;
        Transform = transform;
        TargetTransform = targetTransform;
        itemOverridden = GetType().GetProperty("Item", [typeof(int)])!.GetMethod!.DeclaringType != typeof(Dataset);
        Prepare();
    }

    /// <summary>A dataset over the given arrays: example i is <c>data[i]</c> with label <c>label[i]</c> (no label when null).</summary>
    public Dataset(NDArray data, NDArray? label = null, Func<NDArray, NDArray>? transform = null, Func<NDArray, NDArray>? targetTransform = null)
        : this(true, transform, targetTransform)
    {
        Data = data;
        Label = label;
        if (label is not null && label.Length != data.Length)
            throw new ArgumentException($"Dataset: data has {data.Length} examples (shape {ShapeUtil.Str(data.Dims)}) but label has {label.Length} (shape {ShapeUtil.Str(label.Dims)}).");
    }

    /// <summary>Whether this is the training split.</summary>
    public bool Train { get; }

    /// <summary>The per-example transform (the book's <c>transform</c>); null for none.</summary>
    public Func<NDArray, NDArray>? Transform { get; set; }

    /// <summary>The per-label transform (the book's <c>target_transform</c>); null for none.</summary>
    public Func<NDArray, NDArray>? TargetTransform { get; set; }

    /// <summary>All examples stacked along the first axis (the book's <c>data</c>).</summary>
    public NDArray Data
    {
        get => data ?? throw new InvalidOperationException($"{GetType().Name}: Data was not set; set it in Prepare() or the constructor.");
        protected set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Ndim == 0) throw new ArgumentException($"{GetType().Name}: Data must have an axis of examples, got a 0-d array.");
            data = value;
        }
    }

    /// <summary>All labels along the first axis (the book's <c>label</c>), or null for unlabelled data.</summary>
    public NDArray? Label
    {
        get => label;
        protected set
        {
            if (value is not null && value.Ndim == 0) throw new ArgumentException($"{GetType().Name}: Label must have an axis of examples, got a 0-d array.");
            label = value;
        }
    }

    /// <summary>Number of examples (the book's <c>len(dataset)</c>).</summary>
    public virtual int Count => Data.Length;

    /// <summary>Fills <see cref="Data"/> and <see cref="Label"/>; called by the constructor (the book's <c>prepare</c>).</summary>
    protected virtual void Prepare() { }

    /// <summary>Example <paramref name="index"/> (negative counts from the end) with its label, both transformed.</summary>
    public virtual (NDArray x, NDArray t) this[int index]
    {
        get
        {
            int n = Count;
            int i = index < 0 ? index + n : index;
            if ((uint)i >= (uint)n)
                throw new IndexOutOfRangeException($"{GetType().Name}: index {index} is out of range for {n} examples.");
            var x = Row(Data, i);
            var t = label is null ? NDArray.Zeros(0) : Row(label, i);
            return (Transform is null ? x : Transform(x), label is null || TargetTransform is null ? t : TargetTransform(t));
        }
    }

    /// <summary>
    /// The examples at <paramref name="indices"/> stacked into one batch, as the book's <c>DataLoader</c> builds it.
    /// Without transforms the rows are gathered in one pass; otherwise each example goes through the indexer.
    /// </summary>
    public virtual (NDArray x, NDArray t) GetBatch(ReadOnlySpan<int> indices)
    {
        if (indices.IsEmpty) throw new ArgumentException($"{GetType().Name}.GetBatch: no indices given.");
        int n = Count;
        foreach (var i in indices)
            if ((uint)i >= (uint)n)
                throw new IndexOutOfRangeException($"{GetType().Name}.GetBatch: index {i} is out of range for {n} examples.");
        if (itemOverridden || Transform is not null || (label is not null && TargetTransform is not null))
        {
            var xs = new NDArray[indices.Length];
            var ts = new NDArray[indices.Length];
            for (int k = 0; k < indices.Length; k++) (xs[k], ts[k]) = this[indices[k]];
            return (NDArray.Stack(xs), NDArray.Stack(ts));
        }
        return (Rows(Data, indices), label is null ? NDArray.Zeros(indices.Length, 0) : Rows(label, indices));
    }

    // Row i of a C-order array as a new array of shape a.Shape[1..].
    static NDArray Row(NDArray a, int i)
    {
        if (i >= a.Length)
            throw new InvalidOperationException($"Dataset: example {i} is missing from an array of shape {ShapeUtil.Str(a.Dims)}.");
        int row = a.Size / a.Length;
        var r = NDArray.Empty(a.DType, a.Dims[1..]);
        Array.Copy(a.Buffer, (long)i * row, r.Buffer, 0, row);
        return r;
    }

    // The rows at the given indices stacked: NumPy's a[indices] for a 1-D integer index.
    static NDArray Rows(NDArray a, ReadOnlySpan<int> indices)
    {
        int row = a.Length == 0 ? 0 : a.Size / a.Length;
        var shape = (int[])a.Dims.Clone();
        shape[0] = indices.Length;
        var r = NDArray.Empty(a.DType, shape);
        for (int k = 0; k < indices.Length; k++)
        {
            if (indices[k] >= a.Length)
                throw new InvalidOperationException($"Dataset: example {indices[k]} is missing from an array of shape {ShapeUtil.Str(a.Dims)}.");
            Array.Copy(a.Buffer, (long)indices[k] * row, r.Buffer, (long)k * row, row);
        }
        return r;
    }
}
