using System.Runtime.CompilerServices;
using DeZero.Ops;
using DeZero.Numerics.Kernels;

namespace DeZero.Ops
{
    /// <summary>2-D convolution of (N, C, H, W) images with (OC, C, KH, KW) filters, by im2col and GEMM.</summary>
    [KeepsNoGradients]
    public sealed class Conv2d((int, int) stride, (int, int) pad) : Function
    {
        internal ((int, int) Stride, (int, int) Pad) Geometry => (stride, pad);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override NDArray[] Forward(params NDArray[] xs)
        {
            var (x, w, b) = (xs[0], xs[1], xs.Length > 2 ? xs[2] : null);
            return [ConvArrays.Conv2d(x, w, b, Check(x, w, b, stride, pad))];
        }

        // Validates x, W and b; every message names the operation, the shapes and the parameters.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        static ConvGeometry Check(NDArray x, NDArray w, NDArray? b, (int, int) stride, (int, int) pad)
        {
            if (w.Ndim != 4 || x.Ndim != 4 || x.Dims[1] != w.Dims[1])
                throw new ArgumentException($"F.Conv2d: x must be (N, C, H, W) and W (OC, C, KH, KW) with the same C, got x {ShapeUtil.Str(x.Dims)} and W {ShapeUtil.Str(w.Dims)}.");
            if (!w.DType.IsFloat())
                throw new ArgumentException($"F.Conv2d: W must be float32 or float64, got {w.DType.Name()}.");
            var g = ConvArrays.Geometry(x, (w.Dims[2], w.Dims[3]), stride, pad, "F.Conv2d");
            if (b is not null && (b.Ndim != 1 || b.Dims[0] != w.Dims[0]))
                throw new ArgumentException($"F.Conv2d: bias must have shape ({w.Dims[0]},) for x {ShapeUtil.Str(x.Dims)} and W {ShapeUtil.Str(w.Dims)}, got {ShapeUtil.Str(b.Dims)}.");
            return g;
        }

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override Variable?[] Backward(params Variable[] gys)
        {
            var gy = gys[0];
            Variable x = Input(0), w = Input(1);
            var gx = !x.RequiresGrad ? null : Functions.Deconv2d(gy, w, null, stride, pad, (x.Shape[2], x.Shape[3]));
            if (InputCount == 3 && w.RequiresGrad && Input(2).RequiresGrad && !Config.EnableBackprop && x.DType == gy.DType)
            {
                // No graph to record (backward without createGraph): both parameter gradients in one pass over gy.
                var (gwData, gbData) = ConvArrays.Conv2dGrads(x.Data, gy.Data, ConvArrays.Geometry(x.Data, (w.Shape[2], w.Shape[3]), stride, pad, "F.Conv2d"));
                return [gx, new Variable(gwData), new Variable(gbData)];
            }
            var gw = !w.RequiresGrad ? null : new Conv2dGradW(w.Shape[2], w.Shape[3], stride, pad).Apply(x, gy);
            if (InputCount == 2) return [gx, gw];
            return [gx, gw, !Input(2).RequiresGrad ? null : Functions.Sum(gy, [0, 2, 3])];
        }
    }

    /// <summary>Transposed 2-D convolution of (N, C, H, W) inputs with (C, OC, KH, KW) filters.</summary>
    [KeepsNoGradients]
    public sealed class Deconv2d((int, int) stride, (int, int) pad, (int, int)? outsize) : Function
    {
        internal ((int, int) Stride, (int, int) Pad, (int, int)? OutSize) Geometry => (stride, pad, outsize);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override NDArray[] Forward(params NDArray[] xs)
        {
            var (x, w, b) = (xs[0], xs[1], xs.Length > 2 ? xs[2] : null);
            return [ConvArrays.Deconv2d(x, w, b, Check(x, w, b, stride, pad, outsize))];
        }

        // Validates the inputs and returns the geometry of the convolution whose adjoint this is: it maps the
        // (N, OC, outH, outW) output to x, so its output size must equal x's height and width.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        static ConvGeometry Check(NDArray x, NDArray w, NDArray? b, (int h, int w) s, (int h, int w) p, (int h, int w)? outsize)
        {
            if (w.Ndim != 4 || x.Ndim != 4 || x.Dims[1] != w.Dims[0])
                throw new ArgumentException($"F.Deconv2d: x must be (N, C, H, W) and W (C, OC, KH, KW) with the same C, got x {ShapeUtil.Str(x.Dims)} and W {ShapeUtil.Str(w.Dims)}.");
            if (!x.DType.IsFloat() || !w.DType.IsFloat())
                throw new ArgumentException($"F.Deconv2d: x and W must be float32 or float64, got {x.DType.Name()} and {w.DType.Name()}.");
            int h = x.Dims[2], wd = x.Dims[3], kh = w.Dims[2], kw = w.Dims[3];
            if (kh <= 0 || kw <= 0 || s.h <= 0 || s.w <= 0 || p.h < 0 || p.w < 0)
                throw new ArgumentException($"F.Deconv2d: kernel and stride must be positive and pad non-negative; got {Where()}.");
            var (oh, ow) = outsize is { } o ? ((long)o.Item1, (long)o.Item2) : ((long)s.h * (h - 1) + kh - 2L * p.h, (long)s.w * (wd - 1) + kw - 2L * p.w);
            if (oh <= 0 || ow <= 0 || oh > int.MaxValue || ow > int.MaxValue || oh + 2 * p.h < kh || ow + 2 * p.w < kw)
                throw new ArgumentException($"F.Deconv2d: output size ({oh}, {ow}) does not fit {Where()}.");
            var g = new ConvGeometry(x.Dims[0], w.Dims[1], (int)oh, (int)ow, kh, kw, s.h, s.w, p.h, p.w).Validate("F.Deconv2d");
            if (g.OH != h || g.OW != wd)
                throw new ArgumentException($"F.Deconv2d: output size ({oh}, {ow}) does not fit {Where()}.");
            if (b is not null && (b.Ndim != 1 || b.Dims[0] != w.Dims[1]))
                throw new ArgumentException($"F.Deconv2d: bias must have shape ({w.Dims[1]},) for {Where()}, got {ShapeUtil.Str(b.Dims)}.");
            return g;

            string Where() => $"x {ShapeUtil.Str(x.Dims)}, W {ShapeUtil.Str(w.Dims)}, stride ({s.h}, {s.w}), pad ({p.h}, {p.w})";
        }

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override Variable?[] Backward(params Variable[] gys)
        {
            var gy = gys[0];
            Variable x = Input(0), w = Input(1);
            var gx = !x.RequiresGrad ? null : Functions.Conv2d(gy, w, null, stride, pad);
            var gw = !w.RequiresGrad ? null : new Conv2dGradW(w.Shape[2], w.Shape[3], stride, pad).Apply(gy, x);
            if (InputCount == 2) return [gx, gw];
            return [gx, gw, !Input(2).RequiresGrad ? null : Functions.Sum(gy, [0, 2, 3])];
        }
    }

    /// <summary>The filter gradient of a convolution, Σₙ gy[n]·im2col(x[n])ᵀ; differentiable again.</summary>
    [KeepsNoGradients]
    public sealed class Conv2dGradW(int kh, int kw, (int, int) stride, (int, int) pad) : BinaryFunction
    {
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override NDArray Forward(NDArray x, NDArray gy)
        {
            var g = ConvArrays.Geometry(x, (kh, kw), stride, pad, "Conv2dGradW");
            if (gy.Ndim != 4 || gy.Dims[0] != g.N || gy.Dims[2] != g.OH || gy.Dims[3] != g.OW || !gy.DType.IsFloat())
                throw new ArgumentException($"Conv2dGradW: gy must be float ({g.N}, OC, {g.OH}, {g.OW}) for {g.Describe()}, got {gy.DType.Name()} {ShapeUtil.Str(gy.Dims)}.");
            return ConvArrays.Conv2dGradW(x, gy, g);
        }

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
    [KeepsNoGradients]
    public sealed class Im2col((int, int) kernel, (int, int) stride, (int, int) pad, bool toMatrix) : UnaryFunction
    {
        int[] _xShape = [];

        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x)
        {
            _xShape = x.Shape;
            if (x.DType == DType.Bool) throw new ArgumentException($"F.Im2col: input must be numeric, got bool of shape {ShapeUtil.Str(x.Dims)}.");
            var g = ConvArrays.Window(x.Dims, kernel, stride, pad, "F.Im2col");
            ShapeUtil.SizeOf([g.N, g.C, g.KH, g.KW, g.OH, g.OW], "F.Im2col");
            return ConvArrays.Im2col(x, g, toMatrix);
        }

        /// <inheritdoc/>
        protected override Variable Backward(Variable gy) => Functions.Col2im(gy, _xShape, kernel, stride, pad, toMatrix);
    }

    /// <summary>Sums patches back into an image (the book's col2im, the adjoint of im2col).</summary>
    [KeepsNoGradients]
    public sealed class Col2im(int[] imageShape, (int, int) kernel, (int, int) stride, (int, int) pad, bool toMatrix) : UnaryFunction
    {
        readonly int[] _imageShape = (int[])(imageShape ?? throw new ArgumentNullException(nameof(imageShape))).Clone();

        /// <inheritdoc/>
        protected override NDArray Forward(NDArray col)
        {
            ShapeUtil.SizeOf(_imageShape, "F.Col2im");
            if (col.DType == DType.Bool) throw new ArgumentException($"F.Col2im: columns must be numeric, got bool of shape {ShapeUtil.Str(col.Dims)}.");
            var g = ConvArrays.Window(_imageShape, kernel, stride, pad, "F.Col2im");
            ShapeUtil.SizeOf([g.N, g.C, g.KH, g.KW, g.OH, g.OW], "F.Col2im");
            int[] expected = toMatrix ? [g.N * g.OH * g.OW, g.C * g.KH * g.KW] : [g.N, g.C, g.KH, g.KW, g.OH, g.OW];
            if (!ShapeUtil.SameShape(col.Dims, expected))
                throw new ArgumentException($"F.Col2im: columns of shape {ShapeUtil.Str(col.Dims)} do not fit {g.Describe()}; expected {ShapeUtil.Str(expected)}.");
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
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Variable Conv2d(Variable x, Variable w, Variable? b, (int, int) stride, (int, int) pad) =>
            b is not { HasData: true } ? new Conv2d(stride, pad).Apply(x, w) : new Conv2d(stride, pad).Apply(x, w, b);

        /// <summary>Transposed convolution of x (N, C, H, W) with W (C, OC, KH, KW) (the book's <c>deconv2d</c>).</summary>
        public static Variable Deconv2d(Variable x, Variable w, Variable? b = null, int stride = 1, int pad = 0, (int, int)? outsize = null) =>
            Deconv2d(x, w, b, (stride, stride), (pad, pad), outsize);

        /// <summary>Transposed convolution with separate vertical and horizontal stride and padding.</summary>
        public static Variable Deconv2d(Variable x, Variable w, Variable? b, (int, int) stride, (int, int) pad, (int, int)? outsize = null) =>
            b is not { HasData: true } ? new Deconv2d(stride, pad, outsize).Apply(x, w) : new Deconv2d(stride, pad, outsize).Apply(x, w, b);

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
            return new Col2im(inputShape, kernelSize, stride, pad, toMatrix).Apply(x);
        }

        /// <summary>col2im with square kernel, stride and padding.</summary>
        public static Variable Col2im(Variable x, int[] inputShape, int kernelSize, int stride = 1, int pad = 0, bool toMatrix = true) =>
            Col2im(x, inputShape, (kernelSize, kernelSize), (stride, stride), (pad, pad), toMatrix);
    }
}
