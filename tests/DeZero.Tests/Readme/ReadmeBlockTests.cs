using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DeZero.Tests.Readme;

/// <summary>
/// Every C# block of README.md compiles as the Program.cs of a new console app that references the DeZero packages,
/// so the README cannot drift from the API. A block whose first line is <c>// continues the previous block</c> is
/// compiled after the block before it; one whose first line starts with <c>// fragment:</c> (and says why) is skipped.
/// </summary>
public class ReadmeBlockTests
{
    const string Continues = "// continues the previous block", Fragment = "// fragment:";

    // What `dotnet new console` imports implicitly.
    static readonly SyntaxTree ImplicitUsings = CSharpSyntaxTree.ParseText(
        string.Concat(new[] { "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks" }
            .Select(ns => $"global using global::{ns};\n")), Options);

    static CSharpParseOptions Options => new(LanguageVersion.Latest);

    // The runtime's assemblies and everything in the test's output folder (DeZero and its packages, their dependencies).
    static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator))
            paths[Path.GetFileName(p)] = p;
        foreach (var p in Directory.GetFiles(AppContext.BaseDirectory, "*.dll").Where(IsManaged))
            paths[Path.GetFileName(p)] = p;
        return [.. paths.Values.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    });

    static bool IsManaged(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        return pe.HasMetadata;
    }

    /// <summary>The README's C# blocks as (first line number, text), continuations joined to the block before.</summary>
    public static IEnumerable<(int Line, string Code)> Blocks()
    {
        var lines = File.ReadAllLines(ReadmePath());
        var blocks = new List<(int Line, string Code)>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```csharp") continue;
            int start = i + 1;
            while (++i < lines.Length && lines[i].Trim() != "```") { }
            var code = string.Join('\n', lines[start..i]);
            if (code.StartsWith(Fragment)) continue;
            if (code.StartsWith(Continues))
            {
                Assert.True(blocks.Count > 0, $"README.md:{start + 1} continues a block, but none comes before it.");
                blocks[^1] = (blocks[^1].Line, blocks[^1].Code + "\n" + code);
            }
            else blocks.Add((start + 1, code));
        }
        return blocks;
    }

    public static TheoryData<int> BlockLines() => [.. Blocks().Select(b => b.Line)];

    [Theory]
    [MemberData(nameof(BlockLines))]
    public void BlockCompilesAsAConsoleProgram(int line)
    {
        var code = Blocks().Single(b => b.Line == line).Code;
        var compilation = CSharpCompilation.Create($"ReadmeBlock{line}",
            [ImplicitUsings, CSharpSyntaxTree.ParseText(code, Options, path: "README.md")],
            References.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        var result = compilation.Emit(Stream.Null);
        var problems = result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => $"{d.Id} at README block line {d.Location.GetLineSpan().StartLinePosition.Line + 1}: {d.GetMessage()}");
        Assert.True(result.Success && !problems.Any(), $"The C# block at README.md:{line} does not compile on its own:\n{string.Join('\n', problems)}");
    }

    [Fact]
    public void TheReadmeHasCSharpBlocks() => Assert.True(Blocks().Count() >= 4);

    static string ReadmePath()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "README.md"))) dir = Path.GetDirectoryName(dir)!;
        return Path.Combine(dir, "README.md");
    }
}
