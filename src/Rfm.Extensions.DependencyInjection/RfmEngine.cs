using System.Data;
using System.Data.Common;

namespace Rfm.Extensions.DependencyInjection;

/// <summary>
/// One configured RFM profile: its immutable <see cref="RfmCalculator"/> and the analysis instant, from
/// <see cref="RfmOptions.AsOf"/> or the container's <see cref="TimeProvider"/> read in <see cref="RfmOptions.TimeZone"/>.
/// Thread-safe; registered as a singleton.
/// </summary>
public sealed class RfmEngine
{
    private readonly DateTime? _asOf;
    private readonly TimeProvider _time;
    private readonly TimeZoneInfo _zone;

    /// <summary>Creates an engine, for an application that registers its own.</summary>
    /// <param name="calculator">The calculator.</param>
    /// <param name="time">The clock when <paramref name="asOf"/> is not given; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="asOf">A fixed analysis instant, or <see langword="null"/> for now. A UTC time (<see cref="DateTimeKind.Utc"/>) is
    /// read on the wall clock of <paramref name="timeZone"/>; any other is taken as that wall clock's time.</param>
    /// <param name="name">The profile's name; empty for the default profile.</param>
    /// <param name="timeZone">The zone of the data's wall-clock times, in which the clock is read; <see langword="null"/> for UTC.</param>
    /// <exception cref="ArgumentNullException"><paramref name="calculator"/> or <paramref name="name"/> is null.</exception>
    public RfmEngine(RfmCalculator calculator, TimeProvider? time = null, DateTime? asOf = null, string name = "", TimeZoneInfo? timeZone = null)
    {
        ArgumentNullException.ThrowIfNull(calculator);
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        Calculator = calculator;
        _time = time ?? TimeProvider.System;
        _zone = timeZone ?? TimeZoneInfo.Utc;
        _asOf = asOf is { Kind: DateTimeKind.Utc } utc ? WallClock(utc) : asOf;
    }

    /// <summary>The profile's name; empty for the default profile.</summary>
    public string Name { get; }

    /// <summary>The calculator the options describe.</summary>
    public RfmCalculator Calculator { get; }

    /// <summary>
    /// The analysis instant: <see cref="RfmOptions.AsOf"/> when set, otherwise the <see cref="TimeProvider"/>'s now on the
    /// wall clock of the time zone (UTC unless one is given), cut to whole microseconds.
    /// </summary>
    /// <value>
    /// A <see cref="DateTimeKind.Utc"/> time in a zone whose rules are UTC's, else a <see cref="DateTimeKind.Unspecified"/>
    /// wall-clock time, like the data's own times. Every engine takes it as it is, <c>Rfm.Sql</c> included, whose
    /// timestamps hold microseconds.
    /// </value>
    public DateTime AsOf => _asOf ?? Now();

    /// <summary>Calculates RFM for a sequence of transactions as of <see cref="AsOf"/>.</summary>
    /// <typeparam name="T">The row type.</typeparam>
    /// <param name="transactions">The rows.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="transactions"/> is null.</exception>
    /// <exception cref="OverflowException">A sum of money exceeds what a decimal holds exactly.</exception>
    public RfmResult Calculate<T>(IEnumerable<T> transactions)
        where T : ITransaction => Calculator.Calculate(transactions, AsOf);

    /// <summary>
    /// Calculates RFM for every remaining row of a data reader as of <see cref="AsOf"/>, reading with
    /// <see cref="DbDataReader.ReadAsync(CancellationToken)"/> so that a hosted service's thread is not blocked.
    /// </summary>
    /// <param name="reader">The reader, positioned before its first row.</param>
    /// <param name="columns">Which columns hold what.</param>
    /// <param name="progress">Told the number of rows read so far, every 16,384 rows and at the end; may be null.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="columns"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="columns"/> gives the money neither or both ways, or names a partition column (read it by partition).</exception>
    /// <exception cref="TransactionDataException">A column is missing or a value cannot be read; the message names the row, column and value.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in the type of the rows, so no call can match more than one.")]
    public Task<RfmResult> CalculateAsync(DbDataReader reader, TransactionColumns columns, IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        Calculator.CalculateAsync(reader, columns, AsOf, progress, cancellationToken);

    /// <summary>Calculates RFM for an asynchronous sequence of transactions as of <see cref="AsOf"/>.</summary>
    /// <typeparam name="T">The row type.</typeparam>
    /// <param name="transactions">The rows.</param>
    /// <param name="progress">Told the number of rows read so far, every 16,384 rows and at the end; may be null.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="transactions"/> is null.</exception>
    /// <exception cref="OverflowException">A sum of money exceeds what a decimal holds exactly.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in the type of the rows, so no call can match more than one.")]
    public Task<RfmResult> CalculateAsync<T>(IAsyncEnumerable<T> transactions, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
        where T : ITransaction => Calculator.CalculateAsync(transactions, AsOf, progress, cancellationToken);

    /// <summary>
    /// Calculates RFM per partition (the mapping's <see cref="TransactionColumns.Partition"/> column) for every remaining
    /// row of a data reader as of <see cref="AsOf"/>: each partition's result is what
    /// <see cref="RfmCalculator.Calculate(IDataReader, TransactionColumns, DateTime, IProgress{long}?, CancellationToken)"/> gives for that partition's rows alone.
    /// </summary>
    /// <param name="reader">The reader, positioned before its first row.</param>
    /// <param name="columns">Which columns hold what, with a partition column.</param>
    /// <param name="progress">Told the number of rows read so far, every 16,384 rows and at the end; may be null.</param>
    /// <param name="cancellationToken">Stops the read between rows.</param>
    /// <returns>One result per partition.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="columns"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="columns"/> gives the money neither or both ways, or names no partition column.</exception>
    /// <exception cref="TransactionDataException">A column is missing or a value cannot be read; the message names the row, column and value.</exception>
    /// <exception cref="OverflowException">A sum of money exceeds what a decimal holds exactly.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public PartitionedResult CalculateByPartition(IDataReader reader, TransactionColumns columns, IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        Calculator.CalculateByPartition(reader, columns, AsOf, progress, cancellationToken);

    /// <summary>
    /// Calculates RFM per partition for every remaining row of a data reader as of <see cref="AsOf"/>, reading with
    /// <see cref="DbDataReader.ReadAsync(CancellationToken)"/>; the result is the one
    /// <see cref="CalculateByPartition(IDataReader, TransactionColumns, IProgress{long}?, CancellationToken)"/> gives.
    /// </summary>
    /// <param name="reader">The reader, positioned before its first row.</param>
    /// <param name="columns">Which columns hold what, with a partition column.</param>
    /// <param name="progress">Told the number of rows read so far, every 16,384 rows and at the end; may be null.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>One result per partition.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="columns"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="columns"/> gives the money neither or both ways, or names no partition column.</exception>
    /// <exception cref="TransactionDataException">A column is missing or a value cannot be read; the message names the row, column and value.</exception>
    /// <exception cref="OverflowException">A sum of money exceeds what a decimal holds exactly.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<PartitionedResult> CalculateByPartitionAsync(DbDataReader reader, TransactionColumns columns, IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        Calculator.CalculateByPartitionAsync(reader, columns, AsOf, progress, cancellationToken);

    /// <summary>This engine with another calculator: the application's own, when it registered one.</summary>
    internal RfmEngine With(RfmCalculator calculator) =>
        ReferenceEquals(calculator, Calculator) ? this : new RfmEngine(calculator, _time, _asOf, Name, _zone);

    /// <summary>An accumulator for this profile's policy, as of <see cref="AsOf"/>, to feed in batches.</summary>
    /// <returns>A new, empty accumulator; finish with <see cref="RfmCalculator.Calculate(RfmAccumulator)"/>.</returns>
    public RfmAccumulator CreateAccumulator() => Calculator.CreateAccumulator(AsOf);

    // A clock's ticks below a microsecond are noise, and the one precision every engine holds exactly is the microsecond.
    private DateTime Now()
    {
        var now = WallClock(_time.GetUtcNow().UtcDateTime);
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }

    // An instant in UTC as the data's wall clock shows it, in the zone.
    private DateTime WallClock(DateTime utc) =>
        _zone.HasSameRules(TimeZoneInfo.Utc) ? utc : DateTime.SpecifyKind(TimeZoneInfo.ConvertTimeFromUtc(utc, _zone), DateTimeKind.Unspecified);
}
