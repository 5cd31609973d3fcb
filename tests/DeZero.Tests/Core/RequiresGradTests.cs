using DeZero.Optimizers;
using L = DeZero.Layers;
using F = DeZero.Functions;

namespace DeZero.Tests.Core;

/// <summary>A variable with <see cref="Variable.RequiresGrad"/> false gets no gradient; nothing else changes.</summary>
public class RequiresGradTests
{
    static Variable Param(int seed, params int[] shape) => new Parameter(new RandomState(seed).Randn(shape));

    // Two linear layers with a sigmoid between them; returns the gradients of x, W1, b1, W2, b2.
    static NDArray?[] MlpGradients(bool freezeFirst)
    {
        var (x, w1, b1, w2, b2) = (Param(0, 5, 3), Param(1, 3, 4), Param(2, 4), Param(3, 4, 2), Param(4, 2));
        w1.RequiresGrad = b1.RequiresGrad = !freezeFirst;
        F.Sum(F.Linear(F.Sigmoid(F.Linear(x, w1, b1)), w2, b2)).Backward();
        return [x.Grad?.Data, w1.Grad?.Data, b1.Grad?.Data, w2.Grad?.Data, b2.Grad?.Data];
    }

    [Fact]
    public void IsTrueUnlessSetOtherwise()
    {
        var v = new Variable(1.0);
        Assert.True(v.RequiresGrad);
        v.RequiresGrad = false;
        Assert.False(v.RequiresGrad);
    }

    [Fact]
    public void FrozenLinearWeightsGetNoGradientAndEveryOtherGradientIsUnchanged()
    {
        var all = MlpGradients(freezeFirst: false);
        var frozen = MlpGradients(freezeFirst: true);
        Assert.Null(frozen[1]);
        Assert.Null(frozen[2]);
        foreach (int i in new[] { 0, 3, 4 }) Assert.Equal(all[i]!.ToArray<double>(), frozen[i]!.ToArray<double>());
    }

    [Fact]
    public void FrozenConvolutionWeightsGetNoGradientAndTheInputsIsUnchanged()
    {
        NDArray?[] Run(bool freeze, bool transposed)
        {
            var (x, w, b) = transposed
                ? (Param(5, 2, 3, 4, 4), Param(6, 3, 2, 3, 3), Param(7, 2))
                : (Param(5, 2, 3, 5, 5), Param(6, 4, 3, 3, 3), Param(7, 4));
            w.RequiresGrad = b.RequiresGrad = !freeze;
            var y = transposed ? F.Deconv2d(x, w, b, 1, 1) : F.Conv2d(x, w, b, 1, 1);
            F.Sum(y * y).Backward();
            return [x.Grad?.Data, w.Grad?.Data, b.Grad?.Data];
        }
        foreach (bool transposed in new[] { false, true })
        {
            var (all, frozen) = (Run(false, transposed), Run(true, transposed));
            Assert.NotNull(all[1]);
            Assert.Null(frozen[1]);
            Assert.Null(frozen[2]);
            Assert.Equal(all[0]!.ToArray<double>(), frozen[0]!.ToArray<double>());
        }
    }

    [Fact]
    public void LinearAndConvolutionsDoNotComputeTheGradientsOfFrozenWeights()
    {
        var x = Param(0, 2, 3, 5, 5);
        var (w, b, wt, bt, wl, bl) = (Param(1, 4, 3, 3, 3), Param(2, 4), Param(3, 3, 2, 3, 3), Param(4, 2), Param(5, 15, 2), Param(6, 2));
        foreach (var p in new[] { w, b, wt, bt, wl, bl }) p.RequiresGrad = false;
        foreach (var y in new[] { F.Conv2d(x, w, b, 1, 1), F.Deconv2d(x, wt, bt, 1, 1), F.Linear(F.Reshape(x, 10, 15), wl, bl) })
        {
            var gxs = y.Creator!.Backward(new Variable(NDArray.OnesLike(y.Data)));
            Assert.NotNull(gxs[0]);
            Assert.Null(gxs[1]);
            Assert.Null(gxs[2]);
        }
    }

    [Fact]
    public void BackwardDoesNotGoPastAVariableThatRequiresNoGradient()
    {
        var x = new Variable(2.0);
        var h = F.Sin(x);
        h.RequiresGrad = false;
        var y = h * x;
        y.Backward();
        Assert.Null(h.Grad);
        Assert.Equal(Math.Sin(2.0), (double)x.Grad!.Data, 15); // only the direct path y = h·x, h held constant
    }

    [Fact]
    public void AnOptimizerLeavesAFrozenParameterAsItIs()
    {
        var layer = new L.Linear(2, dtype: DType.Float64, inSize: 2);
        var (w, b) = (layer.W.Data.Copy(), layer.b!.Data.Copy());
        layer.W.RequiresGrad = false;
        F.Sum(layer.Call(NDArray.Ones(3, 2))).Backward();
        new SGD(0.5).Setup(layer).Update();
        Assert.Equal(w.ToArray<double>(), layer.W.Data.ToArray<double>());
        Assert.Equal((b - 1.5).ToArray<double>(), layer.b.Data.ToArray<double>());
    }
}
