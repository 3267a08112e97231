using System.Text.Json;
using System.Text.Json.Serialization;
using Rfm.Cli.Output;
using Rfm.Segmentation;

namespace Rfm.Cli.Input;

/// <summary>
/// A file written by <c>rfm analyze --out</c>, read back as each customer's segment: CSV by its <c>customer_id</c> and
/// <c>segment</c> columns, or, for a <c>.json</c> name, the <c>customerId</c> and <c>segment</c> of its customers.
/// </summary>
internal static class ResultFile
{
    private const string CsvCustomer = "customer_id";
    private const string CsvSegment = "segment";

    /// <summary>Reads each customer's segment, checking that every customer is there once with a segment of the map.</summary>
    /// <exception cref="UsageException">The file does not exist, or is a folder.</exception>
    /// <exception cref="InputException">The file cannot be read as a result, or a row is wrong: the message names the line (or JSON element), the column and the value.</exception>
    public static KeyValuePair<string, Segment>[] ReadSegments(string path, ISegmentMap map)
    {
        InputFile.MustExist(path);
        var assignments = new Assignments(path, map);
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            ReadJson(path, assignments);
        }
        else
        {
            ReadCsv(path, assignments);
        }

        return assignments.ToArray();
    }

    private static void ReadCsv(string path, Assignments assignments)
    {
        using var input = InputFile.Open(path, sheet: null, delimiter: null, InputFile.EncodingNamed(null), Stream.Null);
        var reader = input.Reader;
        var header = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        if (header.Count > 0 && string.Equals(header[0].Trim(), "partition", StringComparison.OrdinalIgnoreCase))
        {
            // A customer id is unique within a partition only: read as one result, partitions would be mixed.
            throw new InputException(
                $"{input.DisplayName}: {input.Locate(0)}: a result of rfm analyze --partition-by (its first column is 'partition'), whose customers are unique per partition only; compare the partitions' own results (rfm analyze on each partition's rows).");
        }

        var customer = Column(header, CsvCustomer, input);
        var segment = Column(header, CsvSegment, input);

        long row = 0;
        try
        {
            while (reader.Read())
            {
                row++;
                var id = Text(reader, customer);
                var key = Text(reader, segment);
                if (id.Length == 0 && key.Length == 0 && Enumerable.Range(0, reader.FieldCount).All(i => Text(reader, i).Length == 0))
                {
                    // A blank line holds no customer, as in the transactions analyze reads.
                    continue;
                }

                assignments.Add(input.Locate(row), $"column '{CsvCustomer}'", id, $"column '{CsvSegment}'", key);
            }
        }
        catch (Exception ex) when (input.IsReadFailure(ex))
        {
            throw new InputException($"{input.DisplayName}: {input.Locate(row + 1)}: {InputFile.Describe(ex)}.", ex);
        }
    }

    // A field as text: CSV fields are text already; a worksheet cell may be a number.
    private static string Text(System.Data.IDataRecord record, int i) =>
        Convert.ToString(record.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;

    private static int Column(List<string> header, string name, InputFile input)
    {
        var index = header.FindIndex(column => string.Equals(column.Trim(), name, StringComparison.OrdinalIgnoreCase));
        return index >= 0
            ? index
            : throw new InputException(
                $"{input.DisplayName}: {input.Locate(0)}: no column '{name}' in the header ({string.Join(",", header)}); a result of rfm analyze --out has the header {CustomerWriter.CsvHeader}.");
    }

    private static void ReadJson(string path, Assignments assignments)
    {
        ResultJson? result;
        try
        {
            using var file = BoundedInput.Json(path);
            result = JsonSerializer.Deserialize(file, ResultJsonContext.Default.ResultJson);
        }
        catch (JsonException ex)
        {
            // The serializer's message ends with where it was, said below once, and may name the reader's own types
            // (a duplicate key's message ends with one).
            var problem = ex.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
                ? "a value is not of the kind expected (an object whose \"customers\" each have a customerId and a segment, as strings)"
                : ex.Message.Split(" Path: ")[0].Split(" LineNumber: ")[0].Split(" of type '")[0].TrimEnd('.', ' ');
            var where = string.Join(", ", new[] { ex.LineNumber is { } line ? $"line {line + 1}" : null, ex.Path is { } at ? $"at {at}" : null }.OfType<string>());
            throw new InputException($"{path}: {(where.Length > 0 ? where + ": " : string.Empty)}not a result of rfm analyze --out: {problem}.", ex);
        }

        if (result?.Customers is not { } customers)
        {
            throw new InputException($"{path}: no \"customers\" array; a result of rfm analyze --out in JSON has one.");
        }

        for (var i = 0; i < customers.Count; i++)
        {
            var location = $"customers[{i}]";
            if (customers[i] is not { } customer)
            {
                throw new InputException($"{path}: {location}: a customer is null; expected an object with \"customerId\" and \"segment\".");
            }

            assignments.Add(location, "field 'customerId'", customer.CustomerId, "field 'segment'", customer.Segment);
        }
    }

    /// <summary>The customers read so far, each once, with the map's segment their key names.</summary>
    private sealed class Assignments(string file, ISegmentMap map)
    {
        private readonly Dictionary<string, Segment> _byKey = map.Segments.DistinctBy(s => s.Key).ToDictionary(s => s.Key, StringComparer.Ordinal);
        private readonly Dictionary<string, string> _seen = new(StringComparer.Ordinal);
        private readonly List<KeyValuePair<string, Segment>> _read = [];

        /// <summary>Adds a customer read at <paramref name="location"/>; the columns are named as the file's kind names them.</summary>
        public void Add(string location, string idColumn, string? id, string segmentColumn, string? key)
        {
            if (string.IsNullOrEmpty(id))
            {
                throw new InputException($"{file}: {location}, {idColumn}: the customer id is {(id is null ? "missing" : "empty")}.");
            }

            if (!_seen.TryAdd(id, location))
            {
                throw new InputException($"{file}: {location}, {idColumn}: customer '{id}' appears twice (first at {_seen[id]}).");
            }

            if (key is null)
            {
                throw new InputException($"{file}: {location}, {segmentColumn}: customer '{id}' has no segment.");
            }

            if (!_byKey.TryGetValue(key, out var segment))
            {
                throw new InputException(
                    $"{file}: {location}, {segmentColumn}: segment '{key}' is not in the segment map '{map.Name}'; pass --segments with the map the results were made with.");
            }

            _read.Add(KeyValuePair.Create(id, segment));
        }

        public KeyValuePair<string, Segment>[] ToArray() => [.. _read];
    }
}

/// <summary>What <see cref="CustomerWriter.WriteJson(RfmResult, Analytics.SimpleClv?, Stream)"/> writes that a migration reads: the customers.</summary>
internal sealed record ResultJson(List<CustomerJson?>? Customers);

/// <summary>A customer of <see cref="ResultJson"/>: the id and the segment key.</summary>
internal sealed record CustomerJson(string? CustomerId, string? Segment);

// A key given twice would silently take its last value (all customers "gone" for a second "customers").
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ResultJson))]
internal sealed partial class ResultJsonContext : JsonSerializerContext;
