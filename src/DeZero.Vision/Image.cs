using System.Diagnostics;
using SkiaSharp;

namespace DeZero.Vision;

/// <summary>How an image array orders its axes: channels first (the book's <c>ToArray</c>) or last (NumPy's <c>np.asarray(img)</c>).</summary>
public enum ImageLayout
{
    /// <summary>(channels, height, width), as the book's <c>ToArray</c> and the networks take it.</summary>
    CHW,

    /// <summary>(height, width, channels), as <c>np.asarray(img)</c> gives it.</summary>
    HWC,
}

/// <summary>The resampling filters of <see cref="Image.Resize"/>, computed as Pillow computes them.</summary>
public enum Resampling
{
    /// <summary>Pillow's <c>BILINEAR</c> (a triangle filter, widened when shrinking), the book's <c>Resize</c>.</summary>
    Bilinear,

    /// <summary>Pillow's <c>BICUBIC</c> (a = −0.5, widened when shrinking), Pillow's default for <c>resize</c>.</summary>
    Bicubic,
}

/// <summary>
/// An 8-bit image like a PIL <c>Image</c> in mode "L" (grey), "RGB" or "RGBA": <see cref="Width"/> × <see cref="Height"/>
/// pixels with 1, 3 or 4 channels. Read with <see cref="Load"/>, convert to an array with <see cref="ToArray"/> (or
/// implicitly, giving the book's <c>ToArray</c> result), and back with <see cref="FromArray"/> (the book's <c>ToPIL</c>).
/// </summary>
public sealed class Image
{
    /// <summary>The most pixels an image file may declare; larger ones are refused like Pillow's decompression-bomb check.</summary>
    public const long MaxPixels = 2L * 89_478_485;

    // Channel planes, each Height × Width, in the order of Mode's letters.
    readonly byte[] planes;

    Image(int width, int height, int channels, byte[] planes)
    {
        Width = width;
        Height = height;
        Channels = channels;
        this.planes = planes;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Number of channels: 1 (L), 3 (RGB) or 4 (RGBA).</summary>
    public int Channels { get; }

    /// <summary>PIL's mode: "L", "RGB" or "RGBA".</summary>
    public string Mode => Channels switch { 1 => "L", 3 => "RGB", _ => "RGBA" };

    /// <summary>(width, height), PIL's <c>img.size</c>.</summary>
    public (int Width, int Height) Size => (Width, Height);

    int Area => Width * Height;

    /// <summary>Reads an image file (PNG, JPEG, GIF, BMP, WebP, ICO or WBMP; the first frame of an animation), PIL's <c>Image.open</c>.</summary>
    /// <exception cref="InvalidDataException">The file is not an image of a supported format, is truncated or damaged, or is too large.</exception>
    public static Image Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Decode(File.ReadAllBytes(path), $"'{Path.GetFullPath(path)}'");
    }

    /// <summary>Decodes an encoded image (the bytes of an image file); <paramref name="source"/> names it in errors.</summary>
    public static Image Decode(byte[] encoded, string source = "the image data")
    {
        ArgumentNullException.ThrowIfNull(encoded);
        using var codec = SKCodec.Create(new SKMemoryStream(encoded), out var result)
            ?? throw new InvalidDataException($"Image: {source} is not an image in a supported format (PNG, JPEG, GIF, BMP, WebP, ICO, WBMP): {Describe(result)}.");
        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0 || (long)info.Width * info.Height > MaxPixels)
            throw new InvalidDataException($"Image: {source} declares {info.Width}×{info.Height} pixels; at most {MaxPixels} are read (a larger file may be a decompression bomb).");
        bool grey = info.ColorType == SKColorType.Gray8;
        int channels = grey ? 1 : info.AlphaType == SKAlphaType.Opaque ? 3 : 4;
        var target = new SKImageInfo(info.Width, info.Height, grey ? SKColorType.Gray8 : SKColorType.Rgba8888,
            grey ? SKAlphaType.Opaque : SKAlphaType.Unpremul);
        var pixels = new byte[target.BytesSize64];
        unsafe
        {
            fixed (byte* p = pixels)
            {
                result = codec.GetPixels(target, (nint)p);
            }
        }
        if (result != SKCodecResult.Success)
            throw new InvalidDataException($"Image: {source} could not be decoded: {Describe(result)}.");
        return FromInterleaved(info.Width, info.Height, grey ? 1 : 4, channels, pixels);
    }

    static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput => "the file is truncated or damaged",
        SKCodecResult.InvalidInput => "the data is invalid",
        SKCodecResult.Unimplemented => "this variant of the format is not supported",
        _ => $"the decoder reports {result}",
    };

    // Planes from interleaved pixels of `stride` bytes, keeping the first `channels`.
    static Image FromInterleaved(int width, int height, int stride, int channels, byte[] pixels)
    {
        int area = width * height;
        var planes = new byte[channels * area];
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < area; i++) planes[c * area + i] = pixels[i * stride + c];
        return new Image(width, height, channels, planes);
    }

    /// <summary>Writes the image; the format comes from the extension: .png, .jpg/.jpeg (quality 95, no alpha) or .webp (lossless).</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var format = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".png" => SKEncodedImageFormat.Png,
            ".jpg" or ".jpeg" => SKEncodedImageFormat.Jpeg,
            ".webp" => SKEncodedImageFormat.Webp,
            var e => throw new ArgumentException($"Image.Save: cannot tell the format of '{path}' from its extension '{e}'; use .png, .jpg, .jpeg or .webp.", nameof(path)),
        };
        if (format == SKEncodedImageFormat.Jpeg && Channels == 4)
            throw new ArgumentException($"Image.Save: JPEG has no alpha channel, so an RGBA image cannot be written to '{path}'; Convert(\"RGB\") first.", nameof(path));
        bool grey = Channels == 1;
        int stride = grey ? 1 : 4;
        var pixels = new byte[Area * stride];
        for (int i = 0; i < Area; i++)
        {
            for (int c = 0; c < Channels; c++) pixels[i * stride + c] = planes[c * Area + i];
            if (Channels == 3) pixels[i * stride + 3] = 255;
        }
        var info = new SKImageInfo(Width, Height, grey ? SKColorType.Gray8 : SKColorType.Rgba8888,
            Channels == 4 ? SKAlphaType.Unpremul : SKAlphaType.Opaque);
        SKData? encoded;
        unsafe
        {
            fixed (byte* p = pixels)
            {
                using var pixmap = new SKPixmap(info, (nint)p, Width * stride);
                encoded = format == SKEncodedImageFormat.Webp
                    ? pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, 100))
                    : pixmap.Encode(format, 95);
            }
        }
        using (encoded)
        {
            if (encoded is null) throw new InvalidOperationException($"Image.Save: the {format} encoder failed for a {Width}×{Height} {Mode} image ('{path}').");
            using var file = File.Create(path);
            encoded.SaveTo(file);
        }
    }

    /// <summary>
    /// The pixels as an array of 0…255 values: (C, H, W) for <see cref="ImageLayout.CHW"/> (the book's <c>ToArray</c>),
    /// (H, W, C) for <see cref="ImageLayout.HWC"/> (<c>np.asarray(img)</c>, which is (H, W) for an L image when
    /// <paramref name="squeezeGrey"/>).
    /// </summary>
    public NDArray ToArray(ImageLayout layout = ImageLayout.CHW, DType dtype = DType.Float32, bool squeezeGrey = false)
    {
        var values = new float[planes.Length];
        if (layout == ImageLayout.CHW)
            for (int i = 0; i < values.Length; i++) values[i] = planes[i];
        else
            for (int i = 0; i < Area; i++)
                for (int c = 0; c < Channels; c++) values[i * Channels + c] = planes[c * Area + i];
        int[] shape = squeezeGrey && Channels == 1 ? [Height, Width]
            : layout == ImageLayout.CHW ? [Channels, Height, Width] : [Height, Width, Channels];
        var a = new NDArray(values, shape);
        return dtype == DType.Float32 ? a : a.AsType(dtype);
    }

    /// <summary>The book's <c>ToArray()(img)</c>: (C, H, W) float32 of 0…255 values.</summary>
    public static implicit operator NDArray(Image image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.ToArray();
    }

    /// <summary>
    /// An image from an array of whole numbers 0…255 (any dtype), the book's <c>ToPIL</c> / PIL's <c>Image.fromarray</c>:
    /// (C, H, W) or (H, W, C) with 1, 3 or 4 channels as <paramref name="layout"/> says, or (H, W) for a grey image.
    /// </summary>
    public static Image FromArray(NDArray array, ImageLayout layout = ImageLayout.CHW)
    {
        ArgumentNullException.ThrowIfNull(array);
        var s = array.Shape;
        var (channels, height, width) = s.Length switch
        {
            2 => (1, s[0], s[1]),
            3 when layout == ImageLayout.CHW => (s[0], s[1], s[2]),
            3 => (s[2], s[0], s[1]),
            _ => (0, 0, 0),
        };
        if (channels is not (1 or 3 or 4) || height == 0 || width == 0)
            throw new ArgumentException($"Image.FromArray: an image array is (H, W) or {(layout == ImageLayout.CHW ? "(C, H, W)" : "(H, W, C)")} with 1, 3 or 4 channels and at least one pixel, got shape ({string.Join(", ", s)}).", nameof(array));
        var values = array.ToArray<double>();
        var planes = new byte[values.Length];
        int area = height * width;
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (!(v >= 0 && v <= 255 && v == Math.Floor(v)))
                throw new ArgumentException($"Image.FromArray: value {v} at flat index {i} of the array of shape ({string.Join(", ", s)}) is not a whole number 0…255 (an 8-bit pixel); clip and round first.", nameof(array));
            // HWC: element i is pixel i / C, channel i % C.
            int dst = layout == ImageLayout.CHW || s.Length == 2 ? i : (i % channels) * area + i / channels;
            planes[dst] = (byte)v;
        }
        return new Image(width, height, channels, planes);
    }

    /// <summary>
    /// The image in another mode, PIL's <c>convert</c> plus the book's "BGR": "L" (ITU-R 601-2 luma, as PIL rounds it),
    /// "RGB" (an L image repeated, alpha dropped), "RGBA" (opaque alpha added) or "BGR" (RGB with red and blue swapped).
    /// </summary>
    public Image Convert(string mode)
    {
        CheckMode(mode);
        int n = Area;
        ReadOnlySpan<byte> r = Plane(0), g = Plane(Channels == 1 ? 0 : 1), b = Plane(Channels == 1 ? 0 : 2);
        switch (mode)
        {
            case "L":
                var l = new byte[n];
                if (Channels == 1) r.CopyTo(l);
                else
                    for (int i = 0; i < n; i++) l[i] = (byte)((r[i] * 19595 + g[i] * 38470 + b[i] * 7471 + 0x8000) >> 16);
                return new Image(Width, Height, 1, l);
            case "RGB" or "BGR" or "RGBA":
                int channels = mode == "RGBA" ? 4 : 3;
                var p = new byte[channels * n];
                (mode == "BGR" ? b : r).CopyTo(p.AsSpan(0, n));
                g.CopyTo(p.AsSpan(n, n));
                (mode == "BGR" ? r : b).CopyTo(p.AsSpan(2 * n, n));
                if (channels == 4)
                {
                    if (Channels == 4) Plane(3).CopyTo(p.AsSpan(3 * n, n));
                    else p.AsSpan(3 * n, n).Fill(255);
                }
                return new Image(Width, Height, channels, p);
            default:
                throw new UnreachableException();
        }
    }

    internal static void CheckMode(string mode)
    {
        ArgumentNullException.ThrowIfNull(mode);
        if (mode is not ("L" or "RGB" or "RGBA" or "BGR"))
            throw new ArgumentException($"Image.Convert: unsupported mode '{mode}'; use \"L\", \"RGB\", \"RGBA\" or \"BGR\".", nameof(mode));
    }

    /// <summary>
    /// The image resampled to <paramref name="width"/> × <paramref name="height"/>, PIL's <c>resize</c>
    /// (bicubic by default like Pillow's; the book's <c>Resize</c> transform uses bilinear).
    /// </summary>
    public Image Resize(int width, int height, Resampling resample = Resampling.Bicubic)
    {
        CheckSize("Image.Resize", width, height);
        if (width == Width && height == Height) return new Image(Width, Height, Channels, (byte[])planes.Clone());
        var result = new byte[Channels * width * height];
        for (int c = 0; c < Channels; c++)
            PilResample.Plane(Plane(c), Width, Height, result.AsSpan(c * width * height, width * height), width, height, resample);
        return new Image(width, height, Channels, result);
    }

    /// <summary>The pixels of the box [left, right) × [upper, lower), PIL's <c>crop</c>; the box must lie inside the image.</summary>
    public Image Crop(int left, int upper, int right, int lower)
    {
        if (left < 0 || upper < 0 || right > Width || lower > Height || left >= right || upper >= lower)
            throw new ArgumentException($"Image.Crop: the box (left {left}, upper {upper}, right {right}, lower {lower}) is empty or not inside the {Width}×{Height} image.");
        int w = right - left, h = lower - upper;
        var result = new byte[Channels * w * h];
        for (int c = 0; c < Channels; c++)
            for (int y = 0; y < h; y++)
                Plane(c).Slice((upper + y) * Width + left, w).CopyTo(result.AsSpan((c * h + y) * w, w));
        return new Image(w, h, Channels, result);
    }

    /// <summary>The mirror image, PIL's <c>transpose(Image.FLIP_LEFT_RIGHT)</c>.</summary>
    public Image FlipLeftRight()
    {
        var result = new byte[planes.Length];
        for (int row = 0; row < Channels * Height; row++)
        {
            var dst = result.AsSpan(row * Width, Width);
            planes.AsSpan(row * Width, Width).CopyTo(dst);
            dst.Reverse();
        }
        return new Image(Width, Height, Channels, result);
    }

    ReadOnlySpan<byte> Plane(int c) => planes.AsSpan(c * Area, Area);

    internal static void CheckSize(string where, int width, int height)
    {
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(width <= 0 ? nameof(width) : nameof(height), $"{where}: the size must be positive, got {width}×{height} (width × height).");
    }
}
