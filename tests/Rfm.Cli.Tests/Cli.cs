using System.Diagnostics;
using System.Text;

namespace Rfm.Cli.Tests;

/// <summary>Runs the tool in-process with captured output, and gives each test its own folder.</summary>
internal static class Cli
{
    public static string BundledData => Path.Combine(AppContext.BaseDirectory, "data", "online_retail.csv.gz");

    public static string Golden => Path.Combine(AppContext.BaseDirectory, "golden", "online_retail_tutorial.csv");

    public static CliRun Invoke(params string[] args) => Run(string.Empty, showProgress: false, args);

    public static CliRun WithInput(string stdin, params string[] args) => Run(stdin, showProgress: false, args);

    public static CliRun Run(string stdin, bool showProgress, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = RfmCommandLine.Run(args, new CliConsole(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(stdin)), output, error, showProgress));
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>The real executable in a child process: exit code and streams as a shell sees them.</summary>
    public static CliRun Process(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "rfm.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new CliRun(process.ExitCode, output.Result, error.Result);
    }

    public static string TempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "rfm-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}

internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    /// <summary>A failure is one line on standard error, never a stack trace.</summary>
    public string OneLineError()
    {
        var lines = Error.TrimEnd().Split('\n');
        Assert.DoesNotContain("   at ", Error, StringComparison.Ordinal);
        Assert.Single(lines);
        return lines[0];
    }
}
