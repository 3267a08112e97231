using System.Globalization;
using System.CommandLine;
using Rfm.Cli.Commands;
using Rfm.Cli.Output;

namespace Rfm.Cli;

/// <summary>The <c>rfm</c> command line: parses, runs, and turns every failure into a one-line message and an exit code.</summary>
internal static class RfmCommandLine
{
    public static int Run(string[] args, CliConsole console)
    {
        // Values from the input are echoed in messages and summaries: none may act on the terminal that shows them.
        console = console.Guarded();

        // Every output is invariant whatever the machine's locale (LANG); rfm report's --culture is the one exception,
        // and it formats with its own CultureInfo.
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var root = new RootCommand("RFM customer analytics from a transaction export: metrics, scores and segments, KPIs per period, cohorts, segment migration and predictive lifetime value.")
        {
            AnalyzeCommand.Create(console),
            KpiCommand.Create(console),
            CohortsCommand.Create(console),
            MigrateCommand.Create(console),
            TargetsCommand.Create(console),
            ClvCommand.Create(console),
            SegmentsCommand.Create(console),
            SqlCommand.Create(console),
            ReportCommand.Create(console),
        };

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            var errors = string.Join(" ", parse.Errors.Select(e => e.Message.TrimEnd('.') + "."));
            Fail(console, $"{errors} Run 'rfm --help' for usage.");
            return ExitCodes.UsageError;
        }

        try
        {
            CommandOutput.RefuseInputs(parse);
            return parse.Invoke(new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException ex)
        {
            Fail(console, ex.Message);
            return ExitCodes.UsageError;
        }
        catch (InputException ex)
        {
            Fail(console, ex.Message);
            return ExitCodes.DataError;
        }
        catch (OperationCanceledException) when (TemporaryFiles.Stopping)
        {
            // A signal is ending the process and its own exit code (128 + the signal) follows: nothing to report.
            return ExitCodes.DataError;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OverflowException)
        {
            Fail(console, ex.Message);
            return ExitCodes.DataError;
        }
#pragma warning disable CA1031 // The tool's last line of defence: a user gets one line, never a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Fail(console, $"unexpected {ex.GetType().Name}: {ex.Message}");
            return ExitCodes.DataError;
        }
    }

    // A failure is one line: a line break or tab that a message quotes from the input is shown as an escape too.
    private static void Fail(CliConsole console, string message) => console.Error.WriteLine($"rfm: {TerminalText.Value(message)}");
}
