using System.Globalization;
using System.Text;
using Rfm.Cli;
using Rfm.Cli.Input;

namespace Rfm.Fuzz;

/// <summary>
/// The two CSV readers of <c>rfm analyze</c> on the same file: the byte-level reader either declines (leaving its
/// accumulator empty) or gives exactly what the general reader gives, and refuses only what the general reader refuses.
/// </summary>
internal static class CsvTarget
{
    private static readonly DateTime AsOf = new(2100, 1, 1);

    // The first byte picks the columns; the rest is the file.
    private static readonly TransactionColumns[] Layouts =
    [
        new() { Customer = "customer", Order = "order", Timestamp = "date", Amount = "amount" },
        new() { Customer = "customer", Order = "order", Timestamp = "date", Quantity = "quantity", UnitPrice = "price" },
        new() { Customer = "customer", Timestamp = "date", Amount = "amount" },
    ];

    public static void Run(byte[] data)
    {
        if (data.Length == 0)
        {
            return;
        }

        var columns = Layouts[data[0] % Layouts.Length];
        using var file = new TempInput(data.AsSpan(1), ".csv");
        var general = new RfmAccumulator(AsOf);
        var generalError = ReadGeneral(file.Path, columns, general);
        if (generalError is UsageException or InputException)
        {
            // Refused on opening, before either reader starts.
            return;
        }

        var fast = new RfmAccumulator(AsOf);
        bool accepted;
        using (var input = Open(file.Path))
        {
            try
            {
                accepted = input.TryReadFast(columns, fast, threads: 2, progress: null);
            }
            catch (Exception ex) when (IsUserError(input, ex))
            {
                if (generalError is null || generalError.GetType() != ex.GetType() || generalError.Message != ex.Message)
                {
                    throw new FuzzFaultException($"the byte-level reader refused with {ex.GetType().Name}: {ex.Message}; the general reader: {Describe(generalError)}");
                }

                return;
            }
        }

        if (!accepted)
        {
            if (fast.RowsRead != 0 || fast.CustomerCount != 0)
            {
                throw new FuzzFaultException($"the byte-level reader declined but kept {fast.RowsRead} rows");
            }

            return;
        }

        if (generalError is not null)
        {
            throw new FuzzFaultException($"the byte-level reader accepted a file the general reader refuses: {Describe(generalError)}");
        }

        var (expected, actual) = (Describe(general), Describe(fast));
        if (expected != actual)
        {
            throw new FuzzFaultException($"the readers differ:\ngeneral\n{expected}\nbyte-level\n{actual}");
        }
    }

    private static InputFile Open(string path) => InputFile.Open(path, sheet: null, delimiter: null, InputFile.EncodingNamed(null), Stream.Null);

    // What rfm analyze reports as a problem with the data (TransactionInput.Read), not as a fault of its own.
    private static bool IsUserError(InputFile input, Exception ex) =>
        ex is InputException or UsageException or TransactionDataException or OverflowException || input.IsReadFailure(ex);

    private static Exception? ReadGeneral(string path, TransactionColumns columns, RfmAccumulator accumulator)
    {
        InputFile input;
        try
        {
            input = Open(path);
        }
        catch (Exception ex) when (ex is UsageException or InputException)
        {
            return ex;
        }

        using (input)
        {
            try
            {
                accumulator.Add(input.Reader, columns);
                return null;
            }
            catch (Exception ex) when (IsUserError(input, ex))
            {
                return ex;
            }
        }
    }

    private static string Describe(Exception? ex) => ex is null ? "read it" : $"{ex.GetType().Name}: {ex.Message}";

    // Every customer and the account of the rows, decimals as they print (so 1.0 and 1.00 differ).
    private static string Describe(RfmAccumulator accumulator)
    {
        var snapshot = accumulator.Snapshot(AsOf);
        var text = new StringBuilder();
        foreach (var customer in snapshot.Customers)
        {
            text.AppendLine(customer.ToString());
        }

        var ingestion = snapshot.Ingestion;
        text.Append(CultureInfo.InvariantCulture, $"read {ingestion.RowsRead} {ingestion.AmountRead} used {ingestion.RowsUsed} {ingestion.AmountUsed} excluded {ingestion.RowsExcluded} {ingestion.AmountExcluded} customers {ingestion.Customers} latest {accumulator.LatestPurchase:O}\n");
        foreach (var exclusion in ingestion.Exclusions)
        {
            text.AppendLine(exclusion.ToString());
        }

        return text.ToString();
    }
}
