using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;

namespace Rfm.Cli.Tests;

/// <summary>What <c>--out</c> does to the file it writes: never an input, its permissions and owner kept, nothing left on a signal.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class OutputFileTests
{
    private static readonly string[] Columns = ["--customer", "customer", "--order", "order", "--date", "date", "--amount", "amount"];

    private const string Transactions = "customer,order,date,amount\na,1,2024-01-01,10\nb,2,2024-01-02,20\na,3,2024-01-03,5\nc,4,2024-01-04,7.5\n";

    private const string Map = """{ "name": "two", "segments": [ { "key": "top", "r": "3", "f": "3" } ] }""";

    // Enough customers that writing them takes long enough to be interrupted (some 20 MB of JSON).
    private static readonly Lazy<string> ManyCustomers = new(() =>
    {
        var path = Path.Combine(Cli.TempFolder(), "many.csv");
        var text = new StringBuilder("customer,order,date,amount\n");
        for (var i = 0; i < 200_000; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"c{i},{i},2024-01-{1 + (i % 28):00},{1 + (i % 97)}.50\n");
        }

        File.WriteAllText(path, text.ToString());
        return path;
    });

    [Theory]
    [InlineData("the --segments file", "analyze", "{in}", "{columns}", "--segments", "{map}", "--out", "{map}")]
    [InlineData("the --segments file", "report", "{in}", "{columns}", "--segments", "{map}", "--out", "{map}")]
    [InlineData("the --segments file", "sql", "--dialect", "duckdb", "--table", "orders", "--as-of", "2024-01-05", "{columns}", "--segments", "{map}", "--out", "{map}")]
    [InlineData("the --segments file", "migrate", "{in}", "--from", "2024-01-02", "--to", "2024-01-05", "{columns}", "--segments", "{map}", "--out", "{map}")]
    [InlineData("the --segments file", "migrate", "{before}", "{after}", "--segments", "{map}", "--out", "{map}")]
    [InlineData("the --leads file", "kpi", "{in}", "{columns}", "--leads", "{leads}", "--out", "{leads}")]
    [InlineData("the input file", "kpi", "{in}", "{columns}", "--out", "{in}")]
    [InlineData("the input file", "cohorts", "{in}", "{columns}", "--out", "{in}")]
    [InlineData("the input file", "report", "{in}", "{columns}", "--out", "{in}")]
    [InlineData("the input file", "migrate", "{before}", "{after}", "--segments", "{map}", "--out", "{after}")]
    [InlineData("the --segments file", "analyze", "{in}", "{columns}", "--segments", "{map}", "--out", "{link to map}")]
    [InlineData("the --segments file", "analyze", "{in}", "{columns}", "--segments", "{map}", "--format", "json", "-o", "{map}")]
    public void Out_OntoAnyInputOfAnyCommand_IsRefused_AndTheInputStays(string namedBy, params string[] template)
    {
        var folder = Cli.TempFolder();
        var files = new Dictionary<string, string>
        {
            ["{in}"] = Write(folder, "orders.csv", Transactions),
            ["{map}"] = Write(folder, "map.json", Map),
            ["{leads}"] = Write(folder, "leads.csv", "period,leads\n2024-01-01,10\n"),
            ["{before}"] = Path.Combine(folder, "before.csv"),
            ["{after}"] = Path.Combine(folder, "after.csv"),
            ["{link to map}"] = Path.Combine(folder, "link.json"),
        };
        File.CreateSymbolicLink(files["{link to map}"], files["{map}"]);
        Assert.Equal(0, Cli.Invoke(["analyze", files["{in}"], .. Columns, "--segments", files["{map}"], "--as-of", "2024-01-02", "--out", files["{before}"]]).ExitCode);
        Assert.Equal(0, Cli.Invoke(["analyze", files["{in}"], .. Columns, "--segments", files["{map}"], "--as-of", "2024-01-05", "--out", files["{after}"]]).ExitCode);
        var contents = Directory.GetFiles(folder).ToDictionary(path => path, File.ReadAllText);

        var run = Cli.Invoke([.. template.SelectMany(token => token == "{columns}" ? Columns : [files.GetValueOrDefault(token, token)])]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"rfm: --out {files[template[^1]]}: is {namedBy}; name another file.", run.OneLineError());
        Assert.Equal(contents, Directory.GetFiles(folder).ToDictionary(path => path, File.ReadAllText));
    }

    [Fact]
    public void Out_OntoAnInput_IsRefusedBeforeTheInputIsRead()
    {
        var folder = Cli.TempFolder();
        var input = Write(folder, "orders.csv", "customer,order,date,amount\na,1,yesterday,10\n");
        var map = Write(folder, "map.json", Map);

        var run = Cli.Invoke(["analyze", input, .. Columns, "--segments", map, "--out", map]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"rfm: --out {map}: is the --segments file; name another file.", run.OneLineError());
    }

    [Fact]
    public void Out_OntoTheClvInput_IsRefused()
    {
        var folder = Cli.TempFolder();
        var input = Path.Combine(folder, "cdnow.csv");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "data", "cdnowElog.csv"), input);
        var content = File.ReadAllBytes(input);

        var run = Cli.Invoke(
            "clv", input, "--customer", "masterid", "--date", "date", "--amount", "sales", "--date-format", "yyyyMMdd", "--preset", "tutorial",
            "--calibration-end", "1997-09-30", "--horizon", "4", "--quiet", "--out", input);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"rfm: --out {input}: is the input file; name another file.", run.OneLineError());
        Assert.Equal(content, File.ReadAllBytes(input));
    }

    [Fact]
    public void Sql_Out_IsWrittenAtomically_AndToStandardOutputForADash()
    {
        var folder = Cli.TempFolder();
        var output = Write(folder, "rfm.sql", "last night's statement");
        string[] args = ["sql", "--dialect", "duckdb", "--table", "orders", "--as-of", "2024-01-05", .. Columns];

        var toFile = Cli.Invoke([.. args, "--out", output]);
        var toStandardOutput = Cli.Invoke([.. args, "--out", "-"]);

        Assert.True(toFile.ExitCode == 0, toFile.Error);
        Assert.StartsWith("-- rfm sql: duckdb", File.ReadAllText(output), StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(output), toStandardOutput.Out);
        Assert.Equal([output], Directory.GetFiles(folder));
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)]
    public void Out_ReplacingAFile_KeepsItsPermissions(UnixFileMode mode)
    {
        var folder = Cli.TempFolder();
        var input = Write(folder, "orders.csv", Transactions);
        var output = Write(folder, "customers.csv", "last night's customers");
        File.SetUnixFileMode(output, mode);

        var run = Cli.Invoke(["analyze", input, .. Columns, "--out", output]);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.StartsWith("customer_id,", File.ReadAllText(output), StringComparison.Ordinal);
        Assert.Equal(mode, File.GetUnixFileMode(output));
    }

    [Fact]
    public void Out_NewFile_GetsTheModeTheUmaskLeaves()
    {
        var folder = Cli.TempFolder();
        var input = Write(folder, "orders.csv", Transactions);
        var output = Path.Combine(folder, "customers.csv");

        var run = Cli.Invoke(["analyze", input, .. Columns, "--out", output]);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(File.GetUnixFileMode(Write(folder, "probe.txt", string.Empty)), File.GetUnixFileMode(output));
    }

    [Fact]
    public void Out_ReplacingAFile_KeepsItsOwnerAndGroup()
    {
        var folder = Cli.TempFolder();
        var input = Write(folder, "orders.csv", Transactions);
        var output = Write(folder, "customers.csv", "last night's customers");

        // The superuser may give any owner; anyone else may give a group of their own only.
        var owner = Tool("id", "-u") == "0" ? "1234:5678" : $"{Tool("id", "-u")}:{Tool("id", "-G").Split(' ')[^1]}";
        Tool("chown", owner, output);

        var run = Cli.Invoke(["analyze", input, .. Columns, "--out", output]);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.StartsWith("customer_id,", File.ReadAllText(output), StringComparison.Ordinal);
        Assert.Equal(owner, Tool("stat", "-c", "%u:%g", output));
    }

    [Fact]
    public void Out_OntoADanglingSymlink_WritesItsTarget_AndKeepsTheLink()
    {
        var folder = Cli.TempFolder();
        var input = Write(folder, "orders.csv", Transactions);
        var target = Path.Combine(folder, "customers.csv");
        var link = Path.Combine(folder, "latest.csv");
        File.CreateSymbolicLink(link, "customers.csv");

        var run = Cli.Invoke(["analyze", input, .. Columns, "--out", link]);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("customers.csv", new FileInfo(link).LinkTarget);
        Assert.StartsWith("customer_id,", File.ReadAllText(target), StringComparison.Ordinal);
    }

    [Fact]
    public void Out_OntoADanglingSymlinkInAMissingFolder_IsAUsageError_AndTheLinkStays()
    {
        var folder = Cli.TempFolder();
        var input = Write(folder, "orders.csv", Transactions);
        var link = Path.Combine(folder, "latest.csv");
        File.CreateSymbolicLink(link, Path.Combine(folder, "missing", "customers.csv"));

        var run = Cli.Invoke(["analyze", input, .. Columns, "--out", link]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"rfm: --out {link}: the folder {Path.Combine(folder, "missing")} does not exist.", run.OneLineError());
        Assert.NotNull(new FileInfo(link).LinkTarget);
    }

    // A shell sees a process a signal ended as exit code 128 + the signal's number. The child starts with the signal's
    // default handling, whatever the test runner's is (a background job ignores SIGINT).
    [Theory]
    [InlineData("INT", 2)]
    [InlineData("TERM", 15)]
    [InlineData("HUP", 1)]
    public async Task Out_SignalWhileWriting_LeavesNoTemporaryFile_AndTheTargetAsItWas(string signal, int number)
    {
        var folder = Cli.TempFolder();
        var output = Write(folder, "customers.json", "last night's customers");
        File.SetUnixFileMode(output, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var exitCode = await SignalWhileWriting(output, $"--default-signal={signal}", number);

        Assert.Equal(128 + number, exitCode);
        Assert.Equal([output], Directory.GetFiles(folder));
        Assert.Equal("last night's customers", File.ReadAllText(output));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(output));
    }

    // A signal the process was started ignoring (SIGHUP under nohup) does not stop the write.
    [Fact]
    public async Task Out_IgnoredSignalWhileWriting_LetsTheWriteFinish()
    {
        var folder = Cli.TempFolder();
        var output = Write(folder, "customers.json", "last night's customers");

        var exitCode = await SignalWhileWriting(output, "--ignore-signal=HUP", 1);

        Assert.Equal(0, exitCode);
        Assert.Equal([output], Directory.GetFiles(folder));
        Assert.StartsWith("{", File.ReadAllText(output), StringComparison.Ordinal);
    }

    // Runs the tool on many customers into the output, with the signal handling env sets, sends the signal as soon as
    // the temporary file appears (the rows, as JSON, still being written), and returns the exit code. A run that ends
    // before it is seen writing proves nothing either way: the output is put back and the run tried again.
    private static async Task<int> SignalWhileWriting(string output, string signalHandling, int number)
    {
        var before = File.ReadAllBytes(output);
        var mode = File.GetUnixFileMode(output);
        var runs = new List<string>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            File.WriteAllBytes(output, before);
            File.SetUnixFileMode(output, mode);
            var (signalled, exitCode, error) = await RunAndSignal(output, signalHandling, number);
            if (signalled)
            {
                return exitCode;
            }

            runs.Add($"exit code {exitCode}: {error}");
        }

        Assert.Fail($"every run ended before it was seen writing: {string.Join("; ", runs)}");
        return -1;
    }

    private static async Task<(bool Signalled, int ExitCode, string Error)> RunAndSignal(string output, string signalHandling, int number)
    {
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[signalHandling, "dotnet", Path.Combine(AppContext.BaseDirectory, "rfm.dll"), "analyze", ManyCustomers.Value, .. Columns, "--quiet", "--out", output])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var discarded = process.StandardOutput.ReadToEndAsync();

        // Watched from this thread, not from timer continuations that a busy thread pool may run seconds late.
        var temporary = $".{Path.GetFileName(output)}.*.tmp";
        while (!process.HasExited && Directory.GetFiles(Path.GetDirectoryName(output)!, temporary).Length == 0)
        {
            Thread.Sleep(1);
        }

        var signalled = !process.HasExited && NativeMethods.kill(process.Id, number) == 0;
        await process.WaitForExitAsync();
        await discarded;
        return (signalled, process.ExitCode, await error);
    }

    private static string Write(string folder, string name, string content)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    // A system tool's output, trimmed; a failure fails the test.
    private static string Tool(string name, params string[] args)
    {
        var start = new ProcessStartInfo(name) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{name} {string.Join(' ', args)}: {error}");
        return output.Trim();
    }

    private static class NativeMethods
    {
        [DllImport("libc.so.6", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int kill(int process, int signal);
    }
}
