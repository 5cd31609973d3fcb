using System.Runtime.CompilerServices;
using DeZero.Ops;

namespace DeZero.Ops
{
    /// <summary>y = x0 + x1 with broadcasting.</summary>
    [KeepsNoGradients]
    public sealed class Add : BinaryFunction
    {
        int[] _s0 = [], _s1 = [];
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override NDArray Forward(NDArray x0, NDArray x1) { _s0 = x0.Dims; _s1 = x1.Dims; return x0 + x1; }
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override (Variable?, Variable?) Backward(Variable gy) =>
            (!X0.RequiresGrad ? null : Functions.SumTo(gy, _s0), !X1.RequiresGrad ? null : Functions.SumTo(gy, _s1));
    }

    /// <summary>y = x0 − x1 with broadcasting.</summary>
    [KeepsNoGradients]
    public sealed class Sub : BinaryFunction
    {
        int[] _s0 = [], _s1 = [];
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override NDArray Forward(NDArray x0, NDArray x1) { _s0 = x0.Dims; _s1 = x1.Dims; return x0 - x1; }
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override (Variable?, Variable?) Backward(Variable gy) =>
            (!X0.RequiresGrad ? null : Functions.SumTo(gy, _s0), !X1.RequiresGrad ? null : Functions.SumTo(-gy, _s1));
    }

    /// <summary>y = x0 · x1 elementwise with broadcasting.</summary>
    [KeepsNoGradients]
    public sealed class Mul : BinaryFunction
    {
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override NDArray Forward(NDArray x0, NDArray x1) => x0 * x1;
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override (Variable?, Variable?) Backward(Variable gy) =>
            (!X0.RequiresGrad ? null : Functions.SumTo(gy * X1, X0.Data.Dims), !X1.RequiresGrad ? null : Functions.SumTo(gy * X0, X1.Data.Dims));
    }

    /// <summary>y = x0 / x1 elementwise with broadcasting.</summary>
    [KeepsNoGradients]
    public sealed class Div : BinaryFunction
    {
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override NDArray Forward(NDArray x0, NDArray x1) => x0 / x1;
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override (Variable?, Variable?) Backward(Variable gy)
        {
            Variable x0 = X0, x1 = X1;
            var gx0 = !x0.RequiresGrad ? null : Functions.SumTo(gy / x1, x0.Data.Dims);
            var gx1 = !x1.RequiresGrad ? null : Functions.SumTo(gy * (-x0 / (x1 * x1)), x1.Data.Dims);
            return (gx0, gx1);
        }
    }

    /// <summary>y = −x.</summary>
    [KeepsNoGradients]
    public sealed class Neg : UnaryFunction
    {
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x) => -x;
        /// <inheritdoc/>
        protected override Variable Backward(Variable gy) => -gy;
    }

    /// <summary>y = x<sup>c</sup> for a constant exponent c.</summary>
    [KeepsNoGradients]
    public sealed class Pow(double c) : UnaryFunction
    {
        /// <summary>The exponent.</summary>
        public double C { get; } = c;
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x) => NDArray.Power(x, NDArray.Scalar(C, x.DType.IsFloat() ? x.DType : DType.Float64));
        /// <inheritdoc/>
        protected override Variable Backward(Variable gy) => Functions.Scale(Functions.Pow(X, C - 1), C) * gy;
    }
}

namespace DeZero
{
    public static partial class Functions
    {
        /// <summary>x0 + x1 with broadcasting (the book's <c>add</c>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Variable Add(Variable x0, Variable x1)
        {
            CheckBinary(x0, x1, "F.Add");
            return new Add().Apply(x0, x1);
        }

        /// <summary>x0 − x1 with broadcasting (the book's <c>sub</c>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Variable Sub(Variable x0, Variable x1)
        {
            var (a, b) = CheckBinary(x0, x1, "F.Sub");
            if (a.DType == DType.Bool && b.DType == DType.Bool)
                throw new ArgumentException($"F.Sub: cannot subtract bool arrays (shapes {Str(a)} and {Str(b)}); use NDArray.LogicalXor.");
            return new Sub().Apply(x0, x1);
        }

        /// <summary>x0 · x1 elementwise with broadcasting (the book's <c>mul</c>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Variable Mul(Variable x0, Variable x1)
        {
            CheckBinary(x0, x1, "F.Mul");
            return new Mul().Apply(x0, x1);
        }

        /// <summary>x0 / x1 elementwise with broadcasting (the book's <c>div</c>).</summary>
        public static Variable Div(Variable x0, Variable x1)
        {
            CheckBinary(x0, x1, "F.Div");
            return new Div().Apply(x0, x1);
        }

        /// <summary>−x (the book's <c>neg</c>).</summary>
        public static Variable Neg(Variable x)
        {
            var d = Data(x, "F.Neg");
            if (d.DType == DType.Bool) throw new ArgumentException($"F.Neg: cannot negate a bool array of shape {Str(d)}; use NDArray.LogicalNot.");
            return new Neg().Apply(x);
        }

        /// <summary>x to the constant power c (the book's <c>pow</c>).</summary>
        public static Variable Pow(Variable x, double c)
        {
            Data(x, "F.Pow");
            return new Pow(c).Apply(x);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        static (NDArray, NDArray) CheckBinary(Variable x0, Variable x1, string op)
        {
            var a = Data(x0, op, "x0");
            var b = Data(x1, op, "x1");
            CheckBroadcast(a, b, op);
            return (a, b);
        }
    }
}
