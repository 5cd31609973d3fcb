using DeZero.Data;
using DeZero.IO;

namespace DeZero.Vision;

/// <summary>
/// CIFAR-100 (60 000 32×32 colour images in 100 classes grouped into 20 superclasses), the book's <c>CIFAR100</c>,
/// read from the binary version's <c>train.bin</c> (training) and <c>test.bin</c> (test), plain or .gz, in a folder:
/// <c>root</c>, else the environment variable <c>DEZERO_CIFAR100</c>, else <c>~/.dezero/cifar-100-binary</c>.
/// Nothing is downloaded.
/// </summary>
/// <remarks>
/// Each record is a coarse label byte, a fine label byte and 3×1024 pixel bytes (red, green, blue planes). As for
/// <see cref="CIFAR10"/>, <see cref="Dataset.Data"/> holds the pixels 0…255 as float32 (N, 3, 32, 32), labels are
/// int64, and the default transform is the book's: float32, then (x − 0.5) / 0.5.
/// </remarks>
public class CIFAR100 : Dataset
{
    const int Side = 32, Channels = 3, Pixels = Channels * Side * Side, RecordSize = 2 + Pixels;

    /// <summary>The training (50 000 images) or test (10 000 images) split with fine (0–99) or coarse (0–19) labels.</summary>
    /// <param name="train">Whether to read <c>train.bin</c> or <c>test.bin</c>.</param>
    /// <param name="transform">Per-image transform; null for the book's default (float32, (x − 0.5) / 0.5).</param>
    /// <param name="targetTransform">Per-label transform; null for none.</param>
    /// <param name="labelType">"fine" (100 classes) or "coarse" (20 superclasses), the book's <c>label_type</c>.</param>
    /// <param name="root">The folder of the files; null for <c>DEZERO_CIFAR100</c> or <c>~/.dezero/cifar-100-binary</c>.</param>
    public CIFAR100(bool train = true, Func<NDArray, NDArray>? transform = null, Func<NDArray, NDArray>? targetTransform = null,
        string labelType = "fine", string? root = null)
        : base(train, transform ?? CIFAR10.DefaultTransform(), targetTransform)
    {
        int labelByte = LabelByte(labelType);
        LabelType = labelType;
        var files = new DataFiles("CIFAR100", root, "DEZERO_CIFAR100",
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dezero", "cifar-100-binary"),
            "Place train.bin and test.bin of CIFAR-100's binary version (the contents of cifar-100-binary from cifar-100-binary.tar.gz, plain or .gz) there.");
        var path = files.Find(train ? "train.bin" : "test.bin");
        // The pixels become float32: a file of more than a quarter of the limit could not be held.
        long max = ReadLimits.MaxArrayBytes / sizeof(float);
        var bytes = files.Read(path, s => ReadLimits.ReadToEnd(s, max))
            ?? throw files.Corrupt(path, $"it holds more than {max} bytes, whose pixels as float32 would exceed the limit of {ReadLimits.MaxArrayBytes} bytes (DeZero.IO.ReadLimits.MaxArrayBytes)");
        if (bytes.Length == 0 || bytes.Length % RecordSize != 0)
            throw files.Corrupt(path, $"it has {bytes.Length} bytes, not a positive whole number of {RecordSize}-byte records (a coarse and a fine label byte and {Channels}×{Side}×{Side} pixels)");
        int n = bytes.Length / RecordSize;
        var data = new float[(long)n * Pixels];
        var labels = new long[n];
        for (int r = 0; r < n; r++)
        {
            int off = r * RecordSize;
            if (bytes[off] >= 20 || bytes[off + 1] >= 100)
                throw files.Corrupt(path, $"record {r} has coarse label {bytes[off]} and fine label {bytes[off + 1]}, not a superclass 0–19 and a class 0–99");
            labels[r] = bytes[off + labelByte];
            var pixels = bytes.AsSpan(off + 2, Pixels);
            var dst = data.AsSpan(r * Pixels, Pixels);
            for (int i = 0; i < Pixels; i++) dst[i] = pixels[i];
        }
        Data = new NDArray(data, n, Channels, Side, Side);
        Label = new NDArray(labels, n);
    }

    /// <summary>"fine" or "coarse": which label the dataset gives.</summary>
    public string LabelType { get; }

    static int LabelByte(string labelType) => labelType switch
    {
        "coarse" => 0,
        "fine" => 1,
        _ => throw new ArgumentException($"CIFAR100: labelType must be \"fine\" or \"coarse\", got \"{labelType}\".", nameof(labelType)),
    };

    /// <summary>
    /// Class names by label: the 100 fine classes ("apple", "aquarium_fish", … "worm", as the dataset's
    /// <c>fine_label_names</c>) or the 20 superclasses as the book names them ("aquatic mammals", … "vehicles 2").
    /// </summary>
    public static IReadOnlyList<string> Labels(string labelType = "fine") => LabelByte(labelType) == 1 ? Fine : Coarse;

    static readonly string[] Coarse =
    [
        "aquatic mammals", "fish", "flowers", "food containers", "fruit and vegetables", "household electrical device",
        "household furniture", "insects", "large carnivores", "large man-made outdoor things", "large natural outdoor scenes",
        "large omnivores and herbivores", "medium-sized mammals", "non-insect invertebrates", "people", "reptiles",
        "small mammals", "trees", "vehicles 1", "vehicles 2",
    ];

    static readonly string[] Fine =
    [
        "apple", "aquarium_fish", "baby", "bear", "beaver", "bed", "bee", "beetle", "bicycle", "bottle", "bowl", "boy",
        "bridge", "bus", "butterfly", "camel", "can", "castle", "caterpillar", "cattle", "chair", "chimpanzee", "clock",
        "cloud", "cockroach", "couch", "crab", "crocodile", "cup", "dinosaur", "dolphin", "elephant", "flatfish", "forest",
        "fox", "girl", "hamster", "house", "kangaroo", "keyboard", "lamp", "lawn_mower", "leopard", "lion", "lizard",
        "lobster", "man", "maple_tree", "motorcycle", "mountain", "mouse", "mushroom", "oak_tree", "orange", "orchid",
        "otter", "palm_tree", "pear", "pickup_truck", "pine_tree", "plain", "plate", "poppy", "porcupine", "possum",
        "rabbit", "raccoon", "ray", "road", "rocket", "rose", "sea", "seal", "shark", "shrew", "skunk", "skyscraper",
        "snail", "snake", "spider", "squirrel", "streetcar", "sunflower", "sweet_pepper", "table", "tank", "telephone",
        "television", "tiger", "tractor", "train", "trout", "tulip", "turtle", "wardrobe", "whale", "willow_tree", "wolf",
        "woman", "worm",
    ];
}
