using DeZero.Examples;

namespace DeZero.Tests.Examples;

public class CatalogTests
{
    [Fact]
    public void EveryExampleHasAUniqueNameAndARowInTheReadme()
    {
        var names = Catalog.All.Select(e => e.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "README.md"))) dir = Path.GetDirectoryName(dir)!;
        var readme = File.ReadAllText(Path.Combine(dir, "README.md"));
        foreach (var name in names) Assert.Contains($"| `{name}` |", readme);
    }

    [Fact]
    public void ListPrintsEveryExample()
    {
        var w = new StringWriter();
        Catalog.Print(w);
        foreach (var e in Catalog.All) Assert.Contains(e.Name, w.ToString());
    }
}
