using System.Buffers.Binary;
using DeZero.Plotting;
using ScottPlot;
using SkiaSharp;

namespace DeZero.Plotting.Tests;

/// <summary>Every figure is a PNG of the requested size that shows what it should.</summary>
/// <remarks>Set DEZERO_PLOTS_OUT to a folder to keep the pictures for a look; otherwise they go to a temporary folder.</remarks>
public sealed class PlotsTests : IDisposable
{
    readonly string dir;
    readonly bool keep;

    public PlotsTests()
    {
        var outDir = Environment.GetEnvironmentVariable("DEZERO_PLOTS_OUT");
        keep = !string.IsNullOrEmpty(outDir);
        dir = keep ? Directory.CreateDirectory(outDir!).FullName : Directory.CreateTempSubdirectory("dezero-plots-").FullName;
    }

    public void Dispose()
    {
        if (!keep) Directory.Delete(dir, true);
    }

    string Out(string name) => Path.Combine(dir, name);

    // ---- the four figures ----

    [Fact]
    public void ScatterWithCurve_DrawsPointsAndPredictedCurveOverTheDataRange()
    {
        // Steps 43-45: y = sin(2πx) + noise, fitted by its mean sin(2πx) + 0.5.
        var rs = new RandomState(0);
        var x = rs.Rand(100, 1);
        var y = NDArray.Sin(2 * Math.PI * x) + rs.Rand(100, 1);
        NDArray? seen = null;
        var path = Plots.ScatterWithCurve(Out("scatter.png"), x, y, cx => { seen = cx; return NDArray.Sin(2 * Math.PI * cx) + 0.5; }, "sin fit");

        Assert.Equal(Path.GetFullPath(Out("scatter.png")), path);
        AssertPng(path, 640, 480);
        Assert.NotNull(seen);
        Assert.Equal([Plots.CurvePoints, 1], seen!.Shape);
        var cx = seen.ToArray<double>();
        Assert.Equal(x.ToArray<double>().Min(), cx[0]);
        Assert.Equal(x.ToArray<double>().Max(), cx[^1]);
        using var bmp = Decode(path);
        Assert.True(Count(bmp, Plots.Palette[0]) > 200, "the data points are drawn in blue");
        Assert.True(Count(bmp, Plots.Palette[3]) > 200, "the curve is drawn in red");
    }

    [Fact]
    public void ScatterWithCurve_TakesTheCurveAsArraysAndHonoursTheSize()
    {
        var x = NDArray.Linspace(-1, 1, 20);
        var y = x * x;
        var cx = NDArray.Linspace(-1, 1, 5).Reshape(5, 1);
        var path = Plots.ScatterWithCurve(Out("scatter-arrays.png"), x, y, cx, cx * cx, width: 800, height: 300);

        AssertPng(path, 800, 300);
        using var bmp = Decode(path);
        Assert.True(Count(bmp, Plots.Palette[3]) > 200, "the curve is drawn in red");
    }

    [Fact]
    public void ScatterWithCurve_RejectsMismatchedOrMisshapenArrays()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Plots.ScatterWithCurve(Out("bad.png"), NDArray.Zeros(3), NDArray.Zeros(4), NDArray.Zeros(2), NDArray.Zeros(2)));
        Assert.Contains("Plots.ScatterWithCurve", e.Message);
        Assert.Contains("(3,) float64", e.Message);
        Assert.Contains("(4,) float64", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            Plots.ScatterWithCurve(Out("bad.png"), NDArray.Zeros(3, 2), NDArray.Zeros(3), x => x));
        Assert.Contains("(3, 2) float64", e.Message);
        Assert.False(File.Exists(Out("bad.png")));
    }

    [Fact]
    public void DecisionRegions_DrawsTheSpiralRegionsAndClassMarkers()
    {
        var (x, t) = Spiral(new RandomState(1));
        var labels = t.ToArray<long>();
        var xy = x.ToArray<double>();
        NDArray? seen = null;
        // The nearest training point's class stands in for a trained model: three interleaved spiral arms.
        NDArray Nearest(NDArray grid)
        {
            seen = grid;
            var g = grid.ToArray<double>();
            var result = new long[grid.Shape[0]];
            for (int i = 0; i < result.Length; i++)
            {
                double best = double.PositiveInfinity;
                for (int j = 0; j < labels.Length; j++)
                {
                    double d0 = g[2 * i] - xy[2 * j], d1 = g[2 * i + 1] - xy[2 * j + 1], d = d0 * d0 + d1 * d1;
                    if (d < best) (best, result[i]) = (d, labels[j]);
                }
            }
            return new NDArray(result, result.Length);
        }
        var path = Plots.DecisionRegions(Out("spiral.png"), x, t, Nearest, "spiral (1-NN)", resolution: 200);

        AssertPng(path, 640, 480);
        Assert.Equal([200 * 200, 2], seen!.Shape);
        Assert.Equal(DType.Float64, seen.DType);
        using var bmp = Decode(path);
        for (int k = 0; k < 3; k++)
        {
            Assert.True(Count(bmp, Plots.RegionColor(k)) > 10_000, $"class {k} has a region");
            Assert.True(Count(bmp, Plots.Palette[k]) > 50, $"class {k} has points");
        }
    }

    [Fact]
    public void DecisionRegions_PutsEachClassRegionWhereThePredictionSaysAndHonoursTheSize()
    {
        // Points only in the corners; the quadrants are classes 0 (x < 0, y < 0), 1 (x > 0, y < 0), 2 (x < 0, y > 0), 3.
        var x = NDArray.FromArray(new double[,] { { -1, -1 }, { 1, -1 }, { -1, 1 }, { 1, 1 } });
        var t = NDArray.FromArray(new long[] { 0, 1, 2, 3 });
        NDArray Quadrants(NDArray g)
        {
            var v = g.ToArray<double>();
            return new NDArray(Enumerable.Range(0, g.Shape[0]).Select(i => (v[2 * i] > 0 ? 1 : 0) + (v[2 * i + 1] > 0 ? 2 : 0)).ToArray(), g.Shape[0]);
        }
        var path = Plots.DecisionRegions(Out("quadrants.png"), x, t, Quadrants, width: 500, height: 400);

        AssertPng(path, 500, 400);
        using var bmp = Decode(path);
        AssertNear(Plots.RegionColor(0), bmp.GetPixel(150, 300));
        AssertNear(Plots.RegionColor(1), bmp.GetPixel(420, 300));
        AssertNear(Plots.RegionColor(2), bmp.GetPixel(150, 100));
        AssertNear(Plots.RegionColor(3), bmp.GetPixel(420, 100));
    }

    [Fact]
    public void DecisionRegions_RejectsBadShapesAndLabels()
    {
        var x = NDArray.Zeros(4, 2);
        var e = Assert.Throws<ArgumentException>(() => Plots.DecisionRegions(Out("bad.png"), NDArray.Zeros(4, 3), NDArray.Zeros(4), g => g));
        Assert.Contains("(4, 3) float64", e.Message);
        e = Assert.Throws<ArgumentException>(() => Plots.DecisionRegions(Out("bad.png"), x, NDArray.Zeros(3), g => g));
        Assert.Contains("4 labels", e.Message);
        e = Assert.Throws<ArgumentException>(() => Plots.DecisionRegions(Out("bad.png"), x, NDArray.Full([4], 0.5), g => g));
        Assert.Contains("integer class labels", e.Message);
        e = Assert.Throws<ArgumentException>(() => Plots.DecisionRegions(Out("bad.png"), x, NDArray.Zeros(4), g => NDArray.Zeros(7), resolution: 10));
        Assert.Contains("predictClass", e.Message);
        Assert.Contains("100 labels", e.Message);
        Assert.False(File.Exists(Out("bad.png")));
    }

    [Fact]
    public void Curves_DrawsOneLinePerSeries()
    {
        var loss = Enumerable.Range(0, 30).Select(e => 1.2 * Math.Exp(-e / 8.0) + 0.05).ToArray();
        var testLoss = loss.Select(v => v * 1.15 + 0.03).ToArray();
        var series = new Dictionary<string, IReadOnlyList<double>> { ["train"] = loss, ["test"] = testLoss };
        var path = Plots.Curves(Out("curves.png"), series, title: "loss per epoch");

        AssertPng(path, 640, 480);
        using var bmp = Decode(path);
        Assert.True(Count(bmp, Plots.Palette[0]) > 300, "train is drawn in blue");
        Assert.True(Count(bmp, Plots.Palette[1]) > 300, "test is drawn in orange");
        Assert.True(Count(bmp, Plots.Palette[2]) == 0, "no third line");
    }

    [Fact]
    public void Curves_HonoursTheSizeAndRejectsEmptySeries()
    {
        var series = new Dictionary<string, IReadOnlyList<double>> { ["accuracy"] = [0.5, 0.7, 0.8, 0.85] };
        AssertPng(Plots.Curves(Out("accuracy.png"), series, yLabel: "accuracy", width: 320, height: 200), 320, 200);

        Assert.Throws<ArgumentException>(() => Plots.Curves(Out("bad.png"), new Dictionary<string, IReadOnlyList<double>>()));
        var e = Assert.Throws<ArgumentException>(() =>
            Plots.Curves(Out("bad.png"), new Dictionary<string, IReadOnlyList<double>> { ["loss"] = [] }));
        Assert.Contains("'loss'", e.Message);
    }

    [Fact]
    public void ImageGrid_ShowsGrayscaleImagesInUnitRangeInOrderOnWhite()
    {
        // Two 4×4 images side by side: black, then mid-gray.
        var data = new double[2 * 4 * 4];
        for (int i = 16; i < 32; i++) data[i] = 0.5;
        var path = Plots.ImageGrid(Out("two.png"), new NDArray(data, 2, 4, 4), columns: 2, width: 200, height: 100);

        AssertPng(path, 200, 100);
        using var bmp = Decode(path);
        AssertNear(new Color(0, 0, 0), bmp.GetPixel(50, 50));
        AssertNear(new Color(128, 128, 128), bmp.GetPixel(150, 50));
    }

    [Fact]
    public void ImageGrid_ScalesByteValuesAndWrapsRows()
    {
        // Five (1, 2, 2) images in [0, 255] with gray levels 0, 64, 128, 192, 224, two per row; the sixth cell is empty.
        byte[] levels = [0, 64, 128, 192, 224];
        var data = levels.SelectMany(l => Enumerable.Repeat((double)l, 4)).ToArray();
        var path = Plots.ImageGrid(Out("levels.png"), new NDArray(data, 5, 1, 2, 2), columns: 2, width: 300, height: 300);

        AssertPng(path, 300, 300);
        using var bmp = Decode(path);
        for (int i = 0; i < 5; i++)
            AssertNear(new Color(levels[i], levels[i], levels[i]), At(bmp, CellCentre(i, 2, 3, 300, 300)));
        AssertNear(new Color(255, 255, 255), At(bmp, CellCentre(5, 2, 3, 300, 300)));
    }

    [Fact]
    public void ImageGrid_ShowsMnistSizedGrayscaleAndRgbImages()
    {
        // MNIST-sized samples: rings of growing radius on black, and colour images with a red-green-blue split.
        var gray = new double[20 * 28 * 28];
        for (int i = 0; i < 20; i++)
            for (int r = 0; r < 28; r++)
                for (int c = 0; c < 28; c++)
                {
                    double d = Math.Sqrt((r - 13.5) * (r - 13.5) + (c - 13.5) * (c - 13.5));
                    gray[(i * 28 + r) * 28 + c] = Math.Max(0, 1 - Math.Abs(d - (3 + i * 0.5)) / 1.5);
                }
        var rings = Plots.ImageGrid(Out("rings.png"), new NDArray(gray, 20, 28, 28), columns: 5);
        AssertPng(rings, 640, 480);
        using (var bmp0 = Decode(rings))
        {
            var (cx, cy) = CellCentre(0, 5, 4, 640, 480);
            AssertNear(new Color(0, 0, 0), bmp0.GetPixel(cx, cy));
            // 3.5 image pixels right of the centre lies on the first ring (radius 3, 1.5 wide): bright and gray.
            float cell = (480 - 5f * Plots.GridGap) / 4;
            var ring = bmp0.GetPixel(cx + (int)(cell * 3.5 / 28), cy);
            Assert.True(ring.Red > 150 && ring.Red == ring.Green && ring.Green == ring.Blue, $"ring pixel {ring}");
        }

        var rgb = new double[6 * 3 * 8 * 8];
        for (int i = 0; i < 6; i++)
            for (int p = 0; p < 64; p++)
                rgb[(i * 3 + i % 3) * 64 + p] = 1;
        var path = Plots.ImageGrid(Out("rgb.png"), new NDArray(rgb, 6, 3, 8, 8), columns: 3);

        AssertPng(path, 640, 480);
        using var bmp = Decode(path);
        Color[] expected = [new(255, 0, 0), new(0, 255, 0), new(0, 0, 255)];
        for (int i = 0; i < 6; i++)
            AssertNear(expected[i % 3], At(bmp, CellCentre(i, 3, 2, 640, 480)));
    }

    [Fact]
    public void ImageGrid_RejectsOtherShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Plots.ImageGrid(Out("bad.png"), NDArray.Zeros(2, 2, 4, 4)));
        Assert.Contains("(2, 2, 4, 4) float64", e.Message);
        Assert.Throws<ArgumentException>(() => Plots.ImageGrid(Out("bad.png"), NDArray.Zeros(16, 16)));
        Assert.False(File.Exists(Out("bad.png")));
    }

    // ---- errors shared by every figure ----

    public static TheoryData<string> Figures => ["ScatterWithCurve", "DecisionRegions", "Curves", "ImageGrid"];

    static string Draw(string figure, string path, int width = 640, int height = 480) => figure switch
    {
        "ScatterWithCurve" => Plots.ScatterWithCurve(path, NDArray.Arange(3.0, 6.0), NDArray.Arange(0.0, 3.0), x => x, width: width, height: height),
        "DecisionRegions" => Plots.DecisionRegions(path, NDArray.Eye(2), NDArray.Arange(2), g => NDArray.Zeros(g.Shape[0]), resolution: 4, width: width, height: height),
        "Curves" => Plots.Curves(path, new Dictionary<string, IReadOnlyList<double>> { ["loss"] = [3, 2, 1] }, width: width, height: height),
        _ => Plots.ImageGrid(path, NDArray.Ones(3, 5, 5), width: width, height: height),
    };

    [Theory, MemberData(nameof(Figures))]
    public void WritingIntoAMissingFolderNamesTheFigureAndThePath(string figure)
    {
        var path = Path.Combine(dir, "missing", "figure.png");
        var e = Assert.ThrowsAny<IOException>(() => Draw(figure, path));
        Assert.Contains($"Plots.{figure}", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Theory, MemberData(nameof(Figures))]
    public void WritingOverAFolderNamesTheFigureAndThePath(string figure)
    {
        var e = Record.Exception(() => Draw(figure, dir));
        Assert.True(e is IOException or UnauthorizedAccessException, $"got {e?.GetType().Name ?? "no exception"}");
        Assert.Contains($"Plots.{figure}", e!.Message);
        Assert.Contains(dir, e.Message);
    }

    [Theory, MemberData(nameof(Figures))]
    public void ANonPositiveSizeIsRejected(string figure)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => Draw(figure, Out("empty.png"), 0, 480));
        Assert.Contains("0×480", e.Message);
        Assert.False(File.Exists(Out("empty.png")));
    }

    // ---- helpers ----

    // The book's spiral data set: three arms of 100 points each with noisy angles.
    static (NDArray X, NDArray T) Spiral(RandomState rs)
    {
        const int perClass = 100, classes = 3;
        var x = new double[perClass * classes * 2];
        var t = new long[perClass * classes];
        for (int j = 0; j < classes; j++)
            for (int i = 0; i < perClass; i++)
            {
                double rate = (double)i / perClass, theta = j * 4.0 + 4.0 * rate + rs.NextGaussian() * 0.2;
                int ix = perClass * j + i;
                x[2 * ix] = rate * Math.Sin(theta);
                x[2 * ix + 1] = rate * Math.Cos(theta);
                t[ix] = j;
            }
        return (new NDArray(x, perClass * classes, 2), new NDArray(t, perClass * classes));
    }

    // Checks the PNG signature and reads the size from the IHDR chunk.
    static void AssertPng(string path, int width, int height)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 33, "the PNG holds more than its header");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    // The centre of cell i of a grid of square cells, scaled to fit with GridGap pixels around and between them, centred.
    static (int X, int Y) CellCentre(int i, int cols, int rows, int width, int height)
    {
        float gap = Plots.GridGap, cell = Math.Min((width - gap * (cols + 1)) / cols, (height - gap * (rows + 1)) / rows);
        float left = (width - cols * cell - (cols - 1) * gap) / 2, top = (height - rows * cell - (rows - 1) * gap) / 2;
        return ((int)(left + (i % cols) * (cell + gap) + cell / 2), (int)(top + (i / cols) * (cell + gap) + cell / 2));
    }

    static SKColor At(SKBitmap bmp, (int X, int Y) p) => bmp.GetPixel(p.X, p.Y);

    static SKBitmap Decode(string path) => SKBitmap.Decode(path) ?? throw new InvalidOperationException($"{path} does not decode as an image");

    static bool Near(Color want, SKColor got, int tolerance = 6) =>
        Math.Abs(want.R - got.Red) <= tolerance && Math.Abs(want.G - got.Green) <= tolerance && Math.Abs(want.B - got.Blue) <= tolerance;

    static void AssertNear(Color want, SKColor got) =>
        Assert.True(Near(want, got), $"expected about {want.ToHex()}, got {got}");

    static int Count(SKBitmap bmp, Color color)
    {
        int n = 0;
        for (int y = 0; y < bmp.Height; y++)
            for (int x = 0; x < bmp.Width; x++)
                if (Near(color, bmp.GetPixel(x, y))) n++;
        return n;
    }
}
