using DeZero.Ops;

namespace DeZero.Ops
{
    /// <summary>
    /// Matrix product y = op(x)·op(W), where op optionally transposes a 2-D operand in place. Its backward
    /// is made of the same function with other transpose flags, so no transposed copy is ever made.
    /// N-D operands follow NumPy's matmul.
    /// </summary>
    public sealed class MatMul(bool transA = false, bool transB = false) : BinaryFunction
    {
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x, NDArray w) =>
            x.Ndim == 2 && w.Ndim == 2 ? NDArray.MatMul(x, w, transA, transB) : NDArray.MatMul(x, w);

        /// <inheritdoc/>
        protected override (Variable?, Variable?) Backward(Variable gy)
        {
            Variable a = X0, b = X1;
            if (a.Ndim != 2 || b.Ndim != 2)
                return (Functions.SumTo(Functions.MatMul(gy, SwapLast(b)), a.Shape), Functions.SumTo(Functions.MatMul(SwapLast(a), gy), b.Shape));
            var ga = transA ? Functions.MatMul(b, gy, transB, true) : Functions.MatMul(gy, b, false, !transB);
            var gb = transB ? Functions.MatMul(gy, a, true, transA) : Functions.MatMul(a, gy, !transA, false);
            return (ga, gb);
        }

        static Variable SwapLast(Variable v)
        {
            int n = v.Ndim;
            if (n < 2) return v;
            var axes = Enumerable.Range(0, n).ToArray();
            (axes[n - 2], axes[n - 1]) = (axes[n - 1], axes[n - 2]);
            return Functions.Transpose(v, axes);
        }
    }

    /// <summary>
    /// The affine map y = x·W + b in one function, so the intermediate x·W is never kept for backward
    /// (the book's memory-saving <c>Linear</c>).
    /// </summary>
    public sealed class Linear : Function
    {
        /// <inheritdoc/>
        public override NDArray[] Forward(params NDArray[] xs)
        {
            var y = NDArray.MatMul(xs[0], xs[1], false, false);
            return [xs.Length > 2 ? y + xs[2] : y];
        }

        /// <inheritdoc/>
        public override Variable?[] Backward(params Variable[] gys)
        {
            var gy = gys[0];
            Variable x = Input(0), w = Input(1);
            var gx = Functions.MatMul(gy, w, false, true);
            var gw = Functions.MatMul(x, gy, true, false);
            return InputCount > 2 ? [gx, gw, Functions.SumTo(gy, Input(2).Data.Dims)] : [gx, gw];
        }
    }
}

namespace DeZero
{
    public static partial class Functions
    {
        /// <summary>Matrix product x·W (the book's <c>matmul</c>; NumPy's matmul rules for N-D).</summary>
        public static Variable MatMul(Variable x, Variable w) => new MatMul().Apply(x, w);

        /// <summary>Matrix product of 2-D operands, each optionally transposed in place.</summary>
        public static Variable MatMul(Variable x, Variable w, bool transA, bool transB) => new MatMul(transA, transB).Apply(x, w);

        /// <summary>The affine map x·W + b (b may be null), the book's <c>linear</c>.</summary>
        public static Variable Linear(Variable x, Variable w, Variable? b = null)
        {
            var xd = Data(x, "F.Linear");
            var wd = Data(w, "F.Linear");
            if (xd.Ndim != 2 || wd.Ndim != 2 || xd.Dims[1] != wd.Dims[0])
                throw new ArgumentException($"F.Linear: x {ShapeUtil.Str(xd.Dims)} and W {ShapeUtil.Str(wd.Dims)} must be 2-D with x.shape[1] == W.shape[0].");
            return b is null || b.Data is null ? new Linear().Call1(x, w) : new Linear().Call1(x, w, b);
        }
    }
}
