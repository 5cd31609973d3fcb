using DeZero.Examples;

namespace DeZero.Tests.Examples;

public class ProgressTests
{
    static string Run(int? width, int total = 50)
    {
        var w = new StringWriter();
        var progress = new Progress("epoch 1/1", total, w, width);
        for (int i = 0; i < total; i++) progress.Step(0.5);
        progress.Done();
        return w.ToString();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Progress.MinWidth - 1)]
    public void NarrowOrZeroWidthTerminalsGetPlainLines(int width)
    {
        var output = Run(width);
        Assert.DoesNotContain('\r', output);
        Assert.Equal(9, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void RedirectedOutputGetsALineEveryTenPercent()
    {
        var lines = Run(null).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(9, lines.Length);
        Assert.All(lines, l => Assert.DoesNotContain('\r', l));
        Assert.Contains("10.0%", lines[0]);
        Assert.Contains("90.0%", lines[^1]);
    }

    [Theory]
    [InlineData(Progress.MinWidth)]
    [InlineData(40)]
    [InlineData(80)]
    [InlineData(500)]
    public void TerminalLinesFitTheWidthAndAreClearedAtTheEnd(int width)
    {
        var output = Run(width);
        var draws = output.Split('\r', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(draws);
        Assert.All(draws, d => Assert.True(d.Length <= width - 1, $"'{d}' is wider than {width - 1}"));
        Assert.DoesNotContain('\n', output);
        Assert.Contains(draws, d => d.Contains("100.0%"));
        Assert.EndsWith("\r", output);
        Assert.Equal("", draws[^1].Trim());
    }

    [Fact]
    public void ATotalOfZeroBatchesIsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Progress("x", 0, TextWriter.Null, null));
}
