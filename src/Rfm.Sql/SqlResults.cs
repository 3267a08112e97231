using System.Data.Common;
using System.Globalization;
using System.Numerics;

namespace Rfm.Sql;

/// <summary>What the statements return, read into the library's model and checked against it.</summary>
internal static class SqlResults
{
    /// <summary>One customer's row of the customers statement.</summary>
    internal readonly record struct CustomerRow(CustomerMetrics Metrics, int R, int F, int M, string Segment);

    /// <summary>Reads the ingestion statement; rows the library would reject are an error naming one of them.</summary>
    public static async Task<SqlIngestion> ReadIngestionAsync(PipelineSql pipeline, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var outcome = new SqlIngestion();
        var invalid = new List<(int Code, long Rows)>();
        var command = pipeline.Ingestion.CreateCommand(connection);
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var code = reader.IsDBNull(0) ? (int?)null : Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture);
                    var count = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
                    if (code is PipelineSql.MissingDateCode or PipelineSql.MissingMoneyCode)
                    {
                        invalid.Add((code.Value, count));
                        continue;
                    }

                    var amount = reader.IsDBNull(2) ? 0m : Money(reader.GetValue(2), "amount");
                    outcome.Add(code, count, amount, reader.IsDBNull(3) ? null : reader.GetDateTime(3));
                }
            }
        }

        if (invalid.Count > 0)
        {
            var (code, rows) = invalid.Min();
            throw await InvalidAsync(pipeline, connection, transaction, code, rows, cancellationToken).ConfigureAwait(false);
        }

        return outcome;
    }

    public static async Task<List<CustomerRow>> ReadCustomersAsync(SqlStatement statement, DbConnection connection, DbTransaction transaction, DateTimeKind kind, CancellationToken cancellationToken)
    {
        var customers = new List<CustomerRow>();
        var command = statement.CreateCommand(connection);
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
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
                        FirstPurchase: DateTime.SpecifyKind(reader.GetDateTime(4), kind),
                        LastPurchase: DateTime.SpecifyKind(reader.GetDateTime(5), kind),
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
    public static RfmResult Check(RfmCalculator calculator, DateTime asOf, SqlIngestion ingestion, List<CustomerRow> rows)
    {
        var snapshot = MetricsSnapshot.Create(asOf, rows.Select(row => row.Metrics), ingestion.Summary(rows.Count));
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

    public static async Task<int> CountAsync(SqlStatement statement, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var command = statement.CreateCommand(connection);
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }
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

    private static async Task<TransactionDataException> InvalidAsync(PipelineSql pipeline, DbConnection connection, DbTransaction? transaction, int code, long rows, CancellationToken cancellationToken)
    {
        var example = code == PipelineSql.MissingDateCode ? pipeline.MissingDateExample : pipeline.MissingMoneyExample;
        var command = example.CreateCommand(connection);
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var found = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var customer = !found || reader.IsDBNull(0) ? "(none)" : $"'{reader.GetString(0)}'";
                var order = !found || reader.IsDBNull(1) ? "(none)" : $"'{reader.GetString(1)}'";
                var column = code == PipelineSql.MissingDateCode ? pipeline.TimestampColumn : pipeline.MoneyColumns;
                return new TransactionDataException(
                    row: 0,
                    column,
                    value: null,
                    $"{rows:N0} row(s) have no value here, so they can be neither used nor excluded; among them customer {customer}, order {order}");
            }
        }
    }
}
