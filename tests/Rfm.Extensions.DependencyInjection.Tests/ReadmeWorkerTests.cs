using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Rfm.Extensions.DependencyInjection.Tests;

/// <summary>The README's worker service, run in a real host with configuration and a captured log.</summary>
public sealed class ReadmeWorkerTests
{
    [Fact]
    public async Task NightlySegments_LogsEverySegment()
    {
        var log = new CapturingLoggerProvider();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Rfm:AsOf"] = "2011-12-10" });
        builder.Logging.AddProvider(log);

        // As the README shows it.
        builder.Services.AddRfm(builder.Configuration.GetSection("Rfm"));
        builder.Services.AddHostedService<NightlySegments>();

        using var host = builder.Build();
        await host.StartAsync();
        await host.Services.GetServices<IHostedService>().OfType<NightlySegments>().Single().ExecuteTask!;
        await host.StopAsync();

        // One line per segment; together they count all 40 customers.
        var counts = log.Messages
            .Select(message => System.Text.RegularExpressions.Regex.Match(message, @"^[\w ]+: (\d+) customers$"))
            .Where(match => match.Success)
            .Select(match => int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        Assert.True(counts.Count > 1);
        Assert.Equal(40, counts.Sum());
    }

    private sealed class NightlySegments(RfmEngine rfm, ILogger<NightlySegments> log) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken)
        {
            foreach (var segment in rfm.Calculate(Orders.Load()).Segments)
            {
                log.LogInformation("{Segment}: {Customers} customers", segment.Segment.Name, segment.Customers);
            }

            return Task.CompletedTask;
        }
    }

    private static class Orders
    {
        public static IEnumerable<Transaction> Load()
        {
            var asOf = new DateTime(2011, 12, 10);
            return Enumerable.Range(0, 200).Select(i => new Transaction($"c{i % 40:D2}", $"o{i}", asOf.AddDays(-(i % 97) - 1), 10m + (i % 13)));
        }
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly List<string> _messages = [];

        public IReadOnlyList<string> Messages
        {
            get
            {
                lock (_messages)
                {
                    return [.. _messages];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner._messages)
                {
                    owner._messages.Add(formatter(state, exception));
                }
            }
        }
    }
}
