using System.Globalization;
using BenchmarkDotNet.Running;
using DuckDB.NET.Data;

namespace Rfm.Benchmarks;

/// <summary>
/// Entry point: the benchmark suites (<c>dotnet run -c Release -- --filter '*'</c>, see docs/performance.md), and two
/// tools for end-to-end comparisons (benchmarks/compare.sh):
/// <c>generate-csv PATH [--rows N] [--customers N] [--seed N] [--max-lines N]</c> and <c>duckdb-rfm CSV OUT [--threads N]</c>.
/// </summary>
public static class Program
{
    private const int UsageError = 2;

    /// <summary>Runs a tool command, or else the benchmarks chosen on the command line.</summary>
    /// <param name="args">A tool command and its arguments, or BenchmarkDotNet's command-line arguments (--filter, --job, ...).</param>
    /// <returns>The exit code: 0 on success, 1 when a tool fails, 2 for a wrong tool command line.</returns>
    public static int Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "generate-csv":
                return Tool(args, GenerateCsv);
            case "duckdb-rfm":
                return Tool(args, DuckDbRfmTool);
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return 0;
        }
    }

    // Prints nothing on success; on failure, one line on standard error.
    private static int Tool(string[] args, Action<Arguments> run)
    {
        try
        {
            run(new Arguments(args[0], args[1..]));
            return 0;
        }
        catch (UsageException ex)
        {
            Console.Error.WriteLine($"{args[0]}: {ex.Message}");
            Console.Error.WriteLine("usage: generate-csv PATH [--rows N] [--customers N] [--seed N] [--max-lines N]");
            Console.Error.WriteLine("       duckdb-rfm CSV OUT [--threads N]");
            return UsageError;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DuckDBException)
        {
            Console.Error.WriteLine($"{args[0]}: {ex.Message}");
            return 1;
        }
    }

    // Writes a seeded Online-Retail-II-shaped CSV file, streaming (any number of rows); --max-lines 1 for single-line orders.
    private static void GenerateCsv(Arguments arguments)
    {
        var path = arguments.Positional(0, "PATH");
        var rows = arguments.Number("--rows", 10_000_000L, 0, long.MaxValue);
        var customers = (int)arguments.Number("--customers", 100_000L, 1, int.MaxValue);
        var seed = (int)arguments.Number("--seed", OnlineRetailGenerator.DefaultSeed, 0, int.MaxValue);
        var maxLines = (int)arguments.Number("--max-lines", OnlineRetailGenerator.DefaultMaxLines, 1, 10_000);
        arguments.CheckNoneLeft(1);
        OnlineRetailCsv.Write(path, rows, customers, seed, maxLines);
    }

    // rfm analyze CSV --out OUT, default preset, as one DuckDB statement (see DuckDbRfm for why it is the fair baseline).
    private static void DuckDbRfmTool(Arguments arguments)
    {
        var csv = arguments.Positional(0, "CSV");
        var output = arguments.Positional(1, "OUT");
        var threads = arguments.Has("--threads") ? (int?)arguments.Number("--threads", 0, 1, 1024) : null;
        arguments.CheckNoneLeft(2);
        using var connection = DuckDbRfm.Open(threads);
        DuckDbRfm.Execute(connection, DuckDbRfm.CopyStatement(csv, output));
    }

    /// <summary>A tool's arguments: positional ones, then <c>--name value</c> options, in any order.</summary>
    private sealed class Arguments
    {
        private readonly string _command;
        private readonly List<string> _positional = [];
        private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

        public Arguments(string command, string[] args)
        {
            _command = command;
            for (var i = 0; i < args.Length; i++)
            {
                if (args[i].StartsWith("--", StringComparison.Ordinal))
                {
                    if (i + 1 == args.Length)
                    {
                        throw new UsageException($"{args[i]} needs a value.");
                    }

                    if (!_options.TryAdd(args[i], args[++i]))
                    {
                        throw new UsageException($"{args[i - 1]} is given twice.");
                    }
                }
                else
                {
                    _positional.Add(args[i]);
                }
            }
        }

        public bool Has(string option) => _options.ContainsKey(option);

        public string Positional(int index, string name) =>
            index < _positional.Count ? _positional[index] : throw new UsageException($"{name} is missing.");

        public long Number(string option, long fallback, long min, long max)
        {
            if (!_options.Remove(option, out var text))
            {
                return fallback;
            }

            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                ? value
                : throw new UsageException($"{option} '{text}': expected a whole number from {min} to {max}.");
        }

        public void CheckNoneLeft(int positional)
        {
            if (_positional.Count > positional)
            {
                throw new UsageException($"unexpected argument '{_positional[positional]}'.");
            }

            if (_options.Count > 0)
            {
                throw new UsageException($"unknown option {_options.Keys.First()} for {_command}.");
            }
        }
    }

    /// <summary>A wrong tool command line.</summary>
    private sealed class UsageException(string message) : Exception(message);
}
