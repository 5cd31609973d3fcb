namespace DeZero.Tests.Architecture;

/// <summary>
/// The arrows of ARCHITECTURE.md, checked on the built library (method bodies included): a lower part never uses a
/// higher one, and the IO part (.npy/.npz, DOT) serves weight files and graph pictures only.
/// </summary>
public class LayeringTests
{
    static readonly Lazy<DependencyGraph> Graph = new(() => new DependencyGraph(typeof(NDArray).Assembly));

    // Arrows that must never exist: a part and the parts it must not use.
    public static readonly TheoryData<string, string[]> Forbidden = new()
    {
        { "Numerics", ["Core", "Functions", "Layers", "Models", "Optimizers", "Data", "IO"] },
        { "Core", ["Layers", "Models", "Optimizers", "Data"] },
        { "Functions", ["Layers", "Models", "Optimizers", "Data"] },
        { "Optimizers", ["Data"] },
        { "Data", ["Core", "Functions", "Layers", "Models", "Optimizers"] },
    };

    // The only users of the IO part outside it: weight files and the graph picture of a model.
    static readonly string[] IOUsers =
    [
        "DeZero.Layers.Layer.SaveWeights",
        "DeZero.Layers.Layer.LoadWeights",
        "DeZero.Models.Model.Plot",
    ];

    [Theory]
    [MemberData(nameof(Forbidden))]
    public void PartUsesNoHigherPart(string part, string[] forbidden)
    {
        var wrong = Graph.Value.Arrows
            .Where(a => a.From == part && forbidden.Contains(a.To))
            .Select(a => a.ToString()).Distinct().ToList();
        Assert.True(wrong.Count == 0, $"{part} must not use {string.Join(", ", forbidden)}:\n  {string.Join("\n  ", wrong)}");
    }

    // The size guard of every file reader lives in IO beside the .npy reader; the dataset readers share it.
    static bool SharedReadGuard(DependencyGraph.Arrow a) => a.From == "Data" && a.Target.StartsWith("DeZero.IO.ReadLimits.", StringComparison.Ordinal);

    [Fact]
    public void OnlyWeightFilesAndGraphPicturesUseIO()
    {
        var wrong = Graph.Value.Arrows
            .Where(a => a.To == "IO" && !IOUsers.Contains(a.User) && !SharedReadGuard(a))
            .Select(a => a.ToString()).Distinct().ToList();
        Assert.True(wrong.Count == 0, $"only {string.Join(", ", IOUsers)} may use IO:\n  {string.Join("\n  ", wrong)}");
    }

    // As the book's setup_variable: x + y is F.Add(x, y), x.Reshape(…) is F.Reshape(x, …); nothing else in Core knows a function.
    [Fact]
    public void CoreUsesFunctionsOnlyInVariablesOperatorsAndShorthands()
    {
        var wrong = Graph.Value.Arrows
            .Where(a => a is { From: "Core", To: "Functions" } && !a.User.StartsWith("DeZero.Variable.", StringComparison.Ordinal))
            .Select(a => a.ToString()).Distinct().ToList();
        Assert.True(wrong.Count == 0, $"Core uses Functions outside Variable:\n  {string.Join("\n  ", wrong)}");
        Assert.Contains(Graph.Value.Arrows, a => a is { From: "Core", To: "Functions", User: "DeZero.Variable.op_Addition" });
    }

    [Fact]
    public void EveryTypeIsPlaced()
    {
        var parts = new[] { "Numerics", "Core", "Functions", "Layers", "Models", "Optimizers", "Data", "IO" };
        var unplaced = typeof(NDArray).Assembly.GetTypes()
            .Where(t => !t.Name.StartsWith('<') && t.DeclaringType is null && t.Namespace is not null)
            .Where(t => Graph.Value.PartOf(t) is not { } p || !parts.Contains(p))
            .Where(t => t != typeof(Utils))
            .Select(t => $"{t.FullName} ({Graph.Value.PartOf(t) ?? "several or none"})").ToList();
        Assert.True(unplaced.Count == 0, $"types outside the parts of ARCHITECTURE.md:\n  {string.Join("\n  ", unplaced)}");
    }

    // The graph must see what it checks: uses inside method bodies (Layer.SaveWeights reaches IO only in its body) and
    // the folder of each half of a partial class.
    [Fact]
    public void GraphSeesUsesInsideMethodBodies()
    {
        Assert.Contains(Graph.Value.Arrows, a => a is { From: "Layers", To: "IO", User: "DeZero.Layers.Layer.SaveWeights" });
        Assert.Contains(Graph.Value.Arrows, a => a is { From: "Core", To: "Numerics" });
        Assert.Equal("IO", Graph.Value.PartOf(typeof(Utils).GetMethods().First(m => m.Name == nameof(Utils.GetDotGraph))));
        Assert.Equal("Core", Graph.Value.PartOf(typeof(Utils).GetMethods().First(m => m.Name == nameof(Utils.GradientCheck))));
    }

    // User-facing types keep the names of the API contract (`using DeZero;` brings NDArray, Variable, Function, Config
    // …, so Numerics and Core share the root namespace); everything else lives in its folder's namespace.
    [Fact]
    public void NamespacesMatchFolders()
    {
        var wrong = typeof(NDArray).Assembly.GetTypes()
            .Where(t => !t.Name.StartsWith('<') && t.DeclaringType is null && t != typeof(Utils))
            .Where(t => Graph.Value.FolderOf(t) is { } folder && t.Namespace != Expected(t, folder))
            .Select(t => $"{t.FullName} is in {Graph.Value.FolderOf(t)}").ToList();
        Assert.True(wrong.Count == 0, $"namespace does not match folder:\n  {string.Join("\n  ", wrong)}");

        // DeZero.Functions is F itself (a static class), so the function classes of that folder live in DeZero.Ops.
        static string Expected(Type t, string folder) => folder switch
        {
            "Numerics" or "Core" => "DeZero",
            "Functions" => t == typeof(global::DeZero.Functions) ? "DeZero" : "DeZero.Ops",
            _ => "DeZero." + folder.Replace('/', '.'),
        };
    }
}
