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

    /// <summary>One optimisation step on every parameter of the target that has a gradient.</summary>
    public void Update()
    {
        var target = Target ?? throw new InvalidOperationException($"{GetType().Name}.Update: no target; call Setup(model) first.");
        var ps = new List<Parameter>();
        foreach (var p in target.Params())
            if (p.Grad is not null) ps.Add(p);
        foreach (var hook in _hooks) hook(ps);
        BeginUpdate();
        // A hook may have dropped a gradient (FreezeParam): such a parameter is left as it is.
        foreach (var p in ps)
            if (p.Grad is not null) UpdateOne(p);
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
