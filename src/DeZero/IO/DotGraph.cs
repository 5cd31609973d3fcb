using System.Diagnostics;
using System.Text;

namespace DeZero;

public static partial class Utils
{
    /// <summary>
    /// The computational graph behind <paramref name="output"/> in Graphviz DOT, with the book's look:
    /// variables as orange ellipses (name, plus shape and dtype when <paramref name="verbose"/>), functions as
    /// light-blue boxes labelled with their type, edges in data-flow order (the book's <c>get_dot_graph</c>).
    /// </summary>
    public static string GetDotGraph(Variable output, bool verbose = true)
    {
        ArgumentNullException.ThrowIfNull(output);
        var ids = new Dictionary<object, int>(ReferenceEqualityComparer.Instance);
        int Id(object o) => ids.TryGetValue(o, out var id) ? id : ids[o] = ids.Count + 1;
        var txt = new StringBuilder("digraph g {\n");
        void AddVar(Variable v)
        {
            string name = v.Name ?? "";
            if (verbose && v.HasData)
            {
                if (v.Name is not null) name += ": ";
                name += ShapeUtil.Str(v.Data.Dims) + " " + v.DType.Name();
            }
            txt.Append($"{Id(v)} [label=\"{Escape(name)}\", color=orange, style=filled]\n");
        }

        var funcs = new Stack<Function>();
        var seen = new HashSet<Function>(ReferenceEqualityComparer.Instance);
        void AddFunc(Function? f)
        {
            if (f is not null && seen.Add(f)) funcs.Push(f);
        }

        AddFunc(output.Creator);
        AddVar(output);
        while (funcs.Count > 0)
        {
            var f = funcs.Pop();
            txt.Append($"{Id(f)} [label=\"{f.GetType().Name}\", color=lightblue, style=filled, shape=box]\n");
            foreach (var x in f.Inputs) txt.Append($"{Id(x)} -> {Id(f)}\n");
            foreach (var y in f.Outputs)
                if (y is not null) txt.Append($"{Id(f)} -> {Id(y)}\n");
            foreach (var x in f.Inputs)
            {
                AddVar(x);
                AddFunc(x.Creator);
            }
        }
        return txt.Append('}').ToString();
    }

    /// <summary>
    /// Writes the graph of <paramref name="output"/> as DOT next to <paramref name="toFile"/> and, when Graphviz's
    /// <c>dot</c> is on PATH, renders it to <paramref name="toFile"/> (its extension picks the format: png, svg, pdf…).
    /// Returns the path of the picture, or of the .dot file when Graphviz is missing (a message on stderr says so).
    /// <paramref name="maxInches"/> caps the picture's larger side (Graphviz's <c>size</c>; 96 pixels an inch in PNG),
    /// scaling a larger graph down.
    /// </summary>
    public static string PlotDotGraph(Variable output, bool verbose = true, string toFile = "graph.png", double? maxInches = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(toFile);
        if (maxInches is double m && !(m > 0 && double.IsFinite(m)))
            throw new ArgumentOutOfRangeException(nameof(maxInches), m, "Utils.PlotDotGraph: maxInches must be positive and finite.");
        var dotPath = Path.ChangeExtension(toFile, ".dot");
        File.WriteAllText(dotPath, GetDotGraph(output, verbose));
        string format = Path.GetExtension(toFile).TrimStart('.').ToLowerInvariant();
        if (format is "" or "dot") return dotPath;
        if (!RenderDot(dotPath, format, toFile, maxInches))
        {
            Console.Error.WriteLine($"Graphviz 'dot' was not found on PATH (Debian: apt-get install graphviz); wrote {dotPath} only.");
            return dotPath;
        }
        return toFile;
    }

    // Runs `dot -T format [-Gsize=m,m] -o toFile dotPath`; false when dot is not installed.
    static bool RenderDot(string dotPath, string format, string toFile, double? maxInches)
    {
        var psi = new ProcessStartInfo("dot", ["-T" + format, "-o", toFile, dotPath])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (maxInches is double m) psi.ArgumentList.Insert(0, FormattableString.Invariant($"-Gsize={m},{m}"));
        Process? p;
        try { p = Process.Start(psi); }
        catch (System.ComponentModel.Win32Exception) { return false; }
        if (p is null) return false;
        using (p)
        {
            string err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new IOException($"Utils.PlotDotGraph: dot failed to render {toFile} (exit {p.ExitCode}): {err.Trim()}");
        }
        return true;
    }

    // A DOT double-quoted string: backslashes and quotes escaped (a name ending in '\' would otherwise swallow the
    // closing quote), line breaks as Graphviz's \n.
    static string Escape(string s) =>
        s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\r\n", "\\n").Replace("\n", "\\n").Replace("\r", "\\n");
}
