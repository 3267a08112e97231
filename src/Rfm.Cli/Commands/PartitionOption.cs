using System.CommandLine;
using Rfm.Analytics;
using Rfm.Cli.Output;

namespace Rfm.Cli.Commands;

/// <summary><c>--partition-by</c>: metrics, scores and segments per partition (store, tenant, country).</summary>
internal static class PartitionOption
{
    public static readonly Option<string?> PartitionBy = new("--partition-by")
    {
        Description = "Analyse each value of this column (store, tenant, country) on its own: a customer id is unique within a partition, and scores are relative to its customers. Blank values are the partition \"\". The rows gain a first column, partition.",
    };

    /// <summary>The column --partition-by names, or null.</summary>
    /// <exception cref="UsageException">The name is empty.</exception>
    public static string? Column(ParseResult parse) =>
        parse.GetValue(PartitionBy) is { } column
            ? column.Trim().Length > 0 ? column : throw new UsageException("--partition-by: the column name is empty.")
            : null;

    /// <summary>
    /// <c>rfm analyze --partition-by</c>: reads every row into its partition, writes the rows of each partition in turn
    /// with the partition first, and a summary per partition.
    /// </summary>
    public static int Analyze(ParseResult parse, CliConsole console, RfmCalculator calculator, string presetName, DateTime? asOf, string input, string? outPath, string format, decimal? margin, string engine, string column)
    {
        if (engine != "memory")
        {
            throw new UsageException($"--partition-by runs on the in-memory engine only; leave out --engine {engine}.");
        }

        var read = TransactionInput.ReadAndScoreByPartition(parse, console, calculator, asOf, input, column);
        var result = read.Result;
        IReadOnlyList<SimpleClv?>? clv = margin is { } m ? [.. result.Partitions.Select(p => ComputeClv(p, m, read.DisplayName))] : null;

        var summary = CommandOutput.Write(
            parse,
            outPath,
            console,
            stream =>
            {
                if (format == "json")
                {
                    CustomerWriter.WriteJson(result, clv, stream);
                    return;
                }

                using var writer = new StreamWriter(stream, leaveOpen: true);
                CustomerWriter.WriteCsv(result, clv, writer);
            },
            writer =>
            {
                if (format == "json")
                {
                    CommandOutput.Json(writer, stream => CustomerWriter.WriteJson(result, clv, stream));
                    return;
                }

                CustomerWriter.WriteCsv(result, clv, writer);
            });

        var description = $"preset '{presetName}'{(read.Layout is null ? string.Empty : $", {read.Layout} columns")}";
        for (var p = 0; p < result.Partitions.Length; p++)
        {
            var (name, partition) = result.Partitions[p];
            if (p > 0)
            {
                summary.WriteLine();
            }

            summary.WriteLine($"== partition '{TerminalText.Value(name)}' ({TerminalText.Value(column)})");
            SummaryTable.Write(partition, read.DisplayName, description, summary);
            if (clv?[p] is { } partitionClv)
            {
                SummaryTable.WriteClv(partitionClv, summary);
            }
        }

        return ExitCodes.Success;
    }

    // A partition without customers has no lifetime values.
    private static SimpleClv? ComputeClv(RfmPartition partition, decimal margin, string input) =>
        partition.Result.Customers.IsEmpty
            ? null
            : AnalyzeCommand.ComputeClv(partition.Result, margin, $"{input}: partition '{TerminalText.Value(partition.Partition)}'");
}
