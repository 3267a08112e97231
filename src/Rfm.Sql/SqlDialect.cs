using System.Text;

namespace Rfm.Sql;

/// <summary>
/// A flavour of SQL the pipeline can be written in: how names are quoted, how parameters are marked, and the few
/// functions that differ between engines (elapsed time, trimming, text types).
/// </summary>
/// <remarks>
/// Three dialects are built in; the set is closed, because each one is tested against its engine or its golden text.
/// See <c>docs/sql.md</c> for what Trino and BigQuery accept of the Spark SQL text.
/// </remarks>
public sealed class SqlDialect
{
    private enum Kind
    {
        DuckDb,
        PostgreSql,
        SparkSql,
    }

    // PostgreSQL cuts longer names to 63 bytes without an error, so two long names could become one.
    private const int PostgreSqlMaxIdentifierBytes = 63;

    private readonly Kind _kind;

    private SqlDialect(Kind kind, string name)
    {
        _kind = kind;
        Name = name;
    }

    /// <summary>DuckDB (embedded, or MotherDuck); parameters are <c>$name</c>.</summary>
    public static SqlDialect DuckDb { get; } = new(Kind.DuckDb, "duckdb");

    /// <summary>
    /// PostgreSQL 14 or later (whose <c>EXTRACT(EPOCH ...)</c> is exact); parameters are <c>@name</c>, as Npgsql and
    /// most ADO.NET providers write them.
    /// </summary>
    public static SqlDialect PostgreSql { get; } = new(Kind.PostgreSql, "postgres");

    /// <summary>
    /// Spark SQL 3.4 or later (Databricks, EMR, Synapse Spark); parameters are <c>:name</c>, as
    /// <c>spark.sql(text, args)</c> takes them. Not executed by this package's tests: its text is checked against a golden file.
    /// </summary>
    public static SqlDialect SparkSql { get; } = new(Kind.SparkSql, "spark");

    /// <summary>The dialects by <see cref="Name"/>: <c>duckdb</c>, <c>postgres</c> and <c>spark</c>.</summary>
    public static IReadOnlyList<SqlDialect> All { get; } = [DuckDb, PostgreSql, SparkSql];

    /// <summary>The dialect's short name: <c>duckdb</c>, <c>postgres</c> or <c>spark</c>.</summary>
    public string Name { get; }

    /// <summary>Finds a dialect by its <see cref="Name"/>, ignoring case.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The dialect.</returns>
    /// <exception cref="ArgumentException">No dialect has that name.</exception>
    public static SqlDialect Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Unknown SQL dialect '{name}'; expected {string.Join(", ", All.Select(d => d.Name))}.", nameof(name));
    }

    /// <summary>
    /// Quotes one name (a table, schema or column) so that the engine reads it as a name whatever it contains:
    /// quote characters are doubled, and nothing in the name can end the quotes.
    /// </summary>
    /// <param name="name">The name, exactly as stored (case included).</param>
    /// <returns>The quoted name.</returns>
    /// <exception cref="ArgumentException">The name is empty, contains a control character, or is longer than the engine keeps.</exception>
    public string QuoteIdentifier(string name)
    {
        CheckIdentifier(name);
        var quote = _kind == Kind.SparkSql ? '`' : '"';
        var quoted = new StringBuilder(name.Length + 2).Append(quote);
        foreach (var c in name)
        {
            quoted.Append(c);
            if (c == quote)
            {
                quoted.Append(c);
            }
        }

        return quoted.Append(quote).ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>Throws when a name cannot be used as an identifier in this dialect.</summary>
    internal void CheckIdentifier(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            throw new ArgumentException("A table or column name is empty.", nameof(name));
        }

        foreach (var c in name)
        {
            // Control characters (NUL, line breaks) have no business in a name and confuse logs and consoles; the
            // message shows them escaped.
            if (char.IsControl(c))
            {
                throw new ArgumentException($"The name \"{SqlStatement.Escape(name)}\" contains the control character U+{(int)c:X4}.", nameof(name));
            }
        }

        if (IndexOfLoneSurrogate(name) is var at and >= 0)
        {
            throw new ArgumentException($"The name \"{SqlStatement.Escape(name)}\" holds half of a surrogate pair (U+{(int)name[at]:X4}), which is not Unicode; a driver would change it or refuse it.", nameof(name));
        }

        if (_kind == Kind.PostgreSql && Encoding.UTF8.GetByteCount(name) > PostgreSqlMaxIdentifierBytes)
        {
            throw new ArgumentException($"The name \"{SqlStatement.Escape(name)}\" is longer than the {PostgreSqlMaxIdentifierBytes} bytes PostgreSQL keeps; it would be cut silently.", nameof(name));
        }
    }

    /// <summary>Where <paramref name="text"/> holds half of a surrogate pair without the other half, or -1.</summary>
    internal static int IndexOfLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The isolation level under which the statements of one run all see the same rows.</summary>
    internal System.Data.IsolationLevel ConsistentReads => _kind switch
    {
        Kind.DuckDb => System.Data.IsolationLevel.Snapshot,
        Kind.PostgreSql => System.Data.IsolationLevel.RepeatableRead,
        _ => System.Data.IsolationLevel.Unspecified,
    };

    /// <summary>How a parameter is written in a statement.</summary>
    internal string Parameter(string name) => _kind switch
    {
        Kind.DuckDb => "$" + name,
        Kind.PostgreSql => "@" + name,
        _ => ":" + name,
    };

    /// <summary>The type of text.</summary>
    internal string TextType => _kind switch
    {
        Kind.PostgreSql => "TEXT",
        Kind.SparkSql => "STRING",
        _ => "VARCHAR",
    };

    /// <summary>
    /// The type of a timestamp without time zone. Spark's <c>TIMESTAMP</c> is the session zone's local time, where a
    /// day across a clock change is 23 or 25 hours long.
    /// </summary>
    internal string TimestampType => _kind == Kind.SparkSql ? "TIMESTAMP_NTZ" : "TIMESTAMP";

    /// <summary>The type of an IEEE double.</summary>
    internal string DoubleType => _kind == Kind.PostgreSql ? "DOUBLE PRECISION" : "DOUBLE";

    /// <summary>Text with the given characters removed from both ends.</summary>
    internal string Trim(string text, string characters) => _kind switch
    {
        Kind.PostgreSql => $"btrim({text}, {characters})",
        Kind.SparkSql => $"TRIM(BOTH {characters} FROM {text})",
        _ => $"trim({text}, {characters})",
    };

    /// <summary>
    /// A string literal holding exactly <paramref name="text"/>: for text the library itself writes (a pattern of its
    /// own), never a caller's, which is always a parameter.
    /// </summary>
    internal string StringLiteral(string text) => _kind == Kind.SparkSql
        ? "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'"
        : "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// The UTC wall clock of a timestamp with time zone, as a timestamp without one, whatever the session's zone:
    /// PostgreSQL <c>AT TIME ZONE 'UTC'</c>, DuckDB <c>timezone('UTC', x)</c>, Spark the microseconds since the epoch
    /// added to the epoch's <c>TIMESTAMP_NTZ</c>.
    /// </summary>
    internal string UtcWallClock(string value) => _kind switch
    {
        Kind.PostgreSql => $"({value} AT TIME ZONE 'UTC')",
        Kind.SparkSql => $"timestampadd(MICROSECOND, unix_micros({value}), CAST('1970-01-01 00:00:00' AS TIMESTAMP_NTZ))",
        _ => $"timezone('UTC', {value})",
    };

    /// <summary>
    /// What <see cref="RegexGroup"/> reads the groups of an anchored pattern from: on PostgreSQL the array of the one
    /// match (<c>regexp_match</c>, null when the text does not match), on DuckDB a struct of every group
    /// (<c>regexp_extract</c> with a list of names, since a group number there stops at 9), on Spark the text itself,
    /// each group extracted on its own.
    /// </summary>
    internal string RegexMatch(string text, string pattern, int groups) => _kind switch
    {
        Kind.PostgreSql => $"regexp_match({text}, {pattern})",
        Kind.DuckDb => $"regexp_extract({text}, {pattern}, [{string.Join(", ", Enumerable.Range(1, groups).Select(g => $"'g{g}'"))}])",
        _ => text,
    };

    /// <summary>The text of one group of an anchored pattern: null or empty when the group or the pattern does not match.</summary>
    internal string RegexGroup(string match, string pattern, int group) => _kind switch
    {
        Kind.PostgreSql => $"({match})[{group}]",
        Kind.DuckDb => $"struct_extract({match}, 'g{group}')",
        _ => $"regexp_extract({match}, {pattern}, {group})",
    };

    /// <summary>The midnight <paramref name="days"/> days after the first of a month (integer year and month of a real date).</summary>
    internal string MonthStartPlusDays(string year, string month, string days) => _kind == Kind.SparkSql
        ? $"CAST(date_add(make_date({year}, {month}, 1), {days}) AS TIMESTAMP_NTZ)"
        : $"CAST(make_date({year}, {month}, 1) + {days} AS TIMESTAMP)";

    /// <summary>A timestamp moved by a whole number of microseconds (a BIGINT, possibly negative), exactly.</summary>
    internal string AddMicroseconds(string timestamp, string micros) => _kind switch
    {
        Kind.PostgreSql => $"{timestamp} + INTERVAL '1 microsecond' * {micros}",
        Kind.SparkSql => $"timestampadd(MICROSECOND, {micros}, {timestamp})",
        _ => $"{timestamp} + to_microseconds({micros})",
    };

    /// <summary>Whole days elapsed from <paramref name="earlier"/> to <paramref name="later"/>, rounded down (never midnights crossed).</summary>
    internal string ElapsedDays(string later, string earlier) => _kind switch
    {
        Kind.PostgreSql => $"CAST(DIV(EXTRACT(EPOCH FROM ({later} - {earlier})) * 1000000, 86400000000) AS INTEGER)",
        Kind.SparkSql => $"CAST(timestampdiff(MICROSECOND, {earlier}, {later}) DIV 86400000000 AS INT)",
        _ => $"CAST((epoch_us({later}) - epoch_us({earlier})) // 86400000000 AS INTEGER)",
    };

    /// <summary>
    /// A text expression in code point order, the order ties are broken in. It equals .NET's ordinal (UTF-16) order
    /// except between characters above U+FFFF and those from U+E000 to U+FFFF; reading a result back catches that case.
    /// </summary>
    internal string Ordinal(string text) => _kind == Kind.PostgreSql ? text + " COLLATE \"C\"" : text;

    /// <summary>
    /// A double that is exactly <paramref name="value"/>: its shortest round-trip text, parsed as a double (a numeric
    /// literal would be a decimal first, whose conversion need not round correctly).
    /// </summary>
    internal string DoubleLiteral(double value) =>
        $"CAST('{value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}' AS {DoubleType})";
}
