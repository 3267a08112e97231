using System.CommandLine;
using Rfm.Cli.Output;

namespace Rfm.Cli.Commands;

/// <summary>
/// <c>rfm analyze [input] --state FILE</c>: the saved state (when the file exists) with the input added, scored as one,
/// and the new state to write once the reports are out.
/// </summary>
internal sealed class StateRun
{
    private const string Option = "--state";

    private readonly RfmAccumulator _accumulator;
    private readonly string _path;
    private readonly IReadOnlyList<CommandInput> _inputs;
    private readonly bool _changed;

    private StateRun(RfmAccumulator accumulator, string path, IReadOnlyList<CommandInput> inputs, bool changed, ScoredInput scored)
    {
        _accumulator = accumulator;
        _path = path;
        _inputs = inputs;
        _changed = changed;
        Scored = scored;
    }

    /// <summary>The union scored.</summary>
    public ScoredInput Scored { get; }

    /// <summary>
    /// Reads the state (when the file exists) and the input (when given), and scores the union as of
    /// <paramref name="asOf"/>, or the midnight after its latest purchase. Nothing is written.
    /// </summary>
    /// <exception cref="UsageException">
    /// The state's path is not a file's, or is the input; the state was made under another policy; or
    /// <paramref name="asOf"/> is before the latest purchase.
    /// </exception>
    /// <exception cref="InputException">The state cannot be read or is damaged, there is neither state nor input, the input cannot be read, or the union has no customer.</exception>
    public static StateRun Read(ParseResult parse, CliConsole console, RfmCalculator calculator, DateTime? asOf, string? input, string path)
    {
        AtomicFile.CheckPath(path, Option);
        IReadOnlyList<CommandInput> inputs = input is null or "-" ? [] : [new CommandInput(input, "the input file")];
        AtomicFile.RefuseInputs(path, inputs, Option);

        RfmAccumulator accumulator;
        if (File.Exists(path))
        {
            accumulator = Load(path, calculator.Policy);
        }
        else if (input is null)
        {
            throw new InputException($"{Option} {path}: no such file, and no input to add to it: give the input, or the path of a saved state.");
        }
        else
        {
            // No cut-off: every row is kept for the runs to come, whatever this run's analysis date.
            accumulator = calculator.CreateAccumulator();
        }

        var displayName = path;
        string? fullPath = null;
        string? layout = null;
        if (input is not null)
        {
            var read = TransactionInput.Read(parse, console, calculator, asOf: null, input, keepOrders: false, requireCustomers: false);
            try
            {
                accumulator.Merge(read.Accumulator);
            }
            catch (OverflowException ex)
            {
                throw new InputException($"{read.DisplayName}: adding it to {Option} {path}: {ex.Message}", ex);
            }

            displayName = $"{read.DisplayName} with state {path}";
            (fullPath, layout) = (read.FullPath, read.Layout);
        }

        if (accumulator.LatestPurchase is not { } latest)
        {
            throw TransactionInput.NoCustomer(displayName, accumulator.Snapshot(asOf ?? DateTime.UnixEpoch).Ingestion);
        }

        if (asOf is { } date && date < latest)
        {
            throw new UsageException(string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"--as-of {date:yyyy-MM-dd HH:mm:ss} is before the latest purchase of the state and the input ({latest:yyyy-MM-dd HH:mm:ss}): with {Option} every row is kept for later runs, none cut off, so the analysis date must be on or after it."));
        }

        var result = calculator.Score(accumulator.Snapshot(asOf ?? TransactionInput.NextMidnight(latest)));
        return new StateRun(accumulator, path, inputs, changed: input is not null, new ScoredInput(result, displayName, fullPath, layout));
    }

    /// <summary>Writes the new state in place of the old, atomically; a run without input leaves the file as it was.</summary>
    /// <exception cref="UsageException">The file cannot be written.</exception>
    /// <exception cref="InputException">An id cannot be saved.</exception>
    public void Write()
    {
        if (!_changed)
        {
            return;
        }

        try
        {
            AtomicFile.Write(_path, _inputs, _accumulator.Save, Option);
        }
        catch (InvalidOperationException ex)
        {
            throw new InputException($"{Option} {_path}: the state cannot be saved: {ex.Message}", ex);
        }
    }

    private static RfmAccumulator Load(string path, TransactionPolicy policy)
    {
        RfmAccumulator accumulator;
        try
        {
            using var stream = File.OpenRead(path);
            accumulator = RfmAccumulator.Load(stream, policy);
        }
        catch (ArgumentException ex) when (ex.ParamName == "policy")
        {
            throw new UsageException($"{Option} {path}: {ErrorMessages.Plain(ex)} Give the --preset and cancellation options of the runs that made it.");
        }
        catch (InvalidDataException ex)
        {
            throw new InputException($"{Option} {path}: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{Option} {path}: cannot be read: {ex.Message}", ex);
        }

        // The library can save an accumulator with a cut-off; the runs of this option keep every row, so such a state
        // would neither merge with them nor measure to a later date.
        if (accumulator.Cutoff is { } cutoff)
        {
            throw new InputException(string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"{Option} {path}: the state was saved with a cut-off ({cutoff:yyyy-MM-dd HH:mm:ss}), which drops later rows; {Option} keeps every row and needs a state saved without one (RfmAccumulator created without a cut-off, or by rfm analyze {Option})."));
        }

        return accumulator;
    }
}
