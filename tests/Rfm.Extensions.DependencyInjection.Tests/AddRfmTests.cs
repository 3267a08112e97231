using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Rfm.Scoring;
using Rfm.Segmentation;

namespace Rfm.Extensions.DependencyInjection.Tests;

public sealed class AddRfmTests
{
    private static readonly DateTime AsOf = new(2011, 12, 10);

    private static readonly Transaction[] Rows =
    [
        new("alice", "1", AsOf.AddDays(-3), 120m), new("alice", "2", AsOf.AddDays(-1), 80m),
        new("bob", "3", AsOf.AddDays(-200), 15m), new("carol", "4", AsOf.AddDays(-40), 60m),
        new("dave", "5", AsOf.AddDays(-90), 300m), new("erin", "6", AsOf.AddDays(-10), 5m),
    ];

    [Fact]
    public void NoConfiguration_GivesTheDefaultCalculator()
    {
        using var provider = new ServiceCollection().AddRfm().BuildServiceProvider(validateScopes: true);

        var calculator = provider.GetRequiredService<RfmCalculator>();

        Assert.Equal(RfmCalculator.Default.Policy, calculator.Policy);
        Assert.Equal(5, calculator.Scoring.Bins);
        Assert.Equal("quantile", calculator.Scoring.Recency.Name);
        Assert.Same(SegmentMaps.Classic, calculator.SegmentMap);
        Assert.Same(calculator, provider.GetRequiredService<RfmCalculator>());
        Assert.Same(provider.GetRequiredService<RfmEngine>().Calculator, calculator);
    }

    [Fact]
    public void Code_SetsEveryOption()
    {
        using var provider = new ServiceCollection()
            .AddRfm(options =>
            {
                options.Calculator.Preset = "tutorial";
                options.Calculator.Bins = 4;
                options.Calculator.Scoring = "rank-quantile";
                options.Calculator.MonetaryScoring = "fixed:10/100/1000";
                options.Calculator.SegmentMap = "eleven-segments-4";
                options.Calculator.Cancellations = "none";
                options.Calculator.ExcludeNonPositive = true;
                options.Calculator.DropNonPositiveCustomers = true;
            })
            .AddSingleton<ISegmentMap>(SegmentMaps.FromGrid("eleven-segments-4", 4, (r, f) => r + f > 5 ? Segments.Champions : Segments.Hibernating))
            .BuildServiceProvider();

        var calculator = provider.GetRequiredService<RfmCalculator>();

        Assert.Equal(4, calculator.Scoring.Bins);
        Assert.Equal("rank-quantile", calculator.Scoring.Recency.Name);
        Assert.Equal("rank-quantile", calculator.Scoring.Frequency.Name);
        Assert.StartsWith("fixed", calculator.Scoring.Monetary.Name, StringComparison.Ordinal);
        Assert.Equal("eleven-segments-4", calculator.SegmentMap.Name);
        Assert.Equal(CancellationRule.None, calculator.Policy.Cancellations);
        Assert.True(calculator.Policy.ExcludeNonPositive);
        Assert.True(calculator.Policy.DropNonPositiveCustomers);
    }

    [Fact]
    public void JsonFile_IsBound()
    {
        var folder = Directory.CreateTempSubdirectory("rfm-di-");
        var path = Path.Combine(folder.FullName, "appsettings.json");
        File.WriteAllText(path, """
            {
              "Rfm": {
                "Preset": "tutorial",
                "Bins": 3,
                "Scoring": "quantile",
                "SegmentMap": "three",
                "Cancellations": "starts-with:X",
                "ExcludeNonPositive": "false",
                "AsOf": "2011-12-10"
              }
            }
            """);
        var configuration = new ConfigurationBuilder().AddJsonFile(path).Build();
        using var provider = new ServiceCollection()
            .AddSingleton<ISegmentMap>(SegmentMaps.FromGrid("three", 3, (r, _) => r == 3 ? Segments.Champions : Segments.Hibernating))
            .AddRfm(configuration.GetSection("Rfm"))
            .BuildServiceProvider();

        var engine = provider.GetRequiredService<RfmEngine>();

        Assert.Equal(3, engine.Calculator.Scoring.Bins);
        Assert.Equal("three", engine.Calculator.SegmentMap.Name);
        Assert.Equal(CancellationRule.OrderIdStartsWith("X"), engine.Calculator.Policy.Cancellations);
        Assert.False(engine.Calculator.Policy.ExcludeNonPositive);
        Assert.Equal(AsOf, engine.AsOf);
        Assert.Equal(5, engine.Calculate(Rows).Customers.Length);
    }

    [Fact]
    public void InMemoryConfiguration_ForNamedProfiles_GivesKeyedServices()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Rfm:Retail:Preset"] = "default",
                ["Rfm:Wholesale:Preset"] = "tutorial",
                ["Rfm:Wholesale:Scoring"] = "fixed:20/50/100/200",
            })
            .Build();
        using var provider = new ServiceCollection()
            .AddRfm("retail", configuration.GetSection("Rfm:Retail"))
            .AddRfm("wholesale", configuration.GetSection("Rfm:Wholesale"))
            .BuildServiceProvider();

        var retail = provider.GetRequiredKeyedService<RfmCalculator>("retail");
        var wholesale = provider.GetRequiredKeyedService<RfmCalculator>("wholesale");
        var profiles = provider.GetRequiredService<RfmProfiles>();

        Assert.Equal(TransactionPolicy.Default, retail.Policy);
        Assert.Equal(TransactionPolicy.Tutorial, wholesale.Policy);
        Assert.StartsWith("fixed", wholesale.Scoring.Monetary.Name, StringComparison.Ordinal);
        Assert.Same(wholesale, profiles.Get("wholesale").Calculator);
        Assert.Same(provider.GetRequiredKeyedService<RfmEngine>("retail"), profiles.Get("retail"));
        var missing = Assert.Throws<KeyNotFoundException>(() => profiles.Get("whole-sale"));
        Assert.Contains("'retail', 'wholesale'", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidConfiguration_FailsAtStart_WithEveryError()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rfm:Preset"] = "fancy",
            ["Rfm:Bins"] = "11",
            ["Rfm:Scoring"] = "median",
            ["Rfm:SegmentMap"] = "vip-grid",
            ["Rfm:Cancellations"] = "ends-with:C",
            ["Rfm:ExcludeNonPositive"] = "maybe",
            ["Rfm:AsOf"] = "yesterday",
            ["Rfm:Bnis"] = "5",
        });
        builder.Services.AddRfm(builder.Configuration.GetSection("Rfm"));
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        string[] expected =
        [
            "Rfm:Bnis: not a setting", "Rfm:ExcludeNonPositive: 'maybe' is not true or false", "Rfm:AsOf: 'yesterday' is not a date",
            "Preset: 'fancy' is not a preset", "Scoring:", "Bins:", "SegmentMap: 'vip-grid' is not a segment map",
            "Cancellations: 'ends-with:C' is not a rule",
        ];
        foreach (var error in expected)
        {
            Assert.Contains(ex.Failures, failure => failure.Contains(error, StringComparison.Ordinal));
        }

        Assert.Equal(expected.Length, ex.Failures.Count());
        Assert.All(ex.Failures, failure => Assert.StartsWith("the default RFM profile: ", failure, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Scoring", "fixed:10/20", "Bins and Scoring: ")]
    [InlineData("Scoring", "fixed:a/b/c/d", "Scoring: ")]
    [InlineData("Bins", "4", "SegmentMap: The segment map 'classic' is made for 5 scores")]
    [InlineData("Bins", "1", "Bins: ")]
    [InlineData("Bins", "five", "Bins: 'five' is not a whole number")]
    [InlineData("RecencyScoring", "nope", "RecencyScoring: ")]
    [InlineData("FrequencyScoring", "nope", "FrequencyScoring: ")]
    [InlineData("MonetaryScoring", "nope", "MonetaryScoring: ")]
    [InlineData("Cancellations", "contains:", "Cancellations: ")]
    [InlineData("DropNonPositiveCustomers", "often", "DropNonPositiveCustomers: 'often' is not true or false")]
    [InlineData("Preset", "fancy", "Preset: 'fancy' is not a preset; use default or tutorial.")]
    public void EachRule_IsReported(string setting, string value, string error)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [setting] = value }).Build();
        using var provider = new ServiceCollection().AddRfm("x", configuration).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredKeyedService<RfmCalculator>("x"));

        var failure = Assert.Single(ex.Failures);
        Assert.StartsWith($"RFM profile 'x': {error}", failure, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure);
    }

    [Fact]
    public void ErrorsOfDifferentStages_AreReportedTogether()
    {
        // The bins do not fit the classic map, and the cancellation rule is unreadable: both at once.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Bins"] = "4", ["Cancellations"] = "ends-with:C" })
            .Build();
        using var provider = new ServiceCollection().AddRfm(configuration).AddRfm(configuration).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<RfmCalculator>());

        Assert.Equal(2, ex.Failures.Count());
        Assert.Contains(ex.Failures, failure => failure.Contains("SegmentMap: ", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, failure => failure.Contains("Cancellations: ", StringComparison.Ordinal));
    }

    [Fact]
    public void SectionBoundTwice_ReportsItsProblemsOnce()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Bnis"] = "5" }).Build();
        using var provider = new ServiceCollection().AddRfm(configuration).AddRfm(configuration).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<RfmCalculator>());

        Assert.Single(ex.Failures);
    }

    [Fact]
    public void NestedSectionWhereAValueBelongs_IsAnError_AndAnEmptyValueIsUnset()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Rfm:Scoring:Recency"] = "nope", ["Rfm:Bins"] = string.Empty })
            .Build();
        using var provider = new ServiceCollection().AddRfm(configuration.GetSection("Rfm")).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<RfmCalculator>());

        var failure = Assert.Single(ex.Failures);
        Assert.Contains("Rfm:Scoring: a section, where a value was expected", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_FromAnAppSettingsFile_ResolvesAWorkingCalculator()
    {
        var folder = Directory.CreateTempSubdirectory("rfm-host-");
        File.WriteAllText(Path.Combine(folder.FullName, "appsettings.json"), """{ "Rfm": { "Preset": "tutorial", "AsOf": "2011-12-10T00:00:00.0000000" } }""");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder.FullName, Args = [] });
        builder.Services.AddRfm(builder.Configuration.GetSection("Rfm"));
        using var host = builder.Build();

        await host.StartAsync();
        var result = host.Services.GetRequiredService<RfmEngine>().Calculate(Rows);
        await host.StopAsync();

        Assert.Equal(TransactionPolicy.Tutorial, host.Services.GetRequiredService<RfmCalculator>().Policy);
        Assert.Equal(AsOf, result.AsOf);
        Assert.Equal(5, result.Customers.Length);
    }

    [Fact]
    public async Task InvalidNamedProfile_FailsAtStart()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddRfm("wholesale", options => options.Calculator.SegmentMap = "nope");
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.StartsWith("RFM profile 'wholesale': SegmentMap: 'nope' is not a segment map", Assert.Single(ex.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryInvalidProfile_IsReportedAtStart_InOneException()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services
            .AddRfm(options => options.Calculator.Bins = 11)
            .AddRfm("wholesale", options => options.Calculator.SegmentMap = "nope")
            .AddRfm("retail", options => options.Calculator.Scoring = "tiers")
            .AddRfm("fine", _ => { });
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(3, ex.Failures.Count());
        Assert.Contains(ex.Failures, f => f.StartsWith("the default RFM profile: Bins: ", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("RFM profile 'retail': Scoring: Unknown scoring 'tiers'", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("RFM profile 'wholesale': SegmentMap: 'nope' is not a segment map", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RequiredSection_Missing_FailsAtStart_AndPresent_Binds()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Rfm:Retail:Bins"] = "4", ["Rfm:Retail:SegmentMap"] = "tiers" });
        builder.Services
            .AddRfm("retail", builder.Configuration.GetSection("Rfm:Retail"), sectionRequired: true)
            .AddRfm(builder.Configuration.GetSection("Rfm:Default"), sectionRequired: true)
            .AddRfm("lenient", builder.Configuration.GetSection("Rfm:Lenient"));
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(
            "the default RFM profile: The configuration section 'Rfm:Default' is missing or empty, and AddRfm was told to require it.",
            Assert.Single(ex.Failures));
        var retail = host.Services.GetRequiredKeyedService<RfmCalculator>("retail");
        Assert.Equal(4, retail.Scoring.Bins);
        Assert.Same(SegmentMaps.Tiers, retail.SegmentMap);
        Assert.Same(RfmCalculator.Default.SegmentMap, host.Services.GetRequiredKeyedService<RfmCalculator>("lenient").SegmentMap);
    }

    [Fact]
    public void RegisteredStrategyOfFourScores_AndTheTiersMap_Calculate()
    {
        using var provider = new ServiceCollection()
            .AddSingleton<IScoringStrategy>(new Quartiles())
            .AddRfm(options =>
            {
                options.Calculator.Bins = 4;
                options.Calculator.Scoring = "quartiles";
                options.Calculator.SegmentMap = "tiers";
            })
            .BuildServiceProvider();

        var result = provider.GetRequiredService<RfmEngine>().Calculator.Calculate(Rows, AsOf);

        Assert.All(result.Customers, customer => Assert.Same(SegmentMaps.Tiers.Assign(customer.Score, 4), customer.Segment));
        Assert.Equal("quartiles", result.Recency.Strategy);
    }

    [Fact]
    public void RegisteredStrategyOfFourScores_WithFiveScores_NamesBothSettings()
    {
        using var provider = new ServiceCollection()
            .AddSingleton<IScoringStrategy>(new Quartiles())
            .AddRfm(options => options.Calculator.RecencyScoring = "quartiles")
            .BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<RfmCalculator>());

        Assert.Equal(
            "the default RFM profile: Bins and RecencyScoring: The strategy 'quartiles' (custom, 4 scores) makes 4 scores, but the scheme has 5.",
            Assert.Single(ex.Failures));
    }

    [Fact]
    public void OnlyNamedProfiles_RegisterNoUnkeyedCalculator()
    {
        using var provider = new ServiceCollection().AddRfm("retail", _ => { }).BuildServiceProvider();

        Assert.Null(provider.GetService<RfmCalculator>());
        Assert.NotNull(provider.GetRequiredKeyedService<RfmCalculator>("retail"));
    }

    [Fact]
    public void RegisteredStrategy_IsChosenByName_OverABuiltInOfTheSameName()
    {
        var everyoneFive = ScoringStrategies.Create("quantile", (_, bins) => bins);
        using var provider = new ServiceCollection()
            .AddSingleton(everyoneFive)
            .AddRfm(options => options.Calculator.Scoring = "quantile")
            .BuildServiceProvider();

        var result = provider.GetRequiredService<RfmEngine>().Calculator.Calculate(Rows, AsOf);

        Assert.Same(everyoneFive, provider.GetRequiredService<RfmCalculator>().Scoring.Monetary);
        Assert.All(result.Customers, customer => Assert.Equal(5, customer.Score.M));
    }

    [Fact]
    public void ApplicationServices_RegisteredFirst_AreKept()
    {
        var mine = new RfmCalculator(TransactionPolicy.Tutorial);
        var clock = new FixedTime(new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero));
        using var provider = new ServiceCollection()
            .AddSingleton(mine)
            .AddSingleton<TimeProvider>(clock)
            .AddRfm()
            .BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredService<RfmCalculator>());
        Assert.Same(mine, provider.GetRequiredService<RfmEngine>().Calculator);
        Assert.Equal(new DateTime(2020, 1, 2, 3, 4, 5), provider.GetRequiredService<RfmEngine>().AsOf);
    }

    [Fact]
    public void AddRfmTwice_RegistersEachServiceOnce()
    {
        var services = new ServiceCollection().AddRfm().AddRfm(options => options.Calculator.Cancellations = "none").AddRfm("b", _ => { }).AddRfm("b", _ => { });

        Assert.Single(services, s => s.ServiceType == typeof(RfmCalculator) && !s.IsKeyedService);
        Assert.Single(services, s => s.ServiceType == typeof(RfmEngine) && !s.IsKeyedService);
        Assert.Single(services, s => s.ServiceType == typeof(RfmProfiles));
        Assert.Single(services, s => s.ServiceType == typeof(RfmCalculator) && s.IsKeyedService);
        Assert.Single(services, s => s.ServiceType == typeof(IValidateOptions<RfmOptions>));
        using var provider = services.BuildServiceProvider();
        Assert.Equal(CancellationRule.None, provider.GetRequiredService<RfmCalculator>().Policy.Cancellations);
    }

    [Fact]
    public void TimeProvider_GivesTheAnalysisInstant_UnlessAsOfIsSet()
    {
        var clock = new FixedTime(new DateTimeOffset(2011, 12, 10, 0, 0, 0, TimeSpan.Zero));
        using var provider = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddRfm()
            .AddRfm("fixed", options => options.AsOf = new DateTime(2011, 1, 1))
            .BuildServiceProvider();

        var engine = provider.GetRequiredService<RfmEngine>();
        var first = engine.Calculate(Rows);
        clock.Now = clock.Now.AddDays(10);

        Assert.Equal(AsOf, first.AsOf);
        Assert.Equal(AsOf.AddDays(10), engine.AsOf);
        Assert.Equal(1, first.Customers.Single(c => c.Metrics.CustomerId == "alice").Metrics.Recency);
        Assert.Equal(new DateTime(2011, 1, 1), provider.GetRequiredKeyedService<RfmEngine>("fixed").AsOf);
    }

    [Fact]
    public void Singleton_UsedFromManyThreads_GivesIdenticalResults()
    {
        var rows = Enumerable.Range(0, 5_000)
            .Select(i => new Transaction($"c{i % 700:D4}", $"o{i}", AsOf.AddDays(-(i % 365)), 1m + (i % 89)))
            .ToArray();
        var expected = RfmCalculator.Default.Calculate(rows, AsOf);

        // The first resolution happens under contention too.
        using var provider = new ServiceCollection().AddRfm(options => options.AsOf = AsOf).BuildServiceProvider();
        var results = new RfmResult[32];
        var engines = new RfmEngine[results.Length];
        Parallel.For(0, results.Length, i =>
        {
            engines[i] = provider.GetRequiredService<RfmEngine>();
            results[i] = engines[i].Calculate(rows);
        });

        Assert.All(engines, engine => Assert.Same(engines[0], engine));
        Assert.All(results, result =>
        {
            Assert.Equal(expected.Customers.Select(c => (c.Metrics, c.Score, c.Segment.Key)), result.Customers.Select(c => (c.Metrics, c.Score, c.Segment.Key)));
        });
    }

    [Fact]
    public void AddRfm_ArgValidation()
    {
        var services = new ServiceCollection();

        Assert.Equal("services", Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddRfm()).ParamName);
        Assert.Equal("configure", Assert.Throws<ArgumentNullException>(() => services.AddRfm((Action<RfmOptions>)null!)).ParamName);
        Assert.Equal("section", Assert.Throws<ArgumentNullException>(() => services.AddRfm((IConfiguration)null!)).ParamName);
        Assert.Equal("section", Assert.Throws<ArgumentNullException>(() => services.AddRfm((IConfiguration)null!, sectionRequired: true)).ParamName);
        Assert.Equal("section", Assert.Throws<ArgumentNullException>(() => services.AddRfm("x", (IConfiguration)null!, sectionRequired: true)).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => services.AddRfm(null!, _ => { })).ParamName);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class Quartiles : IScoringStrategy
    {
        public string Name => "quartiles";

        public ScoringDescription Description { get; } = ScoringDescription.Custom(4);

        public System.Collections.Immutable.ImmutableArray<double> Score(ReadOnlySpan<double> values, int bins, Span<int> scores) =>
            ScoringStrategies.RankQuantile.Score(values, bins, scores);
    }
}
