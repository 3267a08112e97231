using System.Data.Common;
using Rfm.Segmentation;

namespace Rfm.Sql;

/// <summary>
/// Writes a calculator's whole pipeline (which rows count, the metrics, the scores and the segments) as SQL for one
/// dialect, so that it runs where the data is and gives the numbers <see cref="RfmCalculator"/> gives in memory.
/// Immutable and thread-safe.
/// </summary>
/// <remarks>
/// Everything built in can be written as SQL: the cancellation rules that look at the order id's text, the quantile,
/// rank-quantile and fixed-threshold strategies, and any segment map (rule maps as one <c>CASE</c>, other maps as a
/// table of every score). A custom cancellation predicate or a custom scoring strategy is .NET code, which a
/// database cannot run: the constructor refuses it, as it refuses a cancellation text with a NUL character or half of
/// a surrogate pair, which SQL text cannot hold.
/// </remarks>
public sealed class RfmSqlGenerator
{
    /// <summary>Creates a generator.</summary>
    /// <param name="dialect">The SQL dialect to write.</param>
    /// <param name="calculator">The pipeline to write; default <see cref="RfmCalculator.Default"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dialect"/> is null.</exception>
    /// <exception cref="NotSupportedException">The calculator uses a custom cancellation predicate or scoring strategy, or
    /// a cancellation text with a NUL character or half of a surrogate pair.</exception>
    public RfmSqlGenerator(SqlDialect dialect, RfmCalculator? calculator = null)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        Dialect = dialect;
        Calculator = calculator ?? RfmCalculator.Default;
        PipelineSql.CheckSupported(Calculator);
    }

    /// <summary>The dialect written.</summary>
    public SqlDialect Dialect { get; }

    /// <summary>The pipeline written.</summary>
    public RfmCalculator Calculator { get; }

    /// <summary>The statements that analyse a table of transactions as of a date, its date column holding timestamps without time zone.</summary>
    /// <param name="table">The table (or view) of transactions.</param>
    /// <param name="columns">Which columns hold what, by name. Money columns must be exact numbers (decimals or integers).</param>
    /// <param name="asOf">The analysis date, to the microsecond (the resolution of SQL timestamps).</param>
    /// <returns>The query.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A column is given by position or with a date format, a name cannot be
    /// quoted in the dialect, or <paramref name="asOf"/> has a fraction of a microsecond.</exception>
    public RfmSqlQuery Query(SqlTableName table, TransactionColumns columns, DateTime asOf) => Query(table, columns, asOf, SqlDateType.Timestamp);

    /// <summary>The statements that analyse a table of transactions as of a date.</summary>
    /// <param name="table">The table (or view) of transactions.</param>
    /// <param name="columns">Which columns hold what, by name. Money columns must be exact numbers (decimals or integers).</param>
    /// <param name="asOf">The analysis date, to the microsecond (the resolution of SQL timestamps).</param>
    /// <param name="dateType">The SQL type of the date column, which decides how the statements read it (see
    /// <see cref="SqlDateType"/>). Running the query reads the table's columns first and uses the type the column has.</param>
    /// <returns>The query.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A column is given by position or with a date format, a name cannot be
    /// quoted in the dialect, or <paramref name="asOf"/> has a fraction of a microsecond.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dateType"/> is not a defined value.</exception>
    public RfmSqlQuery Query(SqlTableName table, TransactionColumns columns, DateTime asOf, SqlDateType dateType)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(columns);
        if (asOf.Ticks % TimeSpan.TicksPerMicrosecond != 0)
        {
            throw new ArgumentException($"The analysis date {asOf:O} has a fraction of a microsecond, which SQL timestamps cannot hold; it would be rounded.", nameof(asOf));
        }

        return new RfmSqlQuery(table, asOf, new PipelineSql(Dialect, Calculator, table, columns, asOf, dateType));
    }

    /// <summary>
    /// Reads back each customer's segment as of one analysis date from a table <see cref="RfmSqlQuery.WriteResultsAsync"/>
    /// wrote (the history table, or the result table for its one date), for <see cref="SegmentMigration.Between(IEnumerable{KeyValuePair{string, Segment}}, IEnumerable{KeyValuePair{string, Segment}}, ISegmentMap)"/>.
    /// </summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="table">The history or result table.</param>
    /// <param name="asOf">The analysis date whose rows are read; no rows when none was written for it.</param>
    /// <param name="transaction">The caller's open transaction on <paramref name="connection"/>, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>
    /// Each customer id, as the database writes it as text (as <see cref="RfmSqlQuery.CalculateAsync(DbConnection, CancellationToken)"/>
    /// names customers), with its segment: the calculator's map's own <see cref="Segment"/> for a key the map has, otherwise
    /// one made of the stored key, name, action and channel (a result written with another map).
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> or <paramref name="table"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="transaction"/> has completed or belongs to another connection.</exception>
    /// <exception cref="InvalidDataException">A stored segment key that the map does not have cannot be a segment key; the message names the customer.</exception>
    /// <exception cref="DbException">The database rejected the statement (no such table, say).</exception>
    public async Task<IReadOnlyList<KeyValuePair<string, Segment>>> ReadSegmentsAsync(DbConnection connection, SqlTableName table, DateTime asOf, DbTransaction? transaction = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(table);
        RfmSqlQuery.CheckTransaction(connection, transaction);

        var known = ResultTableSql.SegmentsOf(Calculator).ToDictionary(segment => segment.Key, StringComparer.Ordinal);
        var segments = new List<KeyValuePair<string, Segment>>();
        var command = ResultTableSql.ReadSegments(Dialect, table, asOf).CreateCommand(connection);
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var customer = reader.GetString(0);
                    if (reader.IsDBNull(1))
                    {
                        throw new InvalidDataException($"Customer '{customer}' of {table} as of {asOf:O} has no segment key: a result table's rows each hold one.");
                    }

                    var key = reader.GetString(1);
                    if (!known.TryGetValue(key, out var segment))
                    {
                        string Text(int ordinal) => reader.IsDBNull(ordinal) ? string.Empty : reader.GetString(ordinal);
                        try
                        {
                            var name = Text(2);
                            segment = new Segment(key, string.IsNullOrWhiteSpace(name) ? key : name, suggestedAction: Text(3), suggestedChannel: Text(4));
                        }
                        catch (ArgumentException ex)
                        {
                            throw new InvalidDataException($"Customer '{customer}' of {table} as of {asOf:O} has the segment key '{SqlStatement.Escape(key)}', which is not a segment key: {ex.Message}", ex);
                        }
                    }

                    segments.Add(KeyValuePair.Create(customer, segment));
                }
            }
        }

        return segments;
    }
}
