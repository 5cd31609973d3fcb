namespace DeZero;

/// <summary>
/// NumPy's slice <c>start:stop:step</c>. A null bound means "from the first element" / "to the last
/// element" in the direction of the step, and <c>default(Slice)</c> is <see cref="All"/> (<c>:</c>).
/// </summary>
public readonly struct Slice : IEquatable<Slice>
{
    readonly int _step; // 0 stands for the default step 1, so default(Slice) is ':'

    /// <summary>A slice <c>start:stop:step</c>; bounds may be negative (counted from the end) or out of range (clipped).</summary>
    public Slice(int? start, int? stop, int step = 1)
    {
        if (step == 0) throw new ArgumentException("Slice: slice step cannot be zero.");
        Start = start;
        Stop = stop;
        _step = step;
    }

    /// <summary>The first index, or null for the start in the step's direction.</summary>
    public int? Start { get; }

    /// <summary>The index one past the last, or null for the end in the step's direction.</summary>
    public int? Stop { get; }

    /// <summary>The step (negative steps walk backwards).</summary>
    public int Step => _step == 0 ? 1 : _step;

    /// <summary>NumPy's <c>start:stop:step</c>, e.g. <c>Slice.Of(null, null, -1)</c> for <c>::-1</c>.</summary>
    public static Slice Of(int? start, int? stop, int step = 1) => new(start, stop, step);

    /// <summary>The whole axis, NumPy's <c>:</c>.</summary>
    public static Slice All => default;

    /// <summary>
    /// A C# range as a slice with step 1: <c>..</c> is <c>:</c>, <c>1..</c> is <c>1:</c>, <c>..^1</c> is <c>:-1</c>, <c>^2..</c> is <c>-2:</c>.
    /// </summary>
    public static implicit operator Slice(Range r)
    {
        var s = r.Start;
        var e = r.End;
        // ^0 as a start is the end of the axis: a start past every axis length clips to it.
        int? start = s.IsFromEnd ? (s.Value == 0 ? int.MaxValue : -s.Value) : (s.Value == 0 ? null : s.Value);
        int? stop = e.IsFromEnd ? (e.Value == 0 ? null : -e.Value) : e.Value;
        return new Slice(start, stop);
    }

    /// <summary>Python's <c>slice.indices(length)</c> plus the number of selected elements.</summary>
    public (int Start, int Stop, int Step, int Count) Indices(int length)
    {
        if (length < 0) throw new ArgumentException($"Slice.Indices: length must be non-negative, got {length}.");
        int step = Step;
        int start = Clip(Start, length, step, step > 0 ? 0 : length - 1);
        int stop = Clip(Stop, length, step, step > 0 ? length : -1);
        long count = step > 0
            ? (stop > start ? ((long)stop - start - 1) / step + 1 : 0)
            : (start > stop ? ((long)start - stop - 1) / -(long)step + 1 : 0);
        return (start, stop, step, (int)count);
    }

    // CPython's PySlice_AdjustIndices for one bound.
    static int Clip(int? bound, int length, int step, int dflt)
    {
        if (bound is not int b) return dflt;
        if (b < 0)
        {
            long v = (long)b + length;
            return v < 0 ? (step < 0 ? -1 : 0) : (int)v;
        }
        return b >= length ? (step < 0 ? length - 1 : length) : b;
    }

    /// <inheritdoc/>
    public bool Equals(Slice other) => Start == other.Start && Stop == other.Stop && Step == other.Step;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Slice s && Equals(s);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Start, Stop, Step);

    /// <summary>Equality of start, stop and step.</summary>
    public static bool operator ==(Slice a, Slice b) => a.Equals(b);

    /// <summary>Inequality of start, stop or step.</summary>
    public static bool operator !=(Slice a, Slice b) => !a.Equals(b);

    /// <summary>Python's notation, e.g. <c>1:-1</c>, <c>::-2</c>, <c>:</c>.</summary>
    public override string ToString() => FormattableString.Invariant($"{Start}:{Stop}") + (Step == 1 ? "" : FormattableString.Invariant($":{Step}"));
}

/// <summary>
/// One entry of a NumPy index tuple: an integer, a <see cref="Slice"/> (or C# <see cref="Range"/>), an
/// integer or boolean <see cref="NDArray"/>, <see cref="NewAxis"/> or <see cref="Ellipsis"/>. Values
/// convert implicitly, so <c>a[1, ..]</c>, <c>a[^1]</c>, <c>a[1.., ..2]</c>, <c>a[idx]</c> and
/// <c>a[rows, cols]</c> all read like NumPy.
/// </summary>
public readonly struct NDIndex
{
    internal enum Kinds : byte { Slice, Int, Array, NewAxis, Ellipsis }

    internal readonly Kinds Kind;
    internal readonly int Int;
    internal readonly Slice Slice;
    internal readonly NDArray? Array;

    NDIndex(Kinds kind, int i = 0, Slice s = default, NDArray? a = null)
    {
        Kind = kind;
        Int = i;
        Slice = s;
        Array = a;
    }

    /// <summary>NumPy's <c>np.newaxis</c> (<c>None</c>): inserts an axis of length 1.</summary>
    public static NDIndex NewAxis => new(Kinds.NewAxis);

    /// <summary>NumPy's <c>...</c>: as many full slices as the other entries leave axes.</summary>
    public static NDIndex Ellipsis => new(Kinds.Ellipsis);

    /// <summary>An integer index; negative values count from the end.</summary>
    public static implicit operator NDIndex(int i) => new(Kinds.Int, i);

    /// <summary>An integer index given as a long; negative values count from the end.</summary>
    public static implicit operator NDIndex(long i) =>
        i is >= int.MinValue and <= int.MaxValue
            ? new(Kinds.Int, (int)i)
            : throw new IndexOutOfRangeException($"NDArray indexing: index {i} is out of bounds for every axis.");

    /// <summary>A C# index: <c>^1</c> is NumPy's <c>-1</c>.</summary>
    public static implicit operator NDIndex(Index i)
    {
        if (!i.IsFromEnd) return new(Kinds.Int, i.Value);
        if (i.Value == 0) throw new IndexOutOfRangeException("NDArray indexing: index ^0 is past the end of every axis.");
        return new(Kinds.Int, -i.Value);
    }

    /// <summary>A slice.</summary>
    public static implicit operator NDIndex(Slice s) => new(Kinds.Slice, s: s);

    /// <summary>A C# range as a slice with step 1.</summary>
    public static implicit operator NDIndex(Range r) => new(Kinds.Slice, s: r);

    /// <summary>An integer array (takes elements along one axis) or a boolean mask (selects where true).</summary>
    public static implicit operator NDIndex(NDArray a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new(Kinds.Array, a: a);
    }

    /// <summary>The entry in Python's notation (arrays as <c>array(shape, dtype)</c>).</summary>
    public override string ToString() => Kind switch
    {
        Kinds.Int => Int.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Kinds.Slice => Slice.ToString(),
        Kinds.NewAxis => "None",
        Kinds.Ellipsis => "...",
        _ => $"array{ShapeUtil.Str(Array!.Dims)} of {Array.DType.Name()}",
    };
}
