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
}
