using System.Globalization;
using DuckDB.NET.Data;
using Rfm.Cli.Input;
using Rfm.Cli.Output;
using Rfm.Sql;

namespace Rfm.Cli.Engines;

/// <summary>
/// <c>rfm analyze --engine duckdb</c>: the rows read by the tool's own reader, appended to an in-process DuckDB table,
/// and the whole pipeline run there as SQL (<see cref="RfmSqlGenerator"/>), giving the result the in-memory engine gives.
/// </summary>
/// <remarks>
/// The file is read exactly as the in-memory engine reads it (encoding, compression, delimiter, header, record shape,
/// line numbers); only the mapped fields are loaded. Ids and dates go in as the text read; money is read in .NET by
/// <see cref="RowContract.TryParseAmount"/> and loaded as exact <c>DECIMAL(38, S)</c>, S being the largest scale of the
/// column. Whatever cannot be loaded or computed here is thrown for the caller, which asks the in-memory engine what
/// is wrong with the input (<see cref="IsRefusal"/>).
/// </remarks>
internal static class DuckDbEngine
{
    // DuckDB's widest exact decimal.
    private const int MaxDigits = 38;

    // How often the progress line hears of the rows read.
    private const long ReportEvery = 1 << 14;

    // Read without a date, the latest purchase used decides the date, as in memory: the first run counts every row,
    // as no date the row contract reads is later than this last whole microsecond of the calendar.
    private static readonly DateTime OpenEnded = new(DateTime.MaxValue.Ticks - (DateTime.MaxValue.Ticks % TimeSpan.TicksPerMicrosecond));

    private static readonly SqlTableName Table = new("transactions");

    private static readonly TransactionColumns Loaded = new()
    {
        Customer = "customer_id", Order = "order_id", Timestamp = "purchased_at", Quantity = "quantity", UnitPrice = "unit_price",
    };

    private static readonly TransactionColumns LoadedWithAmount = new()
    {
        Customer = "customer_id", Order = "order_id", Timestamp = "purchased_at", Amount = "amount",
    };

    /// <summary>
    /// Reads every row of <paramref name="input"/> into DuckDB and runs the pipeline as of <paramref name="asOf"/> or the
    /// midnight after the last purchase used.
    /// </summary>
    /// <exception cref="InputException">A value cannot be read, a record is malformed, or a value is beyond DuckDB's decimals.</exception>
    /// <exception cref="TransactionDataException">The SQL refuses the rows (a row without a date or money).</exception>
    /// <exception cref="DuckDBException">DuckDB cannot run the pipeline over the rows.</exception>
    public static RfmResult Analyze(InputFile input, TransactionColumns columns, int threads, RfmCalculator calculator, DateTime? asOf, IProgress<long>? progress)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        Execute(connection, $"SET threads = {threads.ToString(CultureInfo.InvariantCulture)}");
        Load(connection, input, columns, progress);
        var generator = new RfmSqlGenerator(SqlDialect.DuckDb, calculator);
        var tableColumns = columns.Amount is null ? Loaded : LoadedWithAmount;
        var measuredAt = asOf ?? NextMidnight(generator, tableColumns, connection, input.DisplayName);
        return Query(generator, tableColumns, measuredAt).CalculateAsync(connection).GetAwaiter().GetResult();
    }

    /// <summary>Whether an exception thrown by <see cref="Analyze"/> means the input was refused (rather than the tool failing).</summary>
    public static bool IsRefusal(Exception exception, InputFile input) =>
        exception is InputException or TransactionDataException or DuckDBException or OverflowException || input.IsReadFailure(exception);

    /// <summary>
    /// The refusal as a message of its own, for the case the in-memory engine reads the input without fault: what
    /// DuckDB or the SQL said, with the file's column names.
    /// </summary>
    public static InputException Describe(Exception refusal, string displayName, TransactionColumns columns)
    {
        switch (refusal)
        {
            case InputException input:
                return input;
            case TransactionDataException data:
                // The loaded table names its columns by role; the message names the file's column.
                var column = data.Column switch
                {
                    "customer_id" => columns.Customer.ToString(),
                    "order_id" => columns.Order?.ToString(),
                    "purchased_at" => columns.Timestamp.ToString(),
                    "amount" => columns.Amount?.ToString(),
                    _ => $"{columns.Quantity} or {columns.UnitPrice}",
                };
                return new InputException($"{displayName}: column '{TerminalText.Value(column)}': {TerminalText.Value(data.Problem)}.", data);
            case DuckDBException duck:
                return new InputException($"{displayName}: DuckDB could not run the pipeline: {TerminalText.Value(FirstLine(duck.Message))}", duck);
            default:
                return new InputException($"{displayName}: {InputFile.Describe(refusal)}.", refusal);
        }
    }

    // The pipeline's query over the loaded table.
    private static RfmSqlQuery Query(RfmSqlGenerator generator, TransactionColumns columns, DateTime asOf) =>
        // The date column holds the text read, which the SQL reads by the row contract's pattern.
        generator.Query(Table, columns, asOf, SqlDateType.Text);

    // The mapped fields of every row, appended as read: ids and dates as text, money as the exact decimal's plain text
    // (cast to DECIMAL(38, S) by the view the pipeline reads, once the largest scale S is known).
    private static void Load(DuckDBConnection connection, InputFile input, TransactionColumns columns, IProgress<long>? progress)
    {
        var reader = input.Reader;
        var header = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        int Find(ColumnRef column)
        {
            if (column.Name is null)
            {
                return column.Ordinal < header.Length ? column.Ordinal : throw new InputException($"{input.DisplayName}: there is no column {column}.");
            }

            return RowContract.FindColumn(header, column.Name);
        }

        var customer = Find(columns.Customer);
        var order = columns.Order is { } o ? Find(o) : -1;
        var timestamp = Find(columns.Timestamp);
        var withAmount = columns.Amount is not null;
        MoneyColumn[] money = withAmount
            ? [new MoneyColumn(Find(columns.Amount!.Value), "amount")]
            : [new MoneyColumn(Find(columns.Quantity!.Value), "quantity"), new MoneyColumn(Find(columns.UnitPrice!.Value), "unit_price")];
        var format = columns.DateFormat;

        var moneyColumns = string.Join(", ", money.Select(m => m.Role + " VARCHAR"));
        // Texts go in as UTF-8 bytes: the appender would cut a VARCHAR at a NUL character, which an id may hold.
        Execute(connection, $"CREATE TABLE loaded_rows (customer_id BLOB, order_id BLOB, purchased_at BLOB, {moneyColumns})");

        var largestProduct = 0m;
        long row = 0;
        using (var appender = connection.CreateAppender("loaded_rows"))
        {
            var values = new decimal[money.Length];
            var texts = new string?[money.Length];
            while (reader.Read())
            {
                row++;
                if (row % ReportEvery == 0)
                {
                    progress?.Report(row);
                }

                var customerId = Text(reader, customer);
                var orderId = order < 0 ? null : Text(reader, order);
                var date = Text(reader, timestamp);
                for (var i = 0; i < money.Length; i++)
                {
                    texts[i] = Text(reader, money[i].Ordinal);
                }

                var appended = appender.CreateRow();

                // A row blank in every mapped field (a blank line) is all null: the SQL counts it as an empty row.
                if (RowContract.IsBlankId(customerId) && RowContract.IsBlankId(orderId) && RowContract.IsBlankId(date) && texts.All(RowContract.IsBlankId))
                {
                    appended.AppendNullValue().AppendNullValue().AppendNullValue();
                    foreach (var _ in money)
                    {
                        appended.AppendNullValue();
                    }

                    appended.EndRow();
                    continue;
                }

                for (var i = 0; i < money.Length; i++)
                {
                    if (!RowContract.TryParseAmount(texts[i], out values[i]))
                    {
                        throw Unread(input, row, header[money[i].Ordinal], texts[i]);
                    }

                    money[i].See(values[i]);
                }

                if (!withAmount)
                {
                    if (!RowContract.TryMultiply(values[0], values[1], out var product))
                    {
                        throw Unread(input, row, $"{header[money[0].Ordinal]} x {header[money[1].Ordinal]}", $"{texts[0]} x {texts[1]}");
                    }

                    largestProduct = Math.Max(largestProduct, Math.Abs(product));
                }

                appended.AppendValue(Utf8(customerId)).AppendValue(Utf8(orderId)).AppendValue(Utf8(format is null ? date : IsoDate(input, row, header[timestamp], date, format)));
                for (var i = 0; i < money.Length; i++)
                {
                    appended.AppendValue(values[i].ToString(CultureInfo.InvariantCulture));
                }

                appended.EndRow();
            }
        }

        progress?.Report(row);

        // DuckDB's decimals hold 38 digits: the largest value at the column's scale, and the largest product at the
        // sum of the scales (the scale of quantity x unit price), must fit.
        foreach (var column in money)
        {
            CheckDigits(input, header[column.Ordinal], column.Largest, column.Scale);
        }

        if (!withAmount)
        {
            CheckDigits(input, $"{header[money[0].Ordinal]} x {header[money[1].Ordinal]}", largestProduct, money[0].Scale + money[1].Scale);
        }

        var typed = string.Join(", ", money.Select(m => $"{Exact(m.Role, IntegerDigits(m.Largest), m.Scale)} AS {m.Role}"));
        Execute(connection, $"CREATE TABLE {Table.ToSql(SqlDialect.DuckDb)} AS SELECT decode(customer_id) AS customer_id, decode(order_id) AS order_id, decode(purchased_at) AS purchased_at, {typed} FROM loaded_rows");
        Execute(connection, "DROP TABLE loaded_rows");
    }

    private static byte[]? Utf8(string? text) => text is null ? null : System.Text.Encoding.UTF8.GetBytes(text);

    // A field's text as read; a field the reader has no value for is null.
    private static string? Text(System.Data.IDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    // A date read with --date-format, as the ISO text the SQL reads.
    private static string IsoDate(InputFile input, long row, string column, string? text, string format) =>
        RowContract.TryParseTimestamp(text, format, out var date)
            ? date.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)
            : throw Unread(input, row, column, text);

    // A value the loader cannot read; the in-memory engine says why.
    private static InputException Unread(InputFile input, long row, string column, string? text) =>
        new($"{input.DisplayName}: {input.Locate(row)}, column '{TerminalText.Value(column)}': the value cannot be read (value '{TerminalText.Value(text)}').");

    // The text of an exact decimal as DECIMAL(38, scale). DuckDB reads text into a decimal of 18 digits or fewer
    // several times faster than into a wider one, so text that fits is read so first and then widened (exactly).
    private static string Exact(string column, int integerDigits, int scale)
    {
        var s = scale.ToString(CultureInfo.InvariantCulture);
        return integerDigits + scale <= 18
            ? $"CAST(CAST({column} AS DECIMAL(18, {s})) AS DECIMAL({MaxDigits}, {s}))"
            : $"CAST({column} AS DECIMAL({MaxDigits}, {s}))";
    }

    private static int IntegerDigits(decimal largest) => largest < 1m ? 0 : decimal.Truncate(largest).ToString(CultureInfo.InvariantCulture).Length;

    private static void CheckDigits(InputFile input, string column, decimal largest, int scale)
    {
        var integerDigits = IntegerDigits(largest);
        if (integerDigits + scale > MaxDigits)
        {
            throw new InputException(
                $"{input.DisplayName}: column '{TerminalText.Value(column)}': the values need {integerDigits + scale} digits ({integerDigits} before the point, {scale} after it), "
                + $"more than the {MaxDigits} of DuckDB's exact decimals; use the in-memory engine.");
        }
    }

    private static DateTime NextMidnight(RfmSqlGenerator generator, TransactionColumns columns, DuckDBConnection connection, string displayName)
    {
        var outcome = Query(generator, columns, OpenEnded).ReadIngestionAsync(connection, CancellationToken.None).GetAwaiter().GetResult();
        if (outcome.LatestUsed is not { } latest)
        {
            throw Commands.TransactionInput.NoCustomer(displayName, outcome.Summary(customers: 0));
        }

        return Commands.TransactionInput.NextMidnight(latest);
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    /// <summary>A money column: where it is in the file, its role in the table, and the largest scale and value seen.</summary>
    private sealed class MoneyColumn(int ordinal, string role)
    {
        public int Ordinal { get; } = ordinal;

        public string Role { get; } = role;

        public int Scale { get; private set; }

        public decimal Largest { get; private set; }

        public void See(decimal value)
        {
            Scale = Math.Max(Scale, value.Scale);
            Largest = Math.Max(Largest, Math.Abs(value));
        }
    }
}
