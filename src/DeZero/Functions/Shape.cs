using DeZero.Ops;

namespace DeZero.Ops
{
    /// <summary>Gives the data a new shape.</summary>
    public sealed class Reshape(int[] shape) : UnaryFunction
    {
        int[] _xShape = [];
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x) { _xShape = x.Dims; return x.Reshape(shape); }
        /// <inheritdoc/>
        protected override Variable Backward(Variable gy) => Functions.Reshape(gy, _xShape);
    }

    /// <summary>Permutes the axes (reverses them when none are given).</summary>
    public sealed class Transpose(int[]? axes) : UnaryFunction
    {
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x) => x.Transpose(axes ?? []);
        /// <inheritdoc/>
        protected override Variable Backward(Variable gy)
        {
            if (axes is null || axes.Length == 0) return Functions.Transpose(gy);
            int n = axes.Length;
            var inv = new int[n];
            for (int i = 0; i < n; i++) inv[(axes[i] % n + n) % n] = i;
            return Functions.Transpose(gy, inv);
        }
    }

    /// <summary>Repeats the data along broadcast axes to a shape.</summary>
    public sealed class BroadcastTo(int[] shape) : UnaryFunction
    {
        int[] _xShape = [];
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x) { _xShape = x.Dims; return x.BroadcastTo(shape); }
        /// <inheritdoc/>
        protected override Variable Backward(Variable gy) => Functions.SumTo(gy, _xShape);
    }

    /// <summary>Sums along broadcast axes down to a shape (the inverse of broadcasting).</summary>
    public sealed class SumTo(int[] shape) : UnaryFunction
    {
        int[] _xShape = [];
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x) { _xShape = x.Dims; return x.SumTo(shape); }
        /// <inheritdoc/>
        protected override Variable Backward(Variable gy) => Functions.BroadcastTo(gy, _xShape);
    }
}

namespace DeZero
{
    public static partial class Functions
    {
        /// <summary>Reshapes x (one dimension may be −1); returns x itself when the shape is unchanged.</summary>
        public static Variable Reshape(Variable x, params int[] shape) =>
            Same(x, shape) ? x : new Reshape((int[])shape.Clone()).Apply(x);

        /// <summary>Permutes the axes of x (reverses them when none are given).</summary>
        public static Variable Transpose(Variable x, params int[] axes) =>
            new Transpose(axes is { Length: > 0 } ? (int[])axes.Clone() : null).Apply(x);

        /// <summary>Inserts an axis of length 1 (the book's <c>expand_dims</c>).</summary>
        public static Variable ExpandDims(Variable x, int axis) => Reshape(x, Data(x, "F.ExpandDims").ExpandDims(axis).Shape);

        /// <summary>Flattens all but the first axis: (N, …) → (N, −1) (the book's <c>flatten</c>).</summary>
        public static Variable Flatten(Variable x)
        {
            var d = Data(x, "F.Flatten");
            if (d.Ndim == 0) throw new ArgumentException("F.Flatten: the input must have at least one axis, got a 0-d array.");
            return Reshape(x, d.Dims[0], -1);
        }

        /// <summary>Broadcasts x to a shape; returns x itself when the shape is unchanged.</summary>
        public static Variable BroadcastTo(Variable x, params int[] shape) =>
            Same(x, shape) ? x : new BroadcastTo((int[])shape.Clone()).Apply(x);

        /// <summary>Sums x down to a shape (the book's <c>sum_to</c>); returns x itself when the shape is unchanged.</summary>
        public static Variable SumTo(Variable x, params int[] shape) =>
            Same(x, shape) ? x : new SumTo((int[])shape.Clone()).Apply(x);

        static bool Same(Variable x, int[] shape) => ShapeUtil.SameShape(Data(x, "F").Dims, shape);
    }
}
