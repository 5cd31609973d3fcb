using DeZero.IO;

namespace DeZero.Data;

/// <summary>
/// CIFAR-10 (60 000 32×32 colour images in 10 classes), the book's <c>CIFAR10</c>, read from the binary version's
/// batches <c>data_batch_1.bin</c> … <c>data_batch_5.bin</c> (training) and <c>test_batch.bin</c> (test), plain or .gz,
/// in a folder: <c>root</c>, else the environment variable <c>DEZERO_CIFAR10</c>, else
/// <c>~/.dezero/cifar-10-batches-bin</c>. Nothing is downloaded.
/// </summary>
/// <remarks>
/// Each record is one label byte and 3×1024 pixel bytes (red, green, blue planes). <see cref="Dataset.Data"/> holds
/// the pixels 0…255 as float32 of shape (N, 3, 32, 32) (NDArray has no uint8); labels are int64. The default
/// transform is the book's: float32, then (x − 0.5) / 0.5.
/// </remarks>
public class CIFAR10 : Dataset
{
    const int Side = 32, Channels = 3, Classes = 10, RecordSize = 1 + Channels * Side * Side;

    /// <summary>The training (50 000 images) or test (10 000 images) split.</summary>
    /// <param name="train">Whether to read the five training batches or the test batch.</param>
    /// <param name="transform">Per-image transform; null for the book's default (float32, (x − 0.5) / 0.5).</param>
    /// <param name="targetTransform">Per-label transform; null for none.</param>
    /// <param name="root">The folder of the batch files; null for <c>DEZERO_CIFAR10</c> or <c>~/.dezero/cifar-10-batches-bin</c>.</param>
    public CIFAR10(bool train = true, Func<NDArray, NDArray>? transform = null, Func<NDArray, NDArray>? targetTransform = null, string? root = null)
        : base(train, transform ?? DefaultTransform(), targetTransform)
    {
        var files = new DataFiles("CIFAR10", root, "DEZERO_CIFAR10",
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dezero", "cifar-10-batches-bin"),
            "Place the batches of CIFAR-10's binary version (the contents of cifar-10-batches-bin from cifar-10-binary.tar.gz: "
            + "data_batch_1.bin … data_batch_5.bin and test_batch.bin, plain or .gz) there.");
        string[] names = train ? ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"] : ["test_batch.bin"];
        var batches = names.Select(n => ReadBatch(files, files.Find(n))).ToArray();
        long total = batches.Sum(b => (long)(b.Length / RecordSize)), values = total * (RecordSize - 1);
        files.CheckLimit(files.Folder, values * sizeof(float), $"the {total} images of the batches together");
        if (values > ShapeUtil.MaxSize)
            throw files.Corrupt(files.Folder, $"the batches hold {total} images, more pixels than an array can hold");
        var data = new float[values];
        var labels = new long[total];
        int r = 0;
        foreach (var batch in batches)
        {
            for (int off = 0; off < batch.Length; off += RecordSize, r++)
            {
                labels[r] = batch[off];
                var pixels = batch.AsSpan(off + 1, RecordSize - 1);
                var dst = data.AsSpan(r * (RecordSize - 1), RecordSize - 1);
                for (int i = 0; i < pixels.Length; i++) dst[i] = pixels[i];
            }
        }
        Data = new NDArray(data, (int)total, Channels, Side, Side);
        Label = new NDArray(labels, (int)total);
    }

    /// <summary>Class names by label: "airplane", "automobile", … "truck".</summary>
    public static IReadOnlyList<string> Labels { get; } =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>The book's default CIFAR-10 transform: convert to float32, then (x − 0.5) / 0.5.</summary>
    public static Func<NDArray, NDArray> DefaultTransform() =>
        Transforms.Compose(Transforms.ToFloat(), Transforms.Normalize(0.5, 0.5));

    // The records of one batch file, checked for whole 3073-byte records with labels 0–9.
    static byte[] ReadBatch(DataFiles files, string path)
    {
        // The pixels become float32: a file of more than a quarter of the limit could not be held.
        long max = ReadLimits.MaxArrayBytes / sizeof(float);
        var bytes = files.Read(path, s => ReadLimits.ReadToEnd(s, max))
            ?? throw files.Corrupt(path, $"it holds more than {max} bytes, whose pixels as float32 would exceed the limit of {ReadLimits.MaxArrayBytes} bytes (DeZero.IO.ReadLimits.MaxArrayBytes)");
        if (bytes.Length == 0 || bytes.Length % RecordSize != 0)
            throw files.Corrupt(path, $"it has {bytes.Length} bytes, not a positive whole number of {RecordSize}-byte records (1 label byte and {Channels}×{Side}×{Side} pixels)");
        for (int off = 0; off < bytes.Length; off += RecordSize)
            if (bytes[off] >= Classes)
                throw files.Corrupt(path, $"record {off / RecordSize} has label {bytes[off]}, not a class 0–{Classes - 1}");
        return bytes;
    }
}
