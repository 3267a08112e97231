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

    internal RfmSqlQuery(RfmCalculator calculator, DateTime asOf, PipelineSql pipeline)
    {
        Calculator = calculator;
        AsOf = asOf;
        _pipeline = pipeline;
    }

    /// <summary>The pipeline the statements run.</summary>
    public RfmCalculator Calculator { get; }

    /// <summary>The analysis date.</summary>
    public DateTime AsOf { get; }

    /// <summary>
    /// One row per customer: <c>customer_id, recency, frequency, monetary, first_purchase, last_purchase, lines,
    /// tenure, r_score, f_score, m_score, segment</c> (the segment's key).
    /// </summary>
    public SqlStatement Customers => _pipeline.Customers;

    /// <summary>
    /// One row per outcome: <c>exclusion</c> (the <see cref="ExclusionReason"/> number, null for the rows used,
    /// 101 for rows without a date and 102 for rows without money, which make the input invalid), <c>row_count</c>,
    /// <c>amount</c> and <c>latest</c> (the latest date).
    /// </summary>
    public SqlStatement Ingestion => _pipeline.Ingestion;

    /// <summary>
    /// Runs the ingestion statement alone: the account of the rows, and the latest purchase among those used, from which
    /// a caller without an analysis date can take one (the midnight after it, say) for another query.
    /// </summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>What the statement returned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> is null.</exception>
    /// <exception cref="InvalidDataException">A row has no date or no money, which the library refuses.</exception>
    /// <exception cref="DbException">The database rejected the statement.</exception>
    public Task<SqlIngestion> ReadIngestionAsync(DbConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return SqlResults.ReadIngestionAsync(_pipeline, connection, transaction: null, cancellationToken);
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
    /// <exception cref="TransactionDataException">A row has a customer or an order but no date or no money.</exception>
    /// <exception cref="InvalidDataException">The database returned money as floating point, or scored a customer differently from the library.</exception>
    /// <exception cref="DbException">The database rejected a statement (a missing table or column, a wrong type).</exception>
    public async Task<RfmResult> CalculateAsync(DbConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var transaction = await connection.BeginTransactionAsync(Customers.Dialect.ConsistentReads, cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            var ingestion = await SqlResults.ReadIngestionAsync(_pipeline, connection, transaction, cancellationToken).ConfigureAwait(false);
            var customers = await SqlResults.ReadCustomersAsync(Customers, connection, transaction, AsOf.Kind, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return SqlResults.Check(Calculator, AsOf, ingestion, customers);
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
    /// <exception cref="TransactionDataException">A row has a customer or an order but no date or no money; no table is created.</exception>
    /// <exception cref="DbException">The database rejected a statement (the table exists and <paramref name="replace"/> is off, say).</exception>
    public async Task<IngestionSummary> CreateTableAsync(DbConnection connection, SqlTableName target, bool replace = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(target);
        var create = CreateTable(target, replace);
        var transaction = await connection.BeginTransactionAsync(Customers.Dialect.ConsistentReads, cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            var outcome = await SqlResults.ReadIngestionAsync(_pipeline, connection, transaction, cancellationToken).ConfigureAwait(false);
            await SqlResults.ExecuteAsync(create, connection, transaction, cancellationToken).ConfigureAwait(false);
            var customers = await SqlResults.CountAsync(_pipeline.Count(target), connection, transaction, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return outcome.Summary(customers);
        }
    }
}
