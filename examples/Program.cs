using DeZero.Examples;

// The examples runner: `dotnet run -c Release --project examples -- <name> [arguments]`; `list` shows every example.
if (args is [] or ["--help" or "-h" or "help" or "list", ..])
{
    if (args.Length > 1)
    {
        Console.Error.WriteLine($"{args[0]} takes no arguments, got '{string.Join(' ', args[1..])}'\n{Catalog.Usage}");
        return 2;
    }
    if (args is not ["list"]) Console.WriteLine(Catalog.Usage + "\n");
    Catalog.Print(Console.Out);
    return 0;
}
try
{
    var (example, values) = Catalog.Parse(args);
    example.Run(values);
    return Environment.ExitCode; // an example may set it (tanh: 3 when Graphviz is missing)
}
catch (UsageException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidDataException)
{
    Console.Error.WriteLine($"{args[0].ToLowerInvariant()}: {e.Message}");
    return 1;
}
