using System.Globalization;
using BenchmarkDotNet.Attributes;

namespace Rfm.Benchmarks;

/// <summary>
/// Saving and loading an accumulator's state (<see cref="RfmAccumulator.Save"/>, <see cref="RfmAccumulator.Load"/>)
/// of 1M customers with 1 to 5 orders each (3M distinct orders, one in 20 with an id that is not a number), to and
/// from memory, so that the format's cost is measured and not a disk's. The size of the state is printed once per
/// process, in bytes per customer and per distinct order.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class StateBenchmarks
{
    private RfmAccumulator _accumulator = new();
    private byte[] _state = [];
    private MemoryStream _destination = new();

    /// <summary>Customers in the state.</summary>
    [Params(1_000_000)]
    public int Customers { get; set; }

    /// <summary>Builds the accumulator and its saved state once per process.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20_091_201);
        var start = new DateTime(2009, 12, 1).Ticks;
        var span = TimeSpan.FromDays(730).Ticks;
        var accumulator = new RfmAccumulator();
        var order = 500_000L;
        var pairs = 0L;
        for (var c = 0; c < Customers; c++)
        {
            var customer = (10_000_000 + c).ToString(CultureInfo.InvariantCulture);
            var orders = random.Next(1, 6);
            pairs += orders;
            for (var o = 0; o < orders; o++)
            {
                var id = ++order % 20 == 0 ? $"A{order}" : order.ToString(CultureInfo.InvariantCulture);
                var when = new DateTime(start + random.NextInt64(span));
                for (var line = random.Next(1, 4); line > 0; line--)
                {
                    accumulator.Add(new Transaction(customer, id, when, new decimal(random.Next(1, 100_000), 0, 0, false, 2)));
                }
            }
        }

        _accumulator = accumulator;
        using var stream = new MemoryStream();
        accumulator.Save(stream);
        _state = stream.ToArray();
        _destination = new MemoryStream(_state.Length);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// state: {_state.Length:N0} bytes for {Customers:N0} customers and {pairs:N0} distinct orders: {(double)_state.Length / Customers:F1} bytes per customer all in, or {(_state.Length - (8.0 * pairs)) / Customers:F1} per customer plus 8 per order"));
    }

    /// <summary>Writes the state into a stream with room for it.</summary>
    [Benchmark(Baseline = true)]
    public long Save()
    {
        _destination.Position = 0;
        _accumulator.Save(_destination);
        return _destination.Position;
    }

    /// <summary>Reads the state back into an accumulator.</summary>
    /// <returns>The customers read.</returns>
    [Benchmark]
    public int Load() => RfmAccumulator.Load(new MemoryStream(_state, writable: false)).CustomerCount;
}
