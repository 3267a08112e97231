using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rfm.Analytics;
using Rfm.Cli.Report;
using Rfm.Cli.Tests.Browser;
using Rfm.Segmentation;
using Sylvan.Data.Csv;

namespace Rfm.Cli.Tests;

/// <summary>A browser test: skipped, saying why, only outside CI when Chromium is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        Skip = Chromium.SkipReason;
    }
}

/// <summary>
/// <c>rfm report</c>: the page from the bundled data opened in headless Chromium, offline, with every chart drawn and
/// the right number of marks, at a laptop's and a phone's width; and the SVG builders on their own.
/// </summary>
public sealed class ReportTests
{
    private static readonly DateTime AsOf = new(2011, 12, 10);
    private static readonly DateTime Before = new(2011, 9, 1);

    [BrowserFact]
    public async Task Report_OpensOfflineInChromium_WithEveryChartDrawn()
    {
        var folder = Cli.TempFolder();
        var page = Path.Combine(folder, "report.html");
        var run = Cli.Invoke("report", Cli.BundledData, "--out", page, "--as-of", "2011-12-10", "--compare-to", "2011-09-01", "--quiet");
        Assert.True(run.ExitCode == 0, run.Error);
        var url = new Uri(page).AbsoluteUri;

        await using var browser = await Chromium.StartAsync(1280, 900);
        await browser.NavigateAsync(url);
        var drawn = JsonSerializer.Deserialize<Dictionary<string, int>>(await browser.EvaluateAsync(CountDrawnMarks))!;
        var titled = await browser.EvaluateAsync("String([...document.querySelectorAll('svg[data-chart]')].every(svg => svg.querySelector('title')?.textContent && svg.querySelector('desc')?.textContent))");
        var screenshot = await browser.ScreenshotAsync();
        await File.WriteAllBytesAsync(Path.Combine(folder, "report.png"), screenshot);

        Assert.Equal(Expected(), drawn);
        Assert.Equal("true", titled);
        Assert.All(browser.Requests, request => Assert.Equal(url, request));
        Assert.Single(browser.Requests);
        Assert.True(screenshot.Length > 50_000 && screenshot.AsSpan(1, 3).SequenceEqual("PNG"u8), "the screenshot is not a PNG of a drawn page");
    }

    [BrowserFact]
    public async Task Report_AtAPhonesWidth_DoesNotScrollSideways()
    {
        var page = Path.Combine(Cli.TempFolder(), "report.html");
        Assert.Equal(0, Cli.Invoke("report", Cli.BundledData, "--out", page, "--quiet").ExitCode);

        await using var browser = await Chromium.StartAsync(390, 844);
        await browser.NavigateAsync(new Uri(page).AbsoluteUri);
        var width = await browser.EvaluateAsync("String(document.documentElement.scrollWidth)");
        var smallestText = await browser.EvaluateAsync("String(Math.min(...[...document.querySelectorAll('h1, h2, p, th, td, .card')].filter(e => !e.closest('.sr-only')).map(e => parseFloat(getComputedStyle(e).fontSize))))");
        var smallestChartText = await browser.EvaluateAsync("String(Math.min(...[...document.querySelectorAll('svg text')].map(t => parseFloat(getComputedStyle(t).fontSize) * Math.hypot(t.getScreenCTM().a, t.getScreenCTM().b))))");

        var sticking = await browser.EvaluateAsync("[...document.querySelectorAll('body *')].filter(e => !e.closest('.chart, .table') && e.getBoundingClientRect().right > 391).map(e => e.tagName).join(', ')");
        Assert.True(width == "390", $"the page is {width} px wide at 390; beyond the edge: {sticking}");
        Assert.True(double.Parse(smallestText, System.Globalization.CultureInfo.InvariantCulture) >= 12, $"text as small as {smallestText}px");
        Assert.True(double.Parse(smallestChartText, System.Globalization.CultureInfo.InvariantCulture) >= 11.99, $"chart text as small as {smallestChartText}px");
    }

    [Fact]
    public void Report_Culture_FormatsNumbers_AndAnUnknownOneIsAUsageError()
    {
        var page = Path.Combine(Cli.TempFolder(), "report.html");

        var german = Cli.Invoke("report", Cli.BundledData, "--out", page, "--as-of", "2011-12-10", "--culture", "de-DE", "--quiet");
        var html = File.ReadAllText(page);
        var unknown = Cli.Invoke("report", Cli.BundledData, "--out", page, "--culture", "xx-nowhere");

        Assert.True(german.ExitCode == 0, german.Error);
        Assert.Contains("8.911.407,90", html, StringComparison.Ordinal);
        Assert.Contains("as of 2011-12-10 00:00", html, StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--culture 'xx-nowhere'", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_FetchesNothing_AndComparesOnlyWithAnEarlierDate()
    {
        var page = Path.Combine(Cli.TempFolder(), "report.html");

        var run = Cli.Invoke("report", Cli.BundledData, "--out", page, "--as-of", "2011-12-10", "--quiet");
        var later = Cli.Invoke("report", Cli.BundledData, "--out", page, "--as-of", "2011-12-10", "--compare-to", "2011-12-11");
        var fromStandardInput = Cli.Invoke("report", "-", "--out", page, "--as-of", "2011-12-10", "--compare-to", "2011-09-01");

        Assert.Equal(0, run.ExitCode);
        var html = File.ReadAllText(page);
        Assert.DoesNotMatch(@"(src|href)\s*=", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(["http://www.w3.org/2000/svg"], Regex.Matches(html, @"https?://[^""\s]+").Select(m => m.Value).Distinct());
        Assert.Equal(2, later.ExitCode);
        Assert.Equal(2, fromStandardInput.ExitCode);
        Assert.Contains("standard input", fromStandardInput.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Heatmap_HasAMarkAndTextPerCell_AndEscapesLabels()
    {
        HeatCell[] cells = [new(0, 0, 1, ["<b>&", "2"], "a \"quoted\" <tip>"), new(1, 0, 0, ["x"], "y")];

        var svg = Svg.Heatmap("grid<1>", "T & t", "D", ["c1", "c2"], ["<script>"], cells, "x", "y");

        Assert.Equal(2, Regex.Count(svg, "class=\"mark\""));
        Assert.Contains("&lt;b&gt;&amp;", svg, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", svg, StringComparison.Ordinal);
        Assert.Contains("<title id=\"grid&lt;1&gt;-title\">T &amp; t</title>", svg, StringComparison.Ordinal);
        Assert.Contains("class=\"on-dark\"", svg, StringComparison.Ordinal);
        Assert.Contains("class=\"on-light\"", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Bars_AndLines_HaveOneMarkPerValue_WithItsTextBeside()
    {
        var bars = Svg.Bars("b", "Bars", "d", [new("one", 1, "100 %", "one: 100 %"), new("none", 0, "0 %", "none: 0 %")]);
        var line = Svg.Line("l", "Line", "d", [new("2011-01", 0, "a"), new("2011-02", 1, "b"), new("2011-03", 0.5, "c")], "top");

        Assert.Equal(2, Regex.Count(bars, "class=\"mark\""));
        Assert.Contains(">0 %</text>", bars, StringComparison.Ordinal);
        Assert.Equal(3, Regex.Count(line, "<circle class=\"mark\""));
        Assert.Contains("<polyline", line, StringComparison.Ordinal);
    }

    [Fact]
    public void RfGrid_PutsRecencyAcrossAndFrequencyDown_AsTheClassicGrid()
    {
        var day = new DateTime(2011, 1, 1);
        var rows = Enumerable.Range(0, 10).SelectMany(i => Enumerable.Range(0, i + 1).Select(k =>
            new Transaction($"c{i}", $"o{i}-{k}", day.AddDays((i * 10) + k), 10m + i)));
        var result = RfmCalculator.Default.Calculate(rows, day.AddDays(120));

        var svg = HtmlReport.RfGrid(result, System.Globalization.CultureInfo.InvariantCulture);

        // The most recent, most frequent customers (R5 F5) are champions, top right; the least (R1 F1) bottom left.
        var champion = result.Customers.Single(c => c.CustomerId == "c9");
        Assert.Equal((5, 5, "champions"), (champion.Score.R, champion.Score.F, champion.Segment.Key));
        var margin = 34 + (7 * "F 5".Length) < 56 ? 56 : 34 + (7 * "F 5".Length);
        Assert.Matches($"<rect class=\"mark\" x=\"{margin + (4 * 136) + 1}\" y=\"1\"[^>]*><title>R5 F5: Champions, 2 customers", svg);
        Assert.Matches($"<rect class=\"mark\" x=\"{margin + 1}\" y=\"{(4 * 60) + 1}\"[^>]*><title>R1 F1: Hibernating, 2 customers", svg);
    }

    [Theory]
    [InlineData(0, "#eef2f7")]
    [InlineData(1, "#1e3a8a")]
    [InlineData(double.NaN, "#eef2f7")]
    public void Blue_RunsFromPaleToDeep(double intensity, string colour) => Assert.Equal(colour, Svg.Blue(intensity));

    // Every chart's marks that the browser laid out with a size, by chart.
    private const string CountDrawnMarks = """
        JSON.stringify(Object.fromEntries([...document.querySelectorAll('svg[data-chart]')].map(svg =>
            [svg.dataset.chart, [...svg.querySelectorAll('.mark')].filter(m => { const r = m.getBoundingClientRect(); return r.width > 0 && r.height > 0; }).length])))
        """;

    // The marks each chart must have, from the library's own figures for the bundled data.
    private static Dictionary<string, int> Expected()
    {
        var calculator = RfmCalculator.Default;
        var now = Read(AsOf, keepOrders: true);
        var result = calculator.Score(now.Snapshot(AsOf));
        var months = new PeriodCalendar(PeriodUnit.Month);
        var history = now.History(AsOf);
        var before = calculator.Score(Read(Before, keepOrders: false).Snapshot(Before));
        var segments = result.Segments.Count(s => s.Customers > 0);
        return new Dictionary<string, int>
        {
            ["rf-grid"] = 25,
            ["segment-sizes"] = segments,
            ["segment-revenue"] = segments,
            ["recency-scores"] = 5,
            ["frequency-scores"] = 5,
            ["monetary-scores"] = 5,
            ["kpi-active"] = history.Kpis(months).Length,
            ["kpi-revenue"] = history.Kpis(months).Length,
            ["cohorts"] = history.Cohorts(months).Cells.Length,
            ["migration"] = SegmentMigration.Between(before, result, calculator.SegmentMap).Cells.Length,
        };
    }

    private static RfmAccumulator Read(DateTime asOf, bool keepOrders)
    {
        using var file = new GZipStream(File.OpenRead(Cli.BundledData), CompressionMode.Decompress);
        using var reader = CsvDataReader.Create(new StreamReader(file));
        var accumulator = new RfmAccumulator(asOf, TransactionPolicy.Default, keepOrders);
        accumulator.Add(reader, TransactionColumns.OnlineRetail);
        return accumulator;
    }
}
