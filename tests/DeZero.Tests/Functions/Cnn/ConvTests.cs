using DeZero.Ops;
using static DeZero.Tests.Functions.Cnn.CnnCheck;
using F = DeZero.Functions;

namespace DeZero.Tests.Functions.Cnn;

/// <summary>Conv2d, Deconv2d, Conv2dGradW, Im2col and Col2im against the book's DeZero (tests/data/cnn.json) and numerically.</summary>
public class ConvTests
{
    public static TheoryData<string, DType> Conv2dCases() => Cases("conv2d");
    public static TheoryData<string, DType> Deconv2dCases() => Cases("deconv2d");
    public static TheoryData<string, DType> Im2colCases() => Cases("im2col");

    static Variable? Opt(NDArray? a) => a is null ? null : new Variable(a);

    [Theory]
    [MemberData(nameof(Conv2dCases))]
    public void Conv2dMatchesDeZero(string name, DType dt)
    {
        var c = Case("conv2d", name);
        var (s, p) = (Pair(c, "stride"), Pair(c, "pad"));
        Variable x = In(c, "x", dt), w = In(c, "W", dt);
        var b = Opt(Input(c, "b", dt));
        var y = s.Item1 == s.Item2 && p.Item1 == p.Item2 ? F.Conv2d(x, w, b, s.Item1, p.Item1) : F.Conv2d(x, w, b, s, p);
        AssertRef(c, "y", dt, y.Data);
        AssertBackward(c, dt, y, ("x", x), ("W", w), ("b", b));
    }

    [Theory]
    [MemberData(nameof(Deconv2dCases))]
    public void Deconv2dMatchesDeZero(string name, DType dt)
    {
        var c = Case("deconv2d", name);
        var (s, p) = (Pair(c, "stride"), Pair(c, "pad"));
        (int, int)? outsize = c.GetProperty("outsize").ValueKind == System.Text.Json.JsonValueKind.Null ? null : Pair(c, "outsize");
        Variable x = In(c, "x", dt), w = In(c, "W", dt);
        var b = Opt(Input(c, "b", dt));
        var y = s.Item1 == s.Item2 && p.Item1 == p.Item2
            ? F.Deconv2d(x, w, b, s.Item1, p.Item1, outsize)
            : F.Deconv2d(x, w, b, s, p, outsize);
        AssertRef(c, "y", dt, y.Data);
        AssertBackward(c, dt, y, ("x", x), ("W", w), ("b", b));
    }

    [Theory]
    [MemberData(nameof(Im2colCases))]
    public void Im2colAndCol2imMatchDeZero(string name, DType dt)
    {
        var c = Case("im2col", name);
        var (k, s, p) = (Pair(c, "kernel"), Pair(c, "stride"), Pair(c, "pad"));
        bool toMatrix = c.GetProperty("to_matrix").GetBoolean();
        Variable x = In(c, "x", dt);
        var y = c.GetProperty("op").GetString() == "im2col"
            ? F.Im2col(x, k, s, p, toMatrix)
            : F.Col2im(x, c.GetProperty("image_shape").EnumerateArray().Select(e => e.GetInt32()).ToArray(), k, s, p, toMatrix);
        AssertRef(c, "y", dt, y.Data);
        AssertBackward(c, dt, y, ("x", x));
    }

    // x shape, W shape (OC, C, KH, KW), stride, pad, bias
    public static TheoryData<int[], int[], (int, int), (int, int), bool> ConvShapes() => new()
    {
        { [1, 1, 4, 4], [1, 1, 3, 3], (1, 1), (0, 0), false },
        { [2, 2, 4, 5], [3, 2, 3, 3], (1, 1), (1, 1), true },
        { [1, 2, 5, 5], [2, 2, 3, 3], (2, 2), (1, 1), true },
        { [1, 1, 5, 4], [2, 1, 2, 2], (2, 2), (0, 0), false },
        { [1, 1, 3, 3], [1, 1, 3, 3], (1, 1), (2, 2), true },
        { [1, 2, 5, 6], [2, 2, 2, 3], (2, 1), (1, 0), true },
    };

    static NDArray[] ConvInputs(int[] xs, int[] ws, bool bias, bool deconv = false) => bias
        ? [Randn(1, xs), Randn(2, ws), Randn(3, ws[deconv ? 1 : 0])]
        : [Randn(1, xs), Randn(2, ws)];

    static Variable Conv(Variable[] v, (int, int) s, (int, int) p) => F.Conv2d(v[0], v[1], v.Length > 2 ? v[2] : null, s, p);

    [Theory]
    [MemberData(nameof(ConvShapes))]
    public void Conv2dGradientCheck(int[] xs, int[] ws, (int, int) s, (int, int) p, bool bias) =>
        GradientCheck(v => Conv(v, s, p), ConvInputs(xs, ws, bias));

    [Theory]
    [MemberData(nameof(ConvShapes))]
    public void Conv2dSecondOrder(int[] xs, int[] ws, (int, int) s, (int, int) p, bool bias) =>
        GradientCheck(GradOf(v => Conv(v, s, p)), ConvInputs(xs, ws, bias));

    // x shape, W shape (C, OC, KH, KW), stride, pad, outsize, bias
    public static TheoryData<int[], int[], (int, int), (int, int), (int, int)?, bool> DeconvShapes() => new()
    {
        { [1, 1, 3, 3], [1, 1, 3, 3], (1, 1), (0, 0), null, false },
        { [2, 2, 3, 2], [2, 3, 3, 3], (1, 1), (1, 1), null, true },
        { [1, 2, 3, 3], [2, 2, 3, 3], (2, 2), (1, 1), null, true },
        { [1, 1, 3, 3], [1, 2, 3, 3], (2, 2), (1, 1), (6, 6), true },
        { [1, 2, 2, 3], [2, 1, 2, 3], (3, 2), (0, 1), (7, 6), false },
    };

    static Variable Deconv(Variable[] v, (int, int) s, (int, int) p, (int, int)? o) =>
        F.Deconv2d(v[0], v[1], v.Length > 2 ? v[2] : null, s, p, o);

    [Theory]
    [MemberData(nameof(DeconvShapes))]
    public void Deconv2dGradientCheck(int[] xs, int[] ws, (int, int) s, (int, int) p, (int, int)? o, bool bias) =>
        GradientCheck(v => Deconv(v, s, p, o), ConvInputs(xs, ws, bias, deconv: true));

    [Theory]
    [MemberData(nameof(DeconvShapes))]
    public void Deconv2dSecondOrder(int[] xs, int[] ws, (int, int) s, (int, int) p, (int, int)? o, bool bias) =>
        GradientCheck(GradOf(v => Deconv(v, s, p, o)), ConvInputs(xs, ws, bias, deconv: true));

    static NDArray[] GradWInputs(int[] xs, int[] ws, (int, int) s, (int, int) p)
    {
        int oh = (xs[2] + 2 * p.Item1 - ws[2]) / s.Item1 + 1, ow = (xs[3] + 2 * p.Item2 - ws[3]) / s.Item2 + 1;
        return [Randn(1, xs), Randn(4, xs[0], ws[0], oh, ow)];
    }

    [Theory]
    [MemberData(nameof(ConvShapes))]
    public void Conv2dGradWGradientCheck(int[] xs, int[] ws, (int, int) s, (int, int) p, bool bias)
    {
        _ = bias;
        GradientCheck(v => new Conv2dGradW(ws[2], ws[3], s, p).Apply(v[0], v[1]), GradWInputs(xs, ws, s, p));
    }

    [Theory]
    [MemberData(nameof(ConvShapes))]
    public void Conv2dGradWSecondOrder(int[] xs, int[] ws, (int, int) s, (int, int) p, bool bias)
    {
        _ = bias;
        GradientCheck(GradOf(v => new Conv2dGradW(ws[2], ws[3], s, p).Apply(v[0], v[1])), GradWInputs(xs, ws, s, p));
    }

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
    public void Im2colGradientChecks(int[] xs, (int, int) k, (int, int) s, (int, int) p)
    {
        foreach (var toMatrix in new[] { true, false })
        {
            GradientCheck(v => F.Im2col(v[0], k, s, p, toMatrix), Randn(1, xs));
            GradientCheck(GradOf(v => F.Im2col(v[0], k, s, p, toMatrix)), Randn(1, xs));
        }
    }

    [Theory]
    [MemberData(nameof(PatchShapes))]
    public void Col2imGradientChecks(int[] xs, (int, int) k, (int, int) s, (int, int) p)
    {
        foreach (var toMatrix in new[] { true, false })
        {
            var colShape = F.Im2col(NDArray.Zeros(xs), k, s, p, toMatrix).Shape;
            GradientCheck(v => F.Col2im(v[0], xs, k, s, p, toMatrix), Randn(1, colShape));
            GradientCheck(GradOf(v => F.Col2im(v[0], xs, k, s, p, toMatrix)), Randn(1, colShape));
        }
    }

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
