using F = DeZero.Functions;

namespace DeZero.Tests.Functions.Cnn;

/// <summary>The 2×2 stride-2 fast path of max pooling agrees with the im2col definition, ties and NaN included.</summary>
public class Pooling2x2Tests
{
    [Theory]
    [InlineData(4, 4)]
    [InlineData(5, 7)]
    public void MatchesMaxOverIm2colColumnsAndRoutesGradientsToTheFirstMaximum(int h, int w)
    {
        var rng = new RandomState(3);
        // Values from a small set so windows have ties; a NaN in the first window.
        var x = NDArray.FloorDivide(rng.Rand(2, 3, h, w) * 4.0, NDArray.Scalar(1.0));
        x.SetFlat(1, double.NaN);
        var y = F.Pooling(new Variable(x), 2, 2);
        // Columns (N, C, 2, 2, OH, OW) → max over the window axes, first maximum wins (NaN beats everything).
        var col = F.Im2col(new Variable(x), 2, 2, 0, toMatrix: false).Data;
        int n = 2, c = 3, oh = h / 2, ow = w / 2;
        var cols = col.Reshape(n, c, 4, oh, ow);
        for (int i = 0; i < n * c * oh * ow; i++)
        {
            int plane = i / (oh * ow), pos = i % (oh * ow);
            double best = double.NaN;
            for (int k = 0; k < 4; k++)
            {
                double v = cols.GetFlat(plane * 4 * oh * ow + k * oh * ow + pos);
                if (k == 0 || v > best || (double.IsNaN(v) && !double.IsNaN(best))) best = v;
                if (double.IsNaN(best)) break;
            }
            double got = y.Data.GetFlat(i);
            Assert.True(double.IsNaN(best) ? double.IsNaN(got) : got == best, $"output {i}: expected {best}, got {got}");
        }

        var xv = new Variable(x);
        F.Sum(F.Pooling(xv, 2, 2)).Backward();
        // Each window passes exactly one unit of gradient to one of its four inputs.
        var g = xv.Grad!.Data;
        Assert.Equal((double)(n * c * oh * ow), (double)g.Sum().ToScalar<double>());
    }
}
