using System.Runtime.CompilerServices;

namespace DeZero;

/// <summary>
/// The switches of DeZero: whether functions record the graph for backprop, whether the network is in training
/// mode (dropout and batch norm behave differently in test mode), and whether backward recycles gradient buffers.
/// They belong to the logical call, like <see cref="AsyncLocal{T}"/>: a scope that spans an <c>await</c> holds
/// across it and ends where it is disposed, a task started inside a scope inherits it, and no other thread sees it.
/// </summary>
public static class Config
{
    // The switches that differ from the defaults; none (0) for a call that set nothing.
    [Flags]
    internal enum Off { None = 0, Backprop = 1, Train = 2, Recycling = 4 }

    // One AsyncLocal for all switches: reading it is a few nanoseconds, and every function call reads it once.
    static readonly AsyncLocal<Off> s_off = new();

    /// <summary>Whether functions connect their outputs to the graph (the book's <c>Config.enable_backprop</c>).</summary>
    public static bool EnableBackprop
    {
        get => (s_off.Value & Off.Backprop) == 0;
        set => Set(Off.Backprop, !value);
    }

    /// <summary>Whether layers run in training mode (the book's <c>Config.train</c>).</summary>
    public static bool Train
    {
        get => (s_off.Value & Off.Train) == 0;
        set => Set(Off.Train, !value);
    }

    /// <summary>
    /// Whether backward recycles the buffers of intermediate gradients (512 elements or more) it has finished with (on by default; see
    /// <c>GradientMemory</c>). Turning it off gives the book's plain algorithm: the same results, more allocation.
    /// </summary>
    public static bool RecycleGradients
    {
        get => (s_off.Value & Off.Recycling) == 0;
        set => Set(Off.Recycling, !value);
    }

    static void Set(Off flag, bool off) => s_off.Value = off ? s_off.Value | flag : s_off.Value & ~flag;

    /// <summary>Disables graph recording until disposed: <c>using (Config.NoGrad()) { … }</c>.</summary>
    public static Scope NoGrad() => new(s_off.Value | Off.Backprop);

    /// <summary>Switches to test mode until disposed: <c>using (Config.TestMode()) { … }</c>.</summary>
    public static Scope TestMode() => new(s_off.Value | Off.Train);

    /// <summary>Turns gradient recycling off until disposed: <c>using (Config.NoGradientRecycling()) { … }</c>.</summary>
    public static Scope NoGradientRecycling() => new(s_off.Value | Off.Recycling);

    /// <summary>Sets both switches until disposed (the book's <c>using_config</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Scope Using(bool enableBackprop, bool train)
    {
        var off = s_off.Value & ~(Off.Backprop | Off.Train);
        if (!enableBackprop) off |= Off.Backprop;
        if (!train) off |= Off.Train;
        return new(off);
    }

    /// <summary>Restores the previous configuration when disposed.</summary>
    public readonly struct Scope : IDisposable
    {
        readonly Off _old;

        internal Scope(Off off)
        {
            _old = s_off.Value;
            s_off.Value = off;
        }

        /// <summary>Restores the configuration that was in force when the scope began.</summary>
        public void Dispose() => s_off.Value = _old;
    }
}
