namespace DeZero;

/// <summary>
/// The differentiable functions of DeZero (the book's <c>dezero.functions</c>, imported as
/// <c>using F = DeZero.Functions;</c>). Each takes Variables (arrays convert implicitly) and records the graph.
/// </summary>
public static partial class Functions
{
    static NDArray Data(Variable x, string op)
    {
        ArgumentNullException.ThrowIfNull(x, op);
        return x.Data ?? throw new InvalidOperationException($"{op}: variable {x.Name ?? "(unnamed)"} has no data.");
    }
}
