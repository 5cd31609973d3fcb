using DeZero.Ops;

namespace DeZero.Ops
{
    /// <summary>Sum over axes.</summary>
    public sealed class Sum(int[]? axis, bool keepdims) : UnaryFunction
    {
        int[] _xShape = [];
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x) { _xShape = x.Dims; return x.Sum(axis, keepdims); }
        /// <inheritdoc/>
        protected override Variable Backward(Variable gy) =>
            Functions.BroadcastTo(Functions.Reshape(gy, Reduced.KeptShape(_xShape, axis)), _xShape);
    }

    /// <summary>Maximum (or minimum) over axes; the gradient goes to every element equal to the result.</summary>
    public class Max(int[]? axis, bool keepdims) : UnaryFunction
    {
        /// <summary>The reduced axes (null for all).</summary>
        protected int[]? Axis { get; } = axis;
        /// <summary>Whether reduced axes are kept with length 1.</summary>
        protected bool KeepDims { get; } = keepdims;
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
            var ax = ShapeUtil.Axes(axis, xShape.Length, "F.Sum");
            var s = (int[])xShape.Clone();
            foreach (var a in ax) s[a] = 1;
            return s;
        }
    }
}

namespace DeZero
{
    public static partial class Functions
    {
        /// <summary>Sum over the given axes (all when null).</summary>
        public static Variable Sum(Variable x, int[]? axis = null, bool keepdims = false) => new Sum(Axes(axis), keepdims).Apply(x);
        /// <summary>Sum over one axis.</summary>
        public static Variable Sum(Variable x, int axis, bool keepdims = false) => Sum(x, [axis], keepdims);

        /// <summary>Mean over the given axes (the book's <c>average</c>/<c>mean</c>).</summary>
        public static Variable Average(Variable x, int[]? axis = null, bool keepdims = false)
        {
            var y = Sum(x, axis, keepdims);
            return y * ((double)y.Size / x.Size);
        }
        /// <summary>Mean over one axis.</summary>
        public static Variable Average(Variable x, int axis, bool keepdims = false) => Average(x, [axis], keepdims);
        /// <summary>Mean over the given axes (alias of <see cref="Average(Variable, int[], bool)"/>).</summary>
        public static Variable Mean(Variable x, int[]? axis = null, bool keepdims = false) => Average(x, axis, keepdims);

        /// <summary>Maximum over the given axes (all when null).</summary>
        public static Variable Max(Variable x, int[]? axis = null, bool keepdims = false) => new Max(Axes(axis), keepdims).Apply(x);
        /// <summary>Maximum over one axis.</summary>
        public static Variable Max(Variable x, int axis, bool keepdims = false) => Max(x, [axis], keepdims);

        /// <summary>Minimum over the given axes (all when null).</summary>
        public static Variable Min(Variable x, int[]? axis = null, bool keepdims = false) => new Min(Axes(axis), keepdims).Apply(x);
        /// <summary>Minimum over one axis.</summary>
        public static Variable Min(Variable x, int axis, bool keepdims = false) => Min(x, [axis], keepdims);

        static int[]? Axes(int[]? axis) => axis is null ? null : (int[])axis.Clone();
    }
}
