using DeZero.Ops;

namespace DeZero.Ops
{
    /// <summary>2-D convolution of (N, C, H, W) images with (OC, C, KH, KW) filters, by im2col and GEMM.</summary>
    public sealed class Conv2d((int, int) stride, (int, int) pad) : Function
    {
        /// <inheritdoc/>
        public override NDArray[] Forward(params NDArray[] xs)
        {
            var (x, w) = (xs[0], xs[1]);
            var g = ConvArrays.Geometry(x, (w.Dims[2], w.Dims[3]), stride, pad, "F.Conv2d");
            return [ConvArrays.Conv2d(x, w, xs.Length > 2 ? xs[2] : null, g)];
        }

        /// <inheritdoc/>
        public override Variable?[] Backward(params Variable[] gys)
        {
            var gy = gys[0];
            Variable x = Input(0), w = Input(1);
            var gx = Functions.Deconv2d(gy, w, null, stride, pad, (x.Shape[2], x.Shape[3]));
            var gw = new Conv2dGradW(w.Shape[2], w.Shape[3], stride, pad).Apply(x, gy);
            return InputCount > 2 ? [gx, gw, Functions.Sum(gy, [0, 2, 3])] : [gx, gw];
        }
    }

    /// <summary>Transposed 2-D convolution of (N, C, H, W) inputs with (C, OC, KH, KW) filters.</summary>
    public sealed class Deconv2d((int, int) stride, (int, int) pad, (int, int)? outsize) : Function
    {
        /// <inheritdoc/>
        public override NDArray[] Forward(params NDArray[] xs)
        {
            var (x, w) = (xs[0], xs[1]);
            return [ConvArrays.Deconv2d(x, w, xs.Length > 2 ? xs[2] : null, OutGeometry(x, w, stride, pad, outsize))];
        }

        internal static ConvGeometry OutGeometry(NDArray x, NDArray w, (int h, int w) s, (int h, int w) p, (int h, int w)? outsize)
        {
            int h = x.Dims[2], wd = x.Dims[3], kh = w.Dims[2], kw = w.Dims[3];
            var (oh, ow) = outsize ?? (s.h * (h - 1) + kh - 2 * p.h, s.w * (wd - 1) + kw - 2 * p.w);
            var g = new ConvGeometry(x.Dims[0], w.Dims[1], oh, ow, kh, kw, s.h, s.w, p.h, p.w);
            if (oh <= 0 || ow <= 0 || g.Validate("F.Deconv2d").OH != h || g.OW != wd)
                throw new ArgumentException($"F.Deconv2d: output size ({oh}, {ow}) does not match input {ShapeUtil.Str(x.Dims)} with kernel ({kh}, {kw}), stride ({s.h}, {s.w}) and pad ({p.h}, {p.w}).");
            return g;
        }

        /// <inheritdoc/>
        public override Variable?[] Backward(params Variable[] gys)
        {
            var gy = gys[0];
            Variable x = Input(0), w = Input(1);
            var gx = Functions.Conv2d(gy, w, null, stride, pad);
            var gw = new Conv2dGradW(w.Shape[2], w.Shape[3], stride, pad).Apply(gy, x);
            return InputCount > 2 ? [gx, gw, Functions.Sum(gy, [0, 2, 3])] : [gx, gw];
        }
    }

    /// <summary>The filter gradient of a convolution, Σₙ gy[n]·im2col(x[n])ᵀ; differentiable again.</summary>
    public sealed class Conv2dGradW(int kh, int kw, (int, int) stride, (int, int) pad) : BinaryFunction
    {
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x, NDArray gy) =>
            ConvArrays.Conv2dGradW(x, gy, ConvArrays.Geometry(x, (kh, kw), stride, pad, "F.Conv2d"));

        /// <inheritdoc/>
        protected override (Variable?, Variable?) Backward(Variable ggw)
        {
            Variable x = X0, gy = X1;
            var gx = Functions.Deconv2d(gy, ggw, null, stride, pad, (x.Shape[2], x.Shape[3]));
            var ggy = Functions.Conv2d(x, ggw, null, stride, pad);
            return (gx, ggy);
        }
    }

    /// <summary>Extracts convolution patches (the book's im2col).</summary>
    public sealed class Im2col((int, int) kernel, (int, int) stride, (int, int) pad, bool toMatrix) : UnaryFunction
    {
        int[] _xShape = [];
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x)
        {
            _xShape = x.Dims;
            return ConvArrays.Im2col(x, ConvArrays.Geometry(x, kernel, stride, pad, "F.Im2col"), toMatrix);
        }
        /// <inheritdoc/>
        protected override Variable Backward(Variable gy) => Functions.Col2im(gy, _xShape, kernel, stride, pad, toMatrix);
    }

    /// <summary>Sums patches back into an image (the book's col2im, the adjoint of im2col).</summary>
    public sealed class Col2im(int[] imageShape, (int, int) kernel, (int, int) stride, (int, int) pad, bool toMatrix) : UnaryFunction
    {
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray col)
        {
            var g = ConvArrays.Geometry(NDArray.Empty(col.DType, [imageShape[0], imageShape[1], imageShape[2], imageShape[3]]), kernel, stride, pad, "F.Col2im");
            int[] expected = toMatrix ? [g.N * g.OH * g.OW, g.C * g.KH * g.KW] : [g.N, g.C, g.KH, g.KW, g.OH, g.OW];
            if (!ShapeUtil.SameShape(col.Dims, expected))
                throw new ArgumentException($"F.Col2im: columns of shape {ShapeUtil.Str(col.Dims)} do not fit image {ShapeUtil.Str(imageShape)}; expected {ShapeUtil.Str(expected)}.");
            return ConvArrays.Col2im(col, g, toMatrix);
        }
        /// <inheritdoc/>
        protected override Variable Backward(Variable gy) => Functions.Im2col(gy, kernel, stride, pad, toMatrix);
    }
}

namespace DeZero
{
    public static partial class Functions
    {
        /// <summary>2-D convolution of x (N, C, H, W) with W (OC, C, KH, KW) plus bias b (OC) (the book's <c>conv2d</c>).</summary>
        public static Variable Conv2d(Variable x, Variable w, Variable? b = null, int stride = 1, int pad = 0) =>
            Conv2d(x, w, b, (stride, stride), (pad, pad));

        /// <summary>2-D convolution with separate vertical and horizontal stride and padding.</summary>
        public static Variable Conv2d(Variable x, Variable w, Variable? b, (int, int) stride, (int, int) pad)
        {
            var xd = Data(x, "F.Conv2d");
            var wd = Data(w, "F.Conv2d");
            if (wd.Ndim != 4 || xd.Ndim != 4 || xd.Dims[1] != wd.Dims[1])
                throw new ArgumentException($"F.Conv2d: x must be (N, C, H, W) and W (OC, C, KH, KW) with the same C, got x {ShapeUtil.Str(xd.Dims)} and W {ShapeUtil.Str(wd.Dims)}.");
            ConvArrays.Geometry(xd, (wd.Dims[2], wd.Dims[3]), stride, pad, "F.Conv2d");
            CheckBias(b, wd.Dims[0], "F.Conv2d");
            return b?.Data is null ? new Conv2d(stride, pad).Call1(x, w) : new Conv2d(stride, pad).Call1(x, w, b);
        }

        /// <summary>Transposed convolution of x (N, C, H, W) with W (C, OC, KH, KW) (the book's <c>deconv2d</c>).</summary>
        public static Variable Deconv2d(Variable x, Variable w, Variable? b = null, int stride = 1, int pad = 0, (int, int)? outsize = null) =>
            Deconv2d(x, w, b, (stride, stride), (pad, pad), outsize);

        /// <summary>Transposed convolution with separate vertical and horizontal stride and padding.</summary>
        public static Variable Deconv2d(Variable x, Variable w, Variable? b, (int, int) stride, (int, int) pad, (int, int)? outsize = null)
        {
            var xd = Data(x, "F.Deconv2d");
            var wd = Data(w, "F.Deconv2d");
            if (wd.Ndim != 4 || xd.Ndim != 4 || xd.Dims[1] != wd.Dims[0])
                throw new ArgumentException($"F.Deconv2d: x must be (N, C, H, W) and W (C, OC, KH, KW) with the same C, got x {ShapeUtil.Str(xd.Dims)} and W {ShapeUtil.Str(wd.Dims)}.");
            if (stride.Item1 <= 0 || stride.Item2 <= 0 || pad.Item1 < 0 || pad.Item2 < 0)
                throw new ArgumentException($"F.Deconv2d: stride {stride} must be positive and pad {pad} non-negative.");
            Ops.Deconv2d.OutGeometry(xd, wd, stride, pad, outsize);
            CheckBias(b, wd.Dims[1], "F.Deconv2d");
            var f = new Deconv2d(stride, pad, outsize);
            return b?.Data is null ? f.Call1(x, w) : f.Call1(x, w, b);
        }

        /// <summary>Patches of x for each output position (the book's <c>im2col</c>).</summary>
        public static Variable Im2col(Variable x, (int, int) kernelSize, (int, int) stride, (int, int) pad, bool toMatrix = true) =>
            new Im2col(kernelSize, stride, pad, toMatrix).Apply(x);

        /// <summary>Patches with square kernel, stride and padding.</summary>
        public static Variable Im2col(Variable x, int kernelSize, int stride = 1, int pad = 0, bool toMatrix = true) =>
            Im2col(x, (kernelSize, kernelSize), (stride, stride), (pad, pad), toMatrix);

        /// <summary>Sums patches back into an image of <paramref name="inputShape"/> (the book's <c>col2im</c>).</summary>
        public static Variable Col2im(Variable x, int[] inputShape, (int, int) kernelSize, (int, int) stride, (int, int) pad, bool toMatrix = true)
        {
            if (inputShape is not { Length: 4 })
                throw new ArgumentException($"F.Col2im: the image shape must be (N, C, H, W), got {(inputShape is null ? "null" : ShapeUtil.Str(inputShape))}.");
            return new Col2im((int[])inputShape.Clone(), kernelSize, stride, pad, toMatrix).Apply(x);
        }

        /// <summary>col2im with square kernel, stride and padding.</summary>
        public static Variable Col2im(Variable x, int[] inputShape, int kernelSize, int stride = 1, int pad = 0, bool toMatrix = true) =>
            Col2im(x, inputShape, (kernelSize, kernelSize), (stride, stride), (pad, pad), toMatrix);

        static void CheckBias(Variable? b, int channels, string op)
        {
            if (b?.Data is { } bd && (bd.Ndim != 1 || bd.Dims[0] != channels))
                throw new ArgumentException($"{op}: bias must have shape ({channels},), got {ShapeUtil.Str(bd.Dims)}.");
        }
    }
}
