using System.Runtime.CompilerServices;
using DeZero.Ops;

namespace DeZero.Ops
{
    /// <summary>Joins arrays along an existing axis; the gradient is split back into the inputs' slices.</summary>
    [KeepsNoGradients]
    public sealed class Concat(int axis) : Function
    {
        internal int Axis => axis;

        /// <inheritdoc/>
        public override NDArray[] Forward(params NDArray[] xs) => [NDArray.Concatenate(xs, axis)];

        /// <inheritdoc/>
        public override Variable?[] Backward(params Variable[] gys)
        {
            var gx = new Variable?[InputCount];
            int start = 0;
            for (int i = 0; i < gx.Length; i++)
            {
                int len = Input(i).Shape[axis];
                var index = new NDIndex[axis + 1];
                for (int k = 0; k < axis; k++) index[k] = Slice.All;
                index[axis] = Slice.Of(start, start + len);
                gx[i] = Functions.GetItem(gys[0], index);
                start += len;
            }
            return gx;
        }
    }

    /// <summary>Gives the data a new shape.</summary>
    [KeepsNoGradients]
    public sealed class Reshape(int[] shape) : UnaryFunction
    {
        int[] _xShape = [];
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override NDArray Forward(NDArray x) { _xShape = x.Dims; return x.Reshape(shape); }
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override Variable Backward(Variable gy) => Functions.Reshape(gy, _xShape);
    }

    /// <summary>Permutes the axes (reverses them when none are given).</summary>
    [KeepsNoGradients]
    public sealed class Transpose(int[]? axes) : UnaryFunction
    {
        internal int[]? Axes => axes;
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x) => x.Transpose(axes ?? []);
        /// <inheritdoc/>
        protected override Variable Backward(Variable gy)
        {
            if (axes is null) return Functions.Transpose(gy);
            var inv = new int[axes.Length];
            for (int i = 0; i < axes.Length; i++) inv[axes[i]] = i;
            return Functions.Transpose(gy, inv);
        }
    }

    /// <summary>Repeats the data along broadcast axes to a shape.</summary>
    [KeepsNoGradients]
    public sealed class BroadcastTo(int[] shape) : UnaryFunction
    {
        int[] _xShape = [];
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x) { _xShape = x.Dims; return x.BroadcastTo(shape); }
        /// <inheritdoc/>
        protected override Variable Backward(Variable gy) => Functions.SumTo(gy, _xShape);
    }

    /// <summary>Sums along broadcast axes down to a shape (the inverse of broadcasting).</summary>
    [KeepsNoGradients]
    public sealed class SumTo(int[] shape) : UnaryFunction
    {
        int[] _xShape = [];
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override NDArray Forward(NDArray x) { _xShape = x.Dims; return x.SumTo(shape); }
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override Variable Backward(Variable gy) => Functions.BroadcastTo(gy, _xShape);
    }
}

namespace DeZero
{
    public static partial class Functions
    {
        /// <summary>Joins variables along an existing axis (NumPy's <c>concatenate</c>, differentiable).</summary>
        public static Variable Concat(Variable[] xs, int axis = 0)
        {
            ArgumentNullException.ThrowIfNull(xs);
            var data = xs.Select(x => Data(x, "F.Concat")).ToArray();
            if (data.Length == 0) throw new ArgumentException("F.Concat: need at least one variable to join.");
            int ax = ShapeUtil.Axis(axis, data[0].Ndim, "F.Concat");
            // Mismatched shapes throw from Forward, before Call connects anything to the graph.
            return new Concat(ax).Apply(xs);
        }

        /// <summary>Reshapes x (one dimension may be −1); returns x itself when the shape is unchanged.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Variable Reshape(Variable x, params int[] shape)
        {
            var d = Data(x, "F.Reshape");
            var s = ResolveShape(d, shape);
            return ShapeUtil.SameShape(d.Dims, s) ? x : new Reshape(s).Apply(x);
        }

        /// <summary>Permutes the axes of x (reverses them when none are given).</summary>
        public static Variable Transpose(Variable x, params int[] axes)
        {
            var d = Data(x, "F.Transpose");
            if (axes is null || axes.Length == 0) return new Transpose(null).Apply(x);
            if (axes.Length != d.Ndim)
                throw new ArgumentException($"F.Transpose: axes ({string.Join(", ", axes)}) don't match an array of shape {Str(d)}.");
            var perm = new int[axes.Length];
            var seen = new bool[axes.Length];
            for (int i = 0; i < perm.Length; i++)
            {
                perm[i] = Axis(d, axes[i], "F.Transpose");
                if (seen[perm[i]]) throw new ArgumentException($"F.Transpose: repeated axis in ({string.Join(", ", axes)}) for an array of shape {Str(d)}.");
                seen[perm[i]] = true;
            }
            return new Transpose(perm).Apply(x);
        }

        /// <summary>Inserts an axis of length 1 at <paramref name="axis"/> (the book's <c>expand_dims</c>).</summary>
        public static Variable ExpandDims(Variable x, int axis)
        {
            var d = Data(x, "F.ExpandDims");
            int a = axis < 0 ? axis + d.Ndim + 1 : axis;
            if (a < 0 || a > d.Ndim)
                throw new ArgumentException($"F.ExpandDims: axis {axis} is out of bounds for an array of shape {Str(d)} (the result has {d.Ndim + 1} dimensions).");
            var shape = new int[d.Ndim + 1];
            for (int i = 0, j = 0; i < shape.Length; i++) shape[i] = i == a ? 1 : d.Dims[j++];
            return Reshape(x, shape);
        }

        /// <summary>Flattens all but the first axis: (N, …) → (N, −1) (the book's <c>flatten</c>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Variable Flatten(Variable x)
        {
            var d = Data(x, "F.Flatten");
            if (d.Ndim == 0) throw new ArgumentException("F.Flatten: the input must have at least one axis, got shape ().");
            int rest = 1;
            for (int i = 1; i < d.Ndim; i++) rest *= d.Dims[i];
            return Reshape(x, d.Dims[0], rest);
        }

        /// <summary>Broadcasts x to a shape (the book's <c>broadcast_to</c>); returns x itself when the shape is unchanged.</summary>
        public static Variable BroadcastTo(Variable x, params int[] shape)
        {
            var d = Data(x, "F.BroadcastTo");
            ArgumentNullException.ThrowIfNull(shape);
            if (ShapeUtil.SameShape(d.Dims, shape)) return x;
            bool ok = shape.Length >= d.Ndim;
            for (int i = 1; ok && i <= shape.Length; i++)
                ok = shape[^i] >= 0 && (i > d.Ndim || d.Dims[^i] == 1 || d.Dims[^i] == shape[^i]);
            if (!ok) throw new ArgumentException($"F.BroadcastTo: cannot broadcast an array of shape {Str(d)} to shape {Str(shape)}.");
            return new BroadcastTo((int[])shape.Clone()).Apply(x);
        }

        /// <summary>Sums x down to a shape (the book's <c>sum_to</c>, the inverse of broadcasting); returns x itself when the shape is unchanged.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Variable SumTo(Variable x, params int[] shape)
        {
            var d = Data(x, "F.SumTo");
            ArgumentNullException.ThrowIfNull(shape);
            if (ShapeUtil.SameShape(d.Dims, shape)) return x;
            int lead = d.Ndim - shape.Length;
            bool ok = lead >= 0;
            for (int i = 0; ok && i < shape.Length; i++) ok = shape[i] == 1 || shape[i] == d.Dims[lead + i];
            if (!ok) throw new ArgumentException($"F.SumTo: cannot sum an array of shape {Str(d)} to shape {Str(shape)}.");
            // With no graph to record (a backward pass without createGraph), the sum without a function object.
            return Config.EnableBackprop ? new SumTo((int[])shape.Clone()).Apply(x) : new Variable(d.SumTo(shape));
        }

        // The shape of a reshape of x, with a −1 dimension inferred; a fresh array the caller may keep.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        static int[] ResolveShape(NDArray x, int[] shape)
        {
            ArgumentNullException.ThrowIfNull(shape);
            var s = (int[])shape.Clone();
            int unknown = Array.IndexOf(s, -1);
            if (unknown >= 0) s[unknown] = 1;
            long known = ShapeUtil.Product(s);
            if (known > 0 && unknown >= 0 && x.Size % known == 0) s[unknown] = (int)(x.Size / known);
            else if (known != x.Size || unknown >= 0)
                throw new ArgumentException($"F.Reshape: cannot reshape an array of shape {Str(x)} (size {x.Size}) into shape {Str(shape)}.");
            return s;
        }
    }
}
