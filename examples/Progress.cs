using System.Diagnostics;

namespace DeZero.Examples;

/// <summary>
/// A training progress line: percent, batches/s, running loss and ETA, redrawn in place on an interactive
/// terminal; plain lines every 10% when the output is redirected, so logs stay readable.
/// </summary>
public sealed class Progress(string label, int total)
{
    readonly Stopwatch _clock = Stopwatch.StartNew();
    readonly bool _interactive = !Console.IsOutputRedirected;
    int _done, _lastDecile;
    TimeSpan _lastDraw;

    /// <summary>Records one finished batch and the running loss.</summary>
    public void Step(double loss)
    {
        _done++;
        var now = _clock.Elapsed;
        if (_interactive)
        {
            if (now - _lastDraw < TimeSpan.FromMilliseconds(200) && _done < total) return;
            _lastDraw = now;
            Console.Write("\r" + Line(loss, now) + "   ");
        }
        else if (_done * 10 / total is var decile && decile > _lastDecile && _done < total)
        {
            _lastDecile = decile;
            Console.WriteLine(Line(loss, now));
        }
    }

    /// <summary>Ends the line (interactive mode) so the epoch summary starts on its own line.</summary>
    public void Done()
    {
        if (_interactive) Console.Write("\r" + new string(' ', Math.Clamp(Console.BufferWidth - 1, 0, 100)) + "\r");
    }

    string Line(double loss, TimeSpan now)
    {
        double rate = _done / Math.Max(now.TotalSeconds, 1e-9);
        var eta = TimeSpan.FromSeconds((total - _done) / Math.Max(rate, 1e-9));
        return $"{label} {100.0 * _done / total,5:F1}% {rate,7:F1} batches/s  loss {loss:F4}  ETA {eta:mm\\:ss}";
    }
}
