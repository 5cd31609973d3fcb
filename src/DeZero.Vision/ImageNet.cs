namespace DeZero.Vision;

/// <summary>ImageNet (ILSVRC 2012) class names, the book's <c>ImageNet.labels()</c>.</summary>
public static class ImageNet
{
    static readonly Lazy<IReadOnlyList<string>> All = new(Read);

    /// <summary>
    /// The 1 000 class names by class id ("tench, Tinca tinca", "goldfish, Carassius auratus", …), the list the book
    /// downloads (<c>imagenet1000_clsidx_to_labels.txt</c>), shipped in the package.
    /// </summary>
    public static IReadOnlyList<string> Labels() => All.Value;

    static IReadOnlyList<string> Read()
    {
        using var stream = typeof(ImageNet).Assembly.GetManifestResourceStream("DeZero.Vision.imagenet_labels.txt")
            ?? throw new InvalidOperationException("ImageNet.Labels: the embedded list of class names is missing from DeZero.Vision.");
        using var reader = new StreamReader(stream);
        var labels = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (labels.Length != 1000) throw new InvalidOperationException($"ImageNet.Labels: the embedded list has {labels.Length} names, not 1000.");
        return Array.AsReadOnly(labels);
    }
}
