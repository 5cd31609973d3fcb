namespace DeZero;

/// <summary>
/// Per-thread switches of DeZero: whether functions record the graph for backprop, and whether the
/// network is in training mode (dropout and batch norm behave differently in test mode).
/// </summary>
public static class Config
{
    // Stored inverted so that the per-thread default (false) means "on".
    [ThreadStatic] static bool _noBackprop;
    [ThreadStatic] static bool _testMode;

    // How many threads have backprop off: while none has, every function call skips the thread-static read.
    static int s_threadsWithoutBackprop;

    /// <summary>Whether functions connect their outputs to the graph (the book's <c>Config.enable_backprop</c>).</summary>
    public static bool EnableBackprop
    {
        get => Volatile.Read(ref s_threadsWithoutBackprop) == 0 || !_noBackprop;
        set
        {
            if (_noBackprop != value) return;
            _noBackprop = !value;
            Interlocked.Add(ref s_threadsWithoutBackprop, value ? -1 : 1);
        }
    }

    /// <summary>Whether layers run in training mode (the book's <c>Config.train</c>).</summary>
    public static bool Train
    {
        get => !_testMode;
        set => _testMode = !value;
    }

    /// <summary>Disables graph recording until disposed: <c>using (Config.NoGrad()) { … }</c>.</summary>
    public static Scope NoGrad() => new(backprop: false, train: Train);

    /// <summary>Switches to test mode until disposed: <c>using (Config.TestMode()) { … }</c>.</summary>
    public static Scope TestMode() => new(backprop: EnableBackprop, train: false);

    /// <summary>Sets both switches until disposed (the book's <c>using_config</c>).</summary>
    public static Scope Using(bool enableBackprop, bool train) => new(enableBackprop, train);

    /// <summary>Restores the previous configuration when disposed.</summary>
    public readonly struct Scope : IDisposable
    {
        readonly bool _oldBackprop, _oldTrain;

        internal Scope(bool backprop, bool train)
        {
            _oldBackprop = EnableBackprop;
            _oldTrain = Train;
            EnableBackprop = backprop;
            Train = train;
        }

        /// <summary>Restores the configuration that was in force when the scope began.</summary>
        public void Dispose()
        {
            EnableBackprop = _oldBackprop;
            Train = _oldTrain;
        }
    }
}
