using System.Collections.Immutable;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Rfm.Scoring;
using Rfm.Segmentation;

namespace Rfm.Sql;

/// <summary>
/// The statements that write a result into a table of the database (and a history table keyed by analysis date), and
/// read a past result's segments back. The rows go into a temporary table first, in the columns of the one
/// <see cref="Definition"/>: either computed by the customers statement (the customer id in the source column's type,
/// each segment's name, action and channel from the calculator's segment map, bound as parameters) or sent from memory
/// as parameters; <see cref="WriteStagedAsync"/> then writes both the same way.
/// </summary>
internal sealed partial class ResultTableSql
{
    /// <summary>The columns of a result table, in order.</summary>
    public static readonly ImmutableArray<string> Columns = [.. Definition(SqlDialect.PostgreSql, null, null).Select(column => column.Name)];

    private readonly SqlDialect _dialect;
    private readonly ImmutableArray<(string Name, string? Type)> _definition;

    private ResultTableSql(SqlDialect dialect, string customerIdType, string? moneyType)
    {
        _dialect = dialect;
        _definition = Definition(dialect, customerIdType, moneyType);
    }

    /// <summary>The statements for a pipeline whose customer id column has the given SQL type; the money keeps the type the database sums it in.</summary>
    /// <exception cref="TransactionDataException">The type is not one a statement can name safely.</exception>
    public static ResultTableSql For(PipelineSql pipeline, string customerIdType)
    {
        if (!IsSafeType(customerIdType))
        {
            throw new TransactionDataException(
                0,
                pipeline.Columns.Customer.Name!,
                null,
                $"the column is of type {SqlStatement.Escape(customerIdType)}, which a result table cannot repeat; cast the customer id to a plain type (text or an integer) in a view and query the view");
        }

        return new ResultTableSql(pipeline.Dialect, customerIdType, null);
    }

    /// <summary>The statements for rows sent from memory, with the customer id and the money of the given SQL types.</summary>
    public static ResultTableSql For(SqlDialect dialect, string customerIdType, string moneyType) => new(dialect, customerIdType, moneyType);

    /// <summary>Whether a type is one a statement can name safely: as an engine names it, with at most a length or a precision and scale.</summary>
    public static bool IsSafeType(string type) => SafeTypeName().IsMatch(type);

    /// <summary>Checks the tables a write-back names, before anything runs: two tables, each a name the dialect can quote.</summary>
    /// <exception cref="ArgumentException">The history table is the result table, or a part of a name cannot be quoted.</exception>
    public static void CheckTargets(SqlDialect dialect, SqlTableName target, SqlTableName? history)
    {
        if (history == target)
        {
            throw new ArgumentException($"The history table cannot be the result table '{target}'.", nameof(history));
        }

        _ = target.ToSql(dialect);
        _ = history?.ToSql(dialect);
    }

    /// <summary>
    /// The one definition of a result table: each column's name and type, in order. The customer id's and the money's
    /// types are given (null: the type of the expression that computes them, for a statement that computes them).
    /// </summary>
    private static ImmutableArray<(string Name, string? Type)> Definition(SqlDialect dialect, string? customerIdType, string? moneyType)
    {
        var timestamp = dialect.TimestampType;
        var text = dialect.TextType;
        return
        [
            ("analysis_date", timestamp), ("customer_id", customerIdType), ("recency", "INTEGER"), ("frequency", "BIGINT"), ("monetary", moneyType),
            ("first_purchase", timestamp), ("last_purchase", timestamp), ("lines", "BIGINT"), ("tenure", "INTEGER"),
            ("r_score", "INTEGER"), ("f_score", "INTEGER"), ("m_score", "INTEGER"),
            ("segment_key", text), ("segment_name", text), ("action", text), ("channel", text),
        ];
    }

    /// <summary>
    /// A temporary table of the pipeline's customers in the result table's columns, each segment's name, action and
    /// channel from the calculator's segment map, bound as parameters.
    /// </summary>
    public SqlStatement CreateStaging(string staging, PipelineSql pipeline)
    {
        var customers = pipeline.Customers;
        var parameters = new List<SqlArgument>(customers.Parameters);
        string Parameter(string name, object value)
        {
            if (!parameters.Exists(p => p.Name == name))
            {
                parameters.Add(new SqlArgument(name, value));
            }

            return _dialect.Parameter(name);
        }

        string Text(string name, string value) => $"CAST({Parameter(name, value)} AS {_dialect.TextType})";
        var segments = SegmentsOf(pipeline.Calculator);
        var values = new List<string>();
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            var n = i + 1;
            values.Add($"({Text($"result_key_{n}", segment.Key)}, {Text($"result_name_{n}", segment.Name)}, {Text($"result_action_{n}", segment.SuggestedAction)}, {Text($"result_channel_{n}", segment.SuggestedChannel)})");
        }

        string[] expressions =
        [
            Parameter("as_of", pipeline.AnalysisDate), "computed.customer_id", "computed.recency", "computed.frequency", "computed.monetary",
            "computed.first_purchase", "computed.last_purchase", "computed.lines", "computed.tenure",
            "computed.r_score", "computed.f_score", "computed.m_score",
            "computed.segment", "segment_names.segment_name", "segment_names.action", "segment_names.channel",
        ];
        var select = string.Join(",\n    ", _definition.Select((column, i) => $"{Typed(expressions[i], column.Type)} AS {column.Name}"));
        return new SqlStatement(
            _dialect,
            $"""
            CREATE TEMPORARY TABLE {_dialect.QuoteIdentifier(staging)} AS
            SELECT
                {select}
            FROM (
            {customers.Text}
            ) computed
            LEFT JOIN (
                VALUES
                    {string.Join(",\n        ", values)}
            ) AS segment_names (segment_key, segment_name, action, channel) ON segment_names.segment_key = computed.segment
            """,
            [.. parameters]);
    }

    /// <summary>An empty temporary table of the result table's columns and types, for rows sent from memory.</summary>
    public SqlStatement CreateStaging(string staging) =>
        new(_dialect, $"CREATE TEMPORARY TABLE {_dialect.QuoteIdentifier(staging)} ({string.Join(", ", _definition.Select(column => $"{column.Name} {column.Type}"))})", []);

    /// <summary>
    /// Customers inserted into a staging table, every value a parameter cast to its column's type: the analysis date
    /// once, each segment's texts once per statement, and the customer id, metrics and scores as invariant text.
    /// </summary>
    public SqlStatement InsertRows(string staging, DateTime asOf, ReadOnlySpan<CustomerRfm> customers)
    {
        var parameters = new List<SqlArgument> { new("as_of", asOf) };
        string Parameter(string name, object value)
        {
            parameters.Add(new SqlArgument(name, value));
            return _dialect.Parameter(name);
        }

        // In the order of the definition: the analysis date, eleven values per customer, four texts per segment.
        var types = _definition.Select(column => column.Type!).ToArray();
        var segments = new Dictionary<Segment, string[]>();
        var rows = new StringBuilder();
        var analysisDate = Typed(_dialect.Parameter("as_of"), types[0]);
        for (var i = 0; i < customers.Length; i++)
        {
            var customer = customers[i];
            var metrics = customer.Metrics;
            if (!segments.TryGetValue(customer.Segment, out var texts))
            {
                var s = segments.Count + 1;
                var segment = customer.Segment;
                texts =
                [
                    Typed(Parameter($"s{s}_key", segment.Key), types[12]), Typed(Parameter($"s{s}_name", segment.Name), types[13]),
                    Typed(Parameter($"s{s}_action", segment.SuggestedAction), types[14]), Typed(Parameter($"s{s}_channel", segment.SuggestedChannel), types[15]),
                ];
                segments.Add(segment, texts);
            }

            object[] values =
            [
                customer.CustomerId, Number(metrics.Recency), Number(metrics.Frequency), metrics.Monetary.ToString(CultureInfo.InvariantCulture),
                metrics.FirstPurchase, metrics.LastPurchase, Number(metrics.Lines), Number(metrics.Tenure),
                Number(customer.Score.R), Number(customer.Score.F), Number(customer.Score.M),
            ];
            rows.Append(i == 0 ? "\n    (" : ",\n    (").Append(analysisDate);
            for (var v = 0; v < values.Length; v++)
            {
                rows.Append(", ").Append(Typed(Parameter(FormattableString.Invariant($"c{i}_{v}"), values[v]), types[v + 1]));
            }

            rows.Append(", ").Append(string.Join(", ", texts)).Append(')');
        }

        return new SqlStatement(
            _dialect,
            $"INSERT INTO {_dialect.QuoteIdentifier(staging)} ({string.Join(", ", Columns)}) VALUES{rows}",
            [.. parameters]);
    }

    /// <summary>A name for a staging table that no other run uses.</summary>
    public static string NewStagingName() => "rfm_result_" + Guid.NewGuid().ToString("N");

    /// <summary>
    /// Writes a filled staging table into <paramref name="target"/> and, when given, <paramref name="history"/>, then
    /// drops it. Every table that exists is checked against the staging table's columns before any is written: one
    /// that exists must be a table (not a view) of the same columns, in order and of the same types.
    /// </summary>
    /// <exception cref="InvalidOperationException">A table that exists is a view, or has other columns or types.</exception>
    public async Task WriteStagedAsync(string staging, SqlTableName target, SqlTableName? history, DateTime asOf, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var columns = await SqlTableShape.ColumnsAsync(_dialect, $"SELECT * FROM {_dialect.QuoteIdentifier(staging)}", connection, transaction, cancellationToken).ConfigureAwait(false);
        var targetExists = await ExistsAsync(target, columns, connection, transaction, cancellationToken).ConfigureAwait(false);
        var historyExists = history is not null && await ExistsAsync(history, columns, connection, transaction, cancellationToken).ConfigureAwait(false);

        await FillAsync(target, staging, targetExists, null, connection, transaction, cancellationToken).ConfigureAwait(false);
        if (history is not null)
        {
            await FillAsync(history, staging, historyExists, asOf, connection, transaction, cancellationToken).ConfigureAwait(false);
        }

        await SqlResults.ExecuteAsync(Drop(staging), connection, transaction, cancellationToken).ConfigureAwait(false);
    }

    // Whether a table exists; one that does must be a table with the result's columns.
    private async Task<bool> ExistsAsync(SqlTableName table, List<(string Name, string Type)> columns, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var command = Find(_dialect, table).CreateCommand(connection);
        string? type;
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            type = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }

        if (type is null)
        {
            return false;
        }

        if (type != "BASE TABLE")
        {
            throw new InvalidOperationException($"'{table}' is a {type.ToLowerInvariant()}, not a table: results are written into a table only.");
        }

        var existing = await SqlTableShape.ColumnsAsync(_dialect, $"SELECT * FROM {table.ToSql(_dialect)}", connection, transaction, cancellationToken).ConfigureAwait(false);
        if (Difference(existing, columns) is { } difference)
        {
            throw new InvalidOperationException($"The table '{table}' exists but does not hold this result: {difference}. Nothing was written; rename or alter the table.");
        }

        return true;
    }

    // A new table is created like the staging table with its primary key; an existing one loses its rows (a history
    // table, those of the analysis date) and keeps everything else. Then the staging rows go in.
    private async Task FillAsync(SqlTableName table, string staging, bool exists, DateTime? historyDate, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (!exists)
        {
            await SqlResults.ExecuteAsync(CreateLike(table, staging), connection, transaction, cancellationToken).ConfigureAwait(false);
            await SqlResults.ExecuteAsync(AddPrimaryKey(table, history: historyDate is not null), connection, transaction, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var delete = historyDate is { } date ? DeleteDate(table, date) : DeleteAll(table);
            await SqlResults.ExecuteAsync(delete, connection, transaction, cancellationToken).ConfigureAwait(false);
        }

        await SqlResults.ExecuteAsync(Insert(table, staging), connection, transaction, cancellationToken).ConfigureAwait(false);
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Typed(string expression, string? type) => type is null ? expression : $"CAST({expression} AS {type})";

    /// <summary>Every segment a calculator's map can assign, each key once: the map's list, then any other it assigns.</summary>
    /// <exception cref="NotSupportedException">Two different segments share a key, which a table could not tell apart.</exception>
    public static IReadOnlyList<Segment> SegmentsOf(RfmCalculator calculator)
    {
        var map = calculator.SegmentMap;
        var bins = calculator.Scoring.Bins;
        var all = new List<Segment>(map.Segments);
        for (var r = 1; r <= bins; r++)
        {
            for (var f = 1; f <= bins; f++)
            {
                for (var m = 1; m <= bins; m++)
                {
                    all.Add(map.Assign(new RfmScore(r, f, m), bins));
                }
            }
        }

        var byKey = new Dictionary<string, Segment>(StringComparer.Ordinal);
        var segments = new List<Segment>();
        foreach (var segment in all)
        {
            if (byKey.TryGetValue(segment.Key, out var known))
            {
                if (known != segment)
                {
                    throw new NotSupportedException(
                        $"The segment map '{map.Name}' assigns two different segments with the key '{segment.Key}' ('{known.Name}' and '{segment.Name}'), which a result table could not tell apart.");
                }

                continue;
            }

            byKey.Add(segment.Key, segment);
            segments.Add(segment);
        }

        return segments;
    }

    /// <summary>A statement that finds a table: one row (its type) when it exists, none when it does not.</summary>
    public static SqlStatement Find(SqlDialect dialect, SqlTableName table)
    {
        var parts = table.Parts;
        var arguments = new List<SqlArgument> { new("table_name", parts[^1]) };
        var schema = "current_schema()";
        var catalog = "current_database()";
        if (parts.Length > 1)
        {
            arguments.Add(new SqlArgument("table_schema", parts[^2]));
            schema = dialect.Parameter("table_schema");
        }

        if (parts.Length > 2)
        {
            arguments.Add(new SqlArgument("table_catalog", parts[0]));
            catalog = dialect.Parameter("table_catalog");
        }

        return new SqlStatement(
            dialect,
            $"""
            SELECT table_type
            FROM information_schema.tables
            WHERE table_catalog = {catalog} AND table_schema = {schema} AND table_name = {dialect.Parameter("table_name")}
            """,
            [.. arguments]);
    }

    /// <summary>A statement whose result describes a query's columns: DuckDB's <c>DESCRIBE</c>, elsewhere the query read for no rows.</summary>
    public static SqlStatement Describe(SqlDialect dialect, string query) =>
        dialect == SqlDialect.DuckDb
            ? new SqlStatement(dialect, $"DESCRIBE {query}", [])
            : new SqlStatement(dialect, $"SELECT * FROM ({query}) described WHERE 1 = 0", []);

    /// <summary>A new, empty table with the staging table's columns; its primary key follows.</summary>
    public SqlStatement CreateLike(SqlTableName table, string staging) =>
        new(_dialect, $"CREATE TABLE {table.ToSql(_dialect)} AS SELECT * FROM {_dialect.QuoteIdentifier(staging)} WHERE 1 = 0", []);

    /// <summary>The primary key of a result table (the customer) or a history table (the analysis date and the customer).</summary>
    public SqlStatement AddPrimaryKey(SqlTableName table, bool history) =>
        new(_dialect, $"ALTER TABLE {table.ToSql(_dialect)} ADD PRIMARY KEY ({(history ? "analysis_date, customer_id" : "customer_id")})", []);

    /// <summary>Every row of a result table deleted, so that it can be filled again without being dropped.</summary>
    public SqlStatement DeleteAll(SqlTableName table) => new(_dialect, $"DELETE FROM {table.ToSql(_dialect)}", []);

    /// <summary>The rows of one analysis date deleted from a history table.</summary>
    public SqlStatement DeleteDate(SqlTableName table, DateTime asOf) =>
        new(
            _dialect,
            $"DELETE FROM {table.ToSql(_dialect)} WHERE analysis_date = CAST({_dialect.Parameter("as_of")} AS {_dialect.TimestampType})",
            [new SqlArgument("as_of", asOf)]);

    /// <summary>The staging table's rows inserted into a table, column by column.</summary>
    public SqlStatement Insert(SqlTableName table, string staging)
    {
        var columns = string.Join(", ", Columns);
        return new(_dialect, $"INSERT INTO {table.ToSql(_dialect)} ({columns})\nSELECT {columns} FROM {_dialect.QuoteIdentifier(staging)}", []);
    }

    /// <summary>A temporary table dropped.</summary>
    public SqlStatement Drop(string staging) => new(_dialect, $"DROP TABLE {_dialect.QuoteIdentifier(staging)}", []);

    /// <summary>Each customer's segment as of one analysis date, read from a result or history table.</summary>
    public static SqlStatement ReadSegments(SqlDialect dialect, SqlTableName table, DateTime asOf) =>
        new(
            dialect,
            $"""
            SELECT CAST(customer_id AS {dialect.TextType}) AS customer_id, segment_key, segment_name, action, channel
            FROM {table.ToSql(dialect)}
            WHERE analysis_date = CAST({dialect.Parameter("as_of")} AS {dialect.TimestampType})
            """,
            [new SqlArgument("as_of", asOf)]);

    /// <summary>What differs between a table's columns and the result's, or null when they are the same.</summary>
    public static string? Difference(IReadOnlyList<(string Name, string Type)> table, IReadOnlyList<(string Name, string Type)> result)
    {
        var differences = new StringBuilder();
        var names = table.Select(column => column.Name).ToList();
        var expected = result.Select(column => column.Name).ToList();
        var missing = expected.Except(names, StringComparer.Ordinal).ToList();
        var extra = names.Except(expected, StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            differences.Append(FormattableString.Invariant($"it has no column {string.Join(", ", missing)}; "));
        }

        if (extra.Count > 0)
        {
            differences.Append(FormattableString.Invariant($"it has the column(s) {string.Join(", ", extra.Select(SqlStatement.Escape))}, which the result does not; "));
        }

        if (missing.Count == 0 && extra.Count == 0 && !names.SequenceEqual(expected, StringComparer.Ordinal))
        {
            differences.Append(FormattableString.Invariant($"its columns are in the order {string.Join(", ", names)}, the result's {string.Join(", ", expected)}; "));
        }

        foreach (var (name, type) in result)
        {
            var found = table.FirstOrDefault(column => column.Name == name);
            if (found.Name is not null && !string.Equals(found.Type, type, StringComparison.OrdinalIgnoreCase))
            {
                differences.Append(FormattableString.Invariant($"its column {name} is of type {SqlStatement.Escape(found.Type)}, the result's {type}; "));
            }
        }

        return differences.Length == 0 ? null : differences.ToString(0, differences.Length - 2);
    }

    // A type as an engine names it, with at most a length or a precision and scale: nothing a statement could misread.
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_ ]*(\([0-9]+( *, *[0-9]+)?\))?$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeTypeName();
}
