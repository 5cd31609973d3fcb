using DeZero.Ops;

namespace DeZero.Ops
{
    /// <summary>Mean squared error Σ(x0 − x1)² / N, N the length of the first axis.</summary>
    public sealed class MeanSquaredError : BinaryFunction
    {
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x0, NDArray x1)
        {
            var diff = x0 - x1;
            return (diff * diff).Sum() / (long)diff.Length;
        }

        /// <inheritdoc/>
        protected override (Variable?, Variable?) Backward(Variable gy)
        {
            var diff = X0 - X1;
            var gx0 = gy * diff * (2.0 / diff.Length);
            return (gx0, -gx0);
        }
    }

    /// <summary>Softmax followed by the cross-entropy with integer labels, averaged over the batch.</summary>
    public sealed class SoftmaxCrossEntropy : BinaryFunction
    {
        /// <inheritdoc/>
        protected override NDArray Forward(NDArray x, NDArray t)
        {
            int n = x.Dims[0], classes = x.Dims[1];
            var labels = t.ToArray<long>();
            var logP = (x - LogSoftmax.LogSumExp(x, 1)).AsType(DType.Float64).ToArray<double>();
            double sum = 0;
            for (int i = 0; i < n; i++) sum += logP[i * classes + labels[i]];
            return NDArray.Scalar(-sum / n, x.DType);
        }

        /// <inheritdoc/>
        protected override (Variable?, Variable?) Backward(Variable gy)
        {
            var x = X0;
            int n = x.Shape[0], classes = x.Shape[1];
            var labels = X1.Data.ToArray<long>();
            var onehot = NDArray.Zeros([n, classes], x.DType);
            for (int i = 0; i < n; i++) onehot.SetFlat(i * classes + (int)labels[i], 1);
            var y = Functions.Softmax(x);
            return ((y - onehot) * (gy * (1.0 / n)), null);
        }
    }
}

namespace DeZero
{
    public static partial class Functions
    {
        /// <summary>Mean squared error between x0 and x1 (the book's <c>mean_squared_error</c>).</summary>
        public static Variable MeanSquaredError(Variable x0, Variable x1)
        {
            var a = Data(x0, "F.MeanSquaredError");
            var b = Data(x1, "F.MeanSquaredError");
            if (a.Ndim == 0) throw new ArgumentException("F.MeanSquaredError: inputs must have a batch axis, got 0-d arrays.");
            ShapeUtil.Broadcast(a.Dims, b.Dims, "F.MeanSquaredError");
            return new MeanSquaredError().Apply(x0, x1);
        }

        /// <summary>
        /// Cross-entropy of softmax(x) (N×C scores) against integer labels t (N), averaged over N
        /// (the book's <c>softmax_cross_entropy</c>). Labels take no gradient.
        /// </summary>
        public static Variable SoftmaxCrossEntropy(Variable x, Variable t)
        {
            var xd = Data(x, "F.SoftmaxCrossEntropy");
            var td = Data(t, "F.SoftmaxCrossEntropy");
            if (xd.Ndim != 2)
                throw new ArgumentException($"F.SoftmaxCrossEntropy: x must be 2-D (N, classes), got shape {ShapeUtil.Str(xd.Dims)}.");
            CheckLabels(td, xd.Dims[0], xd.Dims[1], "F.SoftmaxCrossEntropy");
            return new SoftmaxCrossEntropy().Apply(x, t);
        }

        /// <summary>Binary cross-entropy of sigmoid(x) against 0/1 targets t, averaged over the batch.</summary>
        public static Variable SigmoidCrossEntropy(Variable x, Variable t)
        {
            var xd = Data(x, "F.SigmoidCrossEntropy");
            if (xd.Ndim != t.Ndim) t = Reshape(t, xd.Shape);
            int n = xd.Ndim == 0 ? 1 : xd.Length;
            var p = Clip(Sigmoid(x), 1e-15, 1.0);
            var tlogp = t * Log(p) + (1 - t) * Log(1 - p);
            return -1 * Sum(tlogp) / n;
        }

        /// <summary>Binary cross-entropy of probabilities p against 0/1 targets t, averaged over the batch.</summary>
        public static Variable BinaryCrossEntropy(Variable p, Variable t)
        {
            var pd = Data(p, "F.BinaryCrossEntropy");
            if (pd.Ndim != t.Ndim) t = Reshape(t, pd.Shape);
            int n = t.Ndim == 0 ? 1 : t.Length;
            p = Clip(p, 1e-15, 0.999);
            var tlogp = t * Log(p) + (1 - t) * Log(1 - p);
            return -1 * Sum(tlogp) / n;
        }

        /// <summary>Fraction of rows of y whose argmax equals the label in t (not differentiable).</summary>
        public static Variable Accuracy(Variable y, Variable t)
        {
            var yd = Data(y, "F.Accuracy");
            var td = Data(t, "F.Accuracy");
            if (yd.Ndim != 2 || yd.Dims[0] != td.Size)
                throw new ArgumentException($"F.Accuracy: y must be (N, classes) and t hold N labels, got {ShapeUtil.Str(yd.Dims)} and {ShapeUtil.Str(td.Dims)}.");
            var pred = yd.Argmax(1).Reshape(td.Shape);
            return new Variable(NDArray.Equal(pred, td).Mean());
        }

        static void CheckLabels(NDArray t, int n, int classes, string op)
        {
            if (!t.DType.IsInteger())
                throw new ArgumentException($"{op}: labels must be integers, got dtype {t.DType.Name()}.");
            if (t.Size != n)
                throw new ArgumentException($"{op}: expected {n} labels for a batch of {n}, got shape {ShapeUtil.Str(t.Dims)}.");
            foreach (var label in t.ToArray<long>())
                if (label < 0 || label >= classes)
                    throw new ArgumentException($"{op}: label {label} is out of range for {classes} classes.");
        }
    }
}
