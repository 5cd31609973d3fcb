using System.Diagnostics;

namespace DeZero.Examples;

/// <summary>
/// A training progress line: percent, batches/s, running loss and ETA, redrawn in place on a terminal at least
/// <see cref="MinWidth"/> columns wide (cut to the terminal's width so it never wraps); plain lines every 10% when the
/// output is redirected or the terminal reports fewer columns (some report 0), so logs stay readable.
/// </summary>
public sealed class Progress
{
    /// <summary>The narrowest terminal the line is redrawn in place on.</summary>
    public const int MinWidth = 20;

    readonly string _label;
    readonly int _total;
    readonly TextWriter _output;
    readonly int? _width;
    readonly Stopwatch _clock = Stopwatch.StartNew();
    int _done, _lastDecile, _drawn;
    TimeSpan _lastDraw;

    /// <summary>A progress line for <paramref name="total"/> batches on the console.</summary>
    public Progress(string label, int total) : this(label, total, Console.Out, TerminalWidth()) { }

    /// <summary>
    /// A progress line on <paramref name="output"/>, redrawn in place when <paramref name="width"/> (columns) is at
    /// least <see cref="MinWidth"/>, as plain lines when it is null (redirected output) or smaller.
    /// </summary>
    public Progress(string label, int total, TextWriter output, int? width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(total);
        (_label, _total, _output) = (label, total, output);
        _width = width >= MinWidth ? width : null;
    }

    /// <summary>Records one finished batch and the running loss.</summary>
    public void Step(double loss)
    {
        _done++;
        var now = _clock.Elapsed;
        if (_width is int width)
        {
            if (now - _lastDraw < TimeSpan.FromMilliseconds(200) && _done < _total) return;
            _lastDraw = now;
            var line = Line(loss, now);
            if (line.Length > width - 1) line = line[..(width - 1)];
            _output.Write("\r" + line.PadRight(_drawn));
            _drawn = line.Length;
        }
        else if (_done * 10 / _total is var decile && decile > _lastDecile && _done < _total)
        {
            _lastDecile = decile;
            _output.WriteLine(Line(loss, now));
        }
    }

    /// <summary>Clears the line (in place mode) so the epoch summary starts at the beginning of an empty line.</summary>
    public void Done()
    {
        if (_drawn > 0) _output.Write("\r" + new string(' ', _drawn) + "\r");
        _drawn = 0;
    }

    string Line(double loss, TimeSpan now)
    {
        double rate = _done / Math.Max(now.TotalSeconds, 1e-9);
        var eta = TimeSpan.FromSeconds((_total - _done) / Math.Max(rate, 1e-9));
        var left = eta.TotalHours >= 1 ? eta.ToString(@"h\:mm\:ss") : eta.ToString(@"mm\:ss");
        return $"{_label} {100.0 * _done / _total,5:F1}% {rate,7:F1} batches/s  loss {loss:F4}  ETA {left}";
    }

    // The console's width in columns, or null when the output is redirected or the width cannot be read.
    static int? TerminalWidth()
    {
        if (Console.IsOutputRedirected) return null;
        try { return Console.WindowWidth; }
        catch (IOException) { return null; }
    }
}
