using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Rfm.Segmentation;

namespace Rfm.Sql;

/// <summary>
/// The pipeline for one table and one analysis date, as SQL: the statements to run yourself, and the two ways of
/// running them over a connection (the result streamed back, or a table created in the database).
/// </summary>
/// <remarks>
/// The customers statement scores in the database; when its rows are read back, <see cref="CalculateAsync(DbConnection, CancellationToken)"/> also
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
    /// <remarks>The table's columns are read first, as for <see cref="CalculateAsync(DbConnection, CancellationToken)"/>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> is null.</exception>
    /// <exception cref="TransactionDataException">A mapped column is missing, ambiguous or of a type the library cannot
    /// read exactly; a row has a customer or an order but no date or no money, or a date text that is not a date; or
    /// money adds up to more digits than a decimal holds.</exception>
    /// <exception cref="DbException">The database rejected the statement.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overload with a transaction requires it, so no call can match both.")]
    public Task<SqlIngestion> ReadIngestionAsync(DbConnection connection, CancellationToken cancellationToken = default) =>
        ReadIngestionAsync(connection, transaction: null, cancellationToken);

    /// <summary>Runs the ingestion statement alone, inside the caller's transaction when one is given.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="transaction">The caller's open transaction on <paramref name="connection"/>, in which every command
    /// runs (so rows it has written and not committed are seen); <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>What the statement returned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="transaction"/> has completed or belongs to another connection.</exception>
    /// <exception cref="TransactionDataException">As for <see cref="ReadIngestionAsync(DbConnection, CancellationToken)"/>.</exception>
    /// <exception cref="DbException">The database rejected the statement.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overload with a transaction requires it, so no call can match both.")]
    public async Task<SqlIngestion> ReadIngestionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        CheckTransaction(connection, transaction);
        var pipeline = await SqlTableShape.ResolveAsync(_pipeline, _table, connection, transaction, cancellationToken).ConfigureAwait(false);
        var (outcome, money) = await SqlResults.ReadIngestionAsync(pipeline, connection, transaction, cancellationToken).ConfigureAwait(false);
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
    /// have a transaction open (give it to <see cref="CalculateAsync(DbConnection, DbTransaction?, CancellationToken)"/> instead).
    /// </summary>
    /// <param name="connection">An open connection to an engine of the query's dialect.</param>
    /// <param name="cancellationToken">Cancels the commands.</param>
    /// <returns>The same result <see cref="RfmCalculator"/> gives for these rows in memory.</returns>
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
    /// <exception cref="InvalidOperationException">The mapping names a partition column: use <see cref="CalculateByPartitionAsync(DbConnection, CancellationToken)"/>.</exception>
    /// <exception cref="DbException">The database rejected a statement (a missing table, a wrong type).</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overload with a transaction requires it, so no call can match both.")]
    public Task<RfmResult> CalculateAsync(DbConnection connection, CancellationToken cancellationToken = default) =>
        CalculateAsync(connection, transaction: null, cancellationToken);

    /// <summary>
    /// Runs the pipeline and reads the result back, inside the caller's transaction when one is given: every command
    /// runs in it, so rows it has written and not committed are counted, and nothing is begun, committed or rolled back.
    /// </summary>
    /// <param name="connection">An open connection to an engine of the query's dialect.</param>
    /// <param name="transaction">
    /// The caller's open transaction on <paramref name="connection"/>; <see langword="null"/> to run in a transaction of
    /// the method's own, as <see cref="CalculateAsync(DbConnection, CancellationToken)"/> does. Its isolation level
    /// decides what the statements see: at repeatable read or snapshot (DuckDB's only level) both see the same rows; at
    /// PostgreSQL's default, read committed, a row another session commits between them would be in one and not the other.
    /// </param>
    /// <param name="cancellationToken">Cancels the commands.</param>
    /// <returns>The same result <see cref="RfmCalculator"/> gives for these rows in memory.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="transaction"/> has completed or belongs to another connection.</exception>
    /// <exception cref="TransactionDataException">As for <see cref="CalculateAsync(DbConnection, CancellationToken)"/>.</exception>
    /// <exception cref="InvalidDataException">The database scored a customer differently from the library.</exception>
    /// <exception cref="InvalidOperationException">The mapping names a partition column: use <see cref="CalculateByPartitionAsync(DbConnection, DbTransaction?, CancellationToken)"/>.</exception>
    /// <exception cref="DbException">The database rejected a statement (a missing table, a wrong type).</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overload with a transaction requires it, so no call can match both.")]
    public Task<RfmResult> CalculateAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        CheckTransaction(connection, transaction);
        RefusePartitioned(nameof(CalculateByPartitionAsync));
        return InTransactionAsync(connection, transaction, CalculateInAsync, cancellationToken);
    }

    /// <summary>
    /// Runs the pipeline per partition (the mapping's <see cref="TransactionColumns.Partition"/> column) and reads the
    /// result back: every window and quantile is taken within a partition, so each partition's result is what
    /// <see cref="CalculateAsync(DbConnection, CancellationToken)"/> gives for that partition's rows alone, and what
    /// <see cref="RfmCalculator.CalculateByPartition"/> gives in memory. Runs as <see cref="CalculateAsync(DbConnection, CancellationToken)"/> does (one
    /// transaction of its own, the table's columns read first), and checks each partition's scores and segments against
    /// the library's; the connection must not have a transaction open (give it to
    /// <see cref="CalculateByPartitionAsync(DbConnection, DbTransaction?, CancellationToken)"/> instead).
    /// </summary>
    /// <param name="connection">An open connection to an engine of the query's dialect.</param>
    /// <param name="cancellationToken">Cancels the commands.</param>
    /// <returns>One result per partition that has rows, a blank partition value being the partition <c>""</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The mapping names no partition column: use <see cref="CalculateAsync(DbConnection, CancellationToken)"/>.</exception>
    /// <exception cref="TransactionDataException">As for <see cref="CalculateAsync(DbConnection, CancellationToken)"/>; money is refused when a partition's
    /// does not fit a decimal, as a separate run of that partition would refuse it.</exception>
    /// <exception cref="InvalidDataException">The database scored a customer differently from the library.</exception>
    /// <exception cref="DbException">The database rejected a statement.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overload with a transaction requires it, so no call can match both.")]
    public Task<PartitionedResult> CalculateByPartitionAsync(DbConnection connection, CancellationToken cancellationToken = default) =>
        CalculateByPartitionAsync(connection, transaction: null, cancellationToken);

    /// <summary>
    /// Runs the pipeline per partition and reads the result back, inside the caller's transaction when one is given:
    /// every command runs in it, so rows it has written and not committed are counted, and nothing is begun, committed
    /// or rolled back.
    /// </summary>
    /// <param name="connection">An open connection to an engine of the query's dialect.</param>
    /// <param name="transaction">
    /// The caller's open transaction on <paramref name="connection"/>; <see langword="null"/> to run in a transaction of
    /// the method's own, as <see cref="CalculateByPartitionAsync(DbConnection, CancellationToken)"/> does. Its isolation
    /// level decides what the statements see: at repeatable read or snapshot (DuckDB's only level) both see the same rows;
    /// at PostgreSQL's default, read committed, a row another session commits between them would be in one and not the other.
    /// </param>
    /// <param name="cancellationToken">Cancels the commands.</param>
    /// <returns>One result per partition that has rows, a blank partition value being the partition <c>""</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="transaction"/> has completed or belongs to another connection.</exception>
    /// <exception cref="InvalidOperationException">The mapping names no partition column: use <see cref="CalculateAsync(DbConnection, DbTransaction?, CancellationToken)"/>.</exception>
    /// <exception cref="TransactionDataException">As for <see cref="CalculateByPartitionAsync(DbConnection, CancellationToken)"/>.</exception>
    /// <exception cref="InvalidDataException">The database scored a customer differently from the library.</exception>
    /// <exception cref="DbException">The database rejected a statement.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overload with a transaction requires it, so no call can match both.")]
    public Task<PartitionedResult> CalculateByPartitionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        CheckTransaction(connection, transaction);
        if (!_pipeline.Partitioned)
        {
            throw new InvalidOperationException("The mapping names no partition column: use CalculateAsync, or name the partition column.");
        }

        return InTransactionAsync(connection, transaction, CalculateByPartitionInAsync, cancellationToken);
    }

    /// <summary>
    /// Checks every row, then creates <paramref name="target"/> in the database with one row per customer, for a CRM
    /// or a report to read. The rows never leave the database. The check and the creation run in one transaction
    /// of its own, so the connection must not have a transaction open.
    /// </summary>
    /// <param name="connection">An open connection to an engine of the query's dialect.</param>
    /// <param name="target">The table to create.</param>
    /// <param name="replace">Whether an existing table of that name is replaced (dropped and created again, which loses
    /// its grants and, on PostgreSQL, fails while a view depends on it; <see cref="WriteResultsAsync"/> refreshes a table
    /// in place).</param>
    /// <param name="cancellationToken">Cancels the commands.</param>
    /// <returns>The account of every row read (its <see cref="IngestionSummary.Customers"/> is the new table's row count).</returns>
    /// <remarks>
    /// The simple form: the table has the customers statement's columns (the customer id as text, the segment's key
    /// alone) and no primary key. The table's columns are read first, as for <see cref="CalculateAsync(DbConnection, CancellationToken)"/>.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="TransactionDataException">A mapped column is missing, ambiguous or of a type the library cannot
    /// read exactly; a row has a customer or an order but no date or no money, or a date text that is not a date; or
    /// money adds up to more digits than a decimal holds. No table is created.</exception>
    /// <exception cref="DbException">The database rejected a statement (the table exists and <paramref name="replace"/> is off, say).</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overload with a transaction requires it, so no call can match both.")]
    public Task<IngestionSummary> CreateTableAsync(DbConnection connection, SqlTableName target, bool replace = false, CancellationToken cancellationToken = default) =>
        CreateTableAsync(connection, target, replace, transaction: null, cancellationToken);

    /// <summary>
    /// Checks every row, then creates <paramref name="target"/>, inside the caller's transaction when one is given
    /// (nothing is then begun or committed).
    /// </summary>
    /// <param name="connection">An open connection to an engine of the query's dialect.</param>
    /// <param name="target">The table to create.</param>
    /// <param name="replace">Whether an existing table of that name is replaced.</param>
    /// <param name="transaction">The caller's open transaction on <paramref name="connection"/>; <see langword="null"/>
    /// to run in a transaction of the method's own.</param>
    /// <param name="cancellationToken">Cancels the commands.</param>
    /// <returns>The account of every row read.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> or <paramref name="target"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="transaction"/> has completed or belongs to another connection.</exception>
    /// <exception cref="TransactionDataException">As for <see cref="CreateTableAsync(DbConnection, SqlTableName, bool, CancellationToken)"/>.</exception>
    /// <exception cref="DbException">The database rejected a statement.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overload with a transaction requires it, so no call can match both.")]
    public Task<IngestionSummary> CreateTableAsync(DbConnection connection, SqlTableName target, bool replace, DbTransaction? transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(target);
        CheckTransaction(connection, transaction);
        _ = CreateTable(target, replace);
        return InTransactionAsync(
            connection,
            transaction,
            async (inTransaction, token) =>
            {
                var pipeline = await SqlTableShape.ResolveAsync(_pipeline, _table, connection, inTransaction, token).ConfigureAwait(false);
                var (outcome, money) = await SqlResults.ReadIngestionAsync(pipeline, connection, inTransaction, token).ConfigureAwait(false);
                if (money is not null)
                {
                    throw money;
                }

                await SqlResults.ExecuteAsync(pipeline.CreateTable(target, replace), connection, inTransaction, token).ConfigureAwait(false);
                var customers = await SqlResults.CountAsync(pipeline.Count(target), connection, inTransaction, token).ConfigureAwait(false);
                return outcome.Summary(customers);
            },
            cancellationToken);
    }

    /// <summary>
    /// Checks every row, then writes the result into <paramref name="target"/> for a CRM to read, and optionally appends
    /// it to <paramref name="history"/>. The rows never leave the database.
    /// </summary>
    /// <param name="connection">An open connection to a PostgreSQL or DuckDB database.</param>
    /// <param name="target">
    /// The result table: one row per customer with <c>analysis_date, customer_id, recency, frequency, monetary,
    /// first_purchase, last_purchase, lines, tenure, r_score, f_score, m_score, segment_key, segment_name, action,
    /// channel</c> and the primary key <c>customer_id</c>. The customer id keeps the source column's type (a
    /// <c>bigint</c> stays a <c>bigint</c>), the money the exact type the database sums it in; name, action and channel
    /// are the segment's <see cref="Segment.Name"/>, <see cref="Segment.SuggestedAction"/> and
    /// <see cref="Segment.SuggestedChannel"/> from the calculator's map. Created when missing; when present, its rows are
    /// replaced (<c>DELETE</c>, then <c>INSERT</c>) without dropping it, so its grants and the views over it stay.
    /// </param>
    /// <param name="history">
    /// A history table of the same columns keyed by (<c>analysis_date</c>, <c>customer_id</c>), or <see langword="null"/>
    /// for none: created when missing; this analysis date's rows are replaced, so writing the same night again changes
    /// nothing. <see cref="RfmSqlGenerator.ReadSegmentsAsync"/> reads a date's segments back for a
    /// <see cref="SegmentMigration"/>.
    /// </param>
    /// <param name="transaction">
    /// The caller's open transaction on <paramref name="connection"/>, in which every command runs, nothing being begun
    /// or committed; <see langword="null"/> to run in a transaction of the method's own, committed at the end. Either
    /// way the tables change together or not at all.
    /// </param>
    /// <param name="cancellationToken">Cancels the commands.</param>
    /// <returns>The account of every row read (its <see cref="IngestionSummary.Customers"/> is the number of rows written).</returns>
    /// <remarks>
    /// The result is computed once, into a temporary table dropped at the end, and copied from there. A table that exists
    /// must have exactly the result's columns, in order and of the same types (a money column of another scale would round);
    /// otherwise nothing is written. A name of one part is looked up in the connection's current schema, of two parts as
    /// schema and table, of three as database, schema and table.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> or <paramref name="target"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="history"/> names <paramref name="target"/>, or
    /// <paramref name="transaction"/> has completed or belongs to another connection.</exception>
    /// <exception cref="NotSupportedException">The query is in Spark SQL, whose tables have no enforced primary key to
    /// replace rows by; or the segment map has two different segments with one key.</exception>
    /// <exception cref="TransactionDataException">A mapped column is missing, ambiguous or of a type the library cannot
    /// read exactly, or the customer id's type is not a plain one; a row has a customer or an order but no date or no
    /// money, or a date text that is not a date; or money adds up to more digits than a decimal holds. Nothing is written.</exception>
    /// <exception cref="InvalidOperationException">A table that exists has other columns or types than the result (the
    /// message names each difference), or is a view; or the mapping names a partition column (a result table has one row
    /// per customer). Nothing is written.</exception>
    /// <exception cref="DbException">The database rejected a statement.</exception>
    public Task<IngestionSummary> WriteResultsAsync(DbConnection connection, SqlTableName target, SqlTableName? history = null, DbTransaction? transaction = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(target);
        CheckTransaction(connection, transaction);
        var dialect = Customers.Dialect;
        if (dialect == SqlDialect.SparkSql)
        {
            throw new NotSupportedException(
                "Writing results back is supported on PostgreSQL and DuckDB: Spark SQL tables have no enforced primary key to replace rows by. Run the CreateTable statement (or the Customers statement) in Spark instead.");
        }

        ResultTableSql.CheckTargets(dialect, target, history);
        RefusePartitioned("CreateTableAsync, whose table has a row per partition and customer");
        _ = ResultTableSql.SegmentsOf(Calculator);
        return InTransactionAsync(connection, transaction, (inTransaction, token) => WriteInAsync(connection, target, history, inTransaction, token), cancellationToken);
    }

    // A result table, a migration and a single result each hold one row per customer: a partitioned query has one per
    // partition and customer, which only the methods made for it return.
    private void RefusePartitioned(string instead)
    {
        if (_pipeline.Partitioned)
        {
            throw new InvalidOperationException(
                $"The mapping names a partition column ({_pipeline.Columns.Partition}), so the result is one per partition: use {instead}.");
        }
    }

    private async Task<RfmResult> CalculateInAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var pipeline = await SqlTableShape.ResolveAsync(_pipeline, _table, connection, transaction, cancellationToken).ConfigureAwait(false);
        var (ingestion, money) = await SqlResults.ReadIngestionAsync(pipeline, connection, transaction, cancellationToken).ConfigureAwait(false);

        // A customer whose money does not fit is named before a total that does not fit for the same reason.
        var customers = await SqlResults.ReadCustomersAsync(pipeline, connection, transaction, AsOf.Kind, cancellationToken).ConfigureAwait(false);
        if (money is not null)
        {
            throw money;
        }

        return SqlResults.Check(Calculator, AsOf, ingestion, customers);
    }

    private async Task<PartitionedResult> CalculateByPartitionInAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var pipeline = await SqlTableShape.ResolveAsync(_pipeline, _table, connection, transaction, cancellationToken).ConfigureAwait(false);
        var partitions = new Dictionary<string, SqlIngestion>(StringComparer.Ordinal);
        var (_, money) = await SqlResults.ReadIngestionAsync(pipeline, connection, transaction, cancellationToken, partitions).ConfigureAwait(false);
        var customers = await SqlResults.ReadCustomersAsync(pipeline, connection, transaction, AsOf.Kind, cancellationToken).ConfigureAwait(false);
        if (money is not null)
        {
            throw money;
        }

        var rows = customers.ToLookup(row => row.Partition!, StringComparer.Ordinal);
        return PartitionedResult.Create(
            AsOf,
            partitions.Select(partition => new RfmPartition(partition.Key, SqlResults.Check(Calculator, AsOf, partition.Value, [.. rows[partition.Key]]))));
    }

    private async Task<IngestionSummary> WriteInAsync(DbConnection connection, SqlTableName target, SqlTableName? history, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var pipeline = await SqlTableShape.ResolveAsync(_pipeline, _table, connection, transaction, cancellationToken).ConfigureAwait(false);
        var (outcome, money) = await SqlResults.ReadIngestionAsync(pipeline, connection, transaction, cancellationToken).ConfigureAwait(false);
        if (money is not null)
        {
            throw money;
        }

        var customerIdType = await SqlTableShape.CustomerIdTypeAsync(pipeline, _table, connection, transaction, cancellationToken).ConfigureAwait(false);
        var sql = ResultTableSql.For(pipeline, customerIdType);
        var staging = ResultTableSql.NewStagingName();
        await SqlResults.ExecuteAsync(sql.CreateStaging(staging, pipeline), connection, transaction, cancellationToken).ConfigureAwait(false);
        var customers = await SqlResults.CountAsync(pipeline.Count(new SqlTableName(staging)), connection, transaction, cancellationToken).ConfigureAwait(false);
        await sql.WriteStagedAsync(staging, target, history, AsOf, connection, transaction, cancellationToken).ConfigureAwait(false);
        return outcome.Summary(customers);
    }

    // The caller's transaction as it is, or one of the method's own, committed when the work is done.
    private Task<T> InTransactionAsync<T>(DbConnection connection, DbTransaction? transaction, Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        SqlResults.InTransactionAsync(Customers.Dialect, connection, transaction, (inTransaction, token) => work(connection, inTransaction, token), cancellationToken);

    private Task<T> InTransactionAsync<T>(DbConnection connection, DbTransaction? transaction, Func<DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        InTransactionAsync(connection, transaction, (_, inTransaction, token) => work(inTransaction, token), cancellationToken);

    /// <summary>Throws unless a caller's transaction, when given, is open on the connection.</summary>
    internal static void CheckTransaction(DbConnection connection, DbTransaction? transaction)
    {
        if (transaction is not null && !ReferenceEquals(transaction.Connection, connection))
        {
            throw new ArgumentException("The transaction has completed, or belongs to another connection than the one given.", nameof(transaction));
        }
    }
}
