using System.Globalization;
using System.Text;
using System.Text.Json;
using Rfm.Analytics;

namespace Rfm.Cli.Output;

/// <summary>Writes the per-customer result as CSV or JSON.</summary>
internal static class CustomerWriter
{
    public const string CsvHeader = "customer_id,recency,frequency,monetary,r,f,m,segment";

    /// <summary>The per-customer CSV; with <paramref name="clv"/> (made from the same customers, in order), two more columns, <c>clv,clv_segment</c>.</summary>
    public static void WriteCsv(RfmResult result, SimpleClv? clv, TextWriter writer) => WriteCsv(result, clv, writer, partition: null, header: true);

    /// <summary>
    /// The per-customer CSV of each partition in turn, under one header whose first column is <c>partition</c>; with
    /// <paramref name="clv"/> (one per partition, in order, null for a partition without customers), <c>clv,clv_segment</c>.
    /// </summary>
    public static void WriteCsv(PartitionedResult result, IReadOnlyList<SimpleClv?>? clv, TextWriter writer)
    {
        writer.Write("partition,");
        writer.Write(CsvHeader);
        writer.Write(clv is null ? "\n" : ",clv,clv_segment\n");
        for (var p = 0; p < result.Partitions.Length; p++)
        {
            var (name, partition) = result.Partitions[p];
            WriteCsv(partition, clv?[p], writer, name, header: false);
        }
    }

    private static void WriteCsv(RfmResult result, SimpleClv? clv, TextWriter writer, string? partition, bool header)
    {
        if (header)
        {
            writer.Write(CsvHeader);
            writer.Write(clv is null ? "\n" : ",clv,clv_segment\n");
        }

        var prefix = partition is null ? string.Empty : CsvField(partition) + ",";
        var line = new StringBuilder();
        for (var i = 0; i < result.Customers.Length; i++)
        {
            var customer = result.Customers[i];
            var metrics = customer.Metrics;
            line.Clear()
                .Append(prefix)
                .Append(CsvField(customer.CustomerId)).Append(',')
                .Append(metrics.Recency.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(metrics.Frequency.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(metrics.Monetary.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(customer.Score.R.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(customer.Score.F.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(customer.Score.M.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(CsvField(customer.Segment.Key));
            if (clv is not null)
            {
                line.Append(',').Append(clv.Customers[i].Clv.ToString(CultureInfo.InvariantCulture)).Append(',').Append(clv.Customers[i].ClvSegment);
            }

            writer.Write(line.Append('\n'));
        }
    }

    /// <summary>The whole result as JSON; with <paramref name="clv"/>, its figures and each customer's <c>clv</c> and <c>clvSegment</c>.</summary>
    public static void WriteJson(RfmResult result, SimpleClv? clv, Stream stream)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        WriteResult(json, result, clv, partition: null);
        json.WriteEndObject();
    }

    /// <summary>
    /// The analysis date and one object per partition: <c>partition</c>, then what <see cref="WriteJson(RfmResult, SimpleClv?, Stream)"/>
    /// writes for that partition alone, each customer with its <c>partition</c> first.
    /// </summary>
    public static void WriteJson(PartitionedResult result, IReadOnlyList<SimpleClv?>? clv, Stream stream)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("asOf", result.AsOf.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
        json.WriteStartArray("partitions");
        for (var p = 0; p < result.Partitions.Length; p++)
        {
            var (name, partition) = result.Partitions[p];
            json.WriteStartObject();
            json.WriteString("partition", name);
            WriteResult(json, partition, clv?[p], name);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter json, RfmResult result, SimpleClv? clv, string? partition)
    {
        json.WriteString("asOf", result.AsOf.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));

        json.WriteStartObject("ingestion");
        json.WriteNumber("rowsRead", result.Ingestion.RowsRead);
        json.WriteNumber("amountRead", result.Ingestion.AmountRead);
        json.WriteNumber("rowsUsed", result.Ingestion.RowsUsed);
        json.WriteNumber("amountUsed", result.Ingestion.AmountUsed);
        json.WriteNumber("customers", result.Ingestion.Customers);
        json.WriteStartArray("excluded");
        foreach (var exclusion in result.Ingestion.Exclusions)
        {
            json.WriteStartObject();
            json.WriteString("reason", exclusion.Reason.ToString());
            json.WriteNumber("rows", exclusion.Rows);
            json.WriteNumber("amount", exclusion.Amount);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteStartArray("scoring");
        foreach (var metric in result.Scoring)
        {
            json.WriteStartObject();
            json.WriteString("metric", metric.Metric.ToString().ToLowerInvariant());
            json.WriteString("strategy", metric.Strategy);
            json.WriteNumber("bins", metric.Bins);
            json.WriteStartArray("edges");
            foreach (var edge in metric.Edges)
            {
                json.WriteNumberValue(edge);
            }

            json.WriteEndArray();
            json.WriteStartArray("bands");
            foreach (var band in metric.Bands)
            {
                json.WriteStartObject();
                json.WriteNumber("score", band.Score);
                json.WriteNumber("customers", band.Customers);
                json.WriteNumber("min", band.Min);
                json.WriteNumber("max", band.Max);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("segments");
        foreach (var segment in result.Segments)
        {
            json.WriteStartObject();
            json.WriteString("key", segment.Segment.Key);
            json.WriteString("name", segment.Segment.Name);
            json.WriteString("suggestedAction", segment.Segment.SuggestedAction);
            json.WriteString("suggestedChannel", segment.Segment.SuggestedChannel);
            json.WriteNumber("customers", segment.Customers);
            json.WriteNumber("share", segment.Share);
            json.WriteNumber("meanRecency", segment.MeanRecency);
            json.WriteNumber("meanFrequency", segment.MeanFrequency);
            json.WriteNumber("meanMonetary", segment.MeanMonetary);
            json.WriteNumber("revenue", segment.TotalMonetary);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        if (clv is not null)
        {
            json.WriteStartObject("clv");
            json.WriteNumber("margin", clv.Margin);
            json.WriteNumber("repeatCustomers", clv.RepeatCustomers);
            json.WriteNumber("churnRate", clv.ChurnRate);
            json.WriteStartArray("quartileEdges");
            foreach (var edge in clv.QuartileEdges)
            {
                json.WriteNumberValue(edge);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteStartArray("customers");
        for (var i = 0; i < result.Customers.Length; i++)
        {
            var customer = result.Customers[i];
            json.WriteStartObject();
            if (partition is not null)
            {
                json.WriteString("partition", partition);
            }

            json.WriteString("customerId", customer.CustomerId);
            json.WriteNumber("recency", customer.Metrics.Recency);
            json.WriteNumber("frequency", customer.Metrics.Frequency);
            json.WriteNumber("monetary", customer.Metrics.Monetary);
            json.WriteNumber("r", customer.Score.R);
            json.WriteNumber("f", customer.Score.F);
            json.WriteNumber("m", customer.Score.M);
            json.WriteString("segment", customer.Segment.Key);
            if (clv is not null)
            {
                json.WriteNumber("clv", clv.Customers[i].Clv);
                json.WriteString("clvSegment", clv.Customers[i].ClvSegment);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    // RFC 4180: quote a field that holds a separator, a quote or a line break; double the quotes inside.
    public static string CsvField(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
