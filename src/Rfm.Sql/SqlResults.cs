using System.Data.Common;
using System.Globalization;

namespace Rfm.Sql;

/// <summary>What the statements return, read into the library's model and checked against it.</summary>
internal static class SqlResults
{
    /// <summary>One customer's row of the customers statement.</summary>
    internal readonly record struct CustomerRow(CustomerMetrics Metrics, int R, int F, int M, string Segment, string? Partition = null);

    /// <summary>
    /// Reads the ingestion statement; rows the library would reject are an error naming one of them. Money that does
    /// not fit a decimal is returned as the error to throw, so that a caller reading customers too can name one first.
    /// </summary>
    /// <param name="pipeline">The pipeline.</param>
    /// <param name="connection">The connection.</param>
    /// <param name="transaction">The transaction, if any.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <param name="partitions">
    /// For a partitioned pipeline, filled with each partition's account; the money error is then about a partition's
    /// money alone, as a separate run of each partition would report it.
    /// </param>
    public static async Task<(SqlIngestion Outcome, TransactionDataException? Money)> ReadIngestionAsync(PipelineSql pipeline, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken, Dictionary<string, SqlIngestion>? partitions = null)
    {
        try
        {
            return await ReadIngestionRowsAsync(pipeline, connection, transaction, cancellationToken, partitions).ConfigureAwait(false);
        }
        catch (DbException ex) when (IsNumericOverflow(ex))
        {
            // The statement computes every row's money before anything else: its decimals overflowing is money the
            // library could not hold either, never the engine's raw error.
            throw new TransactionDataException(
                row: 0,
                pipeline.MoneyColumns,
                null,
                "the money of the rows read overflows the database's decimals (a quantity x price or a sum with too many digits), "
                + "so a decimal could not hold it exactly either; the library refuses it rather than round the money",
                ex);
        }
    }

    // PostgreSQL's numeric_value_out_of_range, or DuckDB's "Out of Range Error: Overflow in ..." of a DECIMAL.
    private static bool IsNumericOverflow(DbException ex) =>
        ex.SqlState == "22003"
        || (ex.Message.Contains("Overflow", StringComparison.Ordinal) && ex.Message.Contains("DECIMAL", StringComparison.Ordinal));

    private static async Task<(SqlIngestion Outcome, TransactionDataException? Money)> ReadIngestionRowsAsync(PipelineSql pipeline, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken, Dictionary<string, SqlIngestion>? partitions)
    {
        var outcome = new SqlIngestion();
        var invalid = new List<(int Code, long Rows)>();
        TransactionDataException? money = null;
        var command = pipeline.IngestionRead.CreateCommand(connection);
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
                    if (code is PipelineSql.MissingDateCode or PipelineSql.MissingMoneyCode or PipelineSql.InvalidDateCode)
                    {
                        invalid.Add((code.Value, count));
                        continue;
                    }

                    var amount = 0m;
                    if (!reader.IsDBNull(2) && !TryMoney(pipeline, reader.GetString(2), out amount))
                    {
                        var rows = code is { } reason ? $"the rows excluded as {(ExclusionReason)reason}" : "the rows used";
                        money ??= TooMuchMoney(pipeline, reader.GetString(2), $"{rows} add up to this");
                    }

                    var latest = reader.IsDBNull(3) ? (DateTime?)null : reader.GetDateTime(3);
                    try
                    {
                        outcome.Add(code, count, amount, latest);
                    }
                    catch (OverflowException) when (partitions is not null)
                    {
                        // The partitions' money is accounted for each on its own, below; their total is not used.
                    }
                    catch (OverflowException)
                    {
                        money ??= TooMuchMoney(pipeline, reader.GetString(2), "the rows read add up to more than this");
                    }

                    if (partitions is not null)
                    {
                        var name = reader.GetString(4);
                        if (!partitions.TryGetValue(name, out var partition))
                        {
                            partitions.Add(name, partition = new SqlIngestion());
                        }

                        try
                        {
                            partition.Add(code, count, amount, latest);
                        }
                        catch (OverflowException)
                        {
                            money ??= TooMuchMoney(pipeline, reader.GetString(2), $"the rows read in partition '{name}' add up to more than this");
                        }
                    }
                }
            }
        }

        if (invalid.Count > 0)
        {
            // Partitions each give their own count of a code.
            var (code, rows) = invalid.GroupBy(i => i.Code).Select(g => (Code: g.Key, Rows: g.Sum(i => i.Rows))).Min();
            throw await InvalidAsync(pipeline, connection, transaction, code, rows, cancellationToken).ConfigureAwait(false);
        }

        return (outcome, money);
    }

    /// <summary>Reads the customers statement; a customer whose money does not fit a decimal is an error naming the customer.</summary>
    public static async Task<List<CustomerRow>> ReadCustomersAsync(PipelineSql pipeline, DbConnection connection, DbTransaction transaction, DateTimeKind kind, CancellationToken cancellationToken)
    {
        var customers = new List<CustomerRow>();
        var command = pipeline.CustomersRead.CreateCommand(connection);
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var customer = reader.GetString(0);
                    var monetary = reader.GetString(3);
                    if (!TryMoney(pipeline, monetary, out var total))
                    {
                        var where = pipeline.Partitioned ? $" in partition '{reader.GetString(12)}'" : string.Empty;
                        throw TooMuchMoney(pipeline, monetary, $"customer '{customer}'{where} has this in total");
                    }

                    var metrics = new CustomerMetrics(
                        CustomerId: customer,
                        Recency: Whole(reader.GetValue(1)),
                        Frequency: Whole(reader.GetValue(2)),
                        Monetary: total,
                        FirstPurchase: DateTime.SpecifyKind(reader.GetDateTime(4), kind),
                        LastPurchase: DateTime.SpecifyKind(reader.GetDateTime(5), kind),
                        Lines: Convert.ToInt64(reader.GetValue(6), CultureInfo.InvariantCulture),
                        Tenure: Whole(reader.GetValue(7)));
                    var partition = pipeline.Partitioned ? reader.GetString(12) : null;
                    customers.Add(new CustomerRow(metrics, Whole(reader.GetValue(8)), Whole(reader.GetValue(9)), Whole(reader.GetValue(10)), reader.GetString(11), partition));
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

    /// <summary>
    /// Work in the caller's transaction as it is (nothing begun or committed), or in one of its own at the dialect's
    /// consistent-read level, committed when the work is done and rolled back when it throws.
    /// </summary>
    public static async Task<T> InTransactionAsync<T>(SqlDialect dialect, DbConnection connection, DbTransaction? transaction, Func<DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        if (transaction is not null)
        {
            return await work(transaction, cancellationToken).ConfigureAwait(false);
        }

        var own = await connection.BeginTransactionAsync(dialect.ConsistentReads, cancellationToken).ConfigureAwait(false);
        await using (own.ConfigureAwait(false))
        {
            var result = await work(own, cancellationToken).ConfigureAwait(false);
            await own.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
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

    // Money comes back as the database's exact text (its columns are exact numbers, checked before the query runs),
    // read only when a decimal holds it exactly: a provider would round a longer decimal or fail without naming anyone.
    // DuckDB writes a decimal at its column's scale (10.500000 for DECIMAL(18, 6)), which says nothing of the data;
    // DuckDB.NET hands decimals over without those zeros, and so does this. PostgreSQL's numeric keeps the data's scale.
    private static bool TryMoney(PipelineSql pipeline, string text, out decimal value)
    {
        if (!RowContract.TryParseAmount(text, out value))
        {
            return false;
        }

        if (pipeline.Dialect == SqlDialect.DuckDb)
        {
            value = WithoutTrailingZeros(value);
        }

        return true;
    }

    // The same number at the smallest scale that holds it (10.500000 is 10.5, 4310.000000 is 4310): decimal division
    // by a one written at the largest scale gives the exact quotient at the smallest scale it needs.
    private static decimal WithoutTrailingZeros(decimal value) => value / 1.000000000000000000000000000000000m;

    private static TransactionDataException TooMuchMoney(PipelineSql pipeline, string text, string who) =>
        new(
            row: 0,
            pipeline.MoneyColumns,
            text,
            $"{who}, which a decimal cannot hold exactly (more than 28 significant digits, or beyond its range); the library "
            + "refuses it rather than round the money. Split the data, or scale the amounts");

    private static int Whole(object value) => Convert.ToInt32(value, CultureInfo.InvariantCulture);

    private static async Task<TransactionDataException> InvalidAsync(PipelineSql pipeline, DbConnection connection, DbTransaction? transaction, int code, long rows, CancellationToken cancellationToken)
    {
        var example = code switch
        {
            PipelineSql.MissingDateCode => pipeline.MissingDateExample,
            PipelineSql.InvalidDateCode => pipeline.InvalidDateExample!,
            _ => pipeline.MissingMoneyExample,
        };
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
                var column = code == PipelineSql.MissingMoneyCode ? pipeline.MoneyColumns : pipeline.TimestampColumn;
                if (code == PipelineSql.InvalidDateCode)
                {
                    return new TransactionDataException(
                        row: 0,
                        column,
                        value: found && !reader.IsDBNull(2) ? reader.GetString(2) : null,
                        $"{rows:N0} row(s) hold text that is not a date; expected an ISO 8601 date such as 2011-12-09 12:50:00 or "
                        + $"2011-12-09T12:50:00.123456+01:00, to the microsecond at most; among them customer {customer}, order {order}");
                }

                return new TransactionDataException(
                    row: 0,
                    column,
                    value: null,
                    $"{rows:N0} row(s) have no value here, so they can be neither used nor excluded; among them customer {customer}, order {order}");
            }
        }
    }
}
