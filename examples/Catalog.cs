using System.Globalization;

namespace DeZero.Examples;

/// <summary>
/// An example program of the book, runnable by name: what it does, how long it runs on the 2-core development machine,
/// the files it writes (under <see cref="Catalog.OutputFolder"/>) and the arguments it takes.
/// </summary>
public sealed record Example(string Name, string Step, string Description, string Time, string Writes, Action<Args> Run, params Arg[] Parameters)
{
    /// <summary>The command line, e.g. <c>fashion-mnist [epochs=5]</c> or <c>grad-cam IMAGE --weights vgg16.npz [--out grad_cam.png]</c>.</summary>
    public string Usage => string.Join(' ', Parameters.Select(p => p.Usage).Prepend(Name));
}

/// <summary>
/// An argument: positional (required when it has no default) or an option <c>--name value</c>, with its default
/// (null: none), what it accepts, and a parser that returns null for anything else.
/// </summary>
public sealed record Arg(string Name, string? Default, string Accepts, Func<string, object?> Parse, bool IsOption = false)
{
    /// <summary>How the argument appears in a usage line: <c>IMAGE</c>, <c>[epochs=5]</c>, <c>--weights vgg16.npz</c>, <c>[--every 100]</c>.</summary>
    public string Usage => (IsOption, Default) switch
    {
        (false, null) => Name,
        (false, _) => $"[{Name}={Default}]",
        (true, null) => $"--{Name} {Accepts}",
        (true, _) => $"[--{Name} {Default}]",
    };

    /// <summary>A positive integer (digits only) up to <paramref name="max"/>, such as an epoch count.</summary>
    public static Arg Positive(string name, int fallback, int max = int.MaxValue, bool option = false) =>
        new(name, fallback.ToString(CultureInfo.InvariantCulture), max == int.MaxValue ? "a positive integer" : $"an integer from 1 to {max}",
            s => PositiveInt(s) is int n && n <= max ? n : null, option);

    /// <summary>How many training images to use: a positive integer, or <c>all</c> (read as <see cref="int.MaxValue"/>).</summary>
    public static Arg Images(int fallback) =>
        new("images", fallback.ToString(CultureInfo.InvariantCulture), "a positive integer or 'all'", s => s == "all" ? int.MaxValue : PositiveInt(s));

    /// <summary>A required positional file path, such as <c>IMAGE</c>.</summary>
    public static Arg Input(string name) => new(name, null, "a file path", NonEmpty);

    /// <summary>An option <c>--name FILE</c>; without a default the example itself says what it needs when it is missing.</summary>
    public static Arg FileOption(string name, string? fallback = null, string placeholder = "FILE") =>
        new(name, fallback, fallback is null ? placeholder : "a file path", NonEmpty, IsOption: true);

    static object? NonEmpty(string s) => s.Length > 0 ? s : null;

    static object? PositiveInt(string s) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
}

/// <summary>The values of an example's arguments by name, defaults filled in.</summary>
public sealed class Args(IReadOnlyDictionary<string, object?> values)
{
    /// <summary>The integer argument called <paramref name="name"/>.</summary>
    public int Int(string name) => (int)values[name]!;

    /// <summary>The text (path) argument called <paramref name="name"/>, or null for an option not given and without default.</summary>
    public string? Text(string name) => (string?)values[name];
}

/// <summary>A command line an example does not accept; the runner prints it with the usage line and exits with 2.</summary>
public sealed class UsageException(string message) : ArgumentException(message);

/// <summary>Every example, in the book's order, and the runner's name and argument handling.</summary>
public static class Catalog
{
    /// <summary>Where the examples write their files, relative to the current folder (git-ignored in the repository).</summary>
    public const string OutputFolder = "output";

    public static readonly Example[] All =
    [
        new("derivatives", "step 24", "gradients of the sphere, Matyas and Goldstein-Price functions", "< 1 s", "", _ => Stage1To3.Derivatives()),
        new("rosenbrock", "step 28", "minimises the Rosenbrock function by gradient descent", "< 1 s", "", _ => Stage1To3.Rosenbrock()),
        new("newton", "step 33", "Newton's method on x⁴ − 2x² with second derivatives by double backprop", "< 1 s", "", _ => Stage1To3.Newton()),
        new("tanh", "step 35", "derivatives of tanh up to the 6th order; draws the graph of derivative `graph` (1–8)", "1 s", "tanh.png", a => Stage1To3.TanhDerivatives(graphFile: Out("tanh.png"), graphOrder: a.Int("graph")), Arg.Positive("graph", 2, max: 8)),
        new("double-backprop", "step 36", "z = (dy/dx)³ + y differentiated through the backward pass", "< 1 s", "", _ => Stage1To3.DoubleBackprop()),
        new("linear-regression", "step 42", "linear regression by gradient descent", "< 1 s", "", _ => Stage1To3.LinearRegression()),
        new("step43", "step 43", "the neural network: linear → sigmoid → linear fitting sin(2πx) (the main example)", "1 s", "step43.png", _ => Step43.Run(Out("step43.png"))),
        new("sin-layers", "step 44", "the same network built from L.Linear layers", "1 s", "", _ => Stage4.SinLayers()),
        new("sin-optimizer", "step 46", "an MLP trained by SGD through Model and Optimizer", "1 s", "sin.png", _ => Stage4.SinOptimizer(plot: Out("sin.png"))),
        new("spiral", "step 48", "spiral classification with softmax cross-entropy", "1 s", "spiral.png", _ => Stage4.Spiral(plot: Out("spiral.png"))),
        new("spiral-loader", "step 50", "spiral with Dataset and DataLoader, train and test accuracy", "1 s", "", _ => Stage4.SpiralLoader()),
        new("fashion-mnist", "step 51", "MLP(1000, 10) with ReLU, Adam and weight decay on Fashion-MNIST", "5 s/epoch", "fashion-mnist-loss.png, -accuracy.png, -samples.png", a => Stage4.FashionMnist(a.Int("epochs"), plot: Out("fashion-mnist")), Arg.Positive("epochs", 5)),
        new("save-weights", "step 53", "Fashion-MNIST training that resumes from and saves my_mlp.npz", "5 s/epoch", "my_mlp.npz", a => Stage4.FashionMnist(a.Int("epochs"), weights: Out("my_mlp.npz")), Arg.Positive("epochs", 3)),
        new("cnn", "stage 5", "a convolutional network on Fashion-MNIST (conv–pool ×2, two linear layers, Adam)", "17 s/epoch", "cnn-loss.png, cnn-accuracy.png", a => Stage5.Cnn(a.Int("epochs"), plot: Out("cnn")), Arg.Positive("epochs", 3)),
        new("vgg16-classify", "step 58", "classifies an image with the book's pretrained VGG16; prints the top-5 ImageNet labels", "5 s", "", a => Vgg16Classify.Run(a.Text("IMAGE")!, a.Text("weights")), Arg.Input("IMAGE"), Arg.FileOption("weights", placeholder: "vgg16.npz")),
        new("lstm", "step 60", "an LSTM learns the sine curve with truncated backprop, then predicts cos(x)", "3 s", "lstm.png", a => Stage5.Lstm(a.Int("epochs"), plot: Out("lstm.png")), Arg.Positive("epochs", 100)),
        new("gan", "examples/gan.py", "a DCGAN on Fashion-MNIST (the book runs `gan 5 all`)", "5 min/epoch", "gan.png", a => Gan.Run(a.Int("epochs"), plot: Out("gan.png"), limit: a.Int("images")), Arg.Positive("epochs", Gan.DefaultEpochs), Arg.Images(Gan.DefaultImages)),
        new("vae", "examples/vae.py", "a variational autoencoder on Fashion-MNIST (the book runs `vae 10 all`)", "not measured", "vae.png, vae-reconstruction.png, vae-manifold.png", a => Vae.Run(a.Int("epochs"), plot: Out("vae.png"), limit: a.Int("images")), Arg.Positive("epochs", Vae.DefaultEpochs), Arg.Images(Vae.DefaultImages)),
        new("mnist-mpi", "ChainerMN", "the fashion-mnist MLP trained data-parallel over MPI (`mpirun -np 2 … -- mnist-mpi`); only rank 0 prints", "not measured", "mnist-mpi-loss.png, mnist-mpi-accuracy.png", a => MnistMpi.Run(a.Int("epochs"), plot: Out("mnist-mpi")), Arg.Positive("epochs", 5)),
        new("onnx-export", "deployment", "trains the Fashion-MNIST MLP, exports it to ONNX and classifies the test set with ONNX Runtime from the file", "not measured", "fashion-mnist-mlp.onnx", a => OnnxExport.Run(a.Int("epochs"), Out("fashion-mnist-mlp.onnx")), Arg.Positive("epochs", 1)),
        new("grad-cam", "examples/grad_cam.py", "Grad-CAM heat map of VGG16's prediction over an image", "5 s", "grad_cam.png", a => GradCam.Run(a.Text("IMAGE")!, a.Text("weights"), Out(a.Text("out")!)), Arg.Input("IMAGE"), Arg.FileOption("weights", placeholder: "vgg16.npz"), Arg.FileOption("out", "grad_cam.png")),
        new("style-transfer", "examples/style_transfer.py", "neural style transfer with VGG16, a picture every `every` iterations", "2 s/iteration", "style_transfer_N.png", a => StyleTransfer.Run(a.Text("CONTENT")!, a.Text("STYLE")!, a.Text("weights"), a.Int("iterations"), a.Int("every"), Out(a.Text("out")!)), Arg.Input("CONTENT"), Arg.Input("STYLE"), Arg.FileOption("weights", placeholder: "vgg16.npz"), Arg.Positive("iterations", 2001, option: true), Arg.Positive("every", 100, option: true), Arg.FileOption("out", "style_transfer")),
    ];

    /// <summary>The path of a file an example writes: <paramref name="name"/> in <see cref="OutputFolder"/>, which is created.</summary>
    public static string Out(string name)
    {
        Directory.CreateDirectory(OutputFolder);
        return Path.Combine(OutputFolder, name);
    }

    /// <summary>
    /// The example a command line names (in any case) and its argument values, defaults for those not given; a
    /// <see cref="UsageException"/> saying what is wrong and how to call it (with the closest name for an unknown one).
    /// </summary>
    public static (Example Example, Args Args) Parse(string[] args)
    {
        var example = All.FirstOrDefault(e => string.Equals(e.Name, args[0], StringComparison.OrdinalIgnoreCase))
            ?? throw new UsageException($"unknown example '{args[0]}'{Closest(args[0]) switch { null => "", var c => $"; did you mean '{c}'?" }}\n{Usage}");
        UsageException Bad(string what) => new($"{example.Name}: {what}\nusage: {Runner} {example.Usage}");
        var given = new Dictionary<string, string>();
        var positional = example.Parameters.Where(p => !p.IsOption).ToList();
        int next = 0;
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                var option = example.Parameters.FirstOrDefault(p => p.IsOption && "--" + p.Name == args[i]) ?? throw Bad($"unknown option '{args[i]}'");
                given[option.Name] = ++i < args.Length ? args[i] : throw Bad($"--{option.Name} needs a value");
            }
            else if (next < positional.Count) given[positional[next++].Name] = args[i];
            else throw Bad(positional.Count == 0 ? $"takes no arguments, got '{args[i]}'"
                : $"takes at most {positional.Count} argument{(positional.Count > 1 ? "s" : "")}, got '{string.Join(' ', args[1..])}'");
        }
        var values = new Dictionary<string, object?>();
        foreach (var p in example.Parameters)
        {
            string? text = given.GetValueOrDefault(p.Name) ?? p.Default;
            string name = p.IsOption ? "--" + p.Name : p.Name;
            values[p.Name] = text is null
                ? (p.IsOption ? null : throw Bad($"missing {p.Name}"))
                : p.Parse(text) ?? throw Bad($"{name} must be {p.Accepts}, got '{text}'");
        }
        return (example, new Args(values));
    }

    /// <summary>How to start the runner.</summary>
    public const string Runner = "dotnet run -c Release --project examples --";

    /// <summary>The runner's usage line.</summary>
    public const string Usage = $"usage: {Runner} <example> [arguments]   (`list` shows them)";

    /// <summary>The name nearest to <paramref name="name"/>: one containing it, else within a third of its length in edits.</summary>
    static string? Closest(string name)
    {
        name = name.ToLowerInvariant();
        var containing = All.FirstOrDefault(e => name.Length >= 3 && e.Name.Contains(name));
        if (containing is not null) return containing.Name;
        var (best, distance) = All.Select(e => (e.Name, Distance: Edits(name, e.Name))).MinBy(p => p.Distance);
        return distance <= Math.Max(2, name.Length / 3) ? best : null;
    }

    // Levenshtein distance.
    static int Edits(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int next = Math.Min(Math.Min(row[j], row[j - 1]) + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = row[j];
                row[j] = next;
            }
        }
        return row[b.Length];
    }

    /// <summary>
    /// The table `list` prints: usage (name and arguments), book step, run time, description and files written; a usage
    /// too long for its column gets a line of its own.
    /// </summary>
    public static void Print(TextWriter w)
    {
        const int usage = 40;
        w.WriteLine($"  {"example [arguments=default]",-usage} {"book",-16} {"time",-14} what it does (files written to {OutputFolder}/)");
        foreach (var e in All)
        {
            if (e.Usage.Length > usage) w.WriteLine($"  {e.Usage}");
            var details = $"{e.Step,-16} {e.Time,-14} {e.Description}{(e.Writes == "" ? "" : $"; writes {e.Writes}")}";
            w.WriteLine($"  {(e.Usage.Length > usage ? "" : e.Usage),-usage} {details}");
        }
    }
}
