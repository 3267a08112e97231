-- $whitespace = "\t\n\u000B\f\r \u0085\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000"
-- $cancellation = "C"
-- $as_of = TIMESTAMP 2011-12-10 00:00:00.000000
-- $segment_1 = "champions"
-- $segment_2 = "loyal_customers"
-- $segment_3 = "potential_loyalists"
-- $segment_4 = "new_customers"
-- $segment_5 = "promising"
-- $segment_6 = "need_attention"
-- $segment_7 = "about_to_sleep"
-- $segment_8 = "at_risk"
-- $segment_9 = "cant_lose"
-- $segment_10 = "hibernating"
-- $segment_11 = "other"
WITH
-- Every row of the table: blank keys become null, the money is worked out.
source_rows AS (
    SELECT
        CASE
            WHEN CAST("CustomerID" AS VARCHAR) = '' THEN NULL
            WHEN POSITION(LEFT(CAST("CustomerID" AS VARCHAR), 1) IN $whitespace) = 0 THEN CAST("CustomerID" AS VARCHAR)
            WHEN trim(CAST("CustomerID" AS VARCHAR), $whitespace) = '' THEN NULL
            ELSE CAST("CustomerID" AS VARCHAR)
        END AS customer_id,
        CASE
            WHEN CAST("InvoiceNo" AS VARCHAR) = '' THEN NULL
            WHEN POSITION(LEFT(CAST("InvoiceNo" AS VARCHAR), 1) IN $whitespace) = 0 THEN CAST("InvoiceNo" AS VARCHAR)
            WHEN trim(CAST("InvoiceNo" AS VARCHAR), $whitespace) = '' THEN NULL
            ELSE CAST("InvoiceNo" AS VARCHAR)
        END AS order_id,
        CAST("InvoiceDate" AS TIMESTAMP) AS purchased_at,
        "Quantity" AS quantity,
        "UnitPrice" AS unit_price,
        "Quantity" * "UnitPrice" AS amount
    FROM "sales"."online_retail"
),
-- Why a row does not count, in the order the library checks (null: it counts). 101 and 102 make the input invalid.
classified AS (
    SELECT
        customer_id, order_id, purchased_at, amount,
        CASE
            WHEN customer_id IS NULL AND order_id IS NULL AND purchased_at IS NULL AND quantity IS NULL AND unit_price IS NULL THEN 8
            WHEN purchased_at IS NULL THEN 101
            WHEN amount IS NULL THEN 102
            WHEN customer_id IS NULL THEN 1
            WHEN POSITION($cancellation IN order_id) = 1 THEN 2
            WHEN quantity <= 0 THEN 3
            WHEN unit_price <= 0 THEN 4
            WHEN amount <= 0 THEN 5
            WHEN purchased_at > CAST($as_of AS TIMESTAMP) THEN 6
        END AS exclusion
    FROM source_rows
),
-- Per customer, from the rows that count: each order once, each row without an order id once.
customers AS (
    SELECT
        customer_id,
        MIN(purchased_at) AS first_purchase,
        MAX(purchased_at) AS last_purchase,
        COUNT(DISTINCT order_id) + SUM(CASE WHEN order_id IS NULL THEN 1 ELSE 0 END) AS frequency,
        SUM(amount) AS monetary,
        COUNT(*) AS lines
    FROM classified
    WHERE exclusion IS NULL
    GROUP BY customer_id
),
-- Metrics as of the analysis date, in whole elapsed days, and each as the double that scoring compares.
metrics AS (
    SELECT
        measured.*,
        CAST(recency AS DOUBLE) AS r_value,
        CAST(frequency AS DOUBLE) AS f_value,
        CAST(CAST(monetary AS VARCHAR) AS DOUBLE) AS m_value
    FROM (
        SELECT
            customer_id,
            CAST((epoch_us(CAST($as_of AS TIMESTAMP)) - epoch_us(last_purchase)) // 86400000000 AS INTEGER) AS recency,
            CAST(frequency AS BIGINT) AS frequency,
            monetary,
            first_purchase,
            last_purchase,
            CAST(lines AS BIGINT) AS lines,
            CAST((epoch_us(CAST($as_of AS TIMESTAMP)) - epoch_us(first_purchase)) // 86400000000 AS INTEGER) AS tenure
        FROM customers
    ) measured
),
-- Where each quantile falls among the customers sorted by a metric (numpy's linear method, as pandas qcut).
quantile_positions AS (
    SELECT
        i, customer_count, quantile_position,
        CAST(FLOOR(quantile_position) AS BIGINT) AS position_lower,
        quantile_position - FLOOR(quantile_position) AS gamma
    FROM (
        SELECT i, customer_count, CAST(customer_count - 1 AS DOUBLE) * probability AS quantile_position
        FROM (
            SELECT 0 AS i, CAST('0' AS DOUBLE) AS probability
            UNION ALL SELECT 1 AS i, CAST('0.2' AS DOUBLE) AS probability
            UNION ALL SELECT 2 AS i, CAST('0.4' AS DOUBLE) AS probability
            UNION ALL SELECT 3 AS i, CAST('0.6000000000000001' AS DOUBLE) AS probability
            UNION ALL SELECT 4 AS i, CAST('0.8' AS DOUBLE) AS probability
            UNION ALL SELECT 5 AS i, CAST('1' AS DOUBLE) AS probability
        ) probabilities
        CROSS JOIN (SELECT COUNT(*) AS customer_count FROM metrics) counted
    ) positioned
),
-- Recency: the customers' values in order.
r_sorted AS (
    SELECT r_value AS v, ROW_NUMBER() OVER (ORDER BY r_value) - 1 AS k
    FROM metrics
),
r_edges AS (
    SELECT
        MAX(CASE WHEN i = 0 THEN edge END) AS e0,
        MAX(CASE WHEN i = 1 THEN edge END) AS e1,
        MAX(CASE WHEN i = 2 THEN edge END) AS e2,
        MAX(CASE WHEN i = 3 THEN edge END) AS e3,
        MAX(CASE WHEN i = 4 THEN edge END) AS e4,
        MAX(CASE WHEN i = 5 THEN edge END) AS e5
    FROM (
        SELECT
            i,
            CASE
                WHEN quantile_position >= customer_count - 1 THEN lower_value.v
                WHEN gamma >= 0.5 THEN upper_value.v - (upper_value.v - lower_value.v) * (1 - gamma)
                ELSE lower_value.v + (upper_value.v - lower_value.v) * gamma
            END AS edge
        FROM quantile_positions
        JOIN r_sorted lower_value ON lower_value.k = position_lower
        LEFT JOIN r_sorted upper_value ON upper_value.k = position_lower + 1
    ) edges
),
-- Frequency: the customers' values in order.
f_sorted AS (
    SELECT f_value AS v, ROW_NUMBER() OVER (ORDER BY f_value) - 1 AS k
    FROM metrics
),
f_edges AS (
    SELECT
        MAX(CASE WHEN i = 0 THEN edge END) AS e0,
        MAX(CASE WHEN i = 1 THEN edge END) AS e1,
        MAX(CASE WHEN i = 2 THEN edge END) AS e2,
        MAX(CASE WHEN i = 3 THEN edge END) AS e3,
        MAX(CASE WHEN i = 4 THEN edge END) AS e4,
        MAX(CASE WHEN i = 5 THEN edge END) AS e5
    FROM (
        SELECT
            i,
            CASE
                WHEN quantile_position >= customer_count - 1 THEN lower_value.v
                WHEN gamma >= 0.5 THEN upper_value.v - (upper_value.v - lower_value.v) * (1 - gamma)
                ELSE lower_value.v + (upper_value.v - lower_value.v) * gamma
            END AS edge
        FROM quantile_positions
        JOIN f_sorted lower_value ON lower_value.k = position_lower
        LEFT JOIN f_sorted upper_value ON upper_value.k = position_lower + 1
    ) edges
),
-- Monetary: the customers' values in order.
m_sorted AS (
    SELECT m_value AS v, ROW_NUMBER() OVER (ORDER BY m_value) - 1 AS k
    FROM metrics
),
m_edges AS (
    SELECT
        MAX(CASE WHEN i = 0 THEN edge END) AS e0,
        MAX(CASE WHEN i = 1 THEN edge END) AS e1,
        MAX(CASE WHEN i = 2 THEN edge END) AS e2,
        MAX(CASE WHEN i = 3 THEN edge END) AS e3,
        MAX(CASE WHEN i = 4 THEN edge END) AS e4,
        MAX(CASE WHEN i = 5 THEN edge END) AS e5
    FROM (
        SELECT
            i,
            CASE
                WHEN quantile_position >= customer_count - 1 THEN lower_value.v
                WHEN gamma >= 0.5 THEN upper_value.v - (upper_value.v - lower_value.v) * (1 - gamma)
                ELSE lower_value.v + (upper_value.v - lower_value.v) * gamma
            END AS edge
        FROM quantile_positions
        JOIN m_sorted lower_value ON lower_value.k = position_lower
        LEFT JOIN m_sorted upper_value ON upper_value.k = position_lower + 1
    ) edges
),
-- Scores 1..5: quantile bins are closed on the right; the smallest recency scores highest.
scored AS (
    SELECT
        m.customer_id, m.recency, m.frequency, m.monetary, m.first_purchase, m.last_purchase, m.lines, m.tenure,
        6 - GREATEST(1, LEAST(5,
              CASE WHEN r_edges.e0 < m.r_value THEN 1 ELSE 0 END
            + CASE WHEN r_edges.e1 < m.r_value THEN 1 ELSE 0 END
            + CASE WHEN r_edges.e2 < m.r_value THEN 1 ELSE 0 END
            + CASE WHEN r_edges.e3 < m.r_value THEN 1 ELSE 0 END
            + CASE WHEN r_edges.e4 < m.r_value THEN 1 ELSE 0 END
            + CASE WHEN r_edges.e5 < m.r_value THEN 1 ELSE 0 END)) AS r_score,
        GREATEST(1, LEAST(5,
              CASE WHEN f_edges.e0 < m.f_value THEN 1 ELSE 0 END
            + CASE WHEN f_edges.e1 < m.f_value THEN 1 ELSE 0 END
            + CASE WHEN f_edges.e2 < m.f_value THEN 1 ELSE 0 END
            + CASE WHEN f_edges.e3 < m.f_value THEN 1 ELSE 0 END
            + CASE WHEN f_edges.e4 < m.f_value THEN 1 ELSE 0 END
            + CASE WHEN f_edges.e5 < m.f_value THEN 1 ELSE 0 END)) AS f_score,
        GREATEST(1, LEAST(5,
              CASE WHEN m_edges.e0 < m.m_value THEN 1 ELSE 0 END
            + CASE WHEN m_edges.e1 < m.m_value THEN 1 ELSE 0 END
            + CASE WHEN m_edges.e2 < m.m_value THEN 1 ELSE 0 END
            + CASE WHEN m_edges.e3 < m.m_value THEN 1 ELSE 0 END
            + CASE WHEN m_edges.e4 < m.m_value THEN 1 ELSE 0 END
            + CASE WHEN m_edges.e5 < m.m_value THEN 1 ELSE 0 END)) AS m_score
    FROM metrics m
    CROSS JOIN r_edges
    CROSS JOIN f_edges
    CROSS JOIN m_edges
),
-- The segment of the first rule the scores match.
segmented AS (
    SELECT
        scored.*,
        CASE
            WHEN r_score = 5 AND f_score BETWEEN 4 AND 5 THEN $segment_1
            WHEN r_score BETWEEN 3 AND 4 AND f_score BETWEEN 4 AND 5 THEN $segment_2
            WHEN r_score BETWEEN 4 AND 5 AND f_score BETWEEN 2 AND 3 THEN $segment_3
            WHEN r_score = 5 AND f_score = 1 THEN $segment_4
            WHEN r_score = 4 AND f_score = 1 THEN $segment_5
            WHEN r_score = 3 AND f_score = 3 THEN $segment_6
            WHEN r_score = 3 AND f_score BETWEEN 1 AND 2 THEN $segment_7
            WHEN r_score BETWEEN 1 AND 2 AND f_score BETWEEN 3 AND 4 THEN $segment_8
            WHEN r_score BETWEEN 1 AND 2 AND f_score = 5 THEN $segment_9
            WHEN r_score BETWEEN 1 AND 2 AND f_score BETWEEN 1 AND 2 THEN $segment_10
            ELSE $segment_11
        END AS segment
    FROM scored
)
SELECT
    customer_id, recency, frequency, monetary, first_purchase, last_purchase, lines, tenure,
    r_score, f_score, m_score, segment
FROM segmented;

-- $whitespace = "\t\n\u000B\f\r \u0085\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000"
-- $cancellation = "C"
-- $as_of = TIMESTAMP 2011-12-10 00:00:00.000000
WITH
-- Every row of the table: blank keys become null, the money is worked out.
source_rows AS (
    SELECT
        CASE
            WHEN CAST("CustomerID" AS VARCHAR) = '' THEN NULL
            WHEN POSITION(LEFT(CAST("CustomerID" AS VARCHAR), 1) IN $whitespace) = 0 THEN CAST("CustomerID" AS VARCHAR)
            WHEN trim(CAST("CustomerID" AS VARCHAR), $whitespace) = '' THEN NULL
            ELSE CAST("CustomerID" AS VARCHAR)
        END AS customer_id,
        CASE
            WHEN CAST("InvoiceNo" AS VARCHAR) = '' THEN NULL
            WHEN POSITION(LEFT(CAST("InvoiceNo" AS VARCHAR), 1) IN $whitespace) = 0 THEN CAST("InvoiceNo" AS VARCHAR)
            WHEN trim(CAST("InvoiceNo" AS VARCHAR), $whitespace) = '' THEN NULL
            ELSE CAST("InvoiceNo" AS VARCHAR)
        END AS order_id,
        CAST("InvoiceDate" AS TIMESTAMP) AS purchased_at,
        "Quantity" AS quantity,
        "UnitPrice" AS unit_price,
        "Quantity" * "UnitPrice" AS amount
    FROM "sales"."online_retail"
),
-- Why a row does not count, in the order the library checks (null: it counts). 101 and 102 make the input invalid.
classified AS (
    SELECT
        customer_id, order_id, purchased_at, amount,
        CASE
            WHEN customer_id IS NULL AND order_id IS NULL AND purchased_at IS NULL AND quantity IS NULL AND unit_price IS NULL THEN 8
            WHEN purchased_at IS NULL THEN 101
            WHEN amount IS NULL THEN 102
            WHEN customer_id IS NULL THEN 1
            WHEN POSITION($cancellation IN order_id) = 1 THEN 2
            WHEN quantity <= 0 THEN 3
            WHEN unit_price <= 0 THEN 4
            WHEN amount <= 0 THEN 5
            WHEN purchased_at > CAST($as_of AS TIMESTAMP) THEN 6
        END AS exclusion
    FROM source_rows
)
SELECT
    exclusion,
    COUNT(*) AS row_count,
    SUM(amount) AS amount,
    MAX(purchased_at) AS latest
FROM classified
GROUP BY exclusion;
