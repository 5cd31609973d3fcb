using DeZero.Ops;

namespace DeZero.Ops
{
    /// <summary>Indexing y = x[index] with any NumPy index form (integers, slices, integer arrays, masks).</summary>
    public sealed class GetItem(NDIndex[] index) : UnaryFunction
    {
        int[] _xShape = [];
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x) { _xShape = x.Dims; return x[index]; }
        /// <inheritdoc/>
        protected override Variable Backward(Variable gy) => new GetItemGrad(index, _xShape).Apply(gy);
    }

    /// <summary>The gradient of <see cref="GetItem"/>: gy added into zeros of the input's shape at the index (np.add.at).</summary>
    public sealed class GetItemGrad(NDIndex[] index, int[] xShape) : UnaryFunction
    {
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray gy) => NDArray.GetItemGrad(gy, xShape, index);
        /// <inheritdoc/>
        protected override Variable Backward(Variable ggx) => new GetItem(index).Apply(ggx);
    }
}

namespace DeZero
{
    public static partial class Functions
    {
        /// <summary>
        /// x[index] (the book's <c>get_item</c>): integers, slices, <see cref="NDIndex.NewAxis"/>, integer arrays
        /// (e.g. rows by <c>F.GetItem(x, NDArray.FromArray(new[] { 0, 0, 1 }))</c>) and boolean masks, in any combination.
        /// </summary>
        public static Variable GetItem(Variable x, params NDIndex[] index)
        {
            var xd = Data(x, "F.GetItem");
            _ = xd[index]; // validates the index against the shape before the graph records anything
            return new GetItem((NDIndex[])index.Clone()).Apply(x);
        }
    }
}
