using DeZero.Data;

namespace DeZero.Vision;

/// <summary>
/// The book's image transforms (<c>dezero.transforms</c>) as members of <see cref="Transforms"/>, so they compose
/// with its array transforms: <c>Transforms.Compose(Transforms.Convert("RGB"), Transforms.Resize(224),
/// Transforms.CenterCrop(224), Transforms.ToArray())</c>. An image travels through a pipeline as a (C, H, W) array of
/// 0…255 values (what <see cref="Image.ToArray"/> gives and what <see cref="Dataset"/> rows of images are), so the
/// same pipeline serves a <see cref="Dataset.Transform"/> and a loaded <see cref="Image"/> (converted implicitly).
/// </summary>
public static class ImageTransforms
{
    extension(Transforms)
    {
        /// <summary>Converts to mode "RGB", "L", "RGBA" or "BGR" (the book's <c>Convert</c>); the result keeps the input's dtype.</summary>
        public static Func<NDArray, NDArray> Convert(string mode = "RGB")
        {
            Image.CheckMode(mode);
            return x => Image.FromArray(x).Convert(mode).ToArray(dtype: x.DType);
        }

        /// <summary>Resizes to <paramref name="size"/> × <paramref name="size"/> with bilinear resampling (the book's <c>Resize(size)</c>).</summary>
        public static Func<NDArray, NDArray> Resize(int size) => Transforms.Resize(size, size);

        /// <summary>Resizes to <paramref name="width"/> × <paramref name="height"/> (PIL's order) as PIL's bilinear <c>resize</c>, the book's <c>Resize</c>.</summary>
        public static Func<NDArray, NDArray> Resize(int width, int height, Resampling resample = Resampling.Bilinear)
        {
            Image.CheckSize("Transforms.Resize", width, height);
            return x => Image.FromArray(x).Resize(width, height, resample).ToArray(dtype: x.DType);
        }

        /// <summary>The central <paramref name="size"/> × <paramref name="size"/> pixels (the book's <c>CenterCrop(size)</c>).</summary>
        public static Func<NDArray, NDArray> CenterCrop(int size) => Transforms.CenterCrop(size, size);

        /// <summary>
        /// The central <paramref name="width"/> × <paramref name="height"/> pixels, the book's <c>CenterCrop</c>: an odd
        /// surplus leaves the extra pixel on the left and top. The image must be at least that large.
        /// </summary>
        public static Func<NDArray, NDArray> CenterCrop(int width, int height)
        {
            Image.CheckSize("Transforms.CenterCrop", width, height);
            return x =>
            {
                var img = Image.FromArray(x);
                if (width > img.Width || height > img.Height)
                    throw new ArgumentException($"Transforms.CenterCrop: cannot crop {width}×{height} (width × height) from a {img.Width}×{img.Height} image.");
                int left = (img.Width - width) / 2, up = (img.Height - height) / 2;
                return img.Crop(left, up, left + width, up + height).ToArray(dtype: x.DType);
            };
        }

        /// <summary>
        /// The book's <c>ToArray</c>: images already travel as (C, H, W) arrays, so this only converts them to
        /// <paramref name="dtype"/> (float32 by default).
        /// </summary>
        public static Func<NDArray, NDArray> ToArray(DType dtype = DType.Float32) => x => x.DType == dtype ? x : x.AsType(dtype);

        /// <summary>The book's <c>ToPIL</c>: a (C, H, W) array of whole numbers 0…255 as an <see cref="Image"/>.</summary>
        public static Func<NDArray, Image> ToPIL() => x => Image.FromArray(x);

        /// <summary>
        /// Mirrors the image left to right with probability <paramref name="p"/>, drawing one uniform number per image
        /// from <paramref name="random"/> or, when null, from <see cref="RandomState.Global"/> at the time of the call
        /// (so <c>RandomState.Global.Seed(s)</c> makes a run reproducible). The book leaves this transform empty.
        /// </summary>
        public static Func<NDArray, NDArray> RandomHorizontalFlip(double p = 0.5, RandomState? random = null)
        {
            if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "Transforms.RandomHorizontalFlip: p must be a probability 0…1.");
            return x =>
            {
                var img = Image.FromArray(x);
                double u = (double)(random ?? RandomState.Global).Rand();
                return u < p ? img.FlipLeftRight().ToArray(dtype: x.DType) : x;
            };
        }
    }
}
