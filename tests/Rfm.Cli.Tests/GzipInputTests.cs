using System.Diagnostics;
using System.Text;
using Rfm.Cli.Tests.Input;

namespace Rfm.Cli.Tests;

/// <summary>
/// Gzip input of every kind (a file, a named pipe, standard input, a process substitution): recognised by its first
/// bytes, read whole, or refused when it stops early or is damaged.
/// </summary>
public sealed class GzipInputTests
{
    private static readonly string Csv = "customer,order,date,amount\n" + string.Concat(
        Enumerable.Range(0, 3000).Select(i => $"c{i % 211},{i},2024-01-{1 + (i % 28):00},{(i * 7919) % 1000}.{i % 100:00}\n"));

    private static readonly string[] Options =
        ["--customer", "customer", "--order", "order", "--date", "date", "--amount", "amount", "--as-of", "2024-02-01", "--out", "-"];

    private static byte[] Compressed => CheckedGzipStreamTests.Gzip(Encoding.UTF8.GetBytes(Csv));

    private static byte[] Truncated => Compressed[..(Compressed.Length / 2)];

    private static string Expected => Cli.WithInput(Csv, ["analyze", "-", .. Options]).Out;

    [Fact]
    public async Task TruncatedGzip_ThroughANamedPipe_IsAnError()
    {
        var fifo = Fifo("f.csv.gz");
        var writer = Feed(fifo, Truncated);

        var run = Cli.Invoke(["analyze", fifo, .. Options]);
        // A run that never opened the pipe fails the test instead of hanging it.
        await writer.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"rfm: {fifo}: the gzip data ends early or is damaged: part 1 stops before the end of its compressed data (check it with gzip -t).", run.OneLineError());
        Assert.Empty(run.Out);
    }

    [Fact]
    public void TruncatedGzip_ThroughANamedPipe_IsAnError_InTheRealTool()
    {
        var folder = Cli.TempFolder();
        File.WriteAllBytes(Path.Combine(folder, "truncated.csv.gz"), Truncated);

        var run = Shell(folder, $"mkfifo f.csv.gz; cat truncated.csv.gz > f.csv.gz & dotnet \"$RFM\" analyze f.csv.gz {string.Join(' ', Options)}");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("f.csv.gz: the gzip data ends early", run.OneLineError(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WholeGzip_ThroughANamedPipe_IsRead()
    {
        var fifo = Fifo("orders");
        var writer = Feed(fifo, Compressed);

        var run = Cli.Invoke(["analyze", fifo, .. Options]);
        // A run that never opened the pipe fails the test instead of hanging it.
        await writer.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(Expected, run.Out);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("damaged trailer")]
    [InlineData("whole")]
    public void GzipOnStandardInput_IsRecognisedByItsFirstBytes_AndChecked(string kind)
    {
        var gz = Compressed;
        if (kind == "truncated")
        {
            gz = gz[..^4];
        }
        else if (kind == "damaged trailer")
        {
            gz[^7] ^= 0x10;
        }

        var run = RunOnStandardInput(new OneWayStream(gz), ["analyze", "-", .. Options]);

        if (kind == "whole")
        {
            Assert.True(run.ExitCode == 0, run.Error);
            Assert.Equal(Expected, run.Out);
            return;
        }

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("rfm: standard input: the gzip data", run.OneLineError(), StringComparison.Ordinal);
        Assert.Contains(kind == "truncated" ? "ends early" : "its trailer does not match: the CRC-32", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void GzipThroughAProcessSubstitution_IsRecognisedByItsFirstBytes_AndChecked()
    {
        var folder = Cli.TempFolder();
        File.WriteAllBytes(Path.Combine(folder, "whole.gz"), Compressed);
        File.WriteAllBytes(Path.Combine(folder, "truncated.gz"), Truncated);
        var options = string.Join(' ', Options);

        var whole = Shell(folder, $"dotnet \"$RFM\" analyze <(cat whole.gz) {options}");
        var truncated = Shell(folder, $"dotnet \"$RFM\" analyze <(cat truncated.gz) {options}");

        Assert.True(whole.ExitCode == 0, whole.Error);
        Assert.Equal(Expected, whole.Out);
        Assert.Equal(1, truncated.ExitCode);
        Assert.Matches(@"^rfm: /dev/fd/\d+: the gzip data ends early", truncated.OneLineError());
    }

    [Fact]
    public void ConcatenatedGzipFile_IsReadWhole_OnDiskAndThroughAPipe()
    {
        var bytes = Encoding.UTF8.GetBytes(Csv);
        var split = Csv.IndexOf("\nc5,", StringComparison.Ordinal) + 7;
        byte[] joined = [.. CheckedGzipStreamTests.Gzip(bytes[..split]), .. CheckedGzipStreamTests.Gzip(bytes[split..])];
        var path = Path.Combine(Cli.TempFolder(), "joined.csv.gz");
        File.WriteAllBytes(path, joined);

        var fromFile = Cli.Invoke(["analyze", path, .. Options]);
        var fromPipe = RunOnStandardInput(new OneWayStream(joined), ["analyze", "-", .. Options]);

        Assert.True(fromFile.ExitCode == 0, fromFile.Error);
        Assert.Equal(Expected, fromFile.Out);
        Assert.Equal(Expected, fromPipe.Out);
    }

    [Fact]
    public void DamagedTrailerOnDisk_SaysSo_NotUnsupportedCompression()
    {
        var gz = Compressed;
        gz[^3] ^= 0x01;
        var path = Path.Combine(Cli.TempFolder(), "damaged.csv.gz");
        File.WriteAllBytes(path, gz);

        var run = Cli.Invoke(["analyze", path, .. Options]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("its trailer does not match: the length it records", run.OneLineError(), StringComparison.Ordinal);
        Assert.DoesNotContain("compression method", run.Error, StringComparison.Ordinal);
    }

    private static CliRun RunOnStandardInput(Stream stdin, string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = RfmCommandLine.Run(args, new CliConsole(stdin, output, error, ShowProgress: false));
        return new CliRun(code, output.ToString(), error.ToString());
    }

    private static string Fifo(string name)
    {
        var path = Path.Combine(Cli.TempFolder(), name);
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    // Writes the bytes into the pipe once a reader opens it, as `cat file > fifo &` does.
    private static Task Feed(string fifo, byte[] bytes) => Task.Run(() =>
    {
        using var pipe = new FileStream(fifo, FileMode.Open, FileAccess.Write);
        pipe.Write(bytes);
    });

    // The built tool in a child bash, for what only a shell makes: background writers and process substitutions.
    private static CliRun Shell(string folder, string script)
    {
        var start = new ProcessStartInfo("bash", ["-c", script])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["RFM"] = Path.Combine(AppContext.BaseDirectory, "rfm.dll") },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new CliRun(process.ExitCode, output.Result, error.Result);
    }
}
