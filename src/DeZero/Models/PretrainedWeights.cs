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
}
