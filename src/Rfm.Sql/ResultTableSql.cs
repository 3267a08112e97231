using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;
using Rfm.Scoring;
using Rfm.Segmentation;

namespace Rfm.Sql;

/// <summary>
/// The statements that write a result into a table of the database (and a history table keyed by analysis date), and
/// read a past result's segments back. The rows are the customers statement's, with the analysis date, the customer id
/// in the source column's type, and each segment's name, action and channel from the calculator's segment map, bound
/// as parameters.
/// </summary>
internal sealed partial class ResultTableSql
{
    /// <summary>The columns of a result table, in order.</summary>
    public static readonly ImmutableArray<string> Columns =
    [
        "analysis_date", "customer_id", "recency", "frequency", "monetary", "first_purchase", "last_purchase", "lines", "tenure",
        "r_score", "f_score", "m_score", "segment_key", "segment_name", "action", "channel",
    ];

    private readonly SqlDialect _dialect;
    private readonly List<SqlArgument> _parameters;

    private ResultTableSql(PipelineSql pipeline, string customerIdType)
    {
        _dialect = pipeline.Dialect;
        var customers = pipeline.Customers;
        _parameters = [.. customers.Parameters];
        var segments = SegmentsOf(pipeline.Calculator);
        var values = new List<string>();
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            var n = i + 1;
            values.Add($"({Text($"result_key_{n}", segment.Key)}, {Text($"result_name_{n}", segment.Name)}, {Text($"result_action_{n}", segment.SuggestedAction)}, {Text($"result_channel_{n}", segment.SuggestedChannel)})");
        }

        var asOf = Parameter("as_of", pipeline.AnalysisDate);
        Rows = new SqlStatement(
            _dialect,
            $"""
            SELECT
                CAST({asOf} AS {_dialect.TimestampType}) AS analysis_date,
                CAST(computed.customer_id AS {customerIdType}) AS customer_id,
                computed.recency, computed.frequency, computed.monetary, computed.first_purchase, computed.last_purchase, computed.lines, computed.tenure,
                computed.r_score, computed.f_score, computed.m_score,
                computed.segment AS segment_key,
                segment_names.segment_name, segment_names.action, segment_names.channel
            FROM (
            {customers.Text}
            ) computed
            LEFT JOIN (
                VALUES
                    {string.Join(",\n        ", values)}
            ) AS segment_names (segment_key, segment_name, action, channel) ON segment_names.segment_key = computed.segment
            """,
            [.. _parameters]);
    }

    /// <summary>One row per customer, in the result table's columns.</summary>
    public SqlStatement Rows { get; }

    /// <summary>The statements for a pipeline whose customer id column has the given SQL type.</summary>
    /// <exception cref="TransactionDataException">The type is not one a statement can name safely.</exception>
    public static ResultTableSql For(PipelineSql pipeline, string customerIdType)
    {
        if (!SafeTypeName().IsMatch(customerIdType))
        {
            throw new TransactionDataException(
                0,
                pipeline.Columns.Customer.Name!,
                null,
                $"the column is of type {SqlStatement.Escape(customerIdType)}, which a result table cannot repeat; cast the customer id to a plain type (text or an integer) in a view and query the view");
        }

        return new ResultTableSql(pipeline, customerIdType);
    }

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

    /// <summary>A temporary table of the rows, for the statements that write them.</summary>
    public SqlStatement CreateStaging(string staging) =>
        new(_dialect, $"CREATE TEMPORARY TABLE {_dialect.QuoteIdentifier(staging)} AS\n{Rows.Text}", Rows.Parameters);

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

    private string Text(string name, string value) => $"CAST({Parameter(name, value)} AS {_dialect.TextType})";

    private string Parameter(string name, object value)
    {
        if (!_parameters.Exists(p => p.Name == name))
        {
            _parameters.Add(new SqlArgument(name, value));
        }

        return _dialect.Parameter(name);
    }

    // A type as an engine names it, with at most a length or a precision and scale: nothing a statement could misread.
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_ ]*(\([0-9]+( *, *[0-9]+)?\))?$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeTypeName();
}
