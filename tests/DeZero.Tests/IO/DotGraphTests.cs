using System.Text.RegularExpressions;
using F = DeZero.Functions;

namespace DeZero.Tests.IO;

public class DotGraphTests
{
    static (Dictionary<string, string> nodes, List<(string from, string to)> edges) Parse(string dot)
    {
        var nodes = new Dictionary<string, string>();
        var edges = new List<(string, string)>();
        foreach (var line in dot.Split('\n'))
        {
            var m = Regex.Match(line, @"^(\d+) \[label=""([^""]*)"", color=(\w+), style=filled(, shape=box)?\]$");
            if (m.Success) { nodes[m.Groups[1].Value] = m.Groups[3].Value + ":" + m.Groups[2].Value; continue; }
            var e = Regex.Match(line, @"^(\d+) -> (\d+)$");
            if (e.Success) edges.Add((e.Groups[1].Value, e.Groups[2].Value));
        }
        return (nodes, edges);
    }

    [Fact]
    public void GraphOfAnExpressionHasTheBooksNodesAndEdges()
    {
        var x0 = new Variable(NDArray.FromArray(new[] { 1.0, 2.0 }), "x0");
        var x1 = new Variable(NDArray.FromArray(new[] { 3.0, 4.0 }), "x1");
        var y = x0 + x1;
        y.Name = "y";
        var dot = Utils.GetDotGraph(y, verbose: true);
        Assert.StartsWith("digraph g {\n", dot);
        Assert.EndsWith("}", dot);
        var (nodes, edges) = Parse(dot);
        Assert.Equal(4, nodes.Count);
        Assert.Contains("orange:x0: (2,) float64", nodes.Values);
        Assert.Contains("orange:y: (2,) float64", nodes.Values);
        Assert.Contains("lightblue:Add", nodes.Values);
        string Node(string label) => nodes.Single(kv => kv.Value == label).Key;
        Assert.Contains((Node("orange:x0: (2,) float64"), Node("lightblue:Add")), edges);
        Assert.Contains((Node("orange:x1: (2,) float64"), Node("lightblue:Add")), edges);
        Assert.Contains((Node("lightblue:Add"), Node("orange:y: (2,) float64")), edges);
        Assert.Equal(3, edges.Count);
    }

    [Fact]
    public void TanhSecondDerivativeGraphIsNotVerbose()
    {
        var x = new Variable(NDArray.Scalar(1.0), "x");
        F.Tanh(x).Backward(createGraph: true);
        var gx = x.Grad!;
        x.ClearGrad();
        gx.Backward(createGraph: true);
        var g2 = x.Grad!;
        g2.Name = "gx2";
        var (nodes, edges) = Parse(Utils.GetDotGraph(g2, verbose: false));
        Assert.Contains("orange:gx2", nodes.Values);
        Assert.Contains("orange:x", nodes.Values);
        Assert.Contains(nodes.Values, v => v == "lightblue:Tanh");
        Assert.Contains(nodes.Values, v => v == "lightblue:Mul");
        Assert.All(edges, e => Assert.True(nodes.ContainsKey(e.from) && nodes.ContainsKey(e.to)));
        // Every function node has at least one input and one output edge.
        foreach (var f in nodes.Where(kv => kv.Value.StartsWith("lightblue")).Select(kv => kv.Key))
        {
            Assert.Contains(edges, e => e.to == f);
            Assert.Contains(edges, e => e.from == f);
        }
    }

    [Fact]
    public void PlotDotGraphWritesDotAndRendersWhenGraphvizIsInstalled()
    {
        var dir = Directory.CreateTempSubdirectory("dezero-dot").FullName;
        try
        {
            var x = new Variable(NDArray.Scalar(0.5), "x");
            var y = F.Sin(x);
            var png = Path.Combine(dir, "sin.png");
            var written = Utils.PlotDotGraph(y, verbose: true, toFile: png);
            Assert.True(File.Exists(Path.Combine(dir, "sin.dot")));
            if (written == png)
            {
                var bytes = File.ReadAllBytes(png);
                Assert.True(bytes.Length > 8 && bytes[0] == 0x89 && bytes[1] == (byte)'P' && bytes[2] == (byte)'N' && bytes[3] == (byte)'G');
            }
            else Assert.Equal(Path.Combine(dir, "sin.dot"), written);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData("a\\")]
    [InlineData("say \"hi\"")]
    [InlineData("two\nlines\\")]
    [InlineData("\\\"")]
    public void NamesWithBackslashesQuotesAndNewlinesAreEscaped(string name)
    {
        var x = new Variable(NDArray.Scalar(0.5), name);
        var dot = Utils.GetDotGraph(F.Sin(x), verbose: false);
        var line = dot.Split('\n').Single(l => l.Contains("color=orange") && l.Contains("label=\"" + name[0]));
        // The label is one DOT string: an even number of backslashes before its closing quote, and no raw newline.
        int close = line.IndexOf("\", color=orange", StringComparison.Ordinal);
        int slashes = 0;
        while (line[close - 1 - slashes] == '\\') slashes++;
        Assert.Equal(0, slashes % 2);
        var dir = Directory.CreateTempSubdirectory("dezero-dot").FullName;
        try
        {
            // Graphviz parses the file (checked only where it is installed).
            var png = Path.Combine(dir, "g.png");
            Utils.PlotDotGraph(F.Sin(x), toFile: png);
            Assert.True(File.Exists(Path.Combine(dir, "g.dot")));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void MaxInchesScalesALargePictureDown()
    {
        var dir = Directory.CreateTempSubdirectory("dezero-dot").FullName;
        try
        {
            var x = new Variable(NDArray.Scalar(0.5), "x");
            var y = F.Sin(F.Cos(F.Exp(x)));
            var png = Path.Combine(dir, "small.png");
            if (Utils.PlotDotGraph(y, verbose: true, toFile: png, maxInches: 0.5) != png) return; // Graphviz missing
            var header = File.ReadAllBytes(png).AsSpan(16, 8);
            int width = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header);
            int height = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header[4..]);
            Assert.True(width <= 49 && height <= 49, $"a 0.5-inch cap gave {width}x{height} px");
        }
        finally { Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void MaxInchesMustBePositive(double maxInches)
    {
        var y = F.Sin(new Variable(NDArray.Scalar(0.5)));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Utils.PlotDotGraph(y, toFile: "unused.png", maxInches: maxInches));
        Assert.Equal("maxInches", e.ParamName);
    }

    [Fact]
    public void UnwritablePathGivesAClearError()
    {
        var y = F.Sin(new Variable(NDArray.Scalar(0.5)));
        Assert.ThrowsAny<IOException>(() => Utils.PlotDotGraph(y, toFile: "/nonexistent-dir/x/graph.png"));
    }
}

public class ModelPlotTests
{
    sealed class TwoLayerNet : DeZero.Models.Model
    {
        readonly DeZero.Layers.Linear l1 = new(5, inSize: 2, rng: new RandomState(0)), l2 = new(1, inSize: 5, rng: new RandomState(1));
        public override Variable Forward(Variable x) => l2.Call(F.Sigmoid(l1.Call(x)));
    }

    [Fact]
    public void TwoLayerModelGraphHasItsLayersFunctionsAndParameters()
    {
        var dir = Directory.CreateTempSubdirectory("dezero-model").FullName;
        try
        {
            var model = new TwoLayerNet();
            var x = new Variable(NDArray.Ones([3, 2], DType.Float32), "x");
            var written = model.Plot(x, Path.Combine(dir, "model.png"));
            var dot = File.ReadAllText(Path.Combine(dir, "model.dot"));
            var labels = System.Text.RegularExpressions.Regex.Matches(dot, @"label=""([^""]*)""").Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(2, labels.Count(l => l == "Linear"));
            Assert.Contains("Sigmoid", labels);
            Assert.Contains("x: (3, 2) float32", labels);
            Assert.Contains("W: (2, 5) float32", labels);
            Assert.Contains("b: (5,) float32", labels);
            Assert.Contains("W: (5, 1) float32", labels);
            Assert.Contains("(3, 1) float32", labels);
            Assert.Equal(10, dot.Split('\n').Count(l => l.Contains("->")));
            Assert.True(File.Exists(written));
        }
        finally { Directory.Delete(dir, true); }
    }
}
