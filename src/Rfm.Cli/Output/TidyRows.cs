using System.Globalization;
using System.Text.Json;

namespace Rfm.Cli.Output;

/// <summary>
/// Rows of named values as CSV or as a JSON array of objects: null is an empty field or null, numbers are invariant and
/// round-trip (money exact, rates as the shortest text that reads back to the same double).
/// </summary>
internal static class TidyRows
{
    public static void WriteCsv(TextWriter writer, IReadOnlyList<string> columns, IEnumerable<object?[]> rows)
    {
        writer.Write(string.Join(',', columns));
        writer.Write('\n');
        foreach (var row in rows)
        {
            writer.Write(string.Join(',', row.Select(Text)));
            writer.Write('\n');
        }
    }

    public static void WriteJson(Stream stream, IReadOnlyList<string> columns, IEnumerable<object?[]> rows)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartArray();
        foreach (var row in rows)
        {
            json.WriteStartObject();
            for (var i = 0; i < columns.Count; i++)
            {
                json.WritePropertyName(columns[i]);
                WriteValue(json, row[i]);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case int number:
                json.WriteNumberValue(number);
                break;
            case long number:
                json.WriteNumberValue(number);
                break;
            case decimal money:
                json.WriteNumberValue(money);
                break;
            case double rate:
                json.WriteNumberValue(rate);
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static string Text(object? value) => value switch
    {
        null => string.Empty,
        bool flag => flag ? "true" : "false",
        double rate => rate.ToString("R", CultureInfo.InvariantCulture),
        string text => CustomerWriter.CsvField(text),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => CustomerWriter.CsvField(value.ToString() ?? string.Empty),
    };
}
