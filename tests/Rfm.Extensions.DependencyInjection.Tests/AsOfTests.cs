using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rfm.Sql;

namespace Rfm.Extensions.DependencyInjection.Tests;

/// <summary>The analysis instant read from the clock: in the data's time zone, at a precision every engine holds.</summary>
public sealed class AsOfTests
{
    // 22:30:00.1234567 UTC on 1 July 2024: seven digits of fraction, as a real clock gives.
    private static readonly DateTimeOffset Clock = new DateTimeOffset(2024, 7, 1, 22, 30, 0, TimeSpan.Zero).AddTicks(1_234_567);

    private static RfmEngine Engine(Action<RfmOptions> configure)
    {
        var provider = new ServiceCollection().AddSingleton<TimeProvider>(new FixedTime(Clock)).AddRfm(configure).BuildServiceProvider();
        return provider.GetRequiredService<RfmEngine>();
    }

    [Fact]
    public void AsOf_FromTheClock_IsCutToWholeMicroseconds()
    {
        var asOf = Engine(_ => { }).AsOf;

        Assert.Equal(new DateTime(2024, 7, 1, 22, 30, 0, DateTimeKind.Utc).AddTicks(1_234_560), asOf);
        Assert.Equal(DateTimeKind.Utc, asOf.Kind);
    }

    [Fact]
    public void AsOf_FromTheClock_IsHandedToRfmSqlUnchanged()
    {
        var engine = Engine(options => options.TimeZone = "America/New_York");

        var query = new RfmSqlGenerator(SqlDialect.PostgreSql, engine.Calculator).Query(new SqlTableName("orders"), TransactionColumns.OnlineRetail, engine.AsOf);

        Assert.Equal(engine.AsOf, query.AsOf);
    }

    [Theory]
    [InlineData("Europe/Berlin", "2024-07-02T00:30:00.1234560")]
    [InlineData("America/New_York", "2024-07-01T18:30:00.1234560")]
    [InlineData("Asia/Kolkata", "2024-07-02T04:00:00.1234560")]
    public void TimeZone_ReadsTheClockOnTheDatasWallClock(string zone, string expected)
    {
        var asOf = Engine(options => options.TimeZone = zone).AsOf;

        Assert.Equal(expected, asOf.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(DateTimeKind.Unspecified, asOf.Kind);
    }

    [Theory]
    [InlineData("UTC")]
    [InlineData("Etc/UTC")]
    public void TimeZone_Utc_IsTheDefaultsInstant(string zone) =>
        Assert.Equal(Engine(_ => { }).AsOf, Engine(options => options.TimeZone = zone).AsOf);

    [Fact]
    public void TimeZone_DoesNotMoveAFixedAsOf()
    {
        var fixedAsOf = new DateTime(2011, 12, 10, 8, 0, 0);

        Assert.Equal(fixedAsOf, Engine(options => { options.AsOf = fixedAsOf; options.TimeZone = "Europe/Berlin"; }).AsOf);
    }

    [Fact]
    public void TimeZone_Unknown_IsAnErrorAtStart()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Engine(options => options.TimeZone = "Mars/Olympus"));

        Assert.Contains("the default RFM profile: TimeZone: 'Mars/Olympus' is not a time zone; use an IANA name such as Europe/Berlin, or UTC.", error.Failures);
    }

    [Fact]
    public void AsOf_FinerThanAMicrosecond_IsAnErrorAtStart()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Engine(options => options.AsOf = new DateTime(2011, 12, 10).AddTicks(1)));

        Assert.Contains(error.Failures, f => f.StartsWith("the default RFM profile: AsOf: 2011-12-10T00:00:00.0000001 has a fraction of a microsecond", StringComparison.Ordinal));
    }

    [Fact]
    public void TimeZone_IsReadFromConfiguration()
    {
        var section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Rfm:TimeZone"] = "Europe/Berlin" }).Build().GetSection("Rfm");
        using var provider = new ServiceCollection().AddSingleton<TimeProvider>(new FixedTime(Clock)).AddRfm(section).BuildServiceProvider();

        Assert.Equal(new DateTime(2024, 7, 2, 0, 30, 0).AddTicks(1_234_560), provider.GetRequiredService<RfmEngine>().AsOf);
    }

    [Theory]
    [InlineData("Europe/Berlin", "2011-12-10T08:00:00.0000000")]
    [InlineData("America/New_York", "2011-12-10T02:00:00.0000000")]
    [InlineData(null, "2011-12-10T07:00:00.0000000Z")]
    public void AsOf_WithAnOffset_IsThatInstantOnTheZonesWallClock(string? zone, string expected)
    {
        var settings = new Dictionary<string, string?> { ["Rfm:AsOf"] = "2011-12-10T08:00:00+01:00", ["Rfm:TimeZone"] = zone };
        var section = new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("Rfm");
        using var provider = new ServiceCollection().AddRfm(section).BuildServiceProvider();

        Assert.Equal(expected, provider.GetRequiredService<RfmEngine>().AsOf.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
