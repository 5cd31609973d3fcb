using DeZero.Examples;

// The examples runner: `dotnet run -c Release --project examples -- <name>`; `list` shows every example.
var examples = Catalog.All;
if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
{
    Console.WriteLine("usage: dotnet run -c Release --project examples -- <example> [args]   (or `list`)");
    Console.WriteLine();
    Catalog.Print(Console.Out);
    return 0;
}
if (args[0] == "list")
{
    Catalog.Print(Console.Out);
    return 0;
}
var example = examples.FirstOrDefault(e => e.Name == args[0]);
if (example is null)
{
    Console.Error.WriteLine($"unknown example '{args[0]}'; run with `list` to see the examples.");
    return 2;
}
try
{
    example.Run(args[1..]);
    return 0;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidDataException)
{
    Console.Error.WriteLine($"{example.Name}: {e.Message}");
    return 1;
}
