using FsCheck;
using FsCheck.Fluent;

namespace Rfm.Cli.Tests.Parity;

/// <summary>
/// Small CSV files, mostly valid, with hostile values: blank and padded ids in several Unicode white spaces, NUL and
/// control characters in ids, offsets and <c>Z</c>, sub-microsecond fractions, non-ISO and impossible dates, huge,
/// negative and exponent amounts; both money layouts, with and without an order column; case-variant and duplicated
/// headers, trailing fields, ragged rows and blank lines; both presets; an analysis date close to the dates.
/// </summary>
public static class ParityGenerators
{
    private static readonly DateTime[] AsOfs =
    [
        new(2024, 7, 1, 0, 0, 0), new(2024, 7, 1, 2, 0, 0), new(2024, 6, 30, 23, 0, 0), new(2024, 6, 30, 12, 0, 0),
    ];

    private static readonly Gen<string> GoodCustomers = Gen.Elements("a", "b", "c", "A", "7", "007", "Zoë", "O'Brien", "x,y", "q\"r");

    private static readonly Gen<string> HostileCustomers = Gen.Elements(
        string.Empty, " ", "  ", "\t", "\u00A0", "\u2003", "\u3000", "\u2028", "\u0085", " \u00A0\t", " a", "a ", "\u00A0a", "a\u3000",
        "c\u0000d", "e\u0001", "\u0007", "f\u001Fg");

    private static readonly Gen<string> GoodOrders = Gen.Elements("1001", "1002", "1003", "1004", "X1", "x1", "C1005", "1C");

    private static readonly Gen<string> HostileOrders = Gen.Elements(
        string.Empty, "  ", "\t", "\u00A0", "\u3000", " 1001", "1001 ", "01001", "c1006", "C", "\u00A0C1", "o\u0000p");

    private static readonly Gen<string> GoodDates = Gen.Elements(
        "2024-06-30 10:00", "2024-06-30T23:30:00", "2024-06-01", "2024-06-30 22:00:00-05:00", "2024-07-01T01:00:00+02:00",
        "2024-06-30T23:59:59Z", "2024-06-15 12:00:00Z", "2024-06-01 00:00:00.123456", "2024-06-01T00:00:00.1234560",
        " 2024-06-02 08:00 ", "2024-06-30 20:00:00+05:45", "2024-07-01 00:00:00", "2024-07-01T00:30:00+01:00", "2024-05-31 23:59:59.999999");

    private static readonly Gen<string> HostileDates = Gen.Elements(
        "2024-07-01 00:00:00.0000001", "2024-06-01 12:00:00.1234567", "2024-1-5", "2024/01/06", "2024-01-06 5:00", "2024-02-30",
        "09/06/2011 10:00", "yesterday", string.Empty, "  ", "2024-06-01T24:00", "2024-06-01 10:00+5", "2024-13-01");

    private static readonly Gen<string> GoodAmounts = Gen.Elements(
        "10", "2.5", "0.01", "19.99", "100", "1e2", "1.5E-1", " 7.25 ", "0", "-3", "-0.5", "3.000");

    private static readonly Gen<string> HostileAmounts = Gen.Elements(
        "79228162514264337593543950335", "79228162514264337593543950000", "-79228162514264337593543950335",
        "40000000000000000000000000000", "7.9228162514264337593543950335e28", string.Empty, "abc", "1e-40", "12,5", "1e30", "0.0000001", "NaN");

    private static readonly Gen<string> GoodQuantities = Gen.Elements("1", "2", "3", "12", "1.5", "1e1", "0", "-1");

    private static readonly Gen<string> HostileQuantities = Gen.Elements("1000000000", "79228162514264337593543950335", string.Empty, "x", "2e-30");

    private static readonly Gen<string> GoodPrices = Gen.Elements("2.5", "0.01", "10", "4.99", "1E3", "0", "-4");

    private static readonly Gen<string> HostilePrices = Gen.Elements("39614081257132168796771975168", "79228162514264337593543950335", string.Empty, "1/2");

    private static readonly Gen<string> Notes = Gen.Elements("ok", string.Empty, "a note, with a comma", "say \"hi\"", "two\nlines");

    private static Gen<string> Mostly(Gen<string> good, Gen<string> hostile, int goodWeight) =>
        Gen.Frequency((goodWeight, good), (1, hostile));

    // Dates and money are good in all but one of `good` rows: mostly valid files, and now and then (good = 2) files
    // where sums of huge amounts overflow and several values are refused.
    private static Gen<string> Value(Role role, int good) => role switch
    {
        Role.Customer => Mostly(GoodCustomers, HostileCustomers, 8),
        Role.Order => Mostly(GoodOrders, HostileOrders, 6),
        Role.Date => Mostly(GoodDates, HostileDates, good),
        Role.Amount => Mostly(GoodAmounts, HostileAmounts, good),
        Role.Quantity => Mostly(GoodQuantities, HostileQuantities, good),
        Role.Price => Mostly(GoodPrices, HostilePrices, good),
        _ => Notes,
    };

    // The canonical name, or the same name in another case.
    private static Gen<string> HeaderName(Role role) => Gen.Frequency(
        (5, Gen.Constant(ParityCase.Name(role))),
        (1, Gen.Constant(ParityCase.Name(role).ToUpperInvariant())),
        (1, Gen.Constant(string.Join('_', ParityCase.Name(role).Split('_').Select(w => char.ToUpperInvariant(w[0]) + w[1..])))));

    private static readonly Gen<IReadOnlyList<Role>> Layouts =
        from amount in Gen.Elements(true, false)
        from order in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
        from note in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        from rotate in Gen.Choose(0, 4)
        select Arrange(amount, order, note, rotate);

    private static IReadOnlyList<Role> Arrange(bool amount, bool order, bool note, int rotate)
    {
        var roles = new List<Role> { Role.Customer };
        if (order)
        {
            roles.Add(Role.Order);
        }

        roles.Add(Role.Date);
        roles.AddRange(amount ? [Role.Amount] : [Role.Quantity, Role.Price]);
        if (note)
        {
            roles.Add(Role.Note);
        }

        rotate %= roles.Count;
        return [.. roles[rotate..], .. roles[..rotate]];
    }

    private static Gen<IReadOnlyList<string>> RowOf(IReadOnlyList<Role> roles, int good) =>
        Gen.CollectToArray(roles.Select(role => Value(role, good))).Select(values => NotAllBlank(roles, values));

    // A row whose every field is blank is an empty row, which only text engines can be given: give it a customer.
    private static IReadOnlyList<string> NotAllBlank(IReadOnlyList<Role> roles, string[] values)
    {
        if (values.All(string.IsNullOrWhiteSpace))
        {
            values[roles.ToList().IndexOf(Role.Customer)] = "a";
        }

        return values;
    }

    private static Gen<IReadOnlySet<int>> Some(int rows, int weightNone) =>
        Gen.Frequency(
            (weightNone, Gen.Constant<IReadOnlySet<int>>(new HashSet<int>())),
            (1, Gen.Choose(-1, Math.Max(-1, rows - 1)).Select(i => (IReadOnlySet<int>)new HashSet<int> { i })));

    private static Gen<string?> Duplicates(string[] headers) => Gen.Frequency(
        (14, Gen.Constant<string?>(null)),
        (1, Gen.Elements(headers).Select(h => (string?)h)),
        (1, Gen.Elements(headers).Select(h => (string?)h.ToUpperInvariant())));

    public static Gen<ParityCase> Cases { get; } =
        from roles in Layouts
        from headers in Gen.CollectToArray(roles.Select(HeaderName))
        from count in Gen.Choose(1, 7)
        from good in Gen.Frequency((6, Gen.Constant(24)), (1, Gen.Constant(2)))
        from rows in Gen.ListOf(RowOf(roles, good), count)
        from asOf in Gen.Elements(AsOfs)
        from tutorial in Gen.Elements(false, true)
        from duplicate in Duplicates(headers)
        from trailing in Some(count, 14)
        from ragged in Some(count, 14)
        from blank in Some(count, 10)
        from crlf in Gen.Elements(false, true)
        select new ParityCase([.. roles.Zip(headers, (r, h) => new ParityColumn(r, h))], [.. rows], asOf, tutorial)
        {
            DuplicateHeader = duplicate,
            TrailingField = new HashSet<int>(trailing.Where(i => i >= 0)),
            Ragged = new HashSet<int>(ragged.Where(i => i >= 0)),
            BlankLineAfter = blank,
            CrLf = crlf,
        };

    /// <summary>The cases, shrunk by dropping a row, then the odd lines, then each value made plain.</summary>
    public static Arbitrary<ParityCase> ParityCases() => Arb.From(Cases, Shrink);

    private static IEnumerable<ParityCase> Shrink(ParityCase c)
    {
        for (var i = 0; i < c.Rows.Count && c.Rows.Count > 1; i++)
        {
            yield return c with
            {
                Rows = [.. c.Rows.Take(i), .. c.Rows.Skip(i + 1)],
                TrailingField = Shift(c.TrailingField, i),
                Ragged = Shift(c.Ragged, i),
                BlankLineAfter = Shift(c.BlankLineAfter, i),
            };
        }

        if (c.IsStructural)
        {
            yield return c with { DuplicateHeader = null, TrailingField = new HashSet<int>(), Ragged = new HashSet<int>(), BlankLineAfter = new HashSet<int>() };
        }

        if (c.CrLf)
        {
            yield return c with { CrLf = false };
        }

        if (c.Columns.Any(col => col.Header != ParityCase.Name(col.Role)))
        {
            yield return c with { Columns = [.. c.Columns.Select(col => col with { Header = ParityCase.Name(col.Role) })] };
        }
    }

    private static HashSet<int> Shift(IReadOnlySet<int> rows, int removed) =>
        [.. rows.Where(r => r != removed).Select(r => r > removed ? r - 1 : r)];
}
