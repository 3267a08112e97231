using System.CommandLine;
using System.Globalization;
using Rfm.Cli.Input;
using Rfm.Cli.Output;
using Rfm.Segmentation;

namespace Rfm.Cli.Commands;

/// <summary>What every command that reads transactions shares: its input and column options, the calculator they choose, and the read.</summary>
internal static class TransactionInput
{
    public static readonly Argument<string> Input = new("input") { Description = "The transactions: a .csv, .csv.gz or .xlsx file, or - for standard input." };
    public static readonly Option<string> Preset = new("--preset") { Description = "default or tutorial (the classic pandas pipeline).", DefaultValueFactory = _ => "default" };
    public static readonly Option<string?> Bins = new("--bins") { Description = "The number of scores, 2 to 10. Default: the preset's (5)." };
    public static readonly Option<string?> Scoring = new("--scoring") { Description = "quantile, rank-quantile or fixed:a/b/c/d for all metrics, or three of them for R,F,M separated by commas." };
    public static readonly Option<string?> Segments = new("--segments") { Description = "A built-in segment map (classic, eleven-segments) or a JSON file of rules. Default: the preset's (classic)." };
    public static readonly Option<bool> Quiet = new("--quiet", "-q") { Description = "No progress on standard error." };
    public static readonly Option<string?> Customer = new("--customer") { Description = "The customer id column." };
    public static readonly Option<string?> Order = new("--order") { Description = "The order (invoice) id column." };
    public static readonly Option<string?> Date = new("--date") { Description = "The purchase date column." };
    public static readonly Option<string?> Amount = new("--amount") { Description = "The amount column (instead of --quantity and --price)." };
    public static readonly Option<string?> Quantity = new("--quantity") { Description = "The quantity column, with --price." };
    public static readonly Option<string?> Price = new("--price") { Description = "The unit price column, with --quantity." };
    public static readonly Option<string?> DateFormat = new("--date-format") { Description = "The exact format of text dates, e.g. dd/MM/yyyy HH:mm. Default: ISO 8601." };
    public static readonly Option<string?> Sheet = new("--sheet") { Description = "The worksheet of an .xlsx workbook. Default: the first." };
    public static readonly Option<string?> Delimiter = new("--delimiter") { Description = "The CSV separator: one character, or tab. Default: detected from the header (comma, semicolon, tab, pipe)." };
    public static readonly Option<string?> Threads = new("--threads") { Description = "How many cores read a CSV file at once; the results are the same for any number. Default: all." };
    public static readonly Option<string?> CancellationPrefix = new("--cancellation-prefix") { Description = "Order ids that start with this text (case-sensitive) are cancellations. Default: the preset's (C for default)." };
    public static readonly Option<string?> CancellationContains = new("--cancellation-contains") { Description = "Order ids that contain this text (case-sensitive) are cancellations, as in the tutorial preset (with C)." };
    public static readonly Option<bool> KeepCancellations = new("--keep-cancellations") { Description = "No order id marks a cancellation: every row is read as a sale or a return (the preset's other exclusions still apply)." };
    public static readonly Option<string?> Encoding = new("--encoding") { Description = "The text encoding of CSV input, e.g. windows-1252 or latin1. Default: UTF-8, strictly, with or without a byte-order mark (UTF-16 needs --encoding utf-16)." };

    /// <summary>Adds the options every command that scores transactions takes (its input argument apart).</summary>
    public static void AddOptions(Command command)
    {
        command.Options.Add(Bins);
        command.Options.Add(Scoring);
        command.Options.Add(Segments);
        AddInputOptions(command);
    }

    /// <summary>Adds the options that say how transactions are read and which count: the columns, the file and the preset's policy.</summary>
    public static void AddInputOptions(Command command)
    {
        Option[] options = [Preset, CancellationPrefix, CancellationContains, KeepCancellations, Quiet, Customer, Order, Date, Amount, Quantity, Price, DateFormat, Sheet, Delimiter, Encoding, Threads];
        foreach (var option in options)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The preset's calculator with the cancellation options, for commands that only count rows: its policy decides which rows count.</summary>
    public static RfmCalculator ChoosePresetCalculator(ParseResult parse) => Build(PolicyOptions(parse), parse);

    /// <summary>
    /// The calculator the preset, the cancellation options, --bins, --scoring and --segments describe, built through the
    /// core's options (the path the DI package takes too), and the preset's name.
    /// </summary>
    public static (RfmCalculator Calculator, string Preset) ChooseCalculator(ParseResult parse)
    {
        var options = PolicyOptions(parse);
        options.Bins = CliText.Bins(parse.GetValue(Bins));
        if (parse.GetValue(Scoring) is { } text)
        {
            var parts = text.Split(',', StringSplitOptions.TrimEntries);
            switch (parts.Length)
            {
                case 1:
                    options.Scoring = parts[0];
                    break;
                case 3:
                    (options.RecencyScoring, options.FrequencyScoring, options.MonetaryScoring) = (parts[0], parts[1], parts[2]);
                    break;
                default:
                    throw new UsageException($"--scoring takes one strategy for all metrics or three for R,F,M; got {parts.Length}.");
            }
        }

        if (parse.GetValue(Segments) is { } segments)
        {
            // A JSON file's map joins the options as a map of the application's own, chosen by its name.
            var map = SegmentMapSource.Load(segments, "--segments");
            options.CustomSegmentMaps.Add(map);
            options.SegmentMap = map.Name;
        }

        return (Build(options, parse), options.Preset);
    }

    // The preset (checked here, for its message) and the cancellation rule the options give.
    private static RfmCalculatorOptions PolicyOptions(ParseResult parse)
    {
        var options = new RfmCalculatorOptions { Preset = ChoosePreset(parse).Name };
        var prefix = parse.GetValue(CancellationPrefix);
        var contains = parse.GetValue(CancellationContains);
        var keep = parse.GetValue(KeepCancellations);
        if ((prefix is null ? 0 : 1) + (contains is null ? 0 : 1) + (keep ? 1 : 0) > 1)
        {
            throw new UsageException("Give one of --cancellation-prefix, --cancellation-contains and --keep-cancellations.");
        }

        foreach (var (option, value) in new[] { (CancellationPrefix, prefix), (CancellationContains, contains) })
        {
            if (value is { Length: 0 })
            {
                throw new UsageException($"{option.Name}: the text is empty.");
            }
        }

        options.Cancellations = prefix is not null ? $"starts-with:{prefix}" : contains is not null ? $"contains:{contains}" : keep ? "none" : null;
        return options;
    }

    // Every problem the options report, each named by the command-line option it came from, on one line as parse errors are.
    private static RfmCalculator Build(RfmCalculatorOptions options, ParseResult parse)
    {
        var errors = options.Validate();
        if (errors.IsEmpty)
        {
            return options.Build();
        }

        var bins = options.Bins ?? RfmCalculator.Presets[options.Preset].Scoring.Bins;
        var cancellation = parse.GetValue(CancellationPrefix) is not null ? CancellationPrefix.Name : CancellationContains.Name;
        throw new UsageException(string.Join(" ", errors.Select(error => error.Setting switch
        {
            nameof(RfmCalculatorOptions.Bins) => $"--bins: {error.Message}",
            nameof(RfmCalculatorOptions.SegmentMap) => $"{error.Message} (--segments)",
            nameof(RfmCalculatorOptions.Cancellations) => $"{cancellation}: {error.Message}",
            nameof(RfmCalculatorOptions.Preset) => $"--preset: {error.Message}",
            _ when error.Setting.StartsWith("Bins and ", StringComparison.Ordinal) => $"--scoring with --bins {bins}: {error.Message}",
            _ => $"--scoring: {error.Message}",
        })));
    }

    /// <summary>The segment map --segments names, or the preset's.</summary>
    public static ISegmentMap ChooseSegmentMap(ParseResult parse) => ChooseSegmentMap(parse, ChoosePreset(parse).Preset);

    private static ISegmentMap ChooseSegmentMap(ParseResult parse, RfmCalculator preset) =>
        parse.GetValue(Segments) is { } map ? SegmentMapSource.Load(map, "--segments") : preset.SegmentMap;

    private static (RfmCalculator Preset, string Name) ChoosePreset(ParseResult parse)
    {
        var name = parse.GetValue(Preset)!;
        return RfmCalculator.Presets.TryGetValue(name, out var preset)
            ? (preset, name)
            : throw new UsageException($"Unknown preset '{name}': use {string.Join(" or ", RfmCalculator.Presets.Keys.Order())}.");
    }

    /// <summary>
    /// Opens the input, reads every row and scores the customers as of <paramref name="asOf"/>, or, without one, as of
    /// midnight after the last purchase used.
    /// </summary>
    /// <exception cref="UsageException">An option is wrong.</exception>
    /// <exception cref="InputException">The input cannot be read, or leaves no customer.</exception>
    public static ScoredInput ReadAndScore(ParseResult parse, CliConsole console, RfmCalculator calculator, DateTime? asOf, string path)
    {
        var read = Read(parse, console, calculator, asOf, path, keepOrders: false);
        var result = calculator.Score(read.Accumulator.Snapshot(read.AsOf));
        return new ScoredInput(result, read.DisplayName, read.FullPath, read.Layout);
    }

    /// <summary>
    /// Runs the whole pipeline inside DuckDB (<c>--engine duckdb</c>) over the rows the in-memory engine's reader reads,
    /// with the same columns, presets and options, and the same result. Whatever the DuckDB engine refuses, the
    /// in-memory engine is asked about, and its error is the one thrown: the two engines refuse alike.
    /// </summary>
    /// <exception cref="UsageException">An option is wrong, one the DuckDB engine cannot honour, or the input is a workbook.</exception>
    /// <exception cref="InputException">The input cannot be read, or leaves no customer.</exception>
    public static ScoredInput ScoreWithDuckDb(ParseResult parse, CliConsole console, RfmCalculator calculator, DateTime? asOf, string path)
    {
        var flags = Flags(parse);
        var threads = ParseThreads(parse.GetValue(Threads));
        var encoding = InputFile.EncodingNamed(parse.GetValue(Encoding));
        var delimiter = ParseDelimiter(parse.GetValue(Delimiter));

        // Standard input and a pipe are kept in a temporary file, so that the in-memory engine can read them again to
        // explain a refusal.
        using var spooled = path == "-" ? SpooledInput.Copy(console.In) : SpooledInput.CopyIfPipe(path);
        Func<string, FileStream>? openFile = spooled is null || path == "-" ? null : _ => spooled.Open();
        using var firstRead = path == "-" ? spooled!.Open() : null;
        Exception refusal;
        TransactionColumns columns;
        string displayName;
        using (var input = InputFile.Open(path, parse.GetValue(Sheet), delimiter, encoding, firstRead ?? console.In, openFile))
        {
            if (input.IsWorkbook)
            {
                throw new UsageException("--engine duckdb reads CSV text; use the in-memory engine for workbooks.");
            }

            (columns, var layout) = ColumnMapping.Choose(input.Reader, flags);
            displayName = input.DisplayName;
            var progress = console.ShowProgress && !parse.GetValue(Quiet) ? new ProgressLine(console.Terminal, input.FractionRead) : null;
            try
            {
                var result = Engines.DuckDbEngine.Analyze(input, columns, threads, calculator, asOf, progress);
                if (result.Customers.IsEmpty)
                {
                    throw NoCustomer(input.DisplayName, result.Ingestion);
                }

                return new ScoredInput(result, input.DisplayName, input.FullPath, layout);
            }
            catch (NotSupportedException ex)
            {
                throw new UsageException($"--engine duckdb: {ex.Message}");
            }
            catch (Exception ex) when (Engines.DuckDbEngine.IsRefusal(ex, input))
            {
                refusal = ex;
            }
            finally
            {
                progress?.Clear();
            }
        }

        // The in-memory engine reads the same input with the same options and throws its own error; only if it finds
        // nothing wrong (a fault of this engine) is the DuckDB engine's own refusal reported.
        using var secondRead = path == "-" ? spooled!.Open() : null;
        Read(parse, console with { In = secondRead ?? console.In, ShowProgress = false }, calculator, asOf, path, keepOrders: false, openFile: openFile);
        throw Engines.DuckDbEngine.Describe(refusal, displayName, columns);
    }

    private static ColumnFlags Flags(ParseResult parse)
    {
        var flags = new ColumnFlags(
            parse.GetValue(Customer), parse.GetValue(Order), parse.GetValue(Date), parse.GetValue(Amount),
            parse.GetValue(Quantity), parse.GetValue(Price), parse.GetValue(DateFormat));
        flags.CheckNotEmpty();
        return flags;
    }

    /// <summary>
    /// Opens the input and reads every row into an accumulator (keeping every order when asked), and works out the
    /// analysis date: <paramref name="asOf"/>, or <paramref name="nextMidnight"/> of the last purchase used (by default
    /// the midnight after it on the timestamps' own clock). <paramref name="openFile"/> opens a copy of a pipe read
    /// before (see <see cref="InputFile.Open"/>). With <paramref name="requireCustomers"/> off, an input that leaves no
    /// customer is read all the same (its analysis date is then <paramref name="asOf"/> or none).
    /// </summary>
    /// <exception cref="UsageException">An option is wrong.</exception>
    /// <exception cref="InputException">The input cannot be read, or leaves no customer.</exception>
    public static ReadInput Read(
        ParseResult parse,
        CliConsole console,
        RfmCalculator calculator,
        DateTime? asOf,
        string path,
        bool keepOrders,
        Func<DateTime, DateTime>? nextMidnight = null,
        Func<string, FileStream>? openFile = null,
        bool requireCustomers = true)
    {
        var flags = Flags(parse);
        var threads = ParseThreads(parse.GetValue(Threads));
        var encoding = InputFile.EncodingNamed(parse.GetValue(Encoding));
        using var input = InputFile.Open(path, parse.GetValue(Sheet), ParseDelimiter(parse.GetValue(Delimiter)), encoding, console.In, openFile);
        var (columns, layout) = ColumnMapping.Choose(input.Reader, flags);

        // Read without a cut-off when no date is given, then measure from the day after the last purchase.
        var accumulator = calculator.CreateAccumulator(asOf, keepOrders);
        Read(input, columns, accumulator, threads, console.ShowProgress && !parse.GetValue(Quiet) ? new ProgressLine(console.Terminal, input.FractionRead) : null);
        if (accumulator.CustomerCount == 0)
        {
            if (!requireCustomers)
            {
                return new ReadInput(accumulator, asOf ?? default, input.DisplayName, input.FullPath, layout);
            }

            throw NoCustomer(input.DisplayName, accumulator.Snapshot(asOf ?? DateTime.UnixEpoch).Ingestion);
        }

        var measuredAt = asOf ?? (nextMidnight ?? NextMidnight)(accumulator.LatestPurchase!.Value);
        return new ReadInput(accumulator, measuredAt, input.DisplayName, input.FullPath, layout);
    }

    /// <summary>The error for an input that leaves no customer: how many rows were read and why each was excluded.</summary>
    public static InputException NoCustomer(string input, IngestionSummary ingestion)
    {
        var reasons = string.Join(", ", ingestion.Exclusions.Where(e => e.Rows > 0).Select(e => $"{e.Rows:N0} {SummaryTable.Words(e.Reason)}"));
        return new InputException($"{input}: no customer to analyse: {ingestion.RowsRead:N0} rows read{(reasons.Length > 0 ? $", excluded: {reasons}" : string.Empty)}.");
    }

    /// <summary>The midnight after a purchase, the default analysis date.</summary>
    /// <exception cref="UsageException">The purchase is on the calendar's last day, which has no midnight after it.</exception>
    public static DateTime NextMidnight(DateTime purchase) =>
        purchase.Date == DateTime.MaxValue.Date ? throw NoMidnightAfter(purchase) : purchase.Date.AddDays(1);

    /// <summary>The error for a last purchase on 9999-12-31: no analysis date can follow it, so one must be given.</summary>
    public static UsageException NoMidnightAfter(DateTime purchase) =>
        new($"the last purchase used is on {purchase:yyyy-MM-dd}, the calendar's last day, so no midnight follows it: give --as-of.");

    /// <summary>
    /// Opens the input and reads every row into the accumulator of its partition (the value of
    /// <paramref name="partitionColumn"/>), then scores each partition as of <paramref name="asOf"/> or, without one, as of
    /// midnight after the last purchase used in any partition: one analysis date for every partition.
    /// </summary>
    /// <exception cref="UsageException">An option is wrong.</exception>
    /// <exception cref="InputException">The input cannot be read, has no such column, or leaves no customer in any partition.</exception>
    public static PartitionedInput ReadAndScoreByPartition(ParseResult parse, CliConsole console, RfmCalculator calculator, DateTime? asOf, string path, string partitionColumn)
    {
        var flags = Flags(parse);
        var encoding = InputFile.EncodingNamed(parse.GetValue(Encoding));
        using var input = InputFile.Open(path, parse.GetValue(Sheet), ParseDelimiter(parse.GetValue(Delimiter)), encoding, console.In);
        var (columns, layout) = ColumnMapping.Choose(input.Reader, flags);
        columns = columns with { Partition = partitionColumn };

        // The byte reader reads into one accumulator: partitions take the general reader.
        var partitions = calculator.CreatePartitionedAccumulator(asOf);
        var progress = console.ShowProgress && !parse.GetValue(Quiet) ? new ProgressLine(console.Terminal, input.FractionRead) : null;
        Guard(input, progress, () => Accumulators(partitions).Sum(a => a.RowsRead), () => partitions.Add(input.Reader, columns, progress));
        var latest = Accumulators(partitions).Max(a => a.LatestPurchase);
        if (latest is null)
        {
            // No partition has a customer: the account of every row, all partitions together.
            var all = calculator.CreateAccumulator(asOf);
            foreach (var accumulator in Accumulators(partitions))
            {
                all.Merge(accumulator);
            }

            throw NoCustomer(input.DisplayName, all.Snapshot(asOf ?? DateTime.UnixEpoch).Ingestion);
        }

        var result = calculator.Calculate(partitions, asOf ?? NextMidnight(latest.Value));
        return new PartitionedInput(result, input.DisplayName, layout);
    }

    private static IEnumerable<RfmAccumulator> Accumulators(PartitionedAccumulator partitions) =>
        partitions.Partitions.Select(name => partitions.TryGet(name, out var accumulator) ? accumulator : throw new InvalidOperationException($"Partition '{name}' vanished."));

    // Every way reading can fail, as one line naming the file, the line or row, and what is wrong.
    private static void Read(InputFile input, TransactionColumns columns, RfmAccumulator accumulator, int threads, ProgressLine? progress) =>
        Guard(input, progress, () => accumulator.RowsRead, () =>
        {
            if (!input.TryReadFast(columns, accumulator, threads, progress))
            {
                accumulator.Add(input.Reader, columns, progress);
            }
        });

    // Runs a read, turning every way it can fail into one line naming the file, the line or row, and what is wrong.
    private static void Guard(InputFile input, ProgressLine? progress, Func<long> rowsRead, Action read)
    {
        try
        {
            read();
        }
        catch (TransactionDataException ex) when (ex.Row > 0)
        {
            var value = ex.Value is null ? string.Empty : $" (value '{TerminalText.Value(ex.Value)}')";
            throw new InputException($"{input.DisplayName}: {input.Locate(ex.Row)}, column '{TerminalText.Value(ex.Column)}': {TerminalText.Value(ex.Problem)}{value}.", ex);
        }
        catch (TransactionDataException ex)
        {
            throw new InputException($"{input.DisplayName}: column '{TerminalText.Value(ex.Column)}': {TerminalText.Value(ex.Problem)}.", ex);
        }
        catch (OverflowException ex)
        {
            throw new InputException($"{input.DisplayName}: {input.Locate(rowsRead() + 1)}: {ex.Message}", ex);
        }
        catch (GzipDataException ex)
        {
            throw new InputException($"{input.DisplayName}: {ex.Message}.", ex);
        }
        catch (Exception ex) when (input.IsReadFailure(ex))
        {
            throw new InputException($"{input.DisplayName}: {input.Locate(rowsRead() + 1)}: {InputFile.Describe(ex)}.", ex);
        }
        finally
        {
            progress?.Clear();
        }
    }

    private static int ParseThreads(string? text) => CliText.WholeNumber(text, "--threads", 1, 1024) ?? Environment.ProcessorCount;

    // One printable ASCII character that cannot start a value (not a letter, digit or quote), or tab.
    private static char? ParseDelimiter(string? text) => text switch
    {
        null => null,
        "tab" or "\\t" => '\t',
        [var c] when c is >= ' ' and <= '~' && !char.IsAsciiLetterOrDigit(c) && c != '"' => c,
        _ => throw new UsageException($"--delimiter '{TerminalText.Value(text)}': give one ASCII character other than a letter, a digit or a double quote (such as , ; | or a space), or tab."),
    };

    public static DateTime? ParseDate(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }

        string[] formats = ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm:ss"];
        return DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new UsageException($"{option} '{text}': expected a date like 2011-12-11 or 2011-12-11T08:00:00.");
    }
}

/// <summary>An input read: the accumulator, the analysis date, the input's name for messages, its full path (null for standard input) and the layout recognised.</summary>
internal sealed record ReadInput(RfmAccumulator Accumulator, DateTime AsOf, string DisplayName, string? FullPath, string? Layout);

/// <summary>An input scored per partition: the result, the input's name for messages and the layout recognised.</summary>
internal sealed record PartitionedInput(PartitionedResult Result, string DisplayName, string? Layout);

/// <summary>A scored input: the result, the input's name for messages, its full path (null for standard input) and the layout recognised.</summary>
internal sealed record ScoredInput(RfmResult Result, string DisplayName, string? FullPath, string? Layout);

/// <summary>
/// Input that can be read only once (standard input, a named pipe) copied to a temporary file readable by its owner
/// alone, for readers to open afresh; deleted when disposed, or when a signal stops the process.
/// </summary>
internal sealed class SpooledInput : IDisposable
{
    private readonly string _path;

    private SpooledInput(string path) => _path = path;

    /// <summary>Copies the stream to a temporary file.</summary>
    public static SpooledInput Copy(Stream source)
    {
        var spooled = new SpooledInput(Path.Combine(Path.GetTempPath(), $"rfm-{Guid.NewGuid():N}.tmp"));
        try
        {
            using var file = TemporaryFiles.Create(spooled._path, ownerOnly: true);
            source.CopyTo(file);
            return spooled;
        }
        catch
        {
            spooled.Dispose();
            throw;
        }
    }

    /// <summary>Copies a named pipe or process substitution (a path that cannot seek); <see langword="null"/> for a file (or a workbook, or no file).</summary>
    public static SpooledInput? CopyIfPipe(string path)
    {
        if (!File.Exists(path) || Path.GetExtension(path).Equals(".xlsx", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        using var file = File.OpenRead(path);
        return file.CanSeek ? null : Copy(file);
    }

    /// <summary>The copy, from its start.</summary>
    public FileStream Open() => File.OpenRead(_path);

    public void Dispose() => TemporaryFiles.Delete(_path);
}
