using System.Runtime.CompilerServices;
using DeZero.Ops;
using DeZero.Numerics.Kernels;

namespace DeZero.Ops
{
    /// <summary>
    /// y = 1 / (1 + e⁻ˣ), the logistic function with the library's own vector exp: it saturates without overflow like the
    /// book's tanh(x/2)/2 + 1/2 and agrees with it to a few ulps.
    /// </summary>
    [KeepsNoGradients]
    public sealed class Sigmoid : UnaryFunction
    {
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override NDArray Forward(NDArray x) => ActivationKernels.Sigmoid(x);
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override Variable Backward(Variable gy) =>
            GradientMemory.Reusable(Y, gy) is { } into && ActivationKernels.SigmoidGrad(Y.Data, gy.Data, into) is { } gx
                ? new Variable(gx)
                : new SigmoidGrad().Apply(Y, gy);
    }

    /// <summary>The sigmoid's gradient gy·y·(1 − y) from its output y, fused into one pass; differentiable again.</summary>
    [KeepsNoGradients]
    public sealed class SigmoidGrad : BinaryFunction
    {
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override NDArray Forward(NDArray y, NDArray gy) => ActivationKernels.SigmoidGrad(y, gy) ?? gy * y * (1.0 - y);
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override (Variable?, Variable?) Backward(Variable ggx)
        {
            Variable y = X0, gy = X1;
            return (ggx * gy * Functions.RSub(1, 2.0 * y), new SigmoidGrad().Apply(y, ggx));
        }
    }

    /// <summary>y = max(x, 0).</summary>
    [KeepsNoGradients]
    public sealed class ReLU : UnaryFunction
    {
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override NDArray Forward(NDArray x) => NDArray.Maximum(x, 0.0);
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override Variable Backward(Variable gy) => new ReLUGrad().Apply(X, gy);
    }

    /// <summary>ReLU's gradient: gy where x &gt; 0, else 0 (a mask, so its own gradient is the same mask).</summary>
    [KeepsNoGradients]
    public sealed class ReLUGrad : BinaryFunction
    {
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override NDArray Forward(NDArray x, NDArray gy) => ActivationKernels.ReLUGrad(x, gy) ?? gy * (x > 0.0);
        /// <inheritdoc/>
        protected override (Variable?, Variable?) Backward(Variable ggx) => (null, new ReLUGrad().Apply(X0, ggx));
    }

    /// <summary>y = x for x &gt; 0, slope·x otherwise.</summary>
    [KeepsNoGradients]
    public sealed class LeakyReLU(double slope) : UnaryFunction
    {
        internal double Slope => slope;
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x) => NDArray.Where(x > 0.0, x, x * slope);
        /// <inheritdoc/>
        protected override Variable Backward(Variable gy)
        {
            var x = X.Data;
            var one = NDArray.Scalar(1.0, gy.DType);
            var mask = NDArray.Where(x > 0.0, one, NDArray.Scalar(slope, gy.DType));
            return gy * mask;
        }
    }

    /// <summary>Softmax along an axis, shifted by the maximum for stability.</summary>
    [KeepsNoGradients]
    public sealed class Softmax(int axis) : UnaryFunction
    {
        internal int Axis => axis;
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override NDArray Forward(NDArray x)
        {
            var y = NDArray.Exp(x - x.Max(axis, keepdims: true));
            return y / y.Sum(axis, keepdims: true);
        }

        /// <inheritdoc/>
        protected override Variable Backward(Variable gy)
        {
            var y = Y;
            var gx = y * gy;
            return gx - y * Functions.Sum(gx, axis, keepdims: true);
        }
    }

    /// <summary>Log-softmax along an axis: x − logsumexp(x).</summary>
    [KeepsNoGradients]
    public sealed class LogSoftmax(int axis) : UnaryFunction
    {
        internal int Axis => axis;
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x) => x - LogSumExp(x, axis);

        /// <inheritdoc/>
        protected override Variable Backward(Variable gy) =>
            gy - Functions.Exp(Y) * Functions.Sum(gy, axis, keepdims: true);

        /// <summary>log Σ exp(x) along an axis with keepdims, shifted by the maximum.</summary>
        internal static NDArray LogSumExp(NDArray x, int axis)
        {
            var m = x.Max(axis, keepdims: true);
            return m + NDArray.Log(NDArray.Exp(x - m).Sum(axis, keepdims: true));
        }
    }
}

namespace DeZero
{
    public static partial class Functions
    {
        /// <summary>The logistic sigmoid 1 / (1 + e⁻ˣ).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Variable Sigmoid(Variable x) => Unary(new Sigmoid(), x, "F.Sigmoid");
        /// <summary>The rectified linear unit max(x, 0).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Variable ReLU(Variable x) => Unary(new ReLU(), x, "F.ReLU");
        /// <summary>Leaky ReLU: x for x &gt; 0, slope·x otherwise.</summary>
        public static Variable LeakyReLU(Variable x, double slope = 0.2) => Unary(new LeakyReLU(slope), x, "F.LeakyReLU");
        /// <summary>Softmax along <paramref name="axis"/>, shifted by the maximum so large inputs do not overflow.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Variable Softmax(Variable x, int axis = 1) => new Softmax(Axis(Data(x, "F.Softmax"), axis, "F.Softmax")).Apply(x);
        /// <summary>Log-softmax x − log Σ exp(x) along <paramref name="axis"/>, computed stably.</summary>
        public static Variable LogSoftmax(Variable x, int axis = 1) => new LogSoftmax(Axis(Data(x, "F.LogSoftmax"), axis, "F.LogSoftmax")).Apply(x);
    }
}
