using F = DeZero.Functions;
using L = DeZero.Layers;

namespace DeZero.Models;

/// <summary>
/// Multi-layer perceptron (the book's <c>MLP</c>): one <see cref="L.Linear"/> per output size, keyed
/// <c>l0</c>, <c>l1</c>, …, with the activation between them (sigmoid by default) and none after the last.
/// </summary>
public class MLP : Model
{
    readonly L.Linear[] _layers;
    readonly Func<Variable, Variable> _activation;

    /// <summary>Fully connected layers of the given output sizes, e.g. <c>new MLP([10, 1])</c>.</summary>
    public MLP(int[] fcOutputSizes, Func<Variable, Variable>? activation = null)
    {
        ArgumentNullException.ThrowIfNull(fcOutputSizes);
        if (fcOutputSizes.Length == 0) throw new ArgumentException("MLP: fcOutputSizes must not be empty.", nameof(fcOutputSizes));
        _activation = activation ?? F.Sigmoid;
        _layers = new L.Linear[fcOutputSizes.Length];
        for (int i = 0; i < _layers.Length; i++)
            _layers[i] = AddLayer("l" + i, new L.Linear(fcOutputSizes[i]));
    }

    /// <summary>The linear layers in order.</summary>
    public IReadOnlyList<L.Linear> Layers => _layers;

    /// <inheritdoc/>
    public override Variable Forward(Variable x)
    {
        for (int i = 0; i < _layers.Length - 1; i++) x = _activation(_layers[i].Call(x));
        return _layers[^1].Call(x);
    }
}
