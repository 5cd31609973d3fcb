using System.Runtime.CompilerServices;
using DeZero.Numerics.Kernels;
using DeZero.Ops;

namespace DeZero.Ops
{
    /// <summary>Mean squared error Σ(x0 − x1)² / N, N the length of the first axis of the (broadcast) difference.</summary>
    [KeepsNoGradients]
    public sealed class MeanSquaredError : BinaryFunction
    {
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override NDArray Forward(NDArray x0, NDArray x1)
        {
            if (LossKernels.MeanSquaredError(x0, x1) is { } fused) return fused;
            var diff = x0 - x1;
            var sum = (diff * diff).Sum();
            return sum / NDArray.Scalar(diff.Length, sum.DType);
        }

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override (Variable?, Variable?) Backward(Variable gy)
        {
            Variable x0 = X0, x1 = X1;
            if (!Config.EnableBackprop && Fused(x0, x1, gy.Data) is var (g0, g1)) return (g0, g1);
            var diff = x0 - x1;
            var gx0 = Functions.Scale(gy * diff, 2.0 / diff.Length);
            return (Functions.SumTo(gx0, x0.Data.Dims), Functions.SumTo(-gx0, x1.Data.Dims));
        }

        // With no graph to record, the gradients of the inputs that take one in a single pass (LossKernels.MeanSquaredErrorGrad).
        // Null unless x0, x1 and gy share a float dtype and x0, x1 a shape of at least one axis.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        static (Variable?, Variable?)? Fused(Variable x0, Variable x1, NDArray gy)
        {
            NDArray a = x0.Data, b = x1.Data;
            var dt = a.DType;
            if (!dt.IsFloat() || b.DType != dt || gy.DType != dt || gy.Size != 1 || a.Ndim == 0 || !ShapeUtil.SameShape(a.Dims, b.Dims))
                return null;
            var g0 = x0.RequiresGrad ? NDArray.Uninitialized(dt, a.Dims) : null;
            var g1 = x1.RequiresGrad ? NDArray.Uninitialized(dt, a.Dims) : null;
            LossKernels.MeanSquaredErrorGrad(a, b, gy, g0, g1);
            return (g0 is null ? null : new Variable(g0), g1 is null ? null : new Variable(g1));
        }
    }

    /// <summary>Softmax followed by the cross-entropy with integer labels, averaged over the batch.</summary>
    [KeepsNoGradients]
    public sealed class SoftmaxCrossEntropy : BinaryFunction
    {
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override NDArray Forward(NDArray x, NDArray t)
        {
            if (LossKernels.SoftmaxCrossEntropy(x, t) is { } fused) return fused;
            int n = x.Dims[0], classes = x.Dims[1];
            var labels = t.ToArray<long>();
            var logP = x - LogSoftmax.LogSumExp(x, 1);
            var picked = NDArray.Empty(logP.DType, [n]);
            for (int i = 0; i < n; i++) picked.SetFlat(i, logP.GetFlat(i * classes + (int)labels[i]));
            return -picked.Sum() / NDArray.Scalar(n, logP.DType);
        }

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override (Variable?, Variable?) Backward(Variable gy)
        {
            var x = X0;
            // With no graph to record, in one pass (LossKernels.SoftmaxCrossEntropyGrad).
            if (!Config.EnableBackprop && LossKernels.SoftmaxCrossEntropyGrad(x.Data, X1.Data, gy.Data) is { } fused) return (fused, null);
            int n = x.Shape[0], classes = x.Shape[1];
            var labels = X1.Data.ToArray<long>();
            var onehot = NDArray.Zeros([n, classes], x.DType);
            for (int i = 0; i < n; i++) onehot.SetFlat(i * classes + (int)labels[i], 1);
            var y = Functions.Softmax(x);
            return ((y - onehot) * Functions.Scale(gy, 1.0 / n), null);
        }
    }
}

namespace DeZero
{
    public static partial class Functions
    {
        /// <summary>The mean squared error of data x0 (the targets, as the book passes them): like <see cref="MeanSquaredError(Variable, Variable)"/>, but backward computes no gradient for the array.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Variable MeanSquaredError(NDArray x0, Variable x1) => MeanSquaredError(Variable.Constant(x0), x1);

        /// <summary>Mean squared error Σ(x0 − x1)² / N over the broadcast difference (the book's <c>mean_squared_error</c>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Variable MeanSquaredError(Variable x0, Variable x1)
        {
            var (a, b) = CheckBinary(x0, x1, "F.MeanSquaredError");
            if (a.Ndim == 0 && b.Ndim == 0)
                throw new ArgumentException("F.MeanSquaredError: inputs must have a batch axis, got shapes () and ().");
            return new MeanSquaredError().Apply(x0, x1);
        }

        /// <summary>
        /// Cross-entropy of softmax(x) (N×C scores) against integer labels t (N), averaged over N
        /// (the book's <c>softmax_cross_entropy</c>). Labels take no gradient.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Variable SoftmaxCrossEntropy(Variable x, Variable t)
        {
            const string op = "F.SoftmaxCrossEntropy";
            var xd = Data(x, op, "x");
            var td = Data(t, op, "t");
            if (xd.Ndim != 2)
                throw new ArgumentException($"{op}: x must be 2-D (N, classes), got shape {Str(xd)}.");
            if (!td.DType.IsInteger())
                throw new ArgumentException($"{op}: labels t must be integers, got dtype {td.DType.Name()} (shape {Str(td)}).");
            if (td.Ndim != 1 || td.Size != xd.Dims[0])
                throw new ArgumentException($"{op}: t must hold one label per row of x {Str(xd)}, got shape {Str(td)}.");
            int classes = xd.Dims[1];
            foreach (var label in td.ToArray<long>())
                if (label < 0 || label >= classes)
                    throw new ArgumentException($"{op}: label {label} is out of range for x {Str(xd)} with {classes} classes.");
            return new SoftmaxCrossEntropy().Apply(x, t);
        }

        /// <summary>
        /// Binary cross-entropy of sigmoid(x) against targets t in [0, 1], summed and divided by the batch size
        /// (the book's <c>sigmoid_cross_entropy</c>). t may have x's shape or x's size with another number of axes.
        /// </summary>
        public static Variable SigmoidCrossEntropy(Variable x, Variable t)
        {
            var xd = Data(x, "F.SigmoidCrossEntropy", "x");
            t = MatchTargets(xd, t, "F.SigmoidCrossEntropy");
            // log(1 − p) is taken as log sigmoid(−x): 1 − sigmoid(x) rounds to 0 for large x, and log 0 would make the loss NaN.
            var logP = Log(Clip(Sigmoid(x), 1e-15, 1.0));
            var logQ = Log(Clip(Sigmoid(-x), 1e-15, 1.0));
            return BatchMean(t * logP + RSub(1, t) * logQ, xd.Length);
        }

        /// <summary>
        /// Binary cross-entropy of probabilities p against targets t in [0, 1], summed and divided by the batch size
        /// (the book's <c>binary_cross_entropy</c>; p is clipped to [1e-15, 0.999] like the book's).
        /// </summary>
        public static Variable BinaryCrossEntropy(Variable p, Variable t)
        {
            var pd = Data(p, "F.BinaryCrossEntropy", "p");
            t = MatchTargets(pd, t, "F.BinaryCrossEntropy");
            p = Clip(p, 1e-15, 0.999);
            return BatchMean(t * Log(p) + RSub(1, t) * Log(RSub(1, p)), pd.Length);
        }

        /// <summary>Fraction of rows of y whose argmax equals the label in t (the book's <c>accuracy</c>; not differentiable).</summary>
        public static Variable Accuracy(Variable y, Variable t)
        {
            var yd = Data(y, "F.Accuracy", "y");
            var td = Data(t, "F.Accuracy", "t");
            if (yd.Ndim != 2 || yd.Dims[0] != td.Size)
                throw new ArgumentException($"F.Accuracy: y must be (N, classes) and t hold N labels, got shapes {Str(yd)} and {Str(td)}.");
            var pred = yd.Argmax(1).Reshape(td.Shape);
            return new Variable(NDArray.Equal(pred, td).Mean());
        }

        // The targets of a binary cross-entropy in the shape of x (reshaped when only their number of axes differs);
        // integer 0/1 labels are taken in x's float dtype, so float32 scores give a float32 loss.
        static Variable MatchTargets(NDArray x, Variable t, string op)
        {
            var td = Data(t, op, "t");
            if (x.Ndim == 0)
                throw new ArgumentException($"{op}: the input must have a batch axis, got shape () and targets {Str(td)}.");
            if (!ShapeUtil.SameShape(x.Dims, td.Dims) && (x.Ndim == td.Ndim || x.Size != td.Size))
                throw new ArgumentException($"{op}: targets t {Str(td)} do not match the input of shape {Str(x)}.");
            if (!td.DType.IsFloat() && x.DType.IsFloat()) t = new Variable(td.AsType(x.DType));
            return Reshape(t, x.Dims);
        }

        // −Σ terms / n, the book's averaging of a loss over the batch.
        static Variable BatchMean(Variable terms, int n)
        {
            var s = Neg(Sum(terms));
            return Div(s, Const(n, s));
        }
    }
}
