using System.Text;
using Rfm.Scoring;
using Rfm.Segmentation;

namespace Rfm.Sql;

/// <summary>
/// The text of the pipeline for one table, one dialect and one analysis date. Each stage is a common table
/// expression named after what it holds, so the statement reads top to bottom like the in-memory pipeline:
/// rows, classified rows, customers, metrics, edges per metric, scores, segments.
/// </summary>
internal sealed class PipelineSql
{
    /// <summary>Exclusion codes the SQL gives rows the in-memory readers would reject with an error.</summary>
    internal const int MissingDateCode = 101;

    /// <inheritdoc cref="MissingDateCode" />
    internal const int MissingMoneyCode = 102;

    /// <inheritdoc cref="MissingDateCode" />
    internal const int InvalidDateCode = 103;

    private static readonly string WhiteSpace = RowContract.WhiteSpace;

    // The number of groups of the date pattern.
    private static readonly int TimestampGroups = new System.Text.RegularExpressions.Regex(RowContract.TimestampPattern).GetGroupNumbers().Length - 1;

    private readonly SqlDialect _dialect;
    private readonly RfmCalculator _calculator;
    private readonly string _table;
    private readonly string _customer;
    private readonly string? _order;
    private readonly string _timestamp;
    private readonly string? _amount;
    private readonly string? _quantity;
    private readonly string? _unitPrice;
    private readonly string? _partition;
    private readonly DateTime _asOf;
    private readonly SqlDateType _dateType;
    // The parameters of the statement being built; every statement is built in the constructor, so that the
    // object is immutable afterwards and can be used from any number of threads.
    private readonly List<SqlArgument> _parameters = [];

    public PipelineSql(SqlDialect dialect, RfmCalculator calculator, SqlTableName table, TransactionColumns columns, DateTime asOf, SqlDateType dateType)
    {
        if (!Enum.IsDefined(dateType))
        {
            throw new ArgumentOutOfRangeException(nameof(dateType), dateType, "Not a date column type.");
        }

        columns.Validate();
        if (columns.DateFormat is not null)
        {
            throw new ArgumentException("A date format cannot be used in SQL: the date column must hold timestamps (or ISO 8601 text).", nameof(columns));
        }

        _dialect = dialect;
        _calculator = calculator;
        _table = table.ToSql(dialect);
        _customer = Column(columns.Customer, "customer")!;
        _order = Column(columns.Order, "order");
        _timestamp = Column(columns.Timestamp, "timestamp")!;
        _amount = Column(columns.Amount, "amount");
        _quantity = Column(columns.Quantity, "quantity");
        _unitPrice = Column(columns.UnitPrice, "unit price");
        _partition = Column(columns.Partition, "partition");
        _asOf = asOf;
        _dateType = dateType;
        DateType = dateType;
        Columns = columns;
        TimestampColumn = columns.Timestamp.Name!;
        MoneyColumns = columns.Amount is { Name: { } amount } ? amount : $"{columns.Quantity!.Value.Name} or {columns.UnitPrice!.Value.Name}";
        Customers = BuildCustomers(moneyAsText: false);
        CustomersRead = BuildCustomers(moneyAsText: true);
        Ingestion = BuildIngestion(moneyAsText: false);
        IngestionRead = BuildIngestion(moneyAsText: true);
        MissingDateExample = BuildExample(MissingDateCode);
        MissingMoneyExample = BuildExample(MissingMoneyCode);
        InvalidDateExample = dateType == SqlDateType.Text ? BuildExample(InvalidDateCode) : null;
        Rows = BuildRows();
    }

    /// <summary>Every row as the statements see it: customer, order, date, money and exclusion code.</summary>
    public SqlStatement Rows { get; }

    /// <summary>The dialect written.</summary>
    public SqlDialect Dialect => _dialect;

    /// <summary>
    /// Whether the statements run per partition: each statement then ends with a <c>partition_key</c> column (the
    /// partition's name, <c>''</c> for a blank one), the customers are grouped by partition and customer, and every
    /// window and quantile is taken within a partition.
    /// </summary>
    public bool Partitioned => _partition is not null;

    /// <summary>The pipeline written.</summary>
    public RfmCalculator Calculator => _calculator;

    /// <summary>The analysis date.</summary>
    public DateTime AnalysisDate => _asOf;

    /// <summary>How the date column is read.</summary>
    public SqlDateType DateType { get; }

    /// <summary>The columns the statements name.</summary>
    public TransactionColumns Columns { get; }

    /// <summary>
    /// <see cref="Customers"/> with the money as its exact text, which the reader parses: a provider would round or
    /// refuse a decimal more precise than .NET's without saying which customer holds it.
    /// </summary>
    public SqlStatement CustomersRead { get; }

    /// <summary><see cref="Ingestion"/> with the money as its exact text; see <see cref="CustomersRead"/>.</summary>
    public SqlStatement IngestionRead { get; }

    /// <summary>The customer, order and text of one row whose date text is not a date, to name in an error (text dates only).</summary>
    public SqlStatement? InvalidDateExample { get; }

    /// <summary>One row per customer: metrics, scores and segment key.</summary>
    public SqlStatement Customers { get; }

    /// <summary>One row per exclusion code (null for the rows used): rows, money and the latest date.</summary>
    public SqlStatement Ingestion { get; }

    /// <summary>The customer and order of one row without a date, to name in an error.</summary>
    public SqlStatement MissingDateExample { get; }

    /// <summary>The customer and order of one row without money, to name in an error.</summary>
    public SqlStatement MissingMoneyExample { get; }

    /// <summary>The date column's name, for messages.</summary>
    public string TimestampColumn { get; }

    /// <summary>The money column's name, or the quantity and unit price columns', for messages.</summary>
    public string MoneyColumns { get; }

    /// <summary>Throws for what a database cannot run.</summary>
    public static void CheckSupported(RfmCalculator calculator)
    {
        if (calculator.Policy.Cancellations.IsCustom)
        {
            throw new NotSupportedException(
                $"The cancellation rule '{calculator.Policy.Cancellations}' is a .NET predicate, which SQL cannot run; use OrderIdStartsWith, OrderIdContains or None.");
        }

        // Text is bound as a parameter, and some cannot be bound faithfully: PostgreSQL's text cannot hold a NUL and
        // DuckDB cuts the text there, and half a surrogate pair is not Unicode; either would match other orders without a word.
        if (calculator.Policy.Cancellations.Text is { } text && (text.Contains('\0', StringComparison.Ordinal) || SqlDialect.IndexOfLoneSurrogate(text) >= 0))
        {
            throw new NotSupportedException(
                $"The cancellation text '{SqlStatement.Escape(text)}' holds a NUL character (U+0000) or half of a surrogate pair, which SQL text cannot hold.");
        }

        foreach (var metric in Enum.GetValues<RfmMetric>())
        {
            var strategy = calculator.Scoring.For(metric);
            if (strategy.Description.Kind == ScoringKind.Custom)
            {
                throw new NotSupportedException(
                    $"The {metric.ToString().ToLowerInvariant()} strategy '{strategy.Name}' ({strategy.Description}) is .NET code, which SQL cannot run; SQL can run quantile, rank-quantile or fixed thresholds.");
            }
        }
    }

    private SqlStatement BuildCustomers(bool moneyAsText)
    {
        _parameters.Clear();
        var sql = new StringBuilder();
        sql.Append("WITH\n");
        AppendRows(sql);
        sql.Append(",\n");
        AppendCustomers(sql);
        sql.Append(",\n");
        AppendMetrics(sql);
        if (Enum.GetValues<RfmMetric>().Any(metric => !IsFixed(_calculator.Scoring.For(metric))))
        {
            AppendQuantilePositions(sql);
        }

        foreach (var metric in Enum.GetValues<RfmMetric>())
        {
            AppendScoreInputs(sql, metric);
        }

        AppendScores(sql);
        sql.Append(",\n");
        AppendSegments(sql);
        sql.Append('\n');
        sql.Append(
            $"""
            SELECT
                customer_id, recency, frequency, {(moneyAsText ? $"CAST(monetary AS {_dialect.TextType}) AS monetary" : "monetary")}, first_purchase, last_purchase, lines, tenure,
                r_score, f_score, m_score, segment{PartitionColumn()}
            FROM segmented
            """);
        return Finish(sql);
    }

    private SqlStatement BuildIngestion(bool moneyAsText)
    {
        _parameters.Clear();
        var sql = new StringBuilder();
        sql.Append("WITH\n");
        AppendRows(sql);
        if (_calculator.Policy.DropNonPositiveCustomers)
        {
            sql.Append(
                $"""
                ,
                customer_totals AS (
                    SELECT {PartitionAnd()}customer_id, SUM(amount) AS total
                    FROM classified
                    WHERE exclusion IS NULL
                    GROUP BY {PartitionAnd()}customer_id
                ),
                reclassified AS (
                    SELECT
                        {(Partitioned ? "c.partition_key, " : string.Empty)}c.customer_id, c.order_id, c.purchased_at, c.amount,
                        CASE WHEN c.exclusion IS NULL AND t.total <= 0 THEN {(int)ExclusionReason.NonPositiveCustomerTotal} ELSE c.exclusion END AS exclusion
                    FROM classified c
                    LEFT JOIN customer_totals t ON t.customer_id = c.customer_id{(Partitioned ? " AND t.partition_key = c.partition_key" : string.Empty)}
                )
                """);
        }

        var from = _calculator.Policy.DropNonPositiveCustomers ? "reclassified" : "classified";
        sql.Append(
            $"""

            SELECT
                exclusion,
                COUNT(*) AS row_count,
                {(moneyAsText ? $"CAST(SUM(amount) AS {_dialect.TextType})" : "SUM(amount)")} AS amount,
                MAX(purchased_at) AS latest{PartitionColumn()}
            FROM {from}
            GROUP BY {PartitionAnd()}exclusion
            """);
        return Finish(sql);
    }

    private SqlStatement BuildExample(int exclusion)
    {
        _parameters.Clear();
        var sql = new StringBuilder();
        sql.Append("WITH\n");
        AppendRows(sql);
        sql.Append(
            $"""

            SELECT customer_id, order_id{(exclusion == InvalidDateCode ? ", date_text" : string.Empty)}
            FROM classified
            WHERE exclusion = {exclusion}
            LIMIT 1
            """);
        return Finish(sql);
    }

    private SqlStatement BuildRows()
    {
        _parameters.Clear();
        var sql = new StringBuilder();
        sql.Append("WITH\n");
        AppendRows(sql);
        sql.Append($"\nSELECT customer_id, order_id, purchased_at, amount, exclusion{PartitionColumn()} FROM classified");
        return Finish(sql);
    }

    /// <summary>The number of rows of a table.</summary>
    public SqlStatement Count(SqlTableName table) => new(_dialect, $"SELECT COUNT(*) FROM {table.ToSql(_dialect)}", []);

    /// <summary>
    /// <c>CREATE TABLE target AS</c> the customers statement; replacing is <c>CREATE OR REPLACE</c>, or on PostgreSQL,
    /// which has none, <c>DROP TABLE IF EXISTS</c> first in the same statement text.
    /// </summary>
    public SqlStatement CreateTable(SqlTableName target, bool replace)
    {
        var name = target.ToSql(_dialect);
        var create = (replace, _dialect == SqlDialect.PostgreSql) switch
        {
            (false, _) => "CREATE TABLE",
            (true, false) => "CREATE OR REPLACE TABLE",
            (true, true) => $"DROP TABLE IF EXISTS {name};\nCREATE TABLE",
        };
        return new SqlStatement(_dialect, $"{create} {name} AS\n{Customers.Text}", Customers.Parameters);
    }

    // The source rows with blank keys made null and the money worked out, then each row's exclusion, if any.
    private void AppendRows(StringBuilder sql)
    {
        var text = _dialect.TextType;
        var blank = Parameter("whitespace", WhiteSpace);
        // Blank (empty or all white space) means missing. Only a value that starts with white space can be blank, so
        // the costly trim runs for those alone.
        string Key(string column)
        {
            var value = $"CAST({column} AS {text})";
            return $"""
                CASE
                            WHEN {value} = '' THEN NULL
                            WHEN POSITION(LEFT({value}, 1) IN {blank}) = 0 THEN {value}
                            WHEN {_dialect.Trim(value, blank)} = '' THEN NULL
                            ELSE {value}
                        END
                """;
        }

        var amount = _amount ?? $"{_quantity} * {_unitPrice}";
        var money = $"{(_amount is null ? $"{_quantity} AS quantity,\n        {_unitPrice} AS unit_price,\n        " : string.Empty)}{amount} AS amount";
        var order = _order is null ? $"CAST(NULL AS {text})" : Key(_order);

        // A blank partition value is the partition named ''.
        var partition = _partition is null ? string.Empty : $"COALESCE({Key(_partition)}, '') AS partition_key,\n        ";
        if (_dateType == SqlDateType.Text)
        {
            AppendTextDateRows(sql, partition + Key(_customer), order, money, blank);
        }
        else
        {
            var date = _dateType == SqlDateType.TimestampWithTimeZone ? _dialect.UtcWallClock(_timestamp) : $"CAST({_timestamp} AS {_dialect.TimestampType})";
            sql.Append(
                $"""
                -- Every row of the table: blank keys become null, the money is worked out.
                source_rows AS (
                    SELECT
                        {partition}{Key(_customer)} AS customer_id,
                        {order} AS order_id,
                        {date} AS purchased_at,
                        {money}
                    FROM {_table}
                ),

                """);
        }

        var codes = _dateType == SqlDateType.Text ? "101, 102 and 103 make" : "101 and 102 make";
        var dateText = _dateType == SqlDateType.Text ? " date_text," : string.Empty;
        sql.Append(
            $"""
            -- Why a row does not count, in the order the library checks (null: it counts). {codes} the input invalid.
            classified AS (
                SELECT
                    {PartitionAnd()}customer_id, order_id, purchased_at, amount,{dateText}
                    CASE
            {string.Join('\n', ExclusionArms().Select(arm => "            " + arm))}
                    END AS exclusion
                FROM source_rows
            )
            """);
    }

    // A text date read as RowContract.TryParseTimestamp reads it without a format: trimmed of RowContract.WhiteSpace,
    // matched against RowContract.TimestampPattern, each field checked, and the timestamp built by arithmetic from the
    // first of its month, so that the server never parses a date (no DateStyle, no session zone, no words) and no
    // impossible date reaches a function that would throw.
    private void AppendTextDateRows(StringBuilder sql, string customer, string order, string money, string blank)
    {
        var text = _dialect.TextType;
        var pattern = _dialect.StringLiteral(RowContract.TimestampPattern);
        string Group(int group) => $"NULLIF({_dialect.RegexGroup("date_match", pattern, group)}, '')";
        string Number(int group, string type, bool optional) =>
            optional ? $"COALESCE(CAST({Group(group)} AS {type}), 0)" : $"CAST({Group(group)} AS {type})";
        const string DaysInMonth =
            "CASE WHEN date_month = 2 THEN CASE WHEN (date_year % 4 = 0 AND date_year % 100 <> 0) OR date_year % 400 = 0 THEN 29 ELSE 28 END "
            + "WHEN date_month IN (4, 6, 9, 11) THEN 30 ELSE 31 END";
        const string Micros =
            "((date_hour * 60 + date_minute) * 60 + date_second) * 1000000 + date_micro - date_offset_sign * (date_offset_hours * 60 + date_offset_minutes) * 60000000";
        var timestamp = _dialect.TimestampType;
        var moneyColumns = _amount is null ? "quantity, unit_price, amount" : "amount";
        sql.Append(
            $"""
            -- Every row of the table: blank keys become null, the money is worked out, the date's text is kept, and
            -- trimmed of white space as .NET defines it (null when blank).
            source_texts AS (
                SELECT
                    {customer} AS customer_id,
                    {order} AS order_id,
                    CAST({_timestamp} AS {text}) AS date_text,
                    NULLIF({_dialect.Trim($"CAST({_timestamp} AS {text})", blank)}, '') AS date_trimmed,
                    {money}
                FROM {_table}
            ),
            -- The fields of the library's date pattern (RowContract.TimestampPattern) as numbers; null when the text does
            -- not match: year, month, day, then the time, the fraction as microseconds, and the offset.
            date_fields AS (
                SELECT
                    {PartitionAnd()}customer_id, order_id, date_text, date_trimmed, {moneyColumns},
                    {Number(1, "INTEGER", false)} AS date_year,
                    {Number(2, "INTEGER", false)} AS date_month,
                    {Number(3, "INTEGER", false)} AS date_day,
                    {Number(4, "BIGINT", true)} AS date_hour,
                    {Number(5, "BIGINT", true)} AS date_minute,
                    {Number(6, "BIGINT", true)} AS date_second,
                    CAST(rpad(COALESCE({Group(7)}, '0'), 6, '0') AS BIGINT) AS date_micro,
                    CASE WHEN {Group(9)} = '-' THEN -1 ELSE 1 END AS date_offset_sign,
                    {Number(10, "BIGINT", true)} AS date_offset_hours,
                    {Number(11, "BIGINT", true)} AS date_offset_minutes
                FROM (
                    SELECT source_texts.*, {_dialect.RegexMatch("date_trimmed", pattern, TimestampGroups)} AS date_match
                    FROM source_texts
                ) matched
            ),
            -- The date the fields make, in UTC, when they make one (a day the month has, a time of day, an offset under a
            -- day, the result within years 1 to 9999); null otherwise.
            source_rows AS (
                SELECT
                    {PartitionAnd()}customer_id, order_id, date_text, date_trimmed,
                    CASE
                        WHEN date_local >= CAST('0001-01-01 00:00:00' AS {timestamp}) AND date_local <= CAST('9999-12-31 23:59:59.999999' AS {timestamp})
                        THEN date_local
                    END AS purchased_at,
                    {moneyColumns}
                FROM (
                    SELECT
                        date_fields.*,
                        CASE
                            WHEN date_year >= 1 AND date_month BETWEEN 1 AND 12 AND date_day BETWEEN 1 AND {DaysInMonth}
                                AND date_hour <= 23 AND date_minute <= 59 AND date_second <= 59 AND date_offset_hours <= 23 AND date_offset_minutes <= 59
                            THEN {_dialect.AddMicroseconds(_dialect.MonthStartPlusDays("date_year", "date_month", "date_day - 1"), $"({Micros})")}
                        END AS date_local
                    FROM date_fields
                ) built
            ),

            """);
    }

    // The policy's reasons in the order TransactionPolicy.Classify checks them; the first that applies wins.
    private IEnumerable<string> ExclusionArms()
    {
        var policy = _calculator.Policy;
        var moneyColumns = _amount is null ? "quantity IS NULL AND unit_price IS NULL" : "amount IS NULL";
        if (_dateType == SqlDateType.Text)
        {
            // Text that is there but is no date: the in-memory readers refuse it, so the row is not empty either.
            yield return $"WHEN date_trimmed IS NOT NULL AND purchased_at IS NULL THEN {InvalidDateCode}";
        }

        yield return $"WHEN customer_id IS NULL AND order_id IS NULL AND purchased_at IS NULL AND {moneyColumns} THEN {(int)ExclusionReason.EmptyRow}";
        yield return $"WHEN purchased_at IS NULL THEN {MissingDateCode}";
        yield return $"WHEN amount IS NULL THEN {MissingMoneyCode}";
        // The policy's own statement of its checks and their order, each written as SQL.
        foreach (var reason in policy.RowChecks)
        {
            var test = reason switch
            {
                ExclusionReason.MissingCustomer => "customer_id IS NULL",
                ExclusionReason.Cancellation => Cancellation(policy.Cancellations),
                ExclusionReason.NonPositiveQuantity => _amount is null ? "quantity <= 0" : null,
                ExclusionReason.NonPositivePrice => _amount is null ? "unit_price <= 0" : null,
                ExclusionReason.NonPositiveAmount => "amount <= 0",
                ExclusionReason.AfterAsOf => $"purchased_at > {AsOf()}",
                _ => throw new NotSupportedException($"The policy checks rows for {reason}, which this version cannot write as SQL."),
            };
            if (test is not null)
            {
                yield return $"WHEN {test} THEN {(int)reason}";
            }
        }
    }

    // The rule's test of an order id: a prefix is at position 1, a substring anywhere. A .NET predicate never gets here.
    private string Cancellation(CancellationRule rule)
    {
        var text = Parameter("cancellation", rule.Text!);
        return $"POSITION({text} IN order_id) {(rule.IsPrefix ? "= 1" : "> 0")}";
    }

    // Per customer, from the rows used: an order is counted once, a row without an order id once each.
    private void AppendCustomers(StringBuilder sql)
    {
        var having = _calculator.Policy.DropNonPositiveCustomers ? "\n    HAVING SUM(amount) > 0" : string.Empty;
        sql.Append(
            $"""
            -- Per customer, from the rows that count: each order once, each row without an order id once.
            customers AS (
                SELECT
                    {PartitionAnd()}customer_id,
                    MIN(purchased_at) AS first_purchase,
                    MAX(purchased_at) AS last_purchase,
                    COUNT(DISTINCT order_id) + SUM(CASE WHEN order_id IS NULL THEN 1 ELSE 0 END) AS frequency,
                    SUM(amount) AS monetary,
                    COUNT(*) AS lines
                FROM classified
                WHERE exclusion IS NULL
                GROUP BY {PartitionAnd()}customer_id{having}
            )
            """);
    }

    // Elapsed whole days, and each metric as the double the scoring compares (money through its exact text, so
    // that the conversion is correctly rounded as in .NET).
    private void AppendMetrics(StringBuilder sql)
    {
        var asOf = AsOf();
        var number = _dialect.DoubleType;
        sql.Append(
            $"""
            -- Metrics as of the analysis date, in whole elapsed days, and each as the double that scoring compares.
            metrics AS (
                SELECT
                    measured.*,
                    CAST(recency AS {number}) AS r_value,
                    CAST(frequency AS {number}) AS f_value,
                    CAST(CAST(monetary AS {_dialect.TextType}) AS {number}) AS m_value
                FROM (
                    SELECT
                        {PartitionAnd()}customer_id,
                        {_dialect.ElapsedDays(asOf, "last_purchase")} AS recency,
                        CAST(frequency AS BIGINT) AS frequency,
                        monetary,
                        first_purchase,
                        last_purchase,
                        CAST(lines AS BIGINT) AS lines,
                        {_dialect.ElapsedDays(asOf, "first_purchase")} AS tenure
                    FROM customers
                ) measured
            )
            """);
    }

    // Where each quantile falls among the n sorted customers: numpy's linear method at the probabilities of
    // linspace(0, 1, bins + 1), the same for every metric.
    private void AppendQuantilePositions(StringBuilder sql)
    {
        var bins = _calculator.Scoring.Bins;
        var step = 1.0 / bins;
        var probabilities = string.Join(
            "\n            UNION ALL ",
            Enumerable.Range(0, bins + 1).Select(i => $"SELECT {i} AS i, {_dialect.DoubleLiteral(i == bins ? 1.0 : i * step)} AS probability"));
        sql.Append(
            $"""
            ,
            -- Where each quantile falls among the customers sorted by a metric (numpy's linear method, as pandas qcut).
            quantile_positions AS (
                SELECT
                    {PartitionAnd()}i, customer_count, quantile_position,
                    CAST(FLOOR(quantile_position) AS BIGINT) AS position_lower,
                    quantile_position - FLOOR(quantile_position) AS gamma
                FROM (
                    SELECT {PartitionAnd()}i, customer_count, CAST(customer_count - 1 AS {_dialect.DoubleType}) * probability AS quantile_position
                    FROM (
                        {probabilities}
                    ) probabilities
                    CROSS JOIN (SELECT {PartitionAnd()}COUNT(*) AS customer_count FROM metrics{(Partitioned ? " GROUP BY partition_key" : string.Empty)}) counted
                ) positioned
            )
            """);
    }

    // What a metric's score needs besides the metric: the quantile edges, or each customer's rank and the rank edges.
    private void AppendScoreInputs(StringBuilder sql, RfmMetric metric)
    {
        var strategy = _calculator.Scoring.For(metric);
        var p = Prefix(metric);
        if (IsFixed(strategy))
        {
            return;
        }

        if (IsRankQuantile(strategy))
        {
            // The sorted ranks are 1..n, so the k-th smallest (from 0) is k + 1: no join needed.
            sql.Append(
                $"""
                ,
                -- {Name(metric)}: ranks as pandas rank(method="first") over customers in ordinal key order, so ties keep that order.
                {p}_ranked AS (
                    SELECT {PartitionAnd()}customer_id, CAST(ROW_NUMBER() OVER ({Window()}ORDER BY {p}_value, {_dialect.Ordinal("customer_id")}) AS {_dialect.DoubleType}) AS {p}_rank
                    FROM metrics
                )
                """);
            AppendEdges(sql, metric, $"CAST(position_lower + 1 AS {_dialect.DoubleType})", $"CAST(position_lower + 2 AS {_dialect.DoubleType})", $"CAST(customer_count AS {_dialect.DoubleType})", string.Empty);
            return;
        }

        sql.Append(
            $"""
            ,
            -- {Name(metric)}: the customers' values in order.
            {p}_sorted AS (
                SELECT {PartitionAnd()}{p}_value AS v, ROW_NUMBER() OVER ({Window()}ORDER BY {p}_value) - 1 AS k
                FROM metrics
            )
            """);
        var joins = $"""

                    JOIN {p}_sorted lower_value ON lower_value.k = position_lower{SamePartition("lower_value", "quantile_positions")}
                    LEFT JOIN {p}_sorted upper_value ON upper_value.k = position_lower + 1{SamePartition("upper_value", "quantile_positions")}
            """;
        AppendEdges(sql, metric, "lower_value.v", "upper_value.v", "lower_value.v", joins);
    }

    // Each edge interpolated between its two neighbours exactly as Quantiles.Edges does, then the edges side by side.
    private void AppendEdges(StringBuilder sql, RfmMetric metric, string lowerValue, string upperValue, string lastValue, string joins)
    {
        var p = Prefix(metric);
        var pivot = string.Join(",\n        ", Enumerable.Range(0, _calculator.Scoring.Bins + 1).Select(i => $"MAX(CASE WHEN i = {i} THEN edge END) AS e{i}"));
        sql.Append(
            $"""
            ,
            {p}_edges AS (
                SELECT
                    {PartitionAnd()}{pivot}
                FROM (
                    SELECT
                        {(Partitioned ? "quantile_positions.partition_key, " : string.Empty)}i,
                        CASE
                            WHEN quantile_position >= customer_count - 1 THEN {lastValue}
                            WHEN gamma >= 0.5 THEN {upperValue} - ({upperValue} - {lowerValue}) * (1 - gamma)
                            ELSE {lowerValue} + ({upperValue} - {lowerValue}) * gamma
                        END AS edge
                    FROM quantile_positions{joins}
                ) edges{(Partitioned ? "\n    GROUP BY partition_key" : string.Empty)}
            )
            """);
    }

    // Each score: how many edges lie below the value (bins closed on the right), kept within 1..bins; recency reversed.
    private void AppendScores(StringBuilder sql)
    {
        var joins = new StringBuilder();
        var scores = new List<string>();
        foreach (var metric in Enum.GetValues<RfmMetric>())
        {
            var p = Prefix(metric);
            var strategy = _calculator.Scoring.For(metric);
            var value = IsRankQuantile(strategy) ? $"{p}_ranked.{p}_rank" : $"m.{p}_value";
            var score = IsFixed(strategy)
                ? FixedScore(metric, strategy.Description.UpperBounds, value)
                : QuantileScore(p, value);
            if (IsRankQuantile(strategy))
            {
                joins.Append($"\n    JOIN {p}_ranked ON {p}_ranked.customer_id = m.customer_id{SamePartition($"{p}_ranked", "m")}");
            }

            if (!IsFixed(strategy))
            {
                joins.Append(Partitioned ? $"\n    JOIN {p}_edges ON {p}_edges.partition_key = m.partition_key" : $"\n    CROSS JOIN {p}_edges");
            }

            scores.Add(metric == RfmMetric.Recency ? $"{_calculator.Scoring.Bins + 1} - {score} AS {p}_score" : $"{score} AS {p}_score");
        }

        sql.Append(
            $"""
            ,
            -- Scores 1..{_calculator.Scoring.Bins}: quantile bins are closed on the right; the smallest recency scores highest.
            scored AS (
                SELECT
                    {(Partitioned ? "m.partition_key, " : string.Empty)}m.customer_id, m.recency, m.frequency, m.monetary, m.first_purchase, m.last_purchase, m.lines, m.tenure,
                    {string.Join(",\n        ", scores)}
                FROM metrics m{joins}
            )
            """);
    }

    // What a strategy does is read from its description, never from its type or name: a strategy that describes
    // itself as one of these kinds is run as that kind (CheckSupported has refused custom code).
    private static bool IsRankQuantile(IScoringStrategy strategy) => strategy.Description.Kind == ScoringKind.RankQuantile;

    private static bool IsFixed(IScoringStrategy strategy) => strategy.Description.Kind == ScoringKind.FixedThresholds;

    // How many edges lie below the value, within 1..bins.
    private string QuantileScore(string p, string value)
    {
        var bins = _calculator.Scoring.Bins;
        var below = string.Join("\n            + ", Enumerable.Range(0, bins + 1).Select(i => $"CASE WHEN {p}_edges.e{i} < {value} THEN 1 ELSE 0 END"));
        return $"GREATEST(1, LEAST({bins},\n              {below}))";
    }

    // The first threshold the value does not exceed gives the score; above all of them, the top score.
    private string FixedScore(RfmMetric metric, System.Collections.Immutable.ImmutableArray<double> upperBounds, string value)
    {
        var p = Prefix(metric);
        var arms = upperBounds.Select((bound, i) =>
            $"WHEN {value} <= {Parameter($"{p}_threshold_{i + 1}", bound)} THEN {i + 1}");
        return $"CASE {string.Join(' ', arms)} ELSE {upperBounds.Length + 1} END";
    }

    // A rule map is one CASE, first match wins; any other map is looked up in a table of every score it can give.
    private void AppendSegments(StringBuilder sql)
    {
        var map = _calculator.SegmentMap;
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        string Key(Segment segment)
        {
            if (!keys.TryGetValue(segment.Key, out var marker))
            {
                marker = keys[segment.Key] = Parameter($"segment_{keys.Count + 1}", segment.Key);
            }

            return marker;
        }

        if (map is RuleSegmentMap rules)
        {
            var arms = new List<string>();
            foreach (var rule in rules.Rules)
            {
                var tests = new[] { Range("r_score", rule.Recency), Range("f_score", rule.Frequency), Range("m_score", rule.Monetary) }
                    .Where(test => test is not null)
                    .ToList();
                var condition = tests.Count == 0 ? "1 = 1" : string.Join(" AND ", tests);
                arms.Add($"WHEN {condition} THEN {Key(rule.Segment)}");
            }

            sql.Append(
                $"""
                -- The segment of the first rule the scores match.
                segmented AS (
                    SELECT
                        scored.*,
                        CASE
                            {string.Join("\n            ", arms)}
                            ELSE {Key(rules.Other)}
                        END AS segment
                    FROM scored
                )
                """);
            return;
        }

        var bins = _calculator.Scoring.Bins;
        var cells = new List<string>();
        for (var r = 1; r <= bins; r++)
        {
            for (var f = 1; f <= bins; f++)
            {
                for (var m = 1; m <= bins; m++)
                {
                    cells.Add($"SELECT {r} AS r, {f} AS f, {m} AS m, {Key(map.Assign(new RfmScore(r, f, m), bins))} AS segment");
                }
            }
        }

        sql.Append(
            $"""
            -- The segment of every combination of scores, as the map assigns it.
            segment_cells AS (
                {string.Join("\n    UNION ALL ", cells)}
            ),
            segmented AS (
                SELECT scored.*, segment_cells.segment
                FROM scored
                JOIN segment_cells ON segment_cells.r = scored.r_score AND segment_cells.f = scored.f_score AND segment_cells.m = scored.m_score
            )
            """);
    }

    private string? Range(string score, ScoreRange range)
    {
        var bins = _calculator.Scoring.Bins;
        var min = range.Min;
        var max = Math.Min(range.Max, bins);
        if (min <= 1 && max >= bins)
        {
            return null;
        }

        return min == max ? $"{score} = {min}" : $"{score} BETWEEN {min} AND {max}";
    }

    private static string Name(RfmMetric metric) => metric.ToString();

    // The partition column first in a list or grouping, when there is one.
    private string PartitionAnd() => Partitioned ? "partition_key, " : string.Empty;

    // The partition column last in a result, when there is one.
    private string PartitionColumn() => Partitioned ? ", partition_key" : string.Empty;

    // A window within a partition, when there is one.
    private string Window() => Partitioned ? "PARTITION BY partition_key " : string.Empty;

    // A join condition within a partition, when there is one.
    private string SamePartition(string left, string right) => Partitioned ? $" AND {left}.partition_key = {right}.partition_key" : string.Empty;

    private static string Prefix(RfmMetric metric) => metric switch
    {
        RfmMetric.Recency => "r",
        RfmMetric.Frequency => "f",
        _ => "m",
    };

    private string AsOf() => $"CAST({Parameter("as_of", _asOf)} AS {_dialect.TimestampType})";

    // A named parameter, bound once however often it is used.
    private string Parameter(string name, object value)
    {
        if (!_parameters.Exists(p => p.Name == name))
        {
            _parameters.Add(new SqlArgument(name, value));
        }

        return _dialect.Parameter(name);
    }

    private SqlStatement Finish(StringBuilder sql) => new(_dialect, sql.ToString(), [.. _parameters]);

    private string? Column(ColumnRef? column, string role)
    {
        if (column is not { } reference)
        {
            return null;
        }

        if (reference.Name is not { } name)
        {
            throw new ArgumentException($"The {role} column is given by position ({reference}); SQL needs its name.", "columns");
        }

        return _dialect.QuoteIdentifier(name);
    }
}
