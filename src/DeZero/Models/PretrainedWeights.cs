using DeZero.IO;
using DeZero.Layers;

namespace DeZero.Models;

/// <summary>Loads a model zoo's weights from a local .npz keyed like the book's published files (<c>conv1_1/W</c>, …).</summary>
static class PretrainedWeights
{
    /// <summary>The path to load when <paramref name="pretrained"/>, null when not; rejects a missing or an unused path.</summary>
    public static string? Path(string model, bool pretrained, string? weightsPath) => (pretrained, weightsPath) switch
    {
        (true, null) => throw new ArgumentException(
            $"{model}: pretrained weights are not downloaded; pass weightsPath, the path of a local copy of the book's .npz file.", nameof(weightsPath)),
        (false, not null) => throw new ArgumentException($"{model}: weightsPath is given but pretrained is false.", nameof(weightsPath)),
        _ => weightsPath,
    };

    /// <summary>
    /// Sets every parameter of <paramref name="layer"/> to the array of the same key (the book's <c>load_weights</c>);
    /// checks every key, and the shape of parameters that already have data, before changing anything.
    /// </summary>
    public static void Load(Layer layer, string model, string path)
    {
        var arrays = Npz.Load(path);
        var named = layer.NamedParams().ToList();
        foreach (var (key, p) in named)
        {
            if (!arrays.TryGetValue(key, out var a))
                throw new ArgumentException($"{model}: '{path}' has no array for parameter '{key}'.", nameof(path));
            if ((NDArray?)p.Data is { } d && !ShapeUtil.SameShape(d.Dims, a.Dims))
                throw new ArgumentException(
                    $"{model}: '{path}' holds '{key}' of shape {ShapeUtil.Str(a.Dims)}, but the parameter has shape {ShapeUtil.Str(d.Dims)}.", nameof(path));
        }
        foreach (var (key, p) in named) p.Data = arrays[key];
    }
}
