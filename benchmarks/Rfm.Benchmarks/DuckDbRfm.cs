using System.Data.Common;
using System.Globalization;
using DuckDB.NET.Data;

namespace Rfm.Benchmarks;

/// <summary>
/// The DuckDB baseline: <c>rfm analyze FILE</c> with the default preset, as one SQL statement over an Online Retail II
/// CSV file, run in process on an in-memory database.
/// </summary>
/// <remarks>
/// <para>
/// This is the fair baseline because it does the same job and no less: it parses every column of every row with
/// exact types (timestamps, two-decimal prices), applies the same filters as <see cref="TransactionPolicy.Default"/>
/// (missing customer, invoice starting with <c>C</c>, quantity or price not above zero), measures from the same
/// analysis date (midnight after the latest purchase used), sums the money as exact decimals, scores by the same
/// linear quantiles (5 scores, recency reversed, equal values sharing a score), names segments with the classic
/// R x F grid, and writes the same columns in the same order, one row per customer ordered by customer id.
/// </para>
/// <para>
/// Two simplifications, neither of which the generated files exercise: a row without an invoice is dropped here
/// (the library counts it as an order of its own), and a blank customer id is one of spaces only.
/// </para>
/// </remarks>
internal static class DuckDbRfm
{
    /// <summary>The header of the output, as <c>rfm analyze</c> writes it.</summary>
    public const string OutputHeader = "customer_id,recency,frequency,monetary,r,f,m,segment";

    /// <summary>An in-memory database connection, opened.</summary>
    /// <param name="threads">DuckDB's worker threads, or <see langword="null"/> for its default (every core).</param>
    /// <returns>The connection.</returns>
    public static DuckDBConnection Open(int? threads = null)
    {
        var connection = new DuckDBConnection("Data Source=:memory:");
        try
        {
            connection.Open();
            if (threads is { } count)
            {
                Execute(connection, string.Create(CultureInfo.InvariantCulture, $"SET threads = {count}"));
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The whole analysis of one CSV file as a query: one row per customer, columns as in <see cref="OutputHeader"/>.</summary>
    /// <param name="csvPath">The Online Retail II CSV file.</param>
    /// <returns>The SQL text.</returns>
    public static string Query(string csvPath) => $$"""
        WITH used AS (
            SELECT "Customer ID" AS customer_id, Invoice AS invoice, InvoiceDate AS purchased, Quantity * Price AS amount
            FROM read_csv({{Literal(csvPath)}},
                header = true, delim = ',', quote = '"', escape = '"', auto_detect = false,
                timestampformat = '%Y-%m-%d %H:%M:%S',
                columns = {
                    'Invoice': 'VARCHAR', 'StockCode': 'VARCHAR', 'Description': 'VARCHAR', 'Quantity': 'BIGINT',
                    'InvoiceDate': 'TIMESTAMP', 'Price': 'DECIMAL(18,2)', 'Customer ID': 'VARCHAR', 'Country': 'VARCHAR'
                })
            WHERE trim("Customer ID") <> ''
              AND NOT starts_with(Invoice, 'C')
              AND Quantity > 0
              AND Price > 0
        ),
        metrics AS (
            SELECT customer_id, max(purchased) AS last_purchase, count(DISTINCT invoice) AS frequency, sum(amount) AS monetary
            FROM used
            GROUP BY customer_id
        ),
        measured AS (
            -- Whole days to the analysis date: midnight after the latest purchase of any customer.
            SELECT customer_id,
                CAST((epoch_us(date_trunc('day', max(last_purchase) OVER ()) + INTERVAL 1 DAY) - epoch_us(last_purchase)) // 86400000000 AS INTEGER) AS recency,
                frequency,
                monetary
            FROM metrics
        ),
        edges AS (
            -- The inner edges of 5 linear-quantile bins; monetary as double, as the library scores it.
            SELECT quantile_cont(recency, [0.2, 0.4, 0.6, 0.8]) AS re,
                quantile_cont(frequency, [0.2, 0.4, 0.6, 0.8]) AS fe,
                quantile_cont(CAST(monetary AS DOUBLE), [0.2, 0.4, 0.6, 0.8]) AS me
            FROM measured
        ),
        scored AS (
            -- Bins are closed on the right: the score is 1 + the inner edges below the value (recency: 5 - that).
            SELECT customer_id, recency, frequency, monetary,
                5 - ((recency > re[1])::INTEGER + (recency > re[2])::INTEGER + (recency > re[3])::INTEGER + (recency > re[4])::INTEGER) AS r,
                1 + (frequency > fe[1])::INTEGER + (frequency > fe[2])::INTEGER + (frequency > fe[3])::INTEGER + (frequency > fe[4])::INTEGER AS f,
                1 + (CAST(monetary AS DOUBLE) > me[1])::INTEGER + (CAST(monetary AS DOUBLE) > me[2])::INTEGER
                  + (CAST(monetary AS DOUBLE) > me[3])::INTEGER + (CAST(monetary AS DOUBLE) > me[4])::INTEGER AS m
            FROM measured, edges
        )
        SELECT customer_id, recency, frequency, monetary, r, f, m,
            -- The classic R x F grid (SegmentMaps.Classic), rule for rule.
            CASE
                WHEN r = 5 AND f >= 4 THEN 'champions'
                WHEN r BETWEEN 3 AND 4 AND f >= 4 THEN 'loyal_customers'
                WHEN r >= 4 AND f BETWEEN 2 AND 3 THEN 'potential_loyalists'
                WHEN r = 5 AND f = 1 THEN 'new_customers'
                WHEN r = 4 AND f = 1 THEN 'promising'
                WHEN r = 3 AND f = 3 THEN 'need_attention'
                WHEN r = 3 AND f <= 2 THEN 'about_to_sleep'
                WHEN r <= 2 AND f BETWEEN 3 AND 4 THEN 'at_risk'
                WHEN r <= 2 AND f = 5 THEN 'cant_lose'
                ELSE 'hibernating'
            END AS segment
        FROM scored
        ORDER BY customer_id
        """;

    /// <summary>The analysis written to a CSV file with a header: one statement, what <c>duckdb-rfm</c> runs.</summary>
    /// <param name="csvPath">The Online Retail II CSV file.</param>
    /// <param name="outPath">The file to write.</param>
    /// <returns>The SQL text.</returns>
    public static string CopyStatement(string csvPath, string outPath) =>
        $"COPY ({Query(csvPath)}) TO {Literal(outPath)} (FORMAT csv, HEADER, DELIMITER ',')";

    /// <summary>Runs the analysis and reads every row into memory.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="csvPath">The Online Retail II CSV file.</param>
    /// <returns>One row per customer, ordered by customer id.</returns>
    public static List<RfmRow> Read(DuckDBConnection connection, string csvPath)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Query(csvPath);
        using var reader = command.ExecuteReader();
        var rows = new List<RfmRow>();
        while (reader.Read())
        {
            rows.Add(new RfmRow(
                reader.GetString(0),
                reader.GetInt32(1),
                reader.GetInt64(2),
                reader.GetDecimal(3),
                reader.GetInt32(4),
                reader.GetInt32(5),
                reader.GetInt32(6),
                reader.GetString(7)));
        }

        return rows;
    }

    /// <summary>Runs one statement that returns no rows.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="sql">The statement.</param>
    public static void Execute(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>A SQL string literal: quoted, with quotes inside doubled.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The literal.</returns>
    public static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}

/// <summary>One customer of an analysis, as <c>rfm analyze</c> writes it.</summary>
/// <param name="CustomerId">The customer id.</param>
/// <param name="Recency">Whole days from the last purchase to the analysis date.</param>
/// <param name="Frequency">Distinct invoices.</param>
/// <param name="Monetary">The sum of quantity times price.</param>
/// <param name="R">The recency score, 5 for the most recent.</param>
/// <param name="F">The frequency score.</param>
/// <param name="M">The monetary score.</param>
/// <param name="Segment">The segment key.</param>
public readonly record struct RfmRow(string CustomerId, int Recency, long Frequency, decimal Monetary, int R, int F, int M, string Segment);
