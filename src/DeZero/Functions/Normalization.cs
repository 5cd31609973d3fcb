using DeZero.Ops;

namespace DeZero.Ops
{
    /// <summary>
    /// Batch normalisation over the batch axis (and the spatial axes of 4-D input). In training it normalises
    /// with the batch statistics and updates the running mean and variance in place; in test mode it uses them.
    /// </summary>
    [KeepsNoGradients]
    public sealed class BatchNorm(NDArray avgMean, NDArray avgVar, double decay, double eps) : Function
    {
        NDArray? _invStd, _testMean;

        // What an exporter needs of a call: the running statistics, epsilon and whether it ran in test mode.
        internal (NDArray Mean, NDArray Var, double Eps, bool TestMode) Statistics => (avgMean, avgVar, eps, _testMean is not null);

        /// <inheritdoc/>
        public override NDArray[] Forward(params NDArray[] xs)
        {
            var (x, gamma, beta) = (xs[0], xs[1], xs[2]);
            Check(x, gamma, beta, avgMean, avgVar);
            var x2 = ToRows(x);
            NDArray xc;
            if (Config.Train)
            {
                var mean = x2.Mean(0);
                var d = x2 - mean;
                var variance = (d * d).Mean(0);
                _invStd = 1.0 / NDArray.Sqrt(variance + eps);
                _testMean = null;
                xc = d * _invStd;
                int m = x2.Size / gamma.Size;
                double s = m - 1.0 > 1.0 ? m - 1.0 : 1.0;
                double adjust = m / s;
                Casting.Into(avgMean * decay + (1 - decay) * mean, avgMean);
                Casting.Into(avgVar * decay + (1 - decay) * adjust * variance, avgVar);
            }
            else
            {
                _invStd = 1.0 / NDArray.Sqrt(avgVar + eps);
                _testMean = avgMean.Copy();
                xc = (x2 - _testMean) * _invStd;
            }
            return [FromRows(gamma * xc + beta, x.Dims)];
        }

        static void Check(NDArray x, NDArray gamma, NDArray beta, NDArray mean, NDArray var)
        {
            if (x.Ndim is not (2 or 4))
                throw new ArgumentException($"F.BatchNorm: input must be 2-D or 4-D, got shape {ShapeUtil.Str(x.Dims)}.");
            int c = x.Dims[1];
            foreach (var (name, a) in new[] { ("gamma", gamma), ("beta", beta), ("mean", mean), ("var", var) })
                if (a.Ndim != 1 || a.Dims[0] != c)
                    throw new ArgumentException($"F.BatchNorm: {name} must have shape ({c},) for input {ShapeUtil.Str(x.Dims)}, got {ShapeUtil.Str(a.Dims)}.");
            if (!mean.DType.IsFloat() || !var.DType.IsFloat())
                throw new ArgumentException($"F.BatchNorm: the running mean and var are updated in place and must be float, got {mean.DType.Name()} and {var.DType.Name()}.");
        }

        /// <inheritdoc/>
        public override Variable?[] Backward(params Variable[] gys)
        {
            var xShape = Input(0).Shape;
            var gy = Rows(gys[0]);
            var x = Rows(Input(0));
            Variable gamma = Input(1);
            var invStd = _invStd!;
            var gbeta = Functions.Sum(gy, 0);
            if (_testMean is not null)
            {
                // Test mode: the statistics are constants, so y is affine in x.
                var xcTest = (x - _testMean) * invStd;
                return [UnRows(gy * (gamma * invStd), xShape), Functions.Sum(xcTest * gy, 0), gbeta];
            }
            int n = gy.Shape[0];
            var mean = Functions.Sum(x, 0) / n;
            var xc = (x - mean) * invStd;
            var ggamma = Functions.Sum(xc * gy, 0);
            var gx = gy - gbeta / n - xc * ggamma / n;
            gx *= gamma * invStd;
            return [UnRows(gx, xShape), ggamma, gbeta];
        }

        // (N, C, H, W) → (N·H·W, C); 2-D input unchanged.
        static NDArray ToRows(NDArray x) => x.Ndim == 4 ? x.Transpose(0, 2, 3, 1).Reshape(-1, x.Dims[1]) : x;
        static NDArray FromRows(NDArray y, int[] shape) =>
            shape.Length == 4 ? y.Reshape(shape[0], shape[2], shape[3], shape[1]).Transpose(0, 3, 1, 2) : y;
        static Variable Rows(Variable x) => x.Ndim == 4 ? x.Transpose(0, 2, 3, 1).Reshape(-1, x.Shape[1]) : x;
        static Variable UnRows(Variable y, int[] shape) =>
            shape.Length == 4 ? y.Reshape(shape[0], shape[2], shape[3], shape[1]).Transpose(0, 3, 1, 2) : y;
    }
}

namespace DeZero
{
    public static partial class Functions
    {
        /// <summary>
        /// Batch normalisation of x (N, C) or (N, C, H, W) with scale gamma and shift beta (C); in training the
        /// running <paramref name="mean"/> and <paramref name="var"/> are updated in place (the book's <c>batch_norm</c>).
        /// </summary>
        public static Variable BatchNorm(Variable x, Variable gamma, Variable beta, NDArray mean, NDArray var, double decay = 0.9, double eps = 2e-5)
        {
            ArgumentNullException.ThrowIfNull(mean);
            ArgumentNullException.ThrowIfNull(var);
            Hyper.Unit(decay, "F.BatchNorm", nameof(decay));
            Hyper.NonNegativeOrInfinity(eps, "F.BatchNorm", nameof(eps));
            return new BatchNorm(mean, var, decay, eps).Apply(x, gamma, beta);
        }

        /// <summary>
        /// Inverted dropout: in training, zeroes each element with probability <paramref name="dropoutRatio"/>
        /// (mask from <see cref="RandomState.Global"/>) and scales the rest by 1/(1 − ratio); identity in test mode.
        /// </summary>
        public static Variable Dropout(Variable x, double dropoutRatio = 0.5)
        {
            var xd = Data(x, "F.Dropout");
            Hyper.UnitOpen(dropoutRatio, "F.Dropout", nameof(dropoutRatio));
            if (!xd.DType.IsFloat())
                throw new ArgumentException($"F.Dropout: x must be float32 or float64, got {xd.DType.Name()} of shape {ShapeUtil.Str(xd.Dims)}.");
            if (!Config.Train) return x;
            var mask = RandomState.Global.Rand(xd.Shape) > dropoutRatio;
            var scale = NDArray.Scalar(1.0 - dropoutRatio).AsType(xd.DType);
            return x * mask / scale;
        }
    }
}
