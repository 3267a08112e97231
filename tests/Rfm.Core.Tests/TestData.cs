using System.Globalization;
using System.IO.Compression;
using Sylvan.Data.Csv;

namespace Rfm.Tests;

/// <summary>The files the tests read, copied next to the test assembly by the project file.</summary>
internal static class TestData
{
    public static string OnlineRetailPath => Path.Combine(AppContext.BaseDirectory, "data", "online-retail", "online_retail.csv.gz");

    public static string GoldenPath(string name) => Path.Combine(AppContext.BaseDirectory, "golden", name);

    /// <summary>The bundled UCI Online Retail data through a real CSV data reader.</summary>
    public static CsvDataReader OpenOnlineRetail()
    {
        var text = new StreamReader(new GZipStream(File.OpenRead(OnlineRetailPath), CompressionMode.Decompress));
        return CsvDataReader.Create(text, new CsvDataReaderOptions { HasHeaders = true, Culture = CultureInfo.InvariantCulture });
    }

    /// <summary>A CSV text through a real CSV data reader: every value arrives as text.</summary>
    public static CsvDataReader Csv(string text) =>
        CsvDataReader.Create(new StringReader(text), new CsvDataReaderOptions { HasHeaders = true });
}
