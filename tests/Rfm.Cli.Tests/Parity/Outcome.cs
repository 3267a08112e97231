using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Rfm.Cli.Tests.Parity;

/// <summary>
/// One customer's metrics as an engine reports them; the command line's JSON holds no purchase dates, lines or
/// tenure, so those are null for it and compared only where both sides have them.
/// </summary>
public sealed record Metrics(string Id, int Recency, int Frequency, decimal Monetary, DateTime? First, DateTime? Last, long? Lines, int? Tenure)
{
    public static Metrics From(CustomerMetrics m) => new(m.CustomerId, m.Recency, m.Frequency, m.Monetary, m.FirstPurchase, m.LastPurchase, m.Lines, m.Tenure);

    /// <summary>The fields that differ, with both values; empty when all compared fields are equal.</summary>
    public IEnumerable<string> Differences(Metrics other)
    {
        if (Recency != other.Recency)
        {
            yield return $"recency {Recency} / {other.Recency}";
        }

        if (Frequency != other.Frequency)
        {
            yield return $"frequency {Frequency} / {other.Frequency}";
        }

        if (Monetary != other.Monetary)
        {
            yield return $"monetary {Monetary} / {other.Monetary}";
        }

        if (First is { } f && other.First is { } of && f.Ticks != of.Ticks)
        {
            yield return $"first {f:O} / {of:O}";
        }

        if (Last is { } l && other.Last is { } ol && l.Ticks != ol.Ticks)
        {
            yield return $"last {l:O} / {ol:O}";
        }

        if (Lines is { } n && other.Lines is { } on && n != on)
        {
            yield return $"lines {n} / {on}";
        }

        if (Tenure is { } t && other.Tenure is { } ot && t != ot)
        {
            yield return $"tenure {t} / {ot}";
        }
    }
}

/// <summary>The ingestion account: rows and money read, and per exclusion reason.</summary>
public sealed record Account(long RowsRead, decimal AmountRead, IReadOnlyDictionary<ExclusionReason, (long Rows, decimal Amount)> Excluded)
{
    public static Account From(IngestionSummary summary) =>
        new(summary.RowsRead, summary.AmountRead, summary.Exclusions.ToDictionary(e => e.Reason, e => (e.Rows, e.Amount)));

    public IEnumerable<string> Differences(Account other)
    {
        if (RowsRead != other.RowsRead || AmountRead != other.AmountRead)
        {
            yield return $"read {RowsRead} ({AmountRead}) / {other.RowsRead} ({other.AmountRead})";
        }

        foreach (var reason in Enum.GetValues<ExclusionReason>())
        {
            var mine = Excluded.GetValueOrDefault(reason);
            var theirs = other.Excluded.GetValueOrDefault(reason);
            if (mine.Rows != theirs.Rows || mine.Amount != theirs.Amount)
            {
                yield return $"{reason} {mine.Rows} ({mine.Amount}) / {theirs.Rows} ({theirs.Amount})";
            }
        }
    }

    public override string ToString() =>
        $"read {RowsRead} ({AmountRead})" + string.Concat(Excluded.Where(e => e.Value.Rows != 0 || e.Value.Amount != 0).Select(e => $", {e.Key} {e.Value.Rows} ({e.Value.Amount})"));
}

/// <summary>What one engine made of a case: a result, or a refusal with its message.</summary>
public sealed record Outcome(string Engine, IReadOnlyList<Metrics>? Customers, Account? Account, string? Error)
{
    /// <summary>Whether the engine was given the texts of the rows (and so can name a value), not values made from them.</summary>
    public bool GivenText { get; init; }

    /// <summary>Whether the refusal is the test's own: the texts could not be made into the values this engine takes.</summary>
    public bool RefusedBeforeEngine { get; init; }

    /// <summary>Whether the refusal is an <see cref="OverflowException"/> the library threw in process.</summary>
    public bool IsOverflowException { get; init; }

    /// <summary>Whether the outcome is a SQL statement's, run on a database.</summary>
    public bool Sql { get; init; }

    public bool Refused => Error is not null;

    public static Outcome Of(string engine, MetricsSnapshot snapshot) =>
        new(engine, [.. snapshot.Customers.Select(Metrics.From)], Account.From(snapshot.Ingestion), null);

    public static Outcome Of(string engine, RfmResult result) =>
        new(engine, [.. result.Customers.Select(c => Metrics.From(c.Metrics))], Account.From(result.Ingestion), null);

    public static Outcome Refusal(string engine, string message) => new(engine, null, null, message);

    /// <summary>The outcome of the command line's JSON: customers without dates, lines or tenure.</summary>
    public static Outcome FromJson(string engine, string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var ingestion = root.GetProperty("ingestion");
        var excluded = ingestion.GetProperty("excluded").EnumerateArray().ToDictionary(
            e => Enum.Parse<ExclusionReason>(e.GetProperty("reason").GetString()!),
            e => (e.GetProperty("rows").GetInt64(), e.GetProperty("amount").GetDecimal()));
        var account = new Account(ingestion.GetProperty("rowsRead").GetInt64(), ingestion.GetProperty("amountRead").GetDecimal(), excluded);
        var customers = root.GetProperty("customers").EnumerateArray().Select(c => new Metrics(
            c.GetProperty("customerId").GetString()!,
            c.GetProperty("recency").GetInt32(),
            c.GetProperty("frequency").GetInt32(),
            c.GetProperty("monetary").GetDecimal(),
            null,
            null,
            null,
            null)).ToList();
        return new Outcome(engine, customers, account, null) { GivenText = true };
    }

    /// <summary>How this outcome differs from another; empty when they agree.</summary>
    public IReadOnlyList<string> Differences(Outcome other)
    {
        var differences = new List<string>();
        if (Refused || other.Refused)
        {
            if (Refused != other.Refused)
            {
                differences.Add("one refuses, the other gives a result");
            }

            return differences;
        }

        // The tool states the account of an input that leaves no customer in its message only.
        if (Account is not null && other.Account is not null)
        {
            differences.AddRange(Account.Differences(other.Account).Select(d => "account: " + d));
        }

        var mine = Customers!.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var theirs = other.Customers!.ToDictionary(c => c.Id, StringComparer.Ordinal);
        foreach (var id in mine.Keys.Except(theirs.Keys))
        {
            differences.Add($"customer [{ParityCase.Escape(id)}] only in {Engine}");
        }

        foreach (var id in theirs.Keys.Except(mine.Keys))
        {
            differences.Add($"customer [{ParityCase.Escape(id)}] only in {other.Engine}");
        }

        foreach (var (id, metrics) in mine)
        {
            if (theirs.TryGetValue(id, out var them))
            {
                differences.AddRange(metrics.Differences(them).Select(d => $"customer [{ParityCase.Escape(id)}]: {d}"));
            }
        }

        return differences;
    }

    public override string ToString()
    {
        if (Refused)
        {
            return $"{Engine}: refuses: {ParityCase.Escape(Error!)}";
        }

        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{Engine}: {Account?.ToString() ?? "no customer to analyse"}; customers");
        foreach (var c in Customers!)
        {
            text.Append(CultureInfo.InvariantCulture, $" [{ParityCase.Escape(c.Id)}] R{c.Recency} F{c.Frequency} M{c.Monetary}");
        }

        return text.ToString();
    }
}
