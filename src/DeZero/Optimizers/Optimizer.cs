using System.Runtime.CompilerServices;
using DeZero.Layers;

namespace DeZero.Optimizers;

/// <summary>A function an optimizer runs on the parameters that have gradients before updating them (the book's hooks).</summary>
public interface IOptimizerHook
{
    /// <summary>Inspects or rewrites the gradients of <paramref name="parameters"/>.</summary>
    void Apply(IReadOnlyList<Parameter> parameters);
}

/// <summary>
/// Base of the optimizers (the book's <c>Optimizer</c>): <see cref="Update"/> runs the hooks on the target's
/// parameters that have a gradient, then updates each one that still has a gradient with <see cref="UpdateOne"/>.
/// </summary>
public abstract class Optimizer
{
    readonly List<Action<IReadOnlyList<Parameter>>> _hooks = [];

    /// <summary>The layer or model whose parameters are updated; set by <see cref="OptimizerExtensions.Setup"/>.</summary>
    public Layer? Target { get; internal set; }

    /// <summary>Adds a hook run on the parameter list at every update, in the order added.</summary>
    public void AddHook(Action<IReadOnlyList<Parameter>> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        _hooks.Add(hook);
    }

    /// <summary>Adds a hook such as <see cref="WeightDecay"/>, <see cref="ClipGrad"/> or <see cref="FreezeParam"/>.</summary>
    public void AddHook(IOptimizerHook hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        _hooks.Add(hook.Apply);
    }

    /// <summary>
    /// One optimisation step on every parameter of the target that has a gradient. All or nothing: before and after
    /// the hooks every parameter, gradient and optimizer state is checked (float parameter, gradient of its shape and a
    /// numeric dtype, state of its shape) before the first parameter changes, so a failure leaves every parameter (and,
    /// when a hook fails, every gradient) as it was.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Update()
    {
        var target = Target ?? throw new InvalidOperationException($"{GetType().Name}.Update: no target; call Setup(model) first.");
        var ps = new List<Parameter>();
        var keys = new List<string>();
        var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        foreach (var (key, p) in target.NamedParams())
            if (p.Grad is not null && seen.Add(p)) { ps.Add(p); keys.Add(key); }
        // Gradients are checked before the hooks (which add to them) and after (which may replace them); a hook that
        // fails has its replaced gradients put back, since hooks assign new gradient variables rather than mutate them.
        for (int i = 0; i < ps.Count; i++) CheckGradient(ps[i], keys[i]);
        var grads = new Variable?[ps.Count];
        for (int i = 0; i < grads.Length; i++) grads[i] = ps[i].Grad;
        try
        {
            foreach (var hook in _hooks) hook(ps);
            // A hook may have dropped a gradient (FreezeParam): such a parameter is left as it is.
            for (int i = 0; i < ps.Count; i++)
                if (ps[i].Grad is not null) CheckGradient(ps[i], keys[i]);
        }
        catch
        {
            for (int i = 0; i < ps.Count; i++) ps[i].Grad = grads[i];
            throw;
        }
        BeginUpdate();
        foreach (var p in ps)
            if (p.Grad is not null) UpdateOne(p);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void CheckGradient(Parameter p, string key)
    {
        string What() => $"{GetType().Name}.Update: parameter '{key}'";
        if (!p.HasData)
            throw new InvalidOperationException($"{What()} has a gradient but no data.");
        NDArray data = p.Data, grad = p.Grad!.Data;
        if (!data.DType.IsFloat())
            throw new InvalidOperationException($"{What()} is {data.DType.Name()} {ShapeUtil.Str(data.Dims)}; only float32 and float64 parameters are updated in place.");
        if (!ShapeUtil.SameShape(grad.Dims, data.Dims) || grad.DType == DType.Bool)
            throw new InvalidOperationException($"{What()} of shape {ShapeUtil.Str(data.Dims)} ({data.DType.Name()}) has a gradient of shape {ShapeUtil.Str(grad.Dims)} ({grad.DType.Name()}); nothing was updated.");
        Check(p, key);
    }

    /// <summary>
    /// Checks the optimizer's own state for <paramref name="param"/> before any parameter is updated (throw an
    /// <see cref="InvalidOperationException"/> naming <paramref name="key"/> if <see cref="UpdateOne"/> would fail).
    /// </summary>
    protected virtual void Check(Parameter param, string key) { }

    /// <summary>Throws unless the state arrays kept for <paramref name="param"/> (if any yet) still have its shape.</summary>
    protected void CheckState<TState>(ConditionalWeakTable<Parameter, TState> states, Parameter param, string key, params Func<TState, NDArray>[] arrays)
        where TState : class
    {
        if (!states.TryGetValue(param, out var state)) return;
        foreach (var array in arrays)
            if (!ShapeUtil.SameShape(array(state).Dims, param.Data.Dims))
                throw new InvalidOperationException($"{GetType().Name}.Update: parameter '{key}' now has shape {ShapeUtil.Str(param.Data.Dims)} but the optimizer's state for it has shape {ShapeUtil.Str(array(state).Dims)}; nothing was updated.");
    }

    /// <summary>Called once per <see cref="Update"/> before the parameters are updated (Adam counts its steps here).</summary>
    protected virtual void BeginUpdate() { }

    /// <summary>Updates one parameter from its gradient.</summary>
    protected abstract void UpdateOne(Parameter param);
}

/// <summary>Setup in a form that keeps the optimizer's own type: <c>var optimizer = new Adam().Setup(model);</c>.</summary>
public static class OptimizerExtensions
{
    /// <summary>Sets the layer or model to optimise and returns the optimizer (the book's <c>setup</c>).</summary>
    public static TOptimizer Setup<TOptimizer>(this TOptimizer optimizer, Layer target) where TOptimizer : Optimizer
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(target);
        optimizer.Target = target;
        return optimizer;
    }
}
