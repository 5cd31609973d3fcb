using System.Runtime.CompilerServices;
using DeZero.Ops;
using DeZero.Numerics.Kernels;

namespace DeZero.Ops
{
    /// <summary>y = sin x.</summary>
    [KeepsNoGradients]
    public sealed class Sin : UnaryFunction
    {
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x) => NDArray.Sin(x);
        /// <inheritdoc/>
        protected override Variable Backward(Variable gy) => gy * Functions.Cos(X);
    }

    /// <summary>y = cos x.</summary>
    [KeepsNoGradients]
    public sealed class Cos : UnaryFunction
    {
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x) => NDArray.Cos(x);
        /// <inheritdoc/>
        protected override Variable Backward(Variable gy) => gy * -Functions.Sin(X);
    }

    /// <summary>y = tanh x.</summary>
    [KeepsNoGradients]
    public sealed class Tanh : UnaryFunction
    {
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override NDArray Forward(NDArray x) => NDArray.Tanh(x);
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override Variable Backward(Variable gy) =>
            GradientMemory.Reusable(Y, gy) is { } into && ActivationKernels.TanhGrad(Y.Data, gy.Data, into) is { } gx
                ? new Variable(gx)
                : new TanhGrad().Apply(Y, gy);
    }

    /// <summary>tanh's gradient gy·(1 − y²) from its output y, fused into one pass; differentiable again.</summary>
    [KeepsNoGradients]
    public sealed class TanhGrad : BinaryFunction
    {
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override NDArray Forward(NDArray y, NDArray gy) => ActivationKernels.TanhGrad(y, gy) ?? gy * (1.0 - y * y);
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override (Variable?, Variable?) Backward(Variable ggx)
        {
            Variable y = X0, gy = X1;
            return (ggx * gy * y * -2.0, new TanhGrad().Apply(y, ggx));
        }
    }

    /// <summary>y = eˣ.</summary>
    [KeepsNoGradients]
    public sealed class Exp : UnaryFunction
    {
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x) => NDArray.Exp(x);
        /// <inheritdoc/>
        protected override Variable Backward(Variable gy) => gy * Y;
    }

    /// <summary>y = ln x.</summary>
    [KeepsNoGradients]
    public sealed class Log : UnaryFunction
    {
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x) => NDArray.Log(x);
        /// <inheritdoc/>
        protected override Variable Backward(Variable gy) => gy / X;
    }

    /// <summary>y = x².</summary>
    [KeepsNoGradients]
    public sealed class Square : UnaryFunction
    {
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x) => x * x;
        /// <inheritdoc/>
        protected override Variable Backward(Variable gy) => Functions.Scale(X, 2) * gy;
    }

    /// <summary>y = x limited to [min, max]; the gradient flows where x is inside the range.</summary>
    [KeepsNoGradients]
    public sealed class Clip(double min, double max) : UnaryFunction
    {
        internal (double Min, double Max) Range => (min, max);
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x) => NDArray.Clip(x, min, max);
        /// <inheritdoc/>
        protected override Variable Backward(Variable gy)
        {
            var x = X.Data;
            return gy * NDArray.LogicalAnd(x >= min, x <= max);
        }
    }
}

namespace DeZero
{
    public static partial class Functions
    {
        /// <summary>Elementwise sine.</summary>
        public static Variable Sin(Variable x) => Unary(new Sin(), x, "F.Sin");
        /// <summary>Elementwise cosine.</summary>
        public static Variable Cos(Variable x) => Unary(new Cos(), x, "F.Cos");
        /// <summary>Elementwise hyperbolic tangent.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Variable Tanh(Variable x) => Unary(new Tanh(), x, "F.Tanh");
        /// <summary>Elementwise exponential.</summary>
        public static Variable Exp(Variable x) => Unary(new Exp(), x, "F.Exp");
        /// <summary>Elementwise natural logarithm.</summary>
        public static Variable Log(Variable x) => Unary(new Log(), x, "F.Log");
        /// <summary>Elementwise square.</summary>
        public static Variable Square(Variable x) => Unary(new Square(), x, "F.Square");

        /// <summary>Limits values to [min, max] (the book's <c>clip</c>).</summary>
        public static Variable Clip(Variable x, double min, double max)
        {
            var d = Data(x, "F.Clip");
            if (!(min <= max)) throw new ArgumentException($"F.Clip: min {min} must not exceed max {max} (x of shape {Str(d)}).");
            return new Clip(min, max).Apply(x);
        }

        // Applies a function of one input after checking that the input has data.
        static Variable Unary(UnaryFunction f, Variable x, string op)
        {
            Data(x, op);
            return f.Apply(x);
        }
    }
}
