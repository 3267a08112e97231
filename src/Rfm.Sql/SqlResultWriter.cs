using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Rfm.Segmentation;

namespace Rfm.Sql;

/// <summary>
/// Writes a result calculated in memory (from an accumulator loaded from saved state, a file, several sources merged)
/// into the same result and history tables as <see cref="RfmSqlQuery.WriteResultsAsync"/>: the same columns, the same
/// checks of a table that exists, the same create, refresh and history statements. The rows are sent as parameters,
/// a batch of customers per statement, never spliced into a statement's text. Immutable and safe to share.
/// </summary>
public sealed partial class SqlResultWriter
{
    /// <summary>The customers sent per <c>INSERT</c>: at most 11 parameters each, far below PostgreSQL's 65,535 per statement.</summary>
    internal const int BatchSize = 500;

    private readonly ResultTableSql _sql;
    private readonly (int Precision, int Scale)? _money;

    /// <summary>Creates a writer for a dialect, with the customer id and money types of the tables it writes.</summary>
    /// <param name="dialect"><see cref="SqlDialect.PostgreSql"/> or <see cref="SqlDialect.DuckDb"/>.</param>
    /// <param name="customerIdType">The type of the <c>customer_id</c> column; an integer type requires every id to be the
    /// invariant text of one.</param>
    /// <param name="moneyType">
    /// The exact type of the <c>monetary</c> column: <c>numeric</c> or <c>decimal</c>, with or without a precision and
    /// scale; <see langword="null"/> for the type <see cref="RfmSqlQuery.WriteResultsAsync"/> gives money summed from a
    /// column of scale 2: <c>numeric</c> on PostgreSQL (which holds any decimal exactly) and <c>DECIMAL(38,2)</c> on
    /// DuckDB. A bare <c>DECIMAL</c> is <c>DECIMAL(18,3)</c> on DuckDB.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="dialect"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="customerIdType"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="moneyType"/> is not <c>numeric</c> or <c>decimal</c> with at
    /// most a precision and scale.</exception>
    /// <exception cref="NotSupportedException"><paramref name="dialect"/> is Spark SQL, whose tables have no enforced
    /// primary key to replace rows by.</exception>
    public SqlResultWriter(SqlDialect dialect, SqlCustomerIdType customerIdType = SqlCustomerIdType.Text, string? moneyType = null)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        if (!Enum.IsDefined(customerIdType))
        {
            throw new ArgumentOutOfRangeException(nameof(customerIdType), customerIdType, "The customer id type is not one of SqlCustomerIdType's values.");
        }

        if (dialect == SqlDialect.SparkSql)
        {
            throw new NotSupportedException("Writing results back is supported on PostgreSQL and DuckDB: Spark SQL tables have no enforced primary key to replace rows by.");
        }

        moneyType ??= dialect == SqlDialect.PostgreSql ? "numeric" : "DECIMAL(38,2)";
        var match = MoneyTypeName().Match(moneyType);
        if (!match.Success || !ResultTableSql.IsSafeType(moneyType))
        {
            throw new ArgumentException(
                $"The money type '{SqlStatement.Escape(moneyType)}' is not an exact decimal type: name numeric or decimal, with or without a precision and scale (numeric(18,2)).",
                nameof(moneyType));
        }

        _money = match.Groups["precision"].Success
            ? (Number(match.Groups["precision"].Value), match.Groups["scale"].Success ? Number(match.Groups["scale"].Value) : 0)
            : dialect == SqlDialect.DuckDb ? (18, 3) : null;
        if (_money is { } money && money.Scale > money.Precision)
        {
            throw new ArgumentException($"The money type '{moneyType}' has a scale larger than its precision.", nameof(moneyType));
        }

        Dialect = dialect;
        CustomerIdType = customerIdType;
        MoneyType = moneyType;
        var idType = customerIdType switch
        {
            SqlCustomerIdType.Integer => "INTEGER",
            SqlCustomerIdType.BigInt => "BIGINT",
            _ => dialect.TextType,
        };
        _sql = ResultTableSql.For(dialect, idType, moneyType);
    }

    /// <summary>The dialect of the statements.</summary>
    public SqlDialect Dialect { get; }

    /// <summary>The type of the <c>customer_id</c> column.</summary>
    public SqlCustomerIdType CustomerIdType { get; }

    /// <summary>The type of the <c>monetary</c> column, as the statements name it.</summary>
    public string MoneyType { get; }

    /// <summary>
    /// Writes <paramref name="result"/> into <paramref name="target"/> for a CRM to read, and optionally appends it to
    /// <paramref name="history"/>, all in one transaction.
    /// </summary>
    /// <param name="connection">An open connection to an engine of <see cref="Dialect"/>.</param>
    /// <param name="result">The result: one row per customer, its <see cref="RfmResult.AsOf"/> the <c>analysis_date</c>
    /// and each segment's key, name, action and channel as the result holds them.</param>
    /// <param name="target">The result table, as for <see cref="RfmSqlQuery.WriteResultsAsync"/>: created with the primary
    /// key <c>customer_id</c> when missing; when present, its rows are replaced (<c>DELETE</c>, then <c>INSERT</c>)
    /// without dropping it, so its grants and the views over it stay.</param>
    /// <param name="history">A history table keyed by (<c>analysis_date</c>, <c>customer_id</c>), or <see langword="null"/>
    /// for none: created when missing; the analysis date's rows are replaced, so writing the same night again changes
    /// nothing. <see cref="RfmSqlGenerator.ReadSegmentsAsync"/> reads a date's segments back.</param>
    /// <param name="transaction">The caller's open transaction on <paramref name="connection"/>, in which every command
    /// runs, nothing being begun or committed; <see langword="null"/> to run in a transaction of the method's own,
    /// committed at the end. Either way the tables change together or not at all.</param>
    /// <param name="cancellationToken">Cancels the commands.</param>
    /// <returns>The number of rows written into <paramref name="target"/>.</returns>
    /// <remarks>
    /// Every row is checked before any command runs. Timestamps are written as their wall clock into a
    /// <c>TIMESTAMP</c> column (a UTC time as UTC's). A table that exists must have exactly the result table's columns,
    /// in order and of the same types, as the writer names them; otherwise nothing is written.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/>, <paramref name="result"/> or
    /// <paramref name="target"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="history"/> names <paramref name="target"/>;
    /// <paramref name="transaction"/> has completed or belongs to another connection; or a row cannot be written
    /// exactly (the message names the customer, the column and the value): an id that is not the invariant text of
    /// the integer type, money with more decimals or digits than the money type holds, a timestamp finer than a
    /// microsecond, or text with a NUL character on PostgreSQL. Nothing is written.</exception>
    /// <exception cref="InvalidOperationException">A table that exists has other columns or types than the result (the
    /// message names each difference), or is a view. Nothing is written.</exception>
    /// <exception cref="DbException">The database rejected a statement; nothing is written.</exception>
    public Task<int> WriteAsync(DbConnection connection, RfmResult result, SqlTableName target, SqlTableName? history = null, DbTransaction? transaction = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(target);
        RfmSqlQuery.CheckTransaction(connection, transaction);
        ResultTableSql.CheckTargets(Dialect, target, history);
        Check(result);
        return SqlResults.InTransactionAsync(Dialect, connection, transaction, (inTransaction, token) => WriteInAsync(connection, result, target, history, inTransaction, token), cancellationToken);
    }

    private async Task<int> WriteInAsync(DbConnection connection, RfmResult result, SqlTableName target, SqlTableName? history, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var staging = ResultTableSql.NewStagingName();
        await SqlResults.ExecuteAsync(_sql.CreateStaging(staging), connection, transaction, cancellationToken).ConfigureAwait(false);
        var customers = result.Customers;
        for (var start = 0; start < customers.Length; start += BatchSize)
        {
            var batch = customers.AsSpan(start, Math.Min(BatchSize, customers.Length - start));
            await SqlResults.ExecuteAsync(_sql.InsertRows(staging, result.AsOf, batch), connection, transaction, cancellationToken).ConfigureAwait(false);
        }

        await _sql.WriteStagedAsync(staging, target, history, result.AsOf, connection, transaction, cancellationToken).ConfigureAwait(false);
        return customers.Length;
    }

    // Every value the tables could not hold exactly, refused before anything is written.
    private void Check(RfmResult result)
    {
        CheckTimestamp(null, "analysis_date", result.AsOf);
        var segments = new HashSet<Segment>();
        foreach (var customer in result.Customers)
        {
            var id = customer.CustomerId;
            var metrics = customer.Metrics;
            var parses = CustomerIdType switch
            {
                SqlCustomerIdType.Integer => int.TryParse(id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n.ToString(CultureInfo.InvariantCulture) == id,
                SqlCustomerIdType.BigInt => long.TryParse(id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n.ToString(CultureInfo.InvariantCulture) == id,
                _ => true,
            };
            if (!parses)
            {
                throw Refused(id, "customer_id", id, $"it is not the invariant text of {(CustomerIdType == SqlCustomerIdType.BigInt ? "a bigint" : "an integer")}, so the {CustomerIdType} column cannot hold it (or would write another text)");
            }

            CheckText(id, "customer_id", id);
            CheckMoney(id, metrics.Monetary);
            CheckTimestamp(id, "first_purchase", metrics.FirstPurchase);
            CheckTimestamp(id, "last_purchase", metrics.LastPurchase);
            if (segments.Add(customer.Segment))
            {
                CheckText(id, "segment_key", customer.Segment.Key);
                CheckText(id, "segment_name", customer.Segment.Name);
                CheckText(id, "action", customer.Segment.SuggestedAction);
                CheckText(id, "channel", customer.Segment.SuggestedChannel);
            }
        }
    }

    private void CheckMoney(string id, decimal value)
    {
        if (_money is not { } money)
        {
            return;
        }

        var fitsScale = money.Scale >= 28 || decimal.Round(value, money.Scale) == value;
        var digits = money.Precision - money.Scale;
        var fitsDigits = digits >= 29 || Math.Abs(decimal.Truncate(value)) < Pow10(digits);
        if (!fitsScale || !fitsDigits)
        {
            throw Refused(
                id,
                "monetary",
                value.ToString(CultureInfo.InvariantCulture),
                $"the money type {MoneyType} holds {digits} digit(s) before the point and {money.Scale} after it, so the value would {(fitsScale ? "overflow" : "be rounded")}; name a wider money type");
        }
    }

    private static void CheckTimestamp(string? id, string column, DateTime value)
    {
        if (value.Ticks % TimeSpan.TicksPerMicrosecond != 0)
        {
            throw Refused(id, column, value.ToString("O", CultureInfo.InvariantCulture), "the timestamp is finer than a microsecond, which the column would round");
        }
    }

    private void CheckText(string id, string column, string value)
    {
        if (Dialect == SqlDialect.PostgreSql && value.Contains('\0', StringComparison.Ordinal))
        {
            throw Refused(id, column, value, "PostgreSQL text cannot hold a NUL character");
        }
    }

    private static ArgumentException Refused(string? id, string column, string value, string problem) =>
        new(
            id is null
                ? $"The result cannot be written: its {column} '{SqlStatement.Escape(value)}' cannot be written exactly: {problem}. Nothing was written."
                : $"The result cannot be written: customer '{SqlStatement.Escape(id)}', column {column}, value '{SqlStatement.Escape(value)}': {problem}. Nothing was written.",
            "result");

    private static decimal Pow10(int digits)
    {
        var power = 1m;
        for (var i = 0; i < digits; i++)
        {
            power *= 10;
        }

        return power;
    }

    private static int Number(string digits) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : int.MaxValue;

    [GeneratedRegex(@"^\s*(numeric|decimal)\s*(\(\s*(?<precision>[0-9]{1,4})\s*(,\s*(?<scale>[0-9]{1,4})\s*)?\))?\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex MoneyTypeName();
}
