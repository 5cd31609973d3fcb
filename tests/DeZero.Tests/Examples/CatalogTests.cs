using DeZero.Examples;

namespace DeZero.Tests.Examples;

public class CatalogTests
{
    [Fact]
    public void EveryExampleHasAUniqueNameAndARowInTheReadmeWithItsUsageAndTime()
    {
        var names = Catalog.All.Select(e => e.Name).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "README.md"))) dir = Path.GetDirectoryName(dir)!;
        var readme = File.ReadAllText(Path.Combine(dir, "README.md"));
        var rows = readme.Split('\n');
        foreach (var e in Catalog.All)
            Assert.Contains(e.Time, Assert.Single(rows, r => r.StartsWith($"| `{e.Usage}` |")));
    }

    [Fact]
    public void ListShowsEachExamplesArgumentsDefaultsTimeAndFiles()
    {
        var w = new StringWriter();
        Catalog.Print(w);
        var lines = w.ToString().Split('\n');
        foreach (var e in Catalog.All)
        {
            int at = Array.FindIndex(lines, l => l.TrimStart().StartsWith(e.Usage + " ") || l.Trim() == e.Usage);
            Assert.True(at >= 0, $"list has no line for {e.Usage}");
            var line = lines[at].Trim() == e.Usage ? lines[at + 1] : lines[at];
            Assert.Contains(e.Time, line);
            Assert.Contains(e.Writes, line);
            foreach (var p in e.Parameters) Assert.Contains(p.Usage, lines[at]);
        }
    }

    [Theory]
    [InlineData("fashion-mnist")]
    [InlineData("Fashion-MNIST")]
    [InlineData("STEP43")]
    public void NamesAreCaseInsensitive(string name) =>
        Assert.Equal(name.ToLowerInvariant(), Catalog.Parse([name]).Example.Name);

    [Theory]
    [InlineData("fasion-mnist", "fashion-mnist")]
    [InlineData("mnist", "fashion-mnist")]
    [InlineData("spirale", "spiral")]
    [InlineData("stepp43", "step43")]
    public void UnknownNamesGetTheClosestSuggestion(string name, string suggestion)
    {
        var e = Assert.Throws<UsageException>(() => Catalog.Parse([name]));
        Assert.Contains($"did you mean '{suggestion}'?", e.Message);
    }

    [Fact]
    public void ANameLikeNoneGetsNoSuggestion() =>
        Assert.DoesNotContain("did you mean", Assert.Throws<UsageException>(() => Catalog.Parse(["qqqqqqqqqq"])).Message);

    [Fact]
    public void DefaultsFillMissingArguments()
    {
        var (_, args) = Catalog.Parse(["gan"]);
        Assert.Equal(Gan.DefaultEpochs, args.Int("epochs"));
        Assert.Equal(Gan.DefaultImages, args.Int("images"));
        (_, args) = Catalog.Parse(["vae", "2", "all"]);
        Assert.Equal(2, args.Int("epochs"));
        Assert.Equal(int.MaxValue, args.Int("images"));
        Assert.Equal(7, Catalog.Parse(["fashion-mnist", "7"]).Args.Int("epochs"));
        (_, args) = Catalog.Parse(["style-transfer", "a.png", "b.png", "--every", "5", "--weights", "w.npz"]);
        Assert.Equal(("a.png", "b.png", "w.npz"), (args.Text("CONTENT"), args.Text("STYLE"), args.Text("weights")));
        Assert.Equal((2001, 5, "style_transfer"), (args.Int("iterations"), args.Int("every"), args.Text("out")));
        Assert.Null(Catalog.Parse(["grad-cam", "a.png"]).Args.Text("weights"));
    }

    [Theory]
    [InlineData("fashion-mnist", "abc")]
    [InlineData("fashion-mnist", "-1")]
    [InlineData("fashion-mnist", "0")]
    [InlineData("fashion-mnist", "+3")]
    [InlineData("fashion-mnist", "1.5")]
    [InlineData("fashion-mnist", "99999999999")]
    [InlineData("fashion-mnist", "1", "2")]
    [InlineData("save-weights", "x")]
    [InlineData("save-weights", "1", "extra")]
    [InlineData("cnn", "0")]
    [InlineData("cnn", "1", "2")]
    [InlineData("lstm", "-5")]
    [InlineData("lstm", "1", "2")]
    [InlineData("gan", "1", "none")]
    [InlineData("gan", "1", "2", "3")]
    [InlineData("vae", "0")]
    [InlineData("tanh", "0")]
    [InlineData("tanh", "9")]
    [InlineData("step43", "1")]
    [InlineData("derivatives", "--fast")]
    [InlineData("grad-cam")]
    [InlineData("grad-cam", "a.png", "b.png")]
    [InlineData("grad-cam", "a.png", "--out")]
    [InlineData("grad-cam", "a.png", "--bogus", "1")]
    [InlineData("style-transfer", "a.png", "b.png", "--every", "0")]
    [InlineData("vgg16-classify", "")]
    public void ArgumentsAnExampleDoesNotAcceptGiveAMessageAndItsUsage(params string[] commandLine)
    {
        var e = Assert.Throws<UsageException>(() => Catalog.Parse(commandLine));
        Assert.StartsWith(commandLine[0] + ": ", e.Message);
        Assert.Contains("usage: " + Catalog.Runner + " " + Catalog.All.Single(x => x.Name == commandLine[0]).Usage, e.Message);
    }

    [Fact]
    public void EveryExampleParsesWithOnlyItsRequiredArguments()
    {
        foreach (var e in Catalog.All)
        {
            string[] required = [.. e.Parameters.Where(p => !p.IsOption && p.Default is null).Select(p => p.Name + ".png")];
            Assert.Same(e, Catalog.Parse([e.Name, .. required]).Example);
        }
    }
}
