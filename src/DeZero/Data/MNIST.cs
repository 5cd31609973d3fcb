using System.Buffers.Binary;
using DeZero.IO;

namespace DeZero.Data;

/// <summary>
/// The MNIST handwritten digits, the book's <c>MNIST</c>, read from the IDX files <c>train-images-idx3-ubyte</c>,
/// <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c> and <c>t10k-labels-idx1-ubyte</c> (plain or .gz)
/// in a folder: <c>root</c>, else the environment variable <c>DEZERO_MNIST</c>, else <c>~/.dezero</c> (where the
/// Python DeZero keeps its downloads). Nothing is downloaded.
/// </summary>
/// <remarks>
/// <see cref="Dataset.Data"/> holds the pixels 0…255 as float32 of shape (N, 1, 28, 28) (NDArray has no uint8; float32
/// holds them exactly and the default transform then gives the book's float32 values); labels are int64.
/// The default transform, as in the book, flattens an image to 784 values and scales them to [0, 1]; pass
/// <c>x =&gt; x</c> for the raw images.
/// </remarks>
public class MNIST : Dataset
{
    /// <summary>The training (60 000 images) or test (10 000 images) split.</summary>
    /// <param name="train">Whether to read the training files (<c>train-*</c>) or the test files (<c>t10k-*</c>).</param>
    /// <param name="transform">Per-image transform; null for the book's default (flatten, float32, divide by 255).</param>
    /// <param name="targetTransform">Per-label transform; null for none.</param>
    /// <param name="root">The folder of the IDX files; null for <c>DEZERO_MNIST</c> or <c>~/.dezero</c>.</param>
    public MNIST(bool train = true, Func<NDArray, NDArray>? transform = null, Func<NDArray, NDArray>? targetTransform = null, string? root = null)
        : base(train, transform ?? DefaultTransform(), targetTransform)
    {
        var files = new DataFiles("MNIST", root, "DEZERO_MNIST",
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dezero"),
            "Place the MNIST files " + IdxReader.FileList + " there.");
        (Data, Label) = IdxReader.Load(files, train);
    }

    /// <summary>Class names by label: the digits "0" … "9".</summary>
    public static IReadOnlyList<string> Labels { get; } = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>The book's default MNIST transform: flatten to 784 values, convert to float32, divide by 255.</summary>
    public static Func<NDArray, NDArray> DefaultTransform() =>
        Transforms.Compose(Transforms.Flatten(), Transforms.ToFloat(), Transforms.Normalize(0.0, 255.0));
}

/// <summary>
/// Fashion-MNIST (Zalando's clothing images, same format and sizes as MNIST) read from its IDX files in a folder:
/// <c>root</c>, else the environment variable <c>DEZERO_FASHION_MNIST</c>, else <c>/usr/share/datasets/fashion-mnist</c>,
/// where Debian's package <c>dataset-fashion-mnist</c> installs them. Data, labels and the default transform are as
/// for <see cref="MNIST"/>.
/// </summary>
public class FashionMNIST : Dataset
{
    /// <summary>The folder Debian's package <c>dataset-fashion-mnist</c> installs the files in.</summary>
    public const string DebianFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>The training (60 000 images) or test (10 000 images) split.</summary>
    /// <param name="train">Whether to read the training files (<c>train-*</c>) or the test files (<c>t10k-*</c>).</param>
    /// <param name="transform">Per-image transform; null for the book's MNIST default (flatten, float32, divide by 255).</param>
    /// <param name="targetTransform">Per-label transform; null for none.</param>
    /// <param name="root">The folder of the IDX files; null for <c>DEZERO_FASHION_MNIST</c> or <see cref="DebianFolder"/>.</param>
    public FashionMNIST(bool train = true, Func<NDArray, NDArray>? transform = null, Func<NDArray, NDArray>? targetTransform = null, string? root = null)
        : base(train, transform ?? MNIST.DefaultTransform(), targetTransform)
    {
        var files = new DataFiles("FashionMNIST", root, "DEZERO_FASHION_MNIST", DebianFolder,
            "Install them with Debian's package dataset-fashion-mnist (apt-get install dataset-fashion-mnist), "
            + "or place the Fashion-MNIST files " + IdxReader.FileList + " in the folder.");
        (Data, Label) = IdxReader.Load(files, train);
    }

    /// <summary>Class names by label: "T-shirt/top", "Trouser", … "Ankle boot".</summary>
    public static IReadOnlyList<string> Labels { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];
}

/// <summary>Reads MNIST-style IDX files: unsigned-byte images (magic 0x803, N×28×28) and labels (magic 0x801, N).</summary>
internal static class IdxReader
{
    public const string FileList =
        "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (plain or .gz)";

    const int Side = 28, Classes = 10;

    /// <summary>The images (N, 1, 28, 28) float32 and labels (N) int64 of one split.</summary>
    public static (NDArray images, NDArray labels) Load(DataFiles files, bool train)
    {
        string prefix = train ? "train" : "t10k";
        var imagePath = files.Find(prefix + "-images-idx3-ubyte");
        var labelPath = files.Find(prefix + "-labels-idx1-ubyte");
        var images = ReadImages(files, imagePath);
        var labels = ReadLabels(files, labelPath);
        if (images.Length != labels.Length)
            throw files.Corrupt(labelPath, $"it has {labels.Length} labels but '{imagePath}' has {images.Length} images");
        return (images, labels);
    }

    static NDArray ReadImages(DataFiles files, string path) => files.Read(path, s =>
    {
        var dims = Header(files, path, s, 0x803);
        if (dims[1] != Side || dims[2] != Side)
            throw files.Corrupt(path, $"the images are {dims[1]}×{dims[2]}, expected {Side}×{Side}");
        var pixels = Payload(files, path, s, dims, sizeof(float));
        var data = new float[pixels.Length];
        for (int i = 0; i < data.Length; i++) data[i] = pixels[i];
        return new NDArray(data, dims[0], 1, Side, Side);
    });

    static NDArray ReadLabels(DataFiles files, string path) => files.Read(path, s =>
    {
        var dims = Header(files, path, s, 0x801);
        var values = Payload(files, path, s, dims, sizeof(long));
        var labels = new long[values.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (values[i] >= Classes) throw files.Corrupt(path, $"label {i} is {values[i]}, not a class 0–{Classes - 1}");
            labels[i] = values[i];
        }
        return new NDArray(labels, labels.Length);
    });

    // Checks the magic number (0x08 = unsigned bytes, low byte = number of dimensions) and returns the dimensions.
    static int[] Header(DataFiles files, string path, Stream s, int magic)
    {
        int ndim = magic & 0xff, headerSize = 4 + 4 * ndim;
        var bytes = new byte[headerSize];
        int n = s.ReadAtLeast(bytes, headerSize, throwOnEndOfStream: false);
        if (n < headerSize)
            throw files.Corrupt(path, $"it has {n} bytes, fewer than the {headerSize}-byte IDX header");
        int found = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (found != magic)
            throw files.Corrupt(path, $"the magic number is 0x{found:X8}, expected 0x{magic:X8} (IDX, unsigned bytes, {ndim} dimension{(ndim == 1 ? "" : "s")})");
        var dims = new int[ndim];
        for (int i = 0; i < ndim; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * i));
            if (dims[i] < 0) throw files.Corrupt(path, $"dimension {i} is negative ({dims[i]})");
        }
        return dims;
    }

    // The bytes after the header, which must number exactly the product of the dimensions. The declared size is
    // checked against the limit (as elements of itemSize bytes, what the reader will allocate) before reading.
    static byte[] Payload(DataFiles files, string path, Stream s, int[] dims, int itemSize)
    {
        long need = ShapeUtil.Product(dims);
        string promise = $"the header promises {ShapeUtil.SizeText(dims)} bytes of data for dimensions ({string.Join(", ", dims)}) but";
        if (need > ShapeUtil.MaxSize) throw files.Corrupt(path, $"{promise} an array holds at most {ShapeUtil.MaxSize}");
        if (s.CanSeek && s.Length - s.Position != need) throw files.Corrupt(path, $"{promise} {s.Length - s.Position} follow it");
        files.CheckLimit(path, need * itemSize, $"the header with dimensions ({string.Join(", ", dims)})");
        var payload = ReadLimits.ReadExactly(s, need, out long got) ?? throw files.Corrupt(path, $"{promise} only {got} follow it");
        long extra = Rest(s, TrailingShown);
        if (extra > 0) throw files.Corrupt(path, $"{promise} {(extra > TrailingShown ? "more than " : "")}{need + Math.Min(extra, TrailingShown)} follow it");
        return payload;
    }

    const int TrailingShown = 1 << 20;

    // The number of bytes left in the stream, counted up to max + 1.
    static long Rest(Stream s, int max)
    {
        var scratch = new byte[Math.Min(max + 1, 1 << 16)];
        long total = 0;
        for (int n; total <= max && (n = s.Read(scratch)) > 0;) total += n;
        return total;
    }
}
