using System.Diagnostics;
using System.Globalization;

namespace Rfm.Cli.Output;

/// <summary>Draws "rows read, rows/s, percent" on one line of a terminal, at most a few times a second.</summary>
internal sealed class ProgressLine(TextWriter terminal, Func<double?> fractionRead) : IProgress<long>, IProgress<(long Rows, double Fraction)>
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _last;
    private bool _drawn;

    public void Report((long Rows, double Fraction) value) => Draw(value.Rows, double.IsNaN(value.Fraction) ? null : value.Fraction);

    public void Report(long value) => Draw(value, fractionRead());

    private void Draw(long value, double? fraction)
    {
        var now = _clock.Elapsed;
        if (now - _last < Interval)
        {
            return;
        }

        _last = now;
        var rate = value / Math.Max(now.TotalSeconds, 1e-3);
        var percent = fraction is { } share ? string.Create(CultureInfo.InvariantCulture, $", {share:P0}") : string.Empty;
        terminal.Write(string.Create(CultureInfo.InvariantCulture, $"\r{value:N0} rows, {rate:N0} rows/s{percent}   "));
        _drawn = true;
    }

    /// <summary>Clears the line, so that what follows starts clean.</summary>
    public void Clear()
    {
        if (_drawn)
        {
            terminal.Write("\r" + new string(' ', 60) + "\r");
        }
    }
}
