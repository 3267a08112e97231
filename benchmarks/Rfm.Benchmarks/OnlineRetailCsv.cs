using System.Globalization;
using System.Text;

namespace Rfm.Benchmarks;

/// <summary>
/// Writes <see cref="OnlineRetailGenerator"/>'s rows as an Online Retail II CSV file: the UCI column names,
/// <c>yyyy-MM-dd HH:mm:ss</c> dates, prices with two decimals, integer quantities and customer ids (empty for a
/// missing customer), descriptions quoted when they hold a comma (RFC 4180), LF line endings.
/// </summary>
/// <remarks>
/// Rows are formatted straight into a byte buffer as they are generated and never held, so the file can be far
/// larger than memory (100 million rows make about 8.8 GB). The same arguments always give the same bytes.
/// </remarks>
internal static class OnlineRetailCsv
{
    /// <summary>The header line, as in the UCI Online Retail II file.</summary>
    public const string Header = "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country";

    private const string DateFormat = "yyyy-MM-dd HH:mm:ss";
    private const int BufferSize = 1 << 20;

    /// <summary>Writes a generated file, replacing any file at <paramref name="path"/>.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="rows">How many data rows.</param>
    /// <param name="customers">The size of the customer pool.</param>
    /// <param name="seed">The random seed.</param>
    /// <param name="maxLines">The most lines an invoice has (see <see cref="OnlineRetailGenerator.Lines"/>).</param>
    public static void Write(
        string path, long rows, int customers, int seed = OnlineRetailGenerator.DefaultSeed, int maxLines = OnlineRetailGenerator.DefaultMaxLines)
    {
        // The writer does its own buffering, so the file stream needs none.
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        Write(file, rows, customers, seed, maxLines);
    }

    /// <summary>Writes generated rows, header first, to a stream.</summary>
    /// <param name="stream">Where to write; left open.</param>
    /// <param name="rows">How many data rows.</param>
    /// <param name="customers">The size of the customer pool.</param>
    /// <param name="seed">The random seed.</param>
    /// <param name="maxLines">The most lines an invoice has (see <see cref="OnlineRetailGenerator.Lines"/>).</param>
    public static void Write(
        Stream stream, long rows, int customers, int seed = OnlineRetailGenerator.DefaultSeed, int maxLines = OnlineRetailGenerator.DefaultMaxLines)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var lines = OnlineRetailGenerator.Lines(rows, customers, seed, maxLines);

        // The fixed text of each product and country, encoded once: ",StockCode,Description," and ",Country\n".
        var products = OnlineRetailGenerator.Products
            .Select(p => Encoding.UTF8.GetBytes($",{p.StockCode},{Field(p.Description)},"))
            .ToArray();
        var countries = OnlineRetailGenerator.Countries.Select(c => Encoding.UTF8.GetBytes($",{Field(c)}\n")).ToArray();

        // Room for the longest possible line: the fixed parts plus the numbers and the date.
        var longestLine = products.Max(p => p.Length) + countries.Max(c => c.Length) + 96;
        var buffer = new byte[BufferSize];
        var used = Encoding.UTF8.GetBytes(Header + "\n", buffer);

        var date = new byte[DateFormat.Length];
        var dateOf = DateTime.MinValue;
        foreach (var line in lines)
        {
            if (buffer.Length - used < longestLine)
            {
                stream.Write(buffer, 0, used);
                used = 0;
            }

            // Every line of an invoice has its date; format it once per invoice.
            if (line.Timestamp != dateOf)
            {
                dateOf = line.Timestamp;
                Check(dateOf.TryFormat(date, out _, DateFormat, CultureInfo.InvariantCulture));
            }

            var span = buffer.AsSpan(used);
            var at = 0;
            if (line.Cancelled)
            {
                span[at++] = (byte)'C';
            }

            at += Number(line.Invoice, span[at..]);
            at += Copy(products[line.Product], span[at..]);
            at += Number(line.Quantity, span[at..]);
            span[at++] = (byte)',';
            at += Copy(date, span[at..]);
            span[at++] = (byte)',';
            at += Number(line.PriceCents / 100, span[at..]);
            span[at++] = (byte)'.';
            span[at++] = (byte)('0' + (line.PriceCents / 10 % 10));
            span[at++] = (byte)('0' + (line.PriceCents % 10));
            span[at++] = (byte)',';
            if (line.HasCustomer)
            {
                at += Number(line.CustomerId, span[at..]);
            }

            at += Copy(countries[line.Country], span[at..]);
            used += at;
        }

        stream.Write(buffer, 0, used);
        stream.Flush();
    }

    /// <summary>A CSV field as RFC 4180 writes it: quoted when it holds a separator, a quote or a line break.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The field.</returns>
    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static int Number(int value, Span<byte> destination)
    {
        Check(value.TryFormat(destination, out var written, default, CultureInfo.InvariantCulture));
        return written;
    }

    private static int Copy(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        source.CopyTo(destination);
        return source.Length;
    }

    // The buffer always has room for a whole line, so a failed format is a bug here, not bad input.
    private static void Check(bool formatted)
    {
        if (!formatted)
        {
            throw new InvalidOperationException("A CSV line did not fit the buffer.");
        }
    }
}
