// Analyses the bundled UCI Online Retail data (or another file with the same columns).
// Usage: dotnet run --project samples/OnlineRetail -- [default|tutorial] [as-of yyyy-MM-dd] [file.csv[.gz]]
using System.Globalization;
using System.IO.Compression;
using Rfm;
using Sylvan.Data.Csv;

var invariant = CultureInfo.InvariantCulture;
var preset = args.Length > 0 ? args[0] : "tutorial";
var calculator = preset switch
{
    "default" => RfmCalculator.Default,
    "tutorial" => RfmCalculator.Tutorial,
    _ => null,
};
if (calculator is null)
{
    Console.Error.WriteLine($"Unknown preset '{preset}': use 'default' or 'tutorial'.");
    return 2;
}

var asOf = args.Length > 1 ? DateTime.ParseExact(args[1], "yyyy-MM-dd", invariant) : new DateTime(2011, 12, 11);
var path = args.Length > 2 ? args[2] : Path.Combine(AppContext.BaseDirectory, "online_retail.csv.gz");

using var file = File.OpenRead(path);
using var text = new StreamReader(path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file);
using var reader = CsvDataReader.Create(text);

RfmResult result;
try
{
    result = calculator.Calculate(reader, TransactionColumns.OnlineRetail, asOf);
}
catch (TransactionDataException ex)
{
    Console.Error.WriteLine($"{Path.GetFileName(path)}: {ex.Message}");
    return 1;
}

var ingestion = result.Ingestion;
Console.WriteLine($"{Path.GetFileName(path)}, preset '{preset}', as of {asOf:yyyy-MM-dd}");
Console.WriteLine($"rows read {ingestion.RowsRead:N0} ({ingestion.AmountRead:N2}), used {ingestion.RowsUsed:N0} ({ingestion.AmountUsed:N2}), customers {ingestion.Customers:N0}");
foreach (var exclusion in ingestion.Exclusions.Where(e => e.Rows > 0))
{
    Console.WriteLine($"  excluded {exclusion.Reason,-25} {exclusion.Rows,9:N0} rows {exclusion.Amount,16:N2}");
}

Console.WriteLine();
Console.WriteLine($"{"segment",-22}{"customers",10}{"share",8}{"recency",9}{"frequency",11}{"monetary",12}{"revenue",15}");
foreach (var segment in result.Segments)
{
    Console.WriteLine(string.Create(
        invariant,
        $"{segment.Segment.Key,-22}{segment.Customers,10:N0}{segment.Share,8:P1}{segment.MeanRecency,9:N1}{segment.MeanFrequency,11:N1}{segment.MeanMonetary,12:N2}{segment.TotalMonetary,15:N2}"));
}

Console.WriteLine();
foreach (var metric in result.Scoring)
{
    var bands = string.Join("  ", metric.Bands.Select(b => string.Create(invariant, $"{b.Score}: {b.Min}..{b.Max} ({b.Customers})")));
    Console.WriteLine($"{metric.Metric,-9} {metric.Strategy,-13} {bands}");
}

return 0;
