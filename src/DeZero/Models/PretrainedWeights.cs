namespace DeZero.Models;

/// <summary>Where a model zoo's pretrained weights come from: a local .npz keyed like the book's published files (<c>conv1_1/W</c>, …).</summary>
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
    /// Checks the loaded weights against the shapes the architecture needs, as lazily sized layers cannot check them
    /// while loading; names the file, each key and both shapes.
    /// </summary>
    public static void CheckShapes(Layers.Layer model, string path, IReadOnlyDictionary<string, int[]> shapes)
    {
        var problems = model.NamedParams()
            .Where(e => shapes.TryGetValue(e.Key, out var s) && !e.Param.Data.Shape.SequenceEqual(s))
            .Select(e => $"'{e.Key}' has shape {ShapeUtil.Str(e.Param.Data.Shape)} in the file but {model.GetType().Name} needs {ShapeUtil.Str(shapes[e.Key])}")
            .ToList();
        if (problems.Count > 0)
            throw new InvalidDataException($"{model.GetType().Name}.LoadWeights: '{path}' does not match the model: {string.Join("; ", problems)}.");
    }
}
