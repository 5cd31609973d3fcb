using System.Runtime.CompilerServices;

namespace DeZero;

/// <summary>
/// The gradient memory of one backward pass: how the terms of a variable's gradient are summed, and which gradient
/// buffers go back for reuse. A fresh array is written from main memory (the GC hands out memory its tens of megabytes
/// of young generation have not touched lately) and a fresh large one costs a page fault per 4 KB besides, so the
/// buffers of the gradients a pass has finished with serve the next allocations of their size, typically in the next
/// forward pass (the seed network's 100×10 arrays: 42 → 26 KB allocated per iteration, 75k → 87k iterations/s).
/// </summary>
/// <remarks>
/// The rules, all of them:
/// <list type="number">
/// <item>A pass recycles only when it records no graph (no <c>createGraph</c>) and <see cref="Config.RecycleGradients"/> is on.</item>
/// <item>It tracks only the buffers it saw made: float buffers of at least <see cref="MinSize"/> elements allocated on its
/// thread while it runs. Arrays made before it (data, activations, parameters, whatever a user holds) are never tracked.
/// A buffer that no variable holds as its gradient when the step of the function that made it ends (a temporary of that
/// backward) leaves tracking, so the pass never keeps it alive.</item>
/// <item>A tracked buffer counts the variables that hold it as their gradient, directly or through a view (a view
/// shares its buffer).</item>
/// <item>A function marked <see cref="KeepsNoGradientsAttribute"/> declares that its <c>Backward</c> keeps no reference to
/// the gradients it receives or returns. A function without the mark (the default, the safe choice) takes every buffer
/// it receives or returns out of tracking for good: what it kept never changes.</item>
/// <item>When the pass lets go of the last gradient holding a tracked buffer (it drops an intermediate gradient, or
/// replaces a gradient by a sum), the buffer goes to the free list, and the next allocation of its dtype and size
/// takes it. Leaf and retained gradients are never let go of, so never recycled. The free list holds at most 64 MB.</item>
/// <item>Whether or not it recycles, a pass without <c>createGraph</c> owns the sums <c>x.Grad + gx</c> it makes (each
/// belongs to its variable alone), so it adds that variable's later terms into the sum in place.</item>
/// <item>When a recycling pass that retains no gradients is about to let go of an output's gradient (its creator's step),
/// and that output alone holds the tracked buffer, the creator (marked as in rule 4) may write its input's gradient into
/// that buffer instead of a new one (<see cref="Reusable"/>): the activations' gradients of a network reuse one buffer.</item>
/// </list>
/// </remarks>
internal sealed class GradientMemory : IDisposable
{
    /// <summary>Buffers of at least this many elements (2 KB of float32) are tracked and recycled; smaller ones are left to the GC.</summary>
    internal const int MinSize = 512;

    static int s_passes;
    [ThreadStatic] static GradientMemory? t_current;
    [ThreadStatic] static List<Array>? t_checkReleased;
    // How many checking passes run on any thread: while none does, nothing reads the thread-static list above.
    static int s_checks;
    [ThreadStatic] static (HolderTable, List<Array>)? t_spare;

    readonly GradientMemory? _outer;
    readonly int _pass;
    readonly bool _recycle, _inPlace, _retain;
    // Tracked buffers and how many variables hold each as their gradient (made on the first tracked buffer).
    HolderTable? _holders;
    // The buffers tracked during the current step: those no variable holds at its end were temporaries.
    List<Array>? _fresh;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    GradientMemory(bool createGraph, bool retainGrad)
    {
        _outer = t_current;
        _pass = Interlocked.Increment(ref s_passes);
        _inPlace = !createGraph;
        _retain = retainGrad;
        _recycle = !createGraph && Config.RecycleGradients;
        if (_recycle) BufferSource.Installed ??= FreeList.Instance;
        t_current = this;
    }

    /// <summary>Starts the gradient memory of a backward pass on this thread; disposing it ends the pass.</summary>
    public static GradientMemory Begin(bool createGraph, bool retainGrad) => new(createGraph, retainGrad);

    /// <summary>Ends the pass: buffers still tracked stay with whoever holds them.</summary>
    public void Dispose()
    {
        t_current = _outer;
        // The tables serve the thread's next pass unless they grew large.
        if (_holders is null || _holders.Capacity > 1024) return;
        _holders.Clear();
        _fresh!.Clear();
        t_spare = (_holders, _fresh);
    }

    /// <summary>
    /// The book's <c>x.grad = gx if x.grad is None else x.grad + gx</c> for a term <paramref name="gx"/> that
    /// <paramref name="f"/> returned. A pass starts an intermediate variable's gradient anew: a gradient retained by an
    /// earlier pass has already been propagated, and adding it again would count it twice.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Accumulate(Variable x, Variable gx, Function f)
    {
        Received(gx.Data, f);
        var g = x.Grad;
        if (g is null || x.Creator is not null && x.GradPass != _pass)
        {
            (x.Grad, x.GradPass, x.GradIsOwnSum) = (gx, _pass, false);
            Hold(gx.Data);
            return;
        }
        var sum = OwnSum(x, gx.Data.DType, gx.Data.Dims);
        if (sum is not null)
        {
            sum.AddInPlace(gx.Data);
            return;
        }
        (x.Grad, x.GradPass, x.GradIsOwnSum) = (g + gx, _pass, _inPlace);
        Hold(x.Grad.Data);
        LetGo(g.Data);
    }

    /// <summary>
    /// Ends the step of one function (its backward and the accumulation of what it returned): a buffer made in the step
    /// that no variable holds is a temporary of that backward and leaves tracking, so the pass does not keep it alive.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void EndStep()
    {
        if (_fresh is not { Count: > 0 }) return;
        foreach (var buffer in _fresh)
        {
            ref int n = ref _holders!.Holders(buffer);
            if (!Unsafe.IsNullRef(ref n) && n == 0) _holders.Remove(buffer);
        }
        _fresh.Clear();
    }

    /// <summary>The book's <c>y.grad = None</c> once y's creator <paramref name="f"/> has used the gradient.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Drop(Variable y, Function f)
    {
        var g = y.Grad;
        if (g is null) return;
        y.Grad = null;
        Received(g.Data, f);
        LetGo(g.Data);
    }

    /// <summary>
    /// The array of <paramref name="gy"/>, the gradient of <paramref name="y"/>, when the running pass will let go of it
    /// after this step and nothing else holds its buffer (rule 7): y's creator may write its input's gradient into it,
    /// reading each element of gy before writing it. Null otherwise.
    /// </summary>
    internal static NDArray? Reusable(Variable y, Variable gy) => t_current?.ReusableFor(y, gy);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    NDArray? ReusableFor(Variable y, Variable gy)
    {
        if (!_recycle || _retain || _holders is null || !ReferenceEquals(y.Grad, gy)) return null;
        ref int n = ref _holders.Holders(gy.Data.Buffer);
        return !Unsafe.IsNullRef(ref n) && n == 1 ? gy.Data : null;
    }

    /// <summary>
    /// The gradient sum of <paramref name="x"/> that the running pass made and x alone holds, when it has the given dtype
    /// and shape: a backward function may add its term into it in place and return null instead.
    /// </summary>
    internal static NDArray? OwnedSum(Variable x, DType dtype, int[] dims) => t_current?.OwnSum(x, dtype, dims);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    NDArray? OwnSum(Variable x, DType dtype, int[] dims)
    {
        if (!_inPlace || !x.GradIsOwnSum || x.GradPass != _pass || x.Grad is null) return null;
        var sum = x.Grad.Data;
        return sum.DType == dtype && ShapeUtil.SameShape(sum.Dims, dims) ? sum : null;
    }

    // Rule 4: a function that may keep what it was given or returned takes the buffer out of tracking.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Received(NDArray a, Function f)
    {
        if (_holders is { Count: > 0 } && !Unsafe.IsNullRef(ref _holders.Holders(a.Buffer)) && !KeepsNoGradients(f))
            _holders.Remove(a.Buffer);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Hold(NDArray a)
    {
        if (_holders is null) return;
        ref int n = ref _holders.Holders(a.Buffer);
        if (!Unsafe.IsNullRef(ref n)) n++;
    }

    // Rule 5: the last holder gone, the buffer is free.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void LetGo(NDArray a)
    {
        if (_holders is null) return;
        ref int n = ref _holders.Holders(a.Buffer);
        if (Unsafe.IsNullRef(ref n) || n == 0 || --n > 0) return;
        _holders.Remove(a.Buffer);
        if (Checking() is { } released) Poison(a.Buffer, released);
        else FreeList.Instance.Return(a.Buffer);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Track(Array buffer)
    {
        if (!_recycle) return;
        if (_holders is null)
        {
            // The tables of the thread's last pass, emptied, when no other running pass has them.
            (_holders, _fresh) = t_spare ?? (new HolderTable(), new List<Array>());
            t_spare = null;
        }
        _holders.Add(buffer);
        _fresh!.Add(buffer);
    }

    // The function types seen so far and whether each declares KeepsNoGradients, searched by reference: a program uses
    // a few dozen function types. A lookup that misses publishes a longer copy, so readers need no lock.
    static volatile (Type Type, bool Keeps)[] s_declared = [];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static bool KeepsNoGradients(Function f)
    {
        var type = f.GetType();
        foreach (var (t, keeps) in s_declared)
            if (ReferenceEquals(t, type)) return keeps;
        bool declared = type.IsDefined(typeof(KeepsNoGradientsAttribute), inherit: false);
        lock (s_declaredLock) s_declared = [.. s_declared, (type, declared)];
        return declared;
    }

    static readonly object s_declaredLock = new();

    /// <summary>
    /// Runs <paramref name="backward"/> with every float buffer tracked whatever its size, and instead of recycling a
    /// buffer fills it with NaN and lists it: what a function should not have kept is then visible (for
    /// <see cref="Utils.CheckKeepsNoGradients"/>).
    /// </summary>
    internal static List<Array> Check(Action backward)
    {
        var outer = t_checkReleased;
        var released = t_checkReleased = [];
        Interlocked.Increment(ref s_checks);
        try
        {
            backward();
        }
        finally
        {
            t_checkReleased = outer;
            Interlocked.Decrement(ref s_checks);
        }
        return released;
    }

    // The list of the checking pass running on this thread, if any.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static List<Array>? Checking() => Volatile.Read(ref s_checks) == 0 ? null : t_checkReleased;

    static void Poison(Array buffer, List<Array> released)
    {
        if (buffer is double[] d) Array.Fill(d, double.NaN);
        else Array.Fill((float[])buffer, float.NaN);
        released.Add(buffer);
    }

    /// <summary>Bytes of free buffers waiting for reuse (for tests).</summary>
    internal static long FreeBytes => FreeList.Instance.Bytes;

    /// <summary>How many free buffers of this dtype and size wait for reuse (for tests).</summary>
    internal static int FreeBuffers(DType dtype, int size) => FreeList.Instance.Count(dtype, size);

    /// <summary>Puts a buffer on the free list as a pass would (for tests).</summary>
    internal static void Free(Array buffer) => FreeList.Instance.Return(buffer);

    // Tracked buffers and how many variables hold each as their gradient. A pass tracks a few dozen at a time (the
    // parameters' gradients and those in flight), so a list searched by reference costs less than a hash table.
    sealed class HolderTable
    {
        Array?[] _buffers = new Array[16];
        int[] _holders = new int[16];

        public int Count { get; private set; }

        public int Capacity => _buffers.Length;

        // The number of holders of a tracked buffer, or a null reference for a buffer not tracked.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public ref int Holders(Array buffer)
        {
            for (int i = 0; i < Count; i++)
                if (ReferenceEquals(_buffers[i], buffer)) return ref _holders[i];
            return ref Unsafe.NullRef<int>();
        }

        // Tracks a buffer with no holder yet.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Add(Array buffer)
        {
            if (Count == _buffers.Length)
            {
                Array.Resize(ref _buffers, 2 * Count);
                Array.Resize(ref _holders, 2 * Count);
            }
            (_buffers[Count], _holders[Count]) = (buffer, 0);
            Count++;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Remove(Array buffer)
        {
            for (int i = 0; i < Count; i++)
            {
                if (!ReferenceEquals(_buffers[i], buffer)) continue;
                Count--;
                (_buffers[i], _holders[i]) = (_buffers[Count], _holders[Count]);
                _buffers[Count] = null;
                return;
            }
        }

        public void Clear()
        {
            Array.Clear(_buffers, 0, Count);
            Count = 0;
        }
    }

    // The free buffers, shared by all threads; installed as the arrays' buffer source by the first recycling pass.
    sealed class FreeList : BufferSource
    {
        public static readonly FreeList Instance = new();
        const long MaxBytes = 64L << 20;
        // One stack of free buffers per element type and size (keyed by both in one number), found by a linear search:
        // a program's gradients come in a few dozen sizes. The library's own loops, so that they run fully optimised
        // from the start (CoreLib's dictionary and stack run instrumented code for the whole of a short program).
        long[] _keys = new long[8];
        Array[][] _stacks = new Array[8][];
        int[] _counts = new int[8];
        int _bins;
        long _bytes;
        int _busy;

        public long Bytes
        {
            get { Enter(); try { return _bytes; } finally { Exit(); } }
        }

        public int Count(DType dtype, int size)
        {
            Enter();
            try { return Bin(Key(dtype == DType.Float32, size)) is var i and >= 0 ? _counts[i] : 0; }
            finally { Exit(); }
        }

        static long Key(bool float32, int size) => (long)size << 1 | (float32 ? 1L : 0L);

        // A checking pass tracks every size.
        internal override int MinSize
        {
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            get => Checking() is null ? GradientMemory.MinSize : 1;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal override Array Rent(DType dtype, int size)
        {
            Array? buffer = null;
            if (Checking() is null)
            {
                Enter();
                if (Bin(Key(dtype == DType.Float32, size)) is var i and >= 0 && _counts[i] > 0)
                {
                    var (stack, top) = (_stacks[i], --_counts[i]);
                    (buffer, stack[top]) = (stack[top], null!);
                    _bytes -= SizeOf(buffer);
                }
                Exit();
            }
            buffer ??= Allocate(dtype, size);
            t_current?.Track(buffer);
            return buffer;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Return(Array buffer)
        {
            long bytes = SizeOf(buffer);
            var key = Key(buffer is float[], buffer.Length);
            Enter();
            try
            {
                if (_bytes + bytes > MaxBytes) return;
                int i = Bin(key);
                if (i < 0) i = AddBin(key);
                if (_counts[i] == _stacks[i].Length) Array.Resize(ref _stacks[i], 2 * _counts[i]);
                _stacks[i][_counts[i]++] = buffer;
                _bytes += bytes;
            }
            finally
            {
                Exit();
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        int Bin(long key)
        {
            for (int i = 0; i < _bins; i++)
                if (_keys[i] == key) return i;
            return -1;
        }

        int AddBin(long key)
        {
            if (_bins == _keys.Length)
            {
                Array.Resize(ref _keys, 2 * _bins);
                Array.Resize(ref _stacks, 2 * _bins);
                Array.Resize(ref _counts, 2 * _bins);
            }
            (_keys[_bins], _stacks[_bins], _counts[_bins]) = (key, new Array[4], 0);
            return _bins++;
        }

        // A spin lock: holders run a few dozen instructions, and threads meet here rarely.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Enter()
        {
            while (Interlocked.CompareExchange(ref _busy, 1, 0) != 0) Thread.Yield();
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Exit() => Volatile.Write(ref _busy, 0);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static long SizeOf(Array buffer) => (long)buffer.Length * (buffer is float[] ? 4 : 8);
    }
}

/// <summary>
/// Declares that a function's <see cref="Function.Backward"/> keeps no reference (in a field, a closure, a view or
/// anywhere else) to the arrays of the gradients it receives or returns once it has returned. The engine may then
/// reuse those buffers when no variable holds them any more. Without it, nothing a function touches is recycled.
/// <see cref="Utils.CheckKeepsNoGradients"/> tests the declaration.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class KeepsNoGradientsAttribute : Attribute;
