using System.Data.Common;

namespace Rfm.Sql;

/// <summary>
/// The pipeline for one table and one analysis date, as SQL: the statements to run yourself, and the two ways of
/// running them over a connection (the result streamed back, or a table created in the database).
/// </summary>
/// <remarks>
/// The customers statement scores in the database; when its rows are read back, <see cref="CalculateAsync"/> also
/// scores the metrics in memory and checks that every score and segment agrees, so an engine that computed
/// anything differently is an error, never a silently different segment.
/// </remarks>
public sealed class RfmSqlQuery
{
    private readonly PipelineSql _pipeline;
    private readonly SqlTableName _table;

    internal RfmSqlQuery(SqlTableName table, DateTime asOf, PipelineSql pipeline)
    {
        Calculator = pipeline.Calculator;
        AsOf = asOf;
        _table = table;
        _pipeline = pipeline;
    }

    /// <summary>The pipeline the statements run.</summary>
    public RfmCalculator Calculator { get; }

    /// <summary>The analysis date.</summary>
    public DateTime AsOf { get; }

    /// <summary>How the statements read the date column; running the query uses the type the column really has.</summary>
    public SqlDateType DateType => _pipeline.DateType;

    /// <summary>
    /// One row per customer: <c>customer_id, recency, frequency, monetary, first_purchase, last_purchase, lines,
    /// tenure, r_score, f_score, m_score, segment</c> (the segment's key), and last <c>partition_key</c> when the mapping
    /// names a partition column: then a customer is one per partition, and each partition is scored on its own.
    /// </summary>
    public SqlStatement Customers => _pipeline.Customers;

    /// <summary>
    /// One row per outcome: <c>exclusion</c> (the <see cref="ExclusionReason"/> number, null for the rows used,
    /// 101 for rows without a date, 102 for rows without money and, for a text date column, 103 for rows whose date
    /// text is not a date, all of which make the input invalid), <c>row_count</c>, <c>amount</c> and <c>latest</c>
    /// (the latest date); with a partition column, one row per partition and outcome, <c>partition_key</c> last.
    /// </summary>
    public SqlStatement Ingestion => _pipeline.Ingestion;

    /// <summary>
    /// Runs the ingestion statement alone: the account of the rows, and the latest purchase among those used, from which
    /// a caller without an analysis date can take one (the midnight after it, say) for another query.
    /// </summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>What the statement returned.</returns>
    /// <remarks>The table's columns are read first, as for <see cref="CalculateAsync"/>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> is null.</exception>
    /// <exception cref="TransactionDataException">A mapped column is missing, ambiguous or of a type the library cannot
    /// read exactly; a row has a customer or an order but no date or no money, or a date text that is not a date; or
    /// money adds up to more digits than a decimal holds.</exception>
    /// <exception cref="DbException">The database rejected the statement.</exception>
    public async Task<SqlIngestion> ReadIngestionAsync(DbConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var pipeline = await SqlTableShape.ResolveAsync(_pipeline, _table, connection, transaction: null, cancellationToken).ConfigureAwait(false);
        var (outcome, money) = await SqlResults.ReadIngestionAsync(pipeline, connection, transaction: null, cancellationToken).ConfigureAwait(false);
        return money is null ? outcome : throw money;
    }

    /// <summary>A statement that creates <paramref name="target"/> from the customers statement.</summary>
    /// <param name="target">The table to create.</param>
    /// <param name="replace">Whether an existing table of that name is replaced: <c>CREATE OR REPLACE</c>, or on
    /// PostgreSQL, which has no such statement, <c>DROP TABLE IF EXISTS</c> and <c>CREATE TABLE</c> in one text (run it in a transaction).</param>
    /// <returns>The statement.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is null.</exception>
    /// <exception cref="ArgumentException">A part of the name cannot be quoted in the dialect.</exception>
    public SqlStatement CreateTable(SqlTableName target, bool replace = false)
    {
        ArgumentNullException.ThrowIfNull(target);
        return _pipeline.CreateTable(target, replace);
    }

    /// <summary>
    /// Runs the pipeline and reads the result back, with the account of every row. Both statements run in one
    /// transaction of its own (snapshot or repeatable read), so they see the same rows; the connection must not
    /// have a transaction open.
    /// </summary>
    /// <param name="connection">An open connection to an engine of the query's dialect.</param>
    /// <param name="cancellationToken">Cancels the commands.</param>
    /// <returns>The same result <see cref="RfmCalculator"/> gives for these rows in memory.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> is null.</exception>
    /// <remarks>
    /// The table's columns are read first (<c>SELECT * FROM table WHERE 1 = 0</c>): each mapped name is found as
    /// <see cref="RowContract.FindColumns"/> finds it (the exact name, otherwise the one name equal to it trimmed and
    /// ignoring case), the date column's type decides how it is read (<see cref="SqlDateType"/>), and money columns
    /// that are text or floating point are refused. When the names or the date type differ from those the query was
    /// made with, statements for what the table has are run instead.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> is null.</exception>
    /// <exception cref="TransactionDataException">A mapped column is missing, ambiguous or of a type the library cannot
    /// read exactly; a row has a customer or an order but no date or no money, or a date text that is not a date; or a
    /// customer's money adds up to more digits than a decimal holds.</exception>
    /// <exception cref="InvalidDataException">The database scored a customer differently from the library.</exception>
    /// <exception cref="DbException">The database rejected a statement (a missing table, a wrong type).</exception>
    /// <exception cref="InvalidOperationException">The mapping names a partition column: use <see cref="CalculateByPartitionAsync"/>.</exception>
    public async Task<RfmResult> CalculateAsync(DbConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (_pipeline.Partitioned)
        {
            throw new InvalidOperationException(
                $"The mapping names a partition column ({_pipeline.Columns.Partition}), so the result is one per partition: use CalculateByPartitionAsync.");
        }

        var transaction = await connection.BeginTransactionAsync(Customers.Dialect.ConsistentReads, cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            var pipeline = await SqlTableShape.ResolveAsync(_pipeline, _table, connection, transaction, cancellationToken).ConfigureAwait(false);
            var (ingestion, money) = await SqlResults.ReadIngestionAsync(pipeline, connection, transaction, cancellationToken).ConfigureAwait(false);

            // A customer whose money does not fit is named before a total that does not fit for the same reason.
            var customers = await SqlResults.ReadCustomersAsync(pipeline, connection, transaction, AsOf.Kind, cancellationToken).ConfigureAwait(false);
            if (money is not null)
            {
                throw money;
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return SqlResults.Check(Calculator, AsOf, ingestion, customers);
        }
    }

    /// <summary>
    /// Runs the pipeline per partition (the mapping's <see cref="TransactionColumns.Partition"/> column) and reads the
    /// result back: every window and quantile is taken within a partition, so each partition's result is what
    /// <see cref="CalculateAsync"/> gives for that partition's rows alone, and what
    /// <see cref="RfmCalculator.CalculateByPartition"/> gives in memory. Runs as <see cref="CalculateAsync"/> does (one
    /// transaction of its own, the table's columns read first), and checks each partition's scores and segments against
    /// the library's.
    /// </summary>
    /// <param name="connection">An open connection to an engine of the query's dialect.</param>
    /// <param name="cancellationToken">Cancels the commands.</param>
    /// <returns>One result per partition that has rows, a blank partition value being the partition <c>""</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The mapping names no partition column: use <see cref="CalculateAsync"/>.</exception>
    /// <exception cref="TransactionDataException">As for <see cref="CalculateAsync"/>; money is refused when a partition's
    /// does not fit a decimal, as a separate run of that partition would refuse it.</exception>
    /// <exception cref="InvalidDataException">The database scored a customer differently from the library.</exception>
    /// <exception cref="DbException">The database rejected a statement.</exception>
    public async Task<PartitionedResult> CalculateByPartitionAsync(DbConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!_pipeline.Partitioned)
        {
            throw new InvalidOperationException("The mapping names no partition column: use CalculateAsync, or name the partition column.");
        }

        var transaction = await connection.BeginTransactionAsync(Customers.Dialect.ConsistentReads, cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            var pipeline = await SqlTableShape.ResolveAsync(_pipeline, _table, connection, transaction, cancellationToken).ConfigureAwait(false);
            var partitions = new Dictionary<string, SqlIngestion>(StringComparer.Ordinal);
            var (_, money) = await SqlResults.ReadIngestionAsync(pipeline, connection, transaction, cancellationToken, partitions).ConfigureAwait(false);
            var customers = await SqlResults.ReadCustomersAsync(pipeline, connection, transaction, AsOf.Kind, cancellationToken).ConfigureAwait(false);
            if (money is not null)
            {
                throw money;
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            var rows = customers.ToLookup(row => row.Partition!, StringComparer.Ordinal);
            return PartitionedResult.Create(
                AsOf,
                partitions.Select(partition => new RfmPartition(partition.Key, SqlResults.Check(Calculator, AsOf, partition.Value, [.. rows[partition.Key]]))));
        }
    }

    /// <summary>
    /// Checks every row, then creates <paramref name="target"/> in the database with one row per customer, for a CRM
    /// or a report to read. The rows never leave the database. The check and the creation run in one transaction
    /// of its own, so the connection must not have a transaction open.
    /// </summary>
    /// <param name="connection">An open connection to an engine of the query's dialect.</param>
    /// <param name="target">The table to create.</param>
    /// <param name="replace">Whether an existing table of that name is replaced.</param>
    /// <param name="cancellationToken">Cancels the commands.</param>
    /// <returns>The account of every row read (its <see cref="IngestionSummary.Customers"/> is the new table's row count).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <remarks>The table's columns are read first, as for <see cref="CalculateAsync"/>.</remarks>
    /// <exception cref="TransactionDataException">A mapped column is missing, ambiguous or of a type the library cannot
    /// read exactly; a row has a customer or an order but no date or no money, or a date text that is not a date; or
    /// money adds up to more digits than a decimal holds. No table is created.</exception>
    /// <exception cref="DbException">The database rejected a statement (the table exists and <paramref name="replace"/> is off, say).</exception>
    public async Task<IngestionSummary> CreateTableAsync(DbConnection connection, SqlTableName target, bool replace = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(target);
        _ = CreateTable(target, replace);
        var transaction = await connection.BeginTransactionAsync(Customers.Dialect.ConsistentReads, cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            var pipeline = await SqlTableShape.ResolveAsync(_pipeline, _table, connection, transaction, cancellationToken).ConfigureAwait(false);
            var (outcome, money) = await SqlResults.ReadIngestionAsync(pipeline, connection, transaction, cancellationToken).ConfigureAwait(false);
            if (money is not null)
            {
                throw money;
            }

            await SqlResults.ExecuteAsync(pipeline.CreateTable(target, replace), connection, transaction, cancellationToken).ConfigureAwait(false);
            var customers = await SqlResults.CountAsync(pipeline.Count(target), connection, transaction, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return outcome.Summary(customers);
        }
    }
}
