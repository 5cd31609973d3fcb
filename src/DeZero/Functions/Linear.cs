using System.Runtime.CompilerServices;
using DeZero.Ops;

namespace DeZero.Ops
{
    /// <summary>
    /// Matrix product y = op(x)·op(W), where op optionally transposes a 2-D operand in place. Its 2-D backward
    /// is made of the same function with other transpose flags, so no transposed copy is ever made.
    /// Other operands follow NumPy's matmul: 1-D operands act as a row or column, N-D ones as stacks of matrices.
    /// </summary>
    [KeepsNoGradients]
    public sealed class MatMul(bool transA = false, bool transB = false) : BinaryFunction
    {
        internal (bool A, bool B) Trans => (transA, transB);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override NDArray Forward(NDArray x, NDArray w) =>
            x.Ndim == 2 && w.Ndim == 2 || transA || transB ? NDArray.MatMul(x, w, transA, transB) : NDArray.MatMul(x, w);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override (Variable?, Variable?) Backward(Variable gy)
        {
            Variable a = X0, b = X1;
            if (a.Ndim == 2 && b.Ndim == 2)
            {
                var ga = !a.RequiresGrad ? null : transA ? Product(b, gy, transB, true, a) : Product(gy, b, false, !transB, a);
                var gb = !b.RequiresGrad ? null : transB ? Product(gy, a, true, transA, b) : Product(a, gy, !transA, false, b);
                return (ga, gb);
            }
            // Undo NumPy's promotion of 1-D operands to a row (a) or a column (b), then use the batched rule,
            // summing over the batch axes an operand was broadcast along.
            var a2 = a.Ndim == 1 ? Functions.Reshape(a, 1, -1) : a;
            var b2 = b.Ndim == 1 ? Functions.Reshape(b, -1, 1) : b;
            var gShape = gy.Shape.ToList();
            if (b.Ndim == 1) gShape.Add(1);
            if (a.Ndim == 1) gShape.Insert(gShape.Count - 1, 1);
            var g = Functions.Reshape(gy, [.. gShape]);
            var ga2 = Functions.SumTo(Functions.MatMul(g, SwapLast(b2)), a2.Shape);
            var gb2 = Functions.SumTo(Functions.MatMul(SwapLast(a2), g), b2.Shape);
            return (Functions.Reshape(ga2, a.Shape), Functions.Reshape(gb2, b.Shape));
        }

        /// <summary>
        /// The gradient term op(p)·op(q) of <paramref name="target"/>; added straight into the gradient sum backward
        /// owns for it when there is one (a weight used at every step of an RNN), and then null.
        /// </summary>
        internal static Variable? Product(Variable p, Variable q, bool transP, bool transQ, Variable target) =>
            GradientMemory.OwnedSum(target, target.DType, target.Dims) is { } sum && NDArray.TryMatMulAccumulate(p.Data, q.Data, transP, transQ, sum)
                ? null
                : Functions.MatMul(p, q, transP, transQ);

        static Variable SwapLast(Variable v)
        {
            int n = v.Ndim;
            var axes = Enumerable.Range(0, n).ToArray();
            (axes[n - 2], axes[n - 1]) = (axes[n - 1], axes[n - 2]);
            return Functions.Transpose(v, axes);
        }
    }

    /// <summary>
    /// The affine map y = x·W + b in one function, so the intermediate x·W is never kept for backward
    /// (the book's memory-saving <c>Linear</c>). Called with two inputs it has no bias.
    /// </summary>
    [KeepsNoGradients]
    public sealed class Linear : Function
    {
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override NDArray[] Forward(params NDArray[] xs)
        {
            if (xs.Length == 2) return [NDArray.MatMul(xs[0], xs[1], false, false)];
            // A bias row is written first and x·W accumulated onto it: one pass over y.
            if (NDArray.MatMulAddRow(xs[0], xs[1], xs[2]) is { } fused) return [fused];
            // Otherwise the book's y += b in place: no second array, and y keeps its float dtype.
            var y = NDArray.MatMul(xs[0], xs[1], false, false);
            if (!y.DType.IsFloat()) return [y + xs[2]];
            y.AddInPlace(xs[2]);
            return [y];
        }

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override Variable?[] Backward(params Variable[] gys)
        {
            var gy = gys[0];
            Variable x = Input(0), w = Input(1);
            var gx = !x.RequiresGrad ? null : MatMul.Product(gy, w, false, true, x);
            var gw = !w.RequiresGrad ? null : MatMul.Product(x, gy, true, false, w);
            if (InputCount == 2) return [gx, gw];
            var b = Input(2);
            return [gx, gw, !b.RequiresGrad ? null : Functions.SumTo(gy, b.Data.Dims)];
        }
    }
}

namespace DeZero
{
    public static partial class Functions
    {
        /// <summary>Matrix product x·W (the book's <c>matmul</c>), with NumPy's matmul rules for 1-D and N-D operands.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Variable MatMul(Variable x, Variable w)
        {
            var a = Data(x, "F.MatMul", "x");
            var b = Data(w, "F.MatMul", "W");
            if (a.Ndim == 0 || b.Ndim == 0)
                throw new ArgumentException($"F.MatMul: operands must not be 0-d, got shapes {Str(a)} and {Str(b)}.");
            int k = a.Dims[^1], kb = b.Ndim == 1 ? b.Dims[0] : b.Dims[^2];
            if (k != kb)
                throw new ArgumentException($"F.MatMul: shapes {Str(a)} and {Str(b)} are not aligned: {k} (dim {a.Ndim - 1}) != {kb} (dim {Math.Max(0, b.Ndim - 2)}).");
            if (a.Ndim > 2 || b.Ndim > 2)
            {
                int na = Math.Max(0, a.Ndim - 2), nb = Math.Max(0, b.Ndim - 2);
                for (int i = 1; i <= Math.Min(na, nb); i++)
                {
                    int da = a.Dims[na - i], db = b.Dims[nb - i];
                    if (da != db && da != 1 && db != 1)
                        throw new ArgumentException($"F.MatMul: the batch axes of shapes {Str(a)} and {Str(b)} do not broadcast.");
                }
            }
            return new MatMul().Apply(x, w);
        }

        /// <summary>Matrix product op(x)·op(W) of 2-D operands, each transposed in place when asked (no copy is made).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Variable MatMul(Variable x, Variable w, bool transA, bool transB)
        {
            var a = Data(x, "F.MatMul", "x");
            var b = Data(w, "F.MatMul", "W");
            if (a.Ndim != 2 || b.Ndim != 2)
                throw new ArgumentException($"F.MatMul: operands with transpose flags must be 2-D, got shapes {Str(a)} and {Str(b)}.");
            int k = transA ? a.Dims[0] : a.Dims[1], kb = transB ? b.Dims[1] : b.Dims[0];
            if (k != kb)
                throw new ArgumentException($"F.MatMul: shapes {Str(a)}{(transA ? "ᵀ" : "")} and {Str(b)}{(transB ? "ᵀ" : "")} are not aligned: {k} != {kb}.");
            // With no graph to record (a backward pass without createGraph), the product without a function object.
            return Config.EnableBackprop ? new MatMul(transA, transB).Apply(x, w) : new Variable(NDArray.MatMul(a, b, transA, transB));
        }

        /// <summary>The affine map of data x: like <see cref="Linear(Variable, Variable, Variable?)"/>, but backward computes no gradient for the array.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Variable Linear(NDArray x, Variable w, Variable? b = null) => Linear(Variable.Constant(x), w, b);

        /// <summary>The affine map x·W + b for x (N, in) and W (in, out), without bias when b is null (the book's <c>linear</c>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Variable Linear(Variable x, Variable w, Variable? b = null)
        {
            var xd = Data(x, "F.Linear", "x");
            var wd = Data(w, "F.Linear", "W");
            if (xd.Ndim != 2 || wd.Ndim != 2 || xd.Dims[1] != wd.Dims[0])
                throw new ArgumentException($"F.Linear: x {Str(xd)} and W {Str(wd)} must be 2-D with x.shape[1] == W.shape[0].");
            if (b is null) return new Linear().Apply(x, w);
            var bd = Data(b, "F.Linear", "b");
            ReadOnlySpan<int> y = [xd.Dims[0], wd.Dims[1]];
            bool ok = bd.Ndim <= 2;
            for (int i = 1; ok && i <= bd.Ndim; i++) ok = bd.Dims[^i] == 1 || bd.Dims[^i] == y[^i];
            if (!ok)
                throw new ArgumentException($"F.Linear: bias b {Str(bd)} does not broadcast to the output shape {Str(y.ToArray())} of x {Str(xd)} · W {Str(wd)}.");
            return new Linear().Apply(x, w, b);
        }
    }
}
