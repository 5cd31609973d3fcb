namespace DeZero.Tests.Core;

public class ReadmeFunctionExampleTests
{
    static string RepoFile(params string[] parts)
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "README.md"))) dir = Path.GetDirectoryName(dir)!;
        return Path.Combine([dir, .. parts]);
    }

    static string[] CodeLines(IEnumerable<string> lines) =>
        lines.Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();

    [Fact]
    public void TheReadmeBlockIsTheCodeThisProjectCompiles()
    {
        var readme = File.ReadAllLines(RepoFile("README.md"));
        int section = Array.IndexOf(readme, "## Writing your own Function");
        Assert.True(section >= 0, "README has no 'Writing your own Function' section");
        int start = Array.IndexOf(readme, "```csharp", section) + 1;
        int end = Array.IndexOf(readme, "```", start);
        var block = CodeLines(readme[start..end]).Where(l => !l.StartsWith("using ")).ToArray();
        var source = CodeLines(File.ReadAllLines(RepoFile("tests", "DeZero.Tests", "Core", "ReadmeFunctionExample.cs")));
        // Every line of the block appears in the compiled file, in the same order.
        int at = 0;
        foreach (var line in block)
        {
            while (at < source.Length && source[at] != line) at++;
            Assert.True(at < source.Length, $"README line not in ReadmeFunctionExample.cs (in order): {line}");
            at++;
        }
        Assert.True(block.Length > 10);
    }

    [Fact]
    public void TheExamplePrintsTheFirstAndSecondDerivatives()
    {
        var output = new StringWriter();
        var console = Console.Out;
        Console.SetOut(output);
        try
        {
            ReadmeFunctionExample.Run();
        }
        finally
        {
            Console.SetOut(console);
        }
        Assert.Contains("y = 8, dy/dx = 12, d2y/dx2 = 12", output.ToString());
    }

    [Fact]
    public void TheExampleFunctionPassesTheGradientAndMarkChecks()
    {
        Utils.CheckKeepsNoGradients(xs => new Cube().Apply(xs[0]), NDArray.Ones(3));
        Assert.True(Utils.GradientCheck(x => new Cube().Apply(x), NDArray.FromArray(new[] { -1.5, 0.5, 2.0 })));
    }
}
