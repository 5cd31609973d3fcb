using System.Runtime.CompilerServices;
using DeZero.Ops;

namespace DeZero.Ops
{
    /// <summary>Sum over axes.</summary>
    [KeepsNoGradients]
    public sealed class Sum(int[]? axis, bool keepdims) : UnaryFunction
    {
        internal (int[]? Axis, bool KeepDims) Reduction => (axis, keepdims);
        int[] _xShape = [];
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override NDArray Forward(NDArray x) { _xShape = x.Dims; return x.Sum(axis, keepdims); }
        /// <inheritdoc/>
        protected override Variable Backward(Variable gy) =>
            Functions.BroadcastTo(Functions.Reshape(gy, Reduced.KeptShape(_xShape, axis)), _xShape);
    }

    /// <summary>Maximum (or minimum) over axes; the gradient goes to every element equal to the result.</summary>
    [KeepsNoGradients]
    public class Max(int[]? axis, bool keepdims) : UnaryFunction
    {
        /// <summary>The reduced axes (null for all).</summary>
        protected internal int[]? Axis { get; } = axis;
        /// <summary>Whether reduced axes are kept with length 1.</summary>
        protected internal bool KeepDims { get; } = keepdims;
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x) => x.Max(Axis, KeepDims);
        /// <inheritdoc/>
        protected override Variable Backward(Variable gy)
        {
            var x = X.Data;
            var shape = Reduced.KeptShape(x.Dims, Axis);
            var cond = NDArray.Equal(x, Y.Data.Reshape(shape));
            return Functions.BroadcastTo(Functions.Reshape(gy, shape), x.Shape) * cond;
        }
    }

    /// <summary>Minimum over axes.</summary>
    [KeepsNoGradients]
    public sealed class Min(int[]? axis, bool keepdims) : Max(axis, keepdims)
    {
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x) => x.Min(Axis, KeepDims);
    }

    static class Reduced
    {
        // The shape of a reduction's result with the reduced axes kept as 1 (what its gradient broadcasts from).
        public static int[] KeptShape(int[] xShape, int[]? axis)
        {
            int n = xShape.Length;
            var s = new int[n];
            for (int i = 0; i < n; i++)
                s[i] = axis is null || Array.IndexOf(axis, i) >= 0 || Array.IndexOf(axis, i - n) >= 0 ? 1 : xShape[i];
            return s;
        }
    }
}

namespace DeZero
{
    public static partial class Functions
    {
        /// <summary>Sum over the given axes (all when null), the book's <c>sum</c>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Variable Sum(Variable x, int[]? axis = null, bool keepdims = false) =>
            new Sum(Axes(Data(x, "F.Sum"), axis, "F.Sum"), keepdims).Apply(x);
        /// <summary>Sum over one axis.</summary>
        public static Variable Sum(Variable x, int axis, bool keepdims = false) => Sum(x, [axis], keepdims);

        /// <summary>Mean over the given axes (all when null), the book's <c>average</c>.</summary>
        public static Variable Average(Variable x, int[]? axis = null, bool keepdims = false)
        {
            var d = Data(x, "F.Average");
            var y = new Sum(Axes(d, axis, "F.Average"), keepdims).Apply(x);
            return Scale(y, (double)y.Size / d.Size);
        }
        /// <summary>Mean over one axis.</summary>
        public static Variable Average(Variable x, int axis, bool keepdims = false) => Average(x, [axis], keepdims);

        /// <summary>Mean over the given axes (the book's <c>mean</c>, an alias of <see cref="Average(Variable, int[], bool)"/>).</summary>
        public static Variable Mean(Variable x, int[]? axis = null, bool keepdims = false) => Average(x, axis, keepdims);
        /// <summary>Mean over one axis.</summary>
        public static Variable Mean(Variable x, int axis, bool keepdims = false) => Average(x, [axis], keepdims);

        /// <summary>Maximum over the given axes (all when null); the gradient goes to the elements equal to it.</summary>
        public static Variable Max(Variable x, int[]? axis = null, bool keepdims = false) =>
            new Max(ExtremumAxes(x, axis, "F.Max"), keepdims).Apply(x);
        /// <summary>Maximum over one axis.</summary>
        public static Variable Max(Variable x, int axis, bool keepdims = false) => Max(x, [axis], keepdims);

        /// <summary>Minimum over the given axes (all when null); the gradient goes to the elements equal to it.</summary>
        public static Variable Min(Variable x, int[]? axis = null, bool keepdims = false) =>
            new Min(ExtremumAxes(x, axis, "F.Min"), keepdims).Apply(x);
        /// <summary>Minimum over one axis.</summary>
        public static Variable Min(Variable x, int axis, bool keepdims = false) => Min(x, [axis], keepdims);

        // Max and min have no identity: reducing an empty axis is an error, as in NumPy.
        static int[]? ExtremumAxes(Variable x, int[]? axis, string op)
        {
            var d = Data(x, op);
            var ax = Axes(d, axis, op);
            bool empty = ax is null ? d.Size == 0 : ax.Any(a => d.Dims[a] == 0);
            if (empty) throw new ArgumentException($"{op}: zero-size reduction over an array of shape {Str(d)}, which has no identity.");
            return ax;
        }
    }
}
