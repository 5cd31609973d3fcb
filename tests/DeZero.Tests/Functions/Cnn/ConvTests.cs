using DeZero.Ops;
using F = DeZero.Functions;

namespace DeZero.Tests.Functions.Cnn;

/// <summary>Conv2d, Deconv2d, Conv2dGradW, Im2col and Col2im: the battery of <see cref="FunctionTestCase{TSelf}"/> on the cases of tests/data/cnn.json, and their definitions.</summary>
public class ConvTests : FunctionTestCase<ConvTests>
{
    protected override Dictionary<string, Func<Variable[], Variable>> Cases => new()
    {
        ["conv2d_1x1_k3"] = x => F.Conv2d(x[0], x[1]),
        ["conv2d_c2_oc3_pad1_bias"] = x => F.Conv2d(x[0], x[1], x[2], 1, 1),
        ["conv2d_stride2_pad1"] = x => F.Conv2d(x[0], x[1], x[2], 2, 1),
        ["conv2d_stride2_odd"] = x => F.Conv2d(x[0], x[1], null, 2),
        ["conv2d_pad2_k5"] = x => F.Conv2d(x[0], x[1], x[2], 1, 2),
        ["conv2d_nonsquare_kernel"] = x => F.Conv2d(x[0], x[1], x[2]),
        ["conv2d_pairs"] = x => F.Conv2d(x[0], x[1], x[2], (2, 1), (1, 0)),
        ["conv2d_pairs2"] = x => F.Conv2d(x[0], x[1], null, (1, 3), (0, 2)),
        ["conv2d_k1"] = x => F.Conv2d(x[0], x[1], x[2]),
        ["conv2d_pad_larger_than_image"] = x => F.Conv2d(x[0], x[1], x[2], 1, 2),
        ["conv2d_stride2_pad1_narrow"] = x => F.Conv2d(x[0], x[1], x[2], (2, 1), (1, 0)),
        ["deconv2d_basic"] = x => F.Deconv2d(x[0], x[1]),
        ["deconv2d_c2_oc3_bias"] = x => F.Deconv2d(x[0], x[1], x[2], 1, 1),
        ["deconv2d_stride2_pad1"] = x => F.Deconv2d(x[0], x[1], x[2], 2, 1),
        ["deconv2d_stride2_outsize"] = x => F.Deconv2d(x[0], x[1], x[2], 2, 1, (6, 6)),
        ["deconv2d_nonsquare_pairs"] = x => F.Deconv2d(x[0], x[1], null, (2, 1), (0, 1)),
        ["deconv2d_pairs_outsize"] = x => F.Deconv2d(x[0], x[1], x[2], (3, 2), (1, 0), (12, 7)),
        ["deconv2d_pairs_outsize_small"] = x => F.Deconv2d(x[0], x[1], null, (3, 2), (0, 1), (7, 6)),
        ["conv2d_gradw_k3"] = x => new Conv2dGradW(3, 3, (1, 1), (0, 0)).Apply(x[0], x[1]),
        ["conv2d_gradw_c2_oc3_pad1"] = x => new Conv2dGradW(3, 3, (1, 1), (1, 1)).Apply(x[0], x[1]),
        ["conv2d_gradw_stride2_pad1"] = x => new Conv2dGradW(3, 3, (2, 2), (1, 1)).Apply(x[0], x[1]),
        ["conv2d_gradw_pairs"] = x => new Conv2dGradW(2, 3, (2, 1), (1, 0)).Apply(x[0], x[1]),
        ["conv2d_gradw_k2_s2"] = x => new Conv2dGradW(2, 2, (2, 2), (0, 0)).Apply(x[0], x[1]),
        ["conv2d_gradw_pad2"] = x => new Conv2dGradW(3, 3, (1, 1), (2, 2)).Apply(x[0], x[1]),
        ["im2col_k3_s1_matrix"] = x => F.Im2col(x[0], 3),
        ["im2col_k3_s1_6d"] = x => F.Im2col(x[0], 3, toMatrix: false),
        ["im2col_k3_s2_pad1_matrix"] = x => F.Im2col(x[0], 3, 2, 1),
        ["im2col_k3_s2_pad1_6d"] = x => F.Im2col(x[0], 3, 2, 1, toMatrix: false),
        ["im2col_pairs_matrix"] = x => F.Im2col(x[0], (2, 3), (2, 1), (1, 2)),
        ["im2col_pairs_6d"] = x => F.Im2col(x[0], (2, 3), (2, 1), (1, 2), toMatrix: false),
        ["im2col_pairs2_matrix"] = x => F.Im2col(x[0], (2, 3), (2, 1), (1, 2)),
        ["im2col_pairs2_6d"] = x => F.Im2col(x[0], (2, 3), (2, 1), (1, 2), toMatrix: false),
        ["col2im_k3_s1_matrix"] = x => F.Col2im(x[0], [1, 2, 4, 4], 3),
        ["col2im_k3_s1_6d"] = x => F.Col2im(x[0], [1, 2, 4, 4], 3, toMatrix: false),
        ["col2im_k3_s2_pad1_matrix"] = x => F.Col2im(x[0], [2, 2, 5, 6], 3, 2, 1),
        ["col2im_k3_s2_pad1_6d"] = x => F.Col2im(x[0], [2, 2, 5, 6], 3, 2, 1, toMatrix: false),
        ["col2im_pairs_matrix"] = x => F.Col2im(x[0], [1, 3, 6, 5], (2, 3), (2, 1), (1, 2)),
        ["col2im_pairs_6d"] = x => F.Col2im(x[0], [1, 3, 6, 5], (2, 3), (2, 1), (1, 2), toMatrix: false),
        ["col2im_pairs2_matrix"] = x => F.Col2im(x[0], [1, 2, 4, 5], (2, 3), (2, 1), (1, 2)),
        ["col2im_pairs2_6d"] = x => F.Col2im(x[0], [1, 2, 4, 5], (2, 3), (2, 1), (1, 2), toMatrix: false),
    };

    static readonly NDArray Image = NDArray.Zeros(1, 2, 5, 5);

    // F.Conv2d and F.Deconv2d take a bias without data for no bias (they do not refuse it), so only x and W are here.
    protected override Dictionary<string, Func<Variable, Variable>> Calls => new()
    {
        ["Conv2d x"] = w => F.Conv2d(w, NDArray.Zeros(3, 2, 3, 3)),
        ["Conv2d W"] = w => F.Conv2d(Image, w),
        ["Deconv2d x"] = w => F.Deconv2d(w, NDArray.Zeros(2, 3, 3, 3)),
        ["Deconv2d W"] = w => F.Deconv2d(Image, w),
        ["Conv2dGradW x"] = w => new Conv2dGradW(3, 3, (1, 1), (0, 0)).Apply(w, NDArray.Zeros(1, 3, 3, 3)),
        ["Conv2dGradW gy"] = w => new Conv2dGradW(3, 3, (1, 1), (0, 0)).Apply(Image, w),
        ["Im2col"] = w => F.Im2col(w, 3),
        ["Col2im"] = w => F.Col2im(w, [1, 2, 5, 5], 3),
    };

    static NDArray Randn(int seed, params int[] shape) => new RandomState(seed).Randn(shape);

    [Fact]
    public void Conv2dAndDeconv2dFollowTheirDefinitions()
    {
        // y[n, o, i, j] = b[o] + Σ x[n, c, i·SH − PH + ki, j·SW − PW + kj] · W[o, c, ki, kj] (zero outside x); deconv
        // scatters x[n, c, i, j] · W[c, o, ki, kj] to out[n, o, i·SH − PH + ki, j·SW − PW + kj].
        int n = 2, c = 3, h = 5, wd = 6, oc = 2, kh = 3, kw = 2, sh = 2, sw = 1, ph = 1, pw = 2;
        int oh = (h + 2 * ph - kh) / sh + 1, ow = (wd + 2 * pw - kw) / sw + 1;
        var x = Randn(1, n, c, h, wd);
        var w = Randn(2, oc, c, kh, kw);
        var b = Randn(3, oc);
        var (xv, wv, bv) = (x.ToArray<double>(), w.ToArray<double>(), b.ToArray<double>());
        var conv = new double[n * oc * oh * ow];
        var deconvIn = Randn(4, n, oc, oh, ow);
        var dv = deconvIn.ToArray<double>();
        var deconv = new double[n * c * h * wd];
        for (int s = 0; s < n; s++)
            for (int o = 0; o < oc; o++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        int yi = ((s * oc + o) * oh + i) * ow + j;
                        conv[yi] = bv[o];
                        for (int ch = 0; ch < c; ch++)
                            for (int ki = 0; ki < kh; ki++)
                                for (int kj = 0; kj < kw; kj++)
                                {
                                    int r = i * sh - ph + ki, q = j * sw - pw + kj;
                                    if (r < 0 || r >= h || q < 0 || q >= wd) continue;
                                    int xi = ((s * c + ch) * h + r) * wd + q;
                                    double wt = wv[((o * c + ch) * kh + ki) * kw + kj];
                                    conv[yi] += xv[xi] * wt;
                                    deconv[xi] += dv[yi] * wt;
                                }
                    }
        Reference.AssertClose(new NDArray(conv, n, oc, oh, ow), F.Conv2d(x, w, b, (sh, sw), (ph, pw)).Data, 1e-12, 1e-12);
        // The filters of a transposed convolution are (C_in, C_out, KH, KW): here the conv's W read as (OC, C, KH, KW).
        Reference.AssertClose(new NDArray(deconv, n, c, h, wd), F.Deconv2d(deconvIn, w, null, (sh, sw), (ph, pw), (h, wd)).Data, 1e-12, 1e-12);
    }

    [Fact]
    public void Conv2dGradWIsTheFilterGradientOfConv2d()
    {
        Variable x = Randn(1, 2, 3, 5, 4), w = Randn(2, 4, 3, 2, 3);
        var y = F.Conv2d(x, w, null, (2, 1), (1, 1));
        var gy = Randn(3, y.Shape);
        F.Sum(y * gy).Backward();
        var gw = new Conv2dGradW(2, 3, (2, 1), (1, 1)).Apply(x, gy);
        Reference.AssertClose(w.Grad!.Data, gw.Data, 1e-14, 1e-14);
    }

    // x shape, kernel, stride, pad
    public static TheoryData<int[], (int, int), (int, int), (int, int)> PatchShapes() => new()
    {
        { [1, 2, 4, 4], (3, 3), (1, 1), (0, 0) },
        { [2, 1, 5, 4], (3, 3), (2, 2), (1, 1) },
        { [1, 2, 4, 5], (2, 3), (2, 1), (1, 2) },
    };

    [Theory]
    [MemberData(nameof(PatchShapes))]
    public void Col2imIsTheAdjointOfIm2col(int[] xs, (int, int) k, (int, int) s, (int, int) p)
    {
        // <im2col(x), c> = <x, col2im(c)> for every x and c.
        var x = Randn(1, xs);
        var col = F.Im2col(x, k, s, p, toMatrix: false).Data;
        var c = Randn(2, col.Shape);
        var img = F.Col2im(c, xs, k, s, p, toMatrix: false).Data;
        double lhs = (col * c).Sum().ToScalar<double>(), rhs = (x * img).Sum().ToScalar<double>();
        Assert.True(Math.Abs(lhs - rhs) <= 1e-12 * Math.Abs(lhs), $"{lhs:R} vs {rhs:R}");
    }

    [Fact]
    public void Im2colAndCol2imWithIntArguments()
    {
        var x = Randn(1, 1, 2, 5, 5);
        var col = F.Im2col(x, 3, 2, 1);
        Reference.AssertClose(F.Im2col(x, (3, 3), (2, 2), (1, 1)).Data, col.Data, 0);
        Reference.AssertClose(F.Col2im(col, [1, 2, 5, 5], (3, 3), (2, 2), (1, 1)).Data, F.Col2im(col, [1, 2, 5, 5], 3, 2, 1).Data, 0);
    }

    [Fact]
    public void MixedDTypesPromoteLikeNumPy()
    {
        var x = Randn(1, 1, 2, 4, 4);
        var w = Randn(2, 3, 2, 3, 3);
        var b = Randn(3, 3);
        var expected = F.Conv2d(x, w, b, 1, 1).Data;
        var y = F.Conv2d(x.AsType(DType.Float32), w, b.AsType(DType.Float32), 1, 1).Data;
        Reference.AssertClose(F.Conv2d(x.AsType(DType.Float32).AsType(DType.Float64), w, b.AsType(DType.Float32).AsType(DType.Float64), 1, 1).Data, y, 1e-15, 1e-15);
        Assert.Equal(DType.Float64, y.DType);
        Assert.Equal(DType.Float64, expected.DType);
        // The book adds the bias in place, so it takes the dtype of x and W.
        Assert.Equal(DType.Float32, F.Conv2d(x.AsType(DType.Float32), w.AsType(DType.Float32), b, 1, 1).DType);
        var wt = Randn(4, 2, 3, 3, 3);
        Assert.Equal(DType.Float64, F.Deconv2d(x.AsType(DType.Float32), wt).DType);
    }

    static void AssertThrows<TEx>(Action act, params string[] parts) where TEx : Exception
    {
        var ex = Assert.Throws<TEx>(act);
        foreach (var part in parts) Assert.Contains(part, ex.Message);
    }

    [Fact]
    public void Conv2dRejectsBadInput()
    {
        var x = Randn(1, 1, 2, 3, 3);
        AssertThrows<ArgumentException>(() => F.Conv2d(x, Randn(2, 1, 2, 5, 5)), "F.Conv2d", "(1, 2, 3, 3)", "(5, 5)", "pad (0, 0)");
        AssertThrows<ArgumentException>(() => F.Conv2d(x, Randn(2, 1, 2, 6, 6), null, 1, 1), "F.Conv2d", "(1, 2, 3, 3)", "(6, 6)", "pad (1, 1)");
        AssertThrows<ArgumentException>(() => F.Conv2d(x, Randn(2, 4, 3, 3, 3)), "F.Conv2d", "(1, 2, 3, 3)", "(4, 3, 3, 3)");
        AssertThrows<ArgumentException>(() => F.Conv2d(Randn(1, 2, 3, 3), Randn(2, 4, 2, 3, 3)), "F.Conv2d", "(2, 3, 3)");
        AssertThrows<ArgumentException>(() => F.Conv2d(x, Randn(2, 4, 2, 3, 3), null, 0), "F.Conv2d", "(1, 2, 3, 3)", "stride (0, 0)");
        AssertThrows<ArgumentException>(() => F.Conv2d(x, Randn(2, 4, 2, 3, 3), null, (1, -1), (0, 0)), "F.Conv2d", "stride (1, -1)");
        AssertThrows<ArgumentException>(() => F.Conv2d(x, Randn(2, 4, 2, 3, 3), null, 1, -1), "F.Conv2d", "pad (-1, -1)");
        AssertThrows<ArgumentException>(() => F.Conv2d(x, Randn(2, 4, 2, 3, 3), Randn(3, 3)), "F.Conv2d", "(1, 2, 3, 3)", "(4, 2, 3, 3)", "(3,)");
        AssertThrows<ArgumentException>(() => F.Conv2d(x, Randn(2, 4, 2, 3, 3), Randn(3, 1, 4)), "F.Conv2d", "(1, 4)");
        AssertThrows<ArgumentException>(() => F.Conv2d(new NDArray(new long[18], 1, 2, 3, 3), Randn(2, 4, 2, 3, 3)), "F.Conv2d", "int64");
    }

    [Fact]
    public void Deconv2dRejectsBadInput()
    {
        var x = Randn(1, 1, 2, 3, 3);
        AssertThrows<ArgumentException>(() => F.Deconv2d(x, Randn(2, 3, 4, 3, 3)), "F.Deconv2d", "(1, 2, 3, 3)", "(3, 4, 3, 3)");
        AssertThrows<ArgumentException>(() => F.Deconv2d(Randn(1, 2, 3), Randn(2, 2, 4, 3, 3)), "F.Deconv2d", "(2, 3)");
        AssertThrows<ArgumentException>(() => F.Deconv2d(x, Randn(2, 2, 4, 3, 3), null, 0), "F.Deconv2d", "(1, 2, 3, 3)", "stride (0, 0)");
        AssertThrows<ArgumentException>(() => F.Deconv2d(x, Randn(2, 2, 4, 3, 3), null, 1, 3), "F.Deconv2d", "(1, 2, 3, 3)", "pad (3, 3)");
        AssertThrows<ArgumentException>(() => F.Deconv2d(x, Randn(2, 2, 4, 3, 3), null, 2, 0, (9, 7)), "F.Deconv2d", "(1, 2, 3, 3)", "(9, 7)");
        AssertThrows<ArgumentException>(() => F.Deconv2d(x, Randn(2, 2, 4, 3, 3), Randn(3, 2)), "F.Deconv2d", "(1, 2, 3, 3)", "(2,)");
    }

    [Fact]
    public void Im2colAndCol2imRejectBadInput()
    {
        var x = Randn(1, 1, 2, 3, 3);
        AssertThrows<ArgumentException>(() => F.Im2col(x, 4), "F.Im2col", "(1, 2, 3, 3)", "(4, 4)");
        AssertThrows<ArgumentException>(() => F.Im2col(x, 2, 0), "F.Im2col", "(1, 2, 3, 3)", "stride (0, 0)");
        AssertThrows<ArgumentException>(() => F.Im2col(Randn(1, 3, 3), 2), "F.Im2col", "(3, 3)");
        AssertThrows<ArgumentException>(() => F.Col2im(Randn(1, 4, 7), [1, 2, 3, 3], 2), "F.Col2im", "(4, 7)", "(1, 2, 3, 3)");
        AssertThrows<ArgumentException>(() => F.Col2im(Randn(1, 4, 8), [2, 3, 3], 2), "F.Col2im", "(2, 3, 3)");
        AssertThrows<ArgumentException>(() => F.Col2im(Randn(1, 4, 8), [1, 2, 3, 3], 4), "F.Col2im", "(1, 2, 3, 3)", "(4, 4)");
    }
}
