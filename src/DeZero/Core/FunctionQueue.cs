using System.Runtime.CompilerServices;

namespace DeZero;

/// <summary>
/// Backward's list of functions to visit (the book's <c>funcs</c> with its <c>seen_set</c>): each function is queued
/// once per pass, and <see cref="Pop"/> takes the one of largest generation, the newest among equals.
/// </summary>
internal sealed class FunctionQueue
{
    static int s_passes;
    // A pass number instead of a set: a function remembers the last pass that queued it.
    readonly int _pass = Interlocked.Increment(ref s_passes);
    Function[] _funcs = new Function[16];

    public int Count { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(Function f)
    {
        if (f.QueuedBy == _pass) return;
        f.QueuedBy = _pass;
        if (Count == _funcs.Length) Array.Resize(ref _funcs, 2 * Count);
        // Kept sorted by generation: a graph adds most functions at or near the end.
        int i = Count++;
        for (; i > 0 && _funcs[i - 1].Generation > f.Generation; i--) _funcs[i] = _funcs[i - 1];
        _funcs[i] = f;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Function Pop()
    {
        var f = _funcs[--Count];
        _funcs[Count] = null!;
        return f;
    }
}
