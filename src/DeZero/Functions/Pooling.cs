using System.Runtime.CompilerServices;
using DeZero.Ops;
using DeZero.Numerics.Kernels;

namespace DeZero.Ops
{
    /// <summary>Max pooling over (N, C, H, W) images; its gradient goes to each window's first maximum.</summary>
    [KeepsNoGradients]
    public sealed class Pooling((int, int) kernel, (int, int) stride, (int, int) pad) : UnaryFunction
    {
        internal ((int, int) Kernel, (int, int) Stride, (int, int) Pad) Window => (kernel, stride, pad);

        // The input, whose maxima the gradients find again, its geometry, and where the maxima lie when the kernel
        // records that for the gradient (only while a graph is recorded).
        internal NDArray InputData = null!;
        internal ConvGeometry Geometry;
        internal byte[]? Argmax;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override NDArray Forward(NDArray x)
        {
            Geometry = ConvArrays.Geometry(x, kernel, stride, pad, "F.Pooling", columns: false);
            InputData = x;
            if (Config.EnableBackprop && PoolKernel.RecordsArgmax(Geometry))
                Argmax = GC.AllocateUninitializedArray<byte>(Geometry.N * Geometry.C * Geometry.OH * Geometry.OW);
            return ConvArrays.MaxPool(x, Geometry, Argmax);
        }

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override Variable Backward(Variable gy) => new PoolingGrad(this).Apply(gy);
    }

    /// <summary>The gradient of max pooling: routes gy to the positions of the maxima. Its own gradient gathers from them.</summary>
    [KeepsNoGradients]
    public sealed class PoolingGrad : UnaryFunction
    {
        readonly Pooling _pool;
        internal PoolingGrad(Pooling pool) => _pool = pool;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override NDArray Forward(NDArray gy) => ConvArrays.MaxPoolBackward(_pool.InputData, gy, _pool.Geometry, _pool.Argmax);

        /// <inheritdoc/>
        protected override Variable Backward(Variable ggx) => new PoolingWithIndexes(_pool).Apply(ggx);
    }

    /// <summary>Picks the elements at the positions a max pooling chose (the book's Pooling2DWithIndexes).</summary>
    [KeepsNoGradients]
    public sealed class PoolingWithIndexes : UnaryFunction
    {
        readonly Pooling _pool;
        internal PoolingWithIndexes(Pooling pool) => _pool = pool;

        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x) => ConvArrays.MaxPoolGather(_pool.InputData, x, _pool.Geometry);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override Variable Backward(Variable gy) => new PoolingGrad(_pool).Apply(gy);
    }

    /// <summary>Average pooling over (N, C, H, W) images (padding counts as zeros, like the book's).</summary>
    [KeepsNoGradients]
    public sealed class AveragePooling((int, int) kernel, (int, int) stride, (int, int) pad) : UnaryFunction
    {
        internal ((int, int) Kernel, (int, int) Stride, (int, int) Pad) Window => (kernel, stride, pad);

        ConvGeometry _g;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override NDArray Forward(NDArray x)
        {
            _g = ConvArrays.Geometry(x, kernel, stride, pad, "F.AveragePooling", columns: false);
            return ConvArrays.AveragePool(x, _g);
        }

        /// <inheritdoc/>
        protected override Variable Backward(Variable gy) => new AveragePoolingGrad(_g, kernel, stride, pad).Apply(gy);
    }

    /// <summary>The gradient of average pooling (its adjoint); its own gradient is average pooling again.</summary>
    [KeepsNoGradients]
    public sealed class AveragePoolingGrad : UnaryFunction
    {
        readonly ConvGeometry _g;
        readonly (int, int) _kernel, _stride, _pad;

        internal AveragePoolingGrad(ConvGeometry g, (int, int) kernel, (int, int) stride, (int, int) pad) =>
            (_g, _kernel, _stride, _pad) = (g, kernel, stride, pad);

        /// <inheritdoc/>
        protected override NDArray Forward(NDArray gy) => ConvArrays.AveragePoolBackward(gy, _g);

        /// <inheritdoc/>
        protected override Variable Backward(Variable ggx) => new AveragePooling(_kernel, _stride, _pad).Apply(ggx);
    }
}

namespace DeZero
{
    public static partial class Functions
    {
        /// <summary>Max pooling with a square window (the book's <c>pooling</c>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Variable Pooling(Variable x, int kernelSize, int stride = 1, int pad = 0) =>
            Pooling(x, (kernelSize, kernelSize), (stride, stride), (pad, pad));

        /// <summary>Max pooling with separate vertical and horizontal window, stride and padding.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Variable Pooling(Variable x, (int, int) kernelSize, (int, int) stride, (int, int) pad) =>
            new Pooling(kernelSize, stride, pad).Apply(x);

        /// <summary>Average pooling with a square window (the book's <c>average_pooling</c>).</summary>
        public static Variable AveragePooling(Variable x, int kernelSize, int stride = 1, int pad = 0) =>
            AveragePooling(x, (kernelSize, kernelSize), (stride, stride), (pad, pad));

        /// <summary>Average pooling with separate vertical and horizontal window, stride and padding.</summary>
        public static Variable AveragePooling(Variable x, (int, int) kernelSize, (int, int) stride, (int, int) pad) =>
            new AveragePooling(kernelSize, stride, pad).Apply(x);
    }
}
