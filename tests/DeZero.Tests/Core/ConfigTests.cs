using F = DeZero.Functions;

namespace DeZero.Tests.Core;

// Config's switches belong to the logical call: they flow across await and into tasks started inside a scope, and
// nowhere else.
public class ConfigTests
{
    static readonly Variable X = new(2.0);

    static bool Records() => F.Square(X).Creator is not null;

    // Every switch as one tuple, read on the current thread.
    static (bool Backprop, bool Train, bool Recycle) Switches() => (Config.EnableBackprop, Config.Train, Config.RecycleGradients);

    // The switches seen on several thread-pool threads that belong to no scope.
    static Task<(bool, bool, bool)[]> OnPoolThreads()
    {
        using var suppressed = ExecutionContext.SuppressFlow();
        return Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(Switches)).ToArray());
    }

    static async Task NoGradAcrossAnAwait()
    {
        using (Config.NoGrad())
        using (Config.TestMode())
        using (Config.NoGradientRecycling())
        {
            await Task.Delay(10);
            Assert.Equal((false, false, false), Switches());
            Assert.False(Records());
            await Task.Yield();
            Assert.False(Records());
        }
        Assert.Equal((true, true, true), Switches());
        Assert.True(Records());
    }

    [Fact]
    public async Task AScopeSpanningAnAwaitHoldsAcrossItAndIsRestoredOnExit()
    {
        await NoGradAcrossAnAwait();
        Assert.Equal((true, true, true), Switches());
        Assert.True(Records());
        Assert.All(await OnPoolThreads(), s => Assert.Equal((true, true, true), s));
    }

    [Fact]
    public async Task ScopesOfConcurrentCallsDoNotMix()
    {
        var inScope = new TaskCompletionSource();
        var otherDone = new TaskCompletionSource();
        async Task<bool> WithNoGrad()
        {
            using (Config.NoGrad())
            {
                inScope.SetResult();
                await otherDone.Task;
                return Records();
            }
        }
        async Task<bool> Without()
        {
            await inScope.Task;
            bool records = Records();
            otherDone.SetResult();
            return records;
        }
        var results = await Task.WhenAll(Task.Run(WithNoGrad), Task.Run(Without));
        Assert.Equal([false, true], results);
        Assert.True(Records());
    }

    [Fact]
    public async Task ATaskStartedInsideAScopeInheritsIt()
    {
        using (Config.NoGrad())
            Assert.False(await Task.Run(Records));
        Assert.True(await Task.Run(Records));
    }

    [Fact]
    public async Task BackwardInsideAnAsyncMethodStillProducesGradients()
    {
        // The case: after an async method with a scope over an await, backward on any thread still works.
        await NoGradAcrossAnAwait();
        var grads = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() =>
        {
            var x = new Variable(i + 1.0);
            F.Square(x).Backward();
            return (double)x.GetGrad();
        })));
        Assert.Equal([2.0, 4.0, 6.0, 8.0], grads);
    }

    [Fact]
    public void AssignmentsLastUntilTheEnclosingScopeEnds()
    {
        using (Config.TestMode())
        {
            Config.Train = true;
            Config.EnableBackprop = false;
            Assert.Equal((false, true), (Config.EnableBackprop, Config.Train));
        }
        Assert.Equal((true, true), (Config.EnableBackprop, Config.Train));
        using (Config.Using(enableBackprop: false, train: false))
        {
            Assert.Equal((false, false, true), Switches());
            using (Config.Using(enableBackprop: true, train: true)) Assert.Equal((true, true, true), Switches());
        }
    }
}
