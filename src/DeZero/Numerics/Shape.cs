using System.Collections;

namespace DeZero;

/// <summary>
/// The length of every axis of an array (NumPy's <c>a.shape</c>). Prints like NumPy's tuple, <c>(2, 3)</c>; indexes,
/// slices, enumerates and compares (by value) like a read-only list of ints, and converts to and from <c>int[]</c>
/// (copies, so an array's own shape cannot be changed through it). Reading <c>a.Shape</c> allocates nothing.
/// </summary>
public readonly struct Shape : IReadOnlyList<int>, IEquatable<Shape>
{
    readonly int[]? _dims;

    // Shares dims: callers hand over an array that nobody changes afterwards (an NDArray's own shape).
    internal Shape(int[] dims) => _dims = dims;

    ReadOnlySpan<int> Dims => _dims;

    /// <summary>The number of axes.</summary>
    public int Length => Dims.Length;

    /// <summary>The number of axes (the <see cref="IReadOnlyCollection{T}"/> name of <see cref="Length"/>).</summary>
    public int Count => Dims.Length;

    /// <summary>The length of axis <paramref name="axis"/>; <c>shape[^1]</c> is the last axis.</summary>
    public int this[int axis] => Dims[axis];

    /// <summary>The axes from <paramref name="start"/> on, <paramref name="length"/> of them (so <c>shape[1..]</c> works).</summary>
    public Shape Slice(int start, int length) => new(Dims.Slice(start, length).ToArray());

    /// <summary>The lengths as a read-only span (no copy).</summary>
    public ReadOnlySpan<int> AsSpan() => Dims;

    /// <summary>The lengths as a new array.</summary>
    public int[] ToArray() => Dims.ToArray();

    /// <summary>Enumerates the lengths without allocating.</summary>
    public ReadOnlySpan<int>.Enumerator GetEnumerator() => Dims.GetEnumerator();

    IEnumerator<int> IEnumerable<int>.GetEnumerator() => ((IEnumerable<int>)ToArray()).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<int>)this).GetEnumerator();

    /// <summary>A copy of the lengths, for APIs that take <c>int[]</c> (<c>NDArray.Zeros(a.Shape)</c>).</summary>
    public static implicit operator int[](Shape shape) => shape.ToArray();

    /// <summary>A shape of the given lengths (copied).</summary>
    public static implicit operator Shape(int[] dims) => new((int[])dims.Clone());

    /// <summary>True when both have the same lengths in the same order.</summary>
    public bool Equals(Shape other) => Dims.SequenceEqual(other.Dims);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Shape other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int d in Dims) hash.Add(d);
        return hash.ToHashCode();
    }

    /// <summary>Same lengths in the same order.</summary>
    public static bool operator ==(Shape left, Shape right) => left.Equals(right);

    /// <summary>Different lengths or a different number of axes.</summary>
    public static bool operator !=(Shape left, Shape right) => !left.Equals(right);

    /// <summary>NumPy's tuple: <c>(2, 3)</c>, <c>(5,)</c>, <c>()</c>.</summary>
    public override string ToString() => ShapeUtil.Str(Dims);
}
