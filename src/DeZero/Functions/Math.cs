using DeZero.Ops;

namespace DeZero.Ops
{
    /// <summary>y = sin x.</summary>
    public sealed class Sin : UnaryFunction
    {
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x) => NDArray.Sin(x);
        /// <inheritdoc/>
        protected override Variable Backward(Variable gy) => gy * Functions.Cos(X);
    }

    /// <summary>y = cos x.</summary>
    public sealed class Cos : UnaryFunction
    {
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x) => NDArray.Cos(x);
        /// <inheritdoc/>
        protected override Variable Backward(Variable gy) => gy * -Functions.Sin(X);
    }

    /// <summary>y = tanh x.</summary>
    public sealed class Tanh : UnaryFunction
    {
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x) => NDArray.Tanh(x);
        /// <inheritdoc/>
        protected override Variable Backward(Variable gy)
        {
            var y = Y;
            return gy * (1 - y * y);
        }
    }

    /// <summary>y = eˣ.</summary>
    public sealed class Exp : UnaryFunction
    {
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x) => NDArray.Exp(x);
        /// <inheritdoc/>
        protected override Variable Backward(Variable gy) => gy * Y;
    }

    /// <summary>y = ln x.</summary>
    public sealed class Log : UnaryFunction
    {
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x) => NDArray.Log(x);
        /// <inheritdoc/>
        protected override Variable Backward(Variable gy) => gy / X;
    }

    /// <summary>y = x².</summary>
    public sealed class Square : UnaryFunction
    {
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x) => x * x;
        /// <inheritdoc/>
        protected override Variable Backward(Variable gy) => 2.0 * X * gy;
    }

    /// <summary>y = x limited to [min, max]; the gradient flows where x is inside the range.</summary>
    public sealed class Clip(double min, double max) : UnaryFunction
    {
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
        public static Variable Sin(Variable x) => new Sin().Apply(x);
        /// <summary>Elementwise cosine.</summary>
        public static Variable Cos(Variable x) => new Cos().Apply(x);
        /// <summary>Elementwise hyperbolic tangent.</summary>
        public static Variable Tanh(Variable x) => new Tanh().Apply(x);
        /// <summary>Elementwise exponential.</summary>
        public static Variable Exp(Variable x) => new Exp().Apply(x);
        /// <summary>Elementwise natural logarithm.</summary>
        public static Variable Log(Variable x) => new Log().Apply(x);
        /// <summary>Elementwise square.</summary>
        public static Variable Square(Variable x) => new Square().Apply(x);
        /// <summary>Limits values to [min, max] (the book's <c>clip</c>).</summary>
        public static Variable Clip(Variable x, double min, double max)
        {
            if (min > max) throw new ArgumentException($"F.Clip: min {min} is greater than max {max}.");
            return new Clip(min, max).Apply(x);
        }
    }
}
