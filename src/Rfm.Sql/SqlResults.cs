using System.Collections.Immutable;
using System.Data.Common;
using System.Globalization;
using System.Numerics;

namespace Rfm.Sql;

/// <summary>What the statements return, read into the library's model and checked against it.</summary>
internal static class SqlResults
{
    /// <summary>The account of the rows, and the latest date among the rows used.</summary>
    internal readonly record struct IngestionOutcome(IngestionSummary Summary, DateTime? LatestUsed);

    /// <summary>One customer's row of the customers statement.</summary>
    internal readonly record struct CustomerRow(CustomerMetrics Metrics, int R, int F, int M, string Segment);

    public static async Task<IngestionOutcome> ReadIngestionAsync(SqlStatement statement, DbConnection connection, CancellationToken cancellationToken)
    {
        var rows = new long[Enum.GetValues<ExclusionReason>().Max(r => (int)r) + 1];
        var amounts = new decimal[rows.Length];
        long used = 0, customers = 0;
        decimal amountUsed = 0m, amountRead = 0m;
        DateTime? latest = null;

        var command = statement.CreateCommand(connection);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var code = reader.IsDBNull(0) ? (int?)null : Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture);
                    var count = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
                    var amount = reader.IsDBNull(2) ? 0m : Money(reader.GetValue(2), "amount");
                    switch (code)
                    {
                        case PipelineSql.MissingDateCode:
                            throw Invalid(count, "date", reader);
                        case PipelineSql.MissingMoneyCode:
                            throw Invalid(count, "amount (or quantity or unit price)", reader);
                        case null:
                            used = count;
                            amountUsed = amount;
                            latest = reader.IsDBNull(3) ? null : reader.GetDateTime(3);
                            customers = Convert.ToInt64(reader.GetValue(6), CultureInfo.InvariantCulture);
                            break;
                        default:
                            rows[code.Value] = count;
                            amounts[code.Value] = amount;
                            break;
                    }

                    amountRead = ExactDecimal.Sum(amountRead, amount);
                }
            }
        }

        var exclusions = ImmutableArray.CreateBuilder<ExclusionCount>();
        long rowsExcluded = 0;
        var amountExcluded = 0m;
        foreach (var reason in Enum.GetValues<ExclusionReason>())
        {
            exclusions.Add(new ExclusionCount(reason, rows[(int)reason], amounts[(int)reason]));
            rowsExcluded += rows[(int)reason];
            amountExcluded = ExactDecimal.Sum(amountExcluded, amounts[(int)reason]);
        }

        var summary = new IngestionSummary(used + rowsExcluded, amountRead, rowsExcluded, amountExcluded, amountUsed, checked((int)customers), exclusions.ToImmutable());
        return new IngestionOutcome(summary, latest);
    }

    public static async Task<List<CustomerRow>> ReadCustomersAsync(SqlStatement statement, DbConnection connection, CancellationToken cancellationToken)
    {
        var customers = new List<CustomerRow>();
        var command = statement.CreateCommand(connection);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var metrics = new CustomerMetrics(
                        CustomerId: reader.GetString(0),
                        Recency: Whole(reader.GetValue(1)),
                        Frequency: Whole(reader.GetValue(2)),
                        Monetary: Money(reader.GetValue(3), "monetary"),
                        FirstPurchase: reader.GetDateTime(4),
                        LastPurchase: reader.GetDateTime(5),
                        Lines: Convert.ToInt64(reader.GetValue(6), CultureInfo.InvariantCulture),
                        Tenure: Whole(reader.GetValue(7)));
                    customers.Add(new CustomerRow(metrics, Whole(reader.GetValue(8)), Whole(reader.GetValue(9)), Whole(reader.GetValue(10)), reader.GetString(11)));
                }
            }
        }

        customers.Sort((a, b) => string.CompareOrdinal(a.Metrics.CustomerId, b.Metrics.CustomerId));
        return customers;
    }

    /// <summary>
    /// The result of the database's metrics, scored in memory, after checking that the database gave every customer
    /// the same scores and segment.
    /// </summary>
    public static RfmResult Check(RfmCalculator calculator, DateTime asOf, IngestionOutcome ingestion, List<CustomerRow> rows)
    {
        if (rows.Count != ingestion.Summary.Customers)
        {
            throw new InvalidDataException($"The database counted {ingestion.Summary.Customers:N0} customers in the rows used but returned {rows.Count:N0}.");
        }

        var snapshot = new MetricsSnapshot(asOf, [.. rows.Select(row => row.Metrics)], ingestion.Summary);
        var result = calculator.Score(snapshot);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var expected = result.Customers[i];
            if (expected.Score.R != row.R || expected.Score.F != row.F || expected.Score.M != row.M || expected.Segment.Key != row.Segment)
            {
                throw new InvalidDataException(
                    $"The database scored customer '{row.Metrics.CustomerId}' R{row.R} F{row.F} M{row.M} '{row.Segment}', the library "
                    + $"R{expected.Score.R} F{expected.Score.F} M{expected.Score.M} '{expected.Segment.Key}' from the same metrics "
                    + $"(recency {row.Metrics.Recency}, frequency {row.Metrics.Frequency}, monetary {row.Metrics.Monetary.ToString(CultureInfo.InvariantCulture)}).");
            }
        }

        return result;
    }

    public static async Task ExecuteAsync(SqlStatement statement, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var command = statement.CreateCommand(connection);
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // Money must come back exact: a binary floating-point sum has already lost digits in the database.
    private static decimal Money(object value, string column) => value switch
    {
        decimal exact => exact,
        long whole => whole,
        int whole => whole,
        BigInteger whole => (decimal)whole,
        _ => throw new InvalidDataException(
            $"The database returned the {column} as {value.GetType().Name} ({Convert.ToString(value, CultureInfo.InvariantCulture)}): floating-point money "
            + "is not exact. Store quantity, unit price and amount as DECIMAL or NUMERIC, or cast them so in a view."),
    };

    private static int Whole(object value) => Convert.ToInt32(value, CultureInfo.InvariantCulture);

    private static TransactionDataException Invalid(long count, string column, DbDataReader reader)
    {
        var customer = reader.IsDBNull(4) ? "(none)" : $"'{reader.GetString(4)}'";
        var order = reader.IsDBNull(5) ? "(none)" : $"'{reader.GetString(5)}'";
        return new TransactionDataException(
            $"{count:N0} row(s) have no {column}, so they can be neither used nor excluded; among them customer {customer}, order {order}.");
    }
}
