namespace Rfm.Extensions.DependencyInjection;

/// <summary>
/// One configured RFM profile: its immutable <see cref="RfmCalculator"/> and the analysis instant, from
/// <see cref="RfmOptions.AsOf"/> or the container's <see cref="TimeProvider"/>. Thread-safe; registered as a singleton.
/// </summary>
public sealed class RfmEngine
{
    private readonly DateTime? _asOf;
    private readonly TimeProvider _time;

    /// <summary>Creates an engine, for an application that registers its own.</summary>
    /// <param name="calculator">The calculator.</param>
    /// <param name="time">The clock when <paramref name="asOf"/> is not given; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="asOf">A fixed analysis instant, or <see langword="null"/> for now.</param>
    /// <param name="name">The profile's name; empty for the default profile.</param>
    /// <exception cref="ArgumentNullException"><paramref name="calculator"/> or <paramref name="name"/> is null.</exception>
    public RfmEngine(RfmCalculator calculator, TimeProvider? time = null, DateTime? asOf = null, string name = "")
    {
        ArgumentNullException.ThrowIfNull(calculator);
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        Calculator = calculator;
        _asOf = asOf;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The profile's name; empty for the default profile.</summary>
    public string Name { get; }

    /// <summary>The calculator the options describe.</summary>
    public RfmCalculator Calculator { get; }

    /// <summary>The analysis instant: <see cref="RfmOptions.AsOf"/> when set, otherwise now in UTC by the <see cref="TimeProvider"/>.</summary>
    public DateTime AsOf => _asOf ?? _time.GetUtcNow().UtcDateTime;

    /// <summary>Calculates RFM for a sequence of transactions as of <see cref="AsOf"/>.</summary>
    /// <typeparam name="T">The row type.</typeparam>
    /// <param name="transactions">The rows.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="transactions"/> is null.</exception>
    /// <exception cref="OverflowException">A sum of money exceeds what a decimal holds exactly.</exception>
    public RfmResult Calculate<T>(IEnumerable<T> transactions)
        where T : ITransaction => Calculator.Calculate(transactions, AsOf);

    /// <summary>This engine with another calculator: the application's own, when it registered one.</summary>
    internal RfmEngine With(RfmCalculator calculator) =>
        ReferenceEquals(calculator, Calculator) ? this : new RfmEngine(calculator, _time, _asOf, Name);

    /// <summary>An accumulator for this profile's policy, as of <see cref="AsOf"/>, to feed in batches.</summary>
    /// <returns>A new, empty accumulator; finish with <see cref="RfmCalculator.Calculate(RfmAccumulator)"/>.</returns>
    public RfmAccumulator CreateAccumulator() => Calculator.CreateAccumulator(AsOf);
}
