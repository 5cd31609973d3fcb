using System.Runtime.CompilerServices;
using DeZero.Layers;

namespace DeZero.Models;

/// <summary>Applies its layers one after the other (the book's <c>Sequential</c>); their keys are <c>l0</c>, <c>l1</c>, ….</summary>
public class Sequential : Model
{
    readonly Layer[] _layers;

    /// <summary>A chain of single-input layers.</summary>
    public Sequential(params Layer[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = new Layer[layers.Length];
        for (int i = 0; i < layers.Length; i++)
            _layers[i] = AddLayer("l" + i, layers[i] ?? throw new ArgumentNullException(nameof(layers), $"Sequential: layer {i} is null."));
    }

    /// <summary>The layers in the order they are applied.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Variable Forward(Variable x)
    {
        foreach (var layer in _layers) x = layer.Call(x);
        return x;
    }
}
