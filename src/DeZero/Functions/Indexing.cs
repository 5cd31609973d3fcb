using DeZero.Ops;

namespace DeZero.Ops
{
    /// <summary>Rows of an embedding matrix W selected by integer ids: y = W[ids].</summary>
    public sealed class EmbedID : BinaryFunction
    {
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray ids, NDArray w) => Take(w, ids);

        /// <inheritdoc/>
        protected override (Variable?, Variable?) Backward(Variable gy) => (null, new EmbedIDGrad(X1.Shape).Apply(X0, gy));

        internal static NDArray Take(NDArray w, NDArray ids)
        {
            int rowLen = w.Size / w.Dims[0], item = w.DType.ItemSize();
            var idx = ids.ToArray<long>();
            var y = NDArray.Empty(w.DType, [.. ids.Dims, .. w.Dims[1..]]);
            for (int i = 0; i < idx.Length; i++)
                System.Buffer.BlockCopy(w.Buffer, (int)idx[i] * rowLen * item, y.Buffer, i * rowLen * item, rowLen * item);
            return y;
        }
    }

    /// <summary>The gradient of <see cref="EmbedID"/>: gy rows added into zeros at the ids (NumPy's add.at).</summary>
    public sealed class EmbedIDGrad(int[] wShape) : BinaryFunction
    {
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray ids, NDArray gy)
        {
            var gw = NDArray.Zeros(wShape, gy.DType);
            int rowLen = gw.Size / wShape[0];
            var idx = ids.ToArray<long>();
            var g = gy.AsType(DType.Float64).ToArray<double>();
            for (int i = 0; i < idx.Length; i++)
                for (int j = 0; j < rowLen; j++)
                {
                    int o = (int)idx[i] * rowLen + j;
                    gw.SetFlat(o, gw.GetFlat(o) + g[i * rowLen + j]);
                }
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
        /// <summary>Looks up rows of W (vocabulary × features) for integer ids of any shape (the book's <c>embed_id</c>).</summary>
        public static Variable EmbedID(Variable ids, Variable w)
        {
            var id = Data(ids, "F.EmbedID");
            var wd = Data(w, "F.EmbedID");
            if (!id.DType.IsInteger())
                throw new ArgumentException($"F.EmbedID: ids must be integers, got dtype {id.DType.Name()}.");
            if (wd.Ndim < 1)
                throw new ArgumentException($"F.EmbedID: W must have a vocabulary axis, got shape {ShapeUtil.Str(wd.Dims)}.");
            foreach (var i in id.ToArray<long>())
                if (i < 0 || i >= wd.Dims[0])
                    throw new IndexOutOfRangeException($"F.EmbedID: id {i} is out of range for a vocabulary of size {wd.Dims[0]}.");
            return new EmbedID().Apply(ids, w);
        }
    }
}
