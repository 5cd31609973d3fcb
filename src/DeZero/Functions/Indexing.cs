using DeZero.Numerics.Kernels;
using DeZero.Ops;

namespace DeZero.Ops
{
    /// <summary>Indexing y = x[index] with any NumPy index form (integers, slices, integer arrays, masks).</summary>
    [KeepsNoGradients]
    public sealed class GetItem(NDIndex[] index) : UnaryFunction
    {
        internal NDIndex[] Index => index;
        int[] _xShape = [];
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x) { _xShape = x.Dims; return x[index]; }
        /// <inheritdoc/>
        protected override Variable Backward(Variable gy) => new GetItemGrad(index, _xShape).Apply(gy);
    }

    /// <summary>The gradient of <see cref="GetItem"/>: gy added into zeros of the input's shape at the index (np.add.at).</summary>
    [KeepsNoGradients]
    public sealed class GetItemGrad(NDIndex[] index, int[] xShape) : UnaryFunction
    {
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray gy) => NDArray.GetItemGrad(gy, xShape, index);
        /// <inheritdoc/>
        protected override Variable Backward(Variable ggx) => new GetItem(index).Apply(ggx);
    }

    /// <summary>Rows of an embedding matrix W selected by integer ids: y = W[ids] (negative ids count from the end, as in NumPy).</summary>
    [KeepsNoGradients]
    public sealed class EmbedID : BinaryFunction
    {
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray ids, NDArray w)
        {
            if (w.Ndim < 1)
                throw new ArgumentException($"F.EmbedID: W must have a vocabulary axis, got shape {ShapeUtil.Str(w.Dims)}.");
            var rows = Rows(ids, w.Dims[0]);
            int rowLen = RowLength(w.Dims);
            var y = NDArray.Empty(w.DType, [.. ids.Dims, .. w.Dims[1..]]);
            EmbeddingKernel.Gather(w, rows, rowLen, y);
            return y;
        }

        /// <inheritdoc/>
        protected override (Variable?, Variable?) Backward(Variable gy) => (null, new EmbedIDGrad(X1.Shape).Apply(X0, gy));

        /// <summary>The ids as row numbers in [0, vocab); throws for non-integer ids or ids outside [−vocab, vocab).</summary>
        internal static int[] Rows(NDArray ids, int vocab)
        {
            if (!ids.DType.IsInteger())
                throw new ArgumentException($"F.EmbedID: ids must be integers, got dtype {ids.DType.Name()} of shape {ShapeUtil.Str(ids.Dims)}.");
            var rows = new int[ids.Size];
            if (ids.DType == DType.Int64)
            {
                var s = ids.Span<long>();
                for (int i = 0; i < rows.Length; i++) rows[i] = Row(s[i], vocab);
            }
            else
            {
                var s = ids.Span<int>();
                for (int i = 0; i < rows.Length; i++) rows[i] = Row(s[i], vocab);
            }
            return rows;
        }

        static int Row(long id, int vocab) => id >= -vocab && id < vocab
            ? (int)(id < 0 ? id + vocab : id)
            : throw new IndexOutOfRangeException($"F.EmbedID: id {id} is out of range for a vocabulary of size {vocab}.");

        internal static int RowLength(int[] wShape)
        {
            int n = 1;
            for (int i = 1; i < wShape.Length; i++) n *= wShape[i];
            return n;
        }
    }

    /// <summary>The gradient of <see cref="EmbedID"/>: gy rows added into zeros at the ids (NumPy's add.at).</summary>
    [KeepsNoGradients]
    public sealed class EmbedIDGrad(int[] wShape) : BinaryFunction
    {
        readonly int[] _wShape = (int[])(wShape ?? throw new ArgumentNullException(nameof(wShape))).Clone();

        /// <inheritdoc/>
        protected override NDArray Forward(NDArray ids, NDArray gy)
        {
            var rows = EmbedID.Rows(ids, _wShape[0]);
            int rowLen = EmbedID.RowLength(_wShape);
            if (!gy.DType.IsFloat() || gy.Size != rows.Length * rowLen)
                throw new ArgumentException($"EmbedIDGrad: gy must be float with {rows.Length * rowLen} elements for ids {ShapeUtil.Str(ids.Dims)} and W {ShapeUtil.Str(_wShape)}, got {gy.DType.Name()} {ShapeUtil.Str(gy.Dims)}.");
            var gw = NDArray.Empty(gy.DType, (int[])_wShape.Clone());
            EmbeddingKernel.ScatterAdd(gy, rows, rowLen, gw);
            return gw;
        }

        /// <inheritdoc/>
        protected override (Variable?, Variable?) Backward(Variable ggw) => (null, new EmbedID().Apply(X0, ggw));
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
            Data(x, "F.GetItem");
            // A bad index throws from Forward, before Apply connects anything to the graph.
            return new GetItem((NDIndex[])index.Clone()).Apply(x);
        }

        /// <summary>Looks up rows of W (vocabulary × features) for integer ids of any shape (the book's <c>embed_id</c>, W[ids]).</summary>
        public static Variable EmbedID(Variable ids, Variable w) => new EmbedID().Apply(ids, w);
    }
}
