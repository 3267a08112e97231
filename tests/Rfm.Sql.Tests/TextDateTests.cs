using System.Data.Common;
using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Rfm.Sql.Tests.Engines;

namespace Rfm.Sql.Tests;

/// <summary>
/// A text date column is read in SQL exactly as <see cref="RowContract.TryParseTimestamp"/> reads it: the same dates,
/// the same refusals, on every engine, for hostile texts and for generated ones.
/// </summary>
public sealed class TextDateTests
{
    private static readonly DateTime OpenEnded = new(9999, 12, 31, 23, 59, 59, 999, 999);

    // Offsets, Z, fractions finer than a microsecond, non-ISO forms, impossible dates and times, the ends of the
    // range, white space of several kinds, control characters, full-width digits, words servers read as dates.
    public static readonly string[] HostileTexts =
    [
        "2024-07-01 00:00:00.0000001", "2024-07-01 00:00:00.1234560000", "2024-07-01 00:00:00.1234567", "2024-07-01T00:00:00.123456789000",
        "2024-07-01 00:00:00.000000", "2024-07-01 00:00:00.", "2024-07-01 00:00:00.5Z",
        "2024-1-5", "2024/01/06", "2024-01-06 5:00", "2024-01-06T10", "20240106", "+2024-01-06", "2024-01-06t10:00", "2024-01-06  10:00",
        "2024-01-06\n10:00", "2024-01-06_10:00", "09/06/2011 10:00", "06.09.2011", "yesterday", "now", "epoch", "infinity", "today",
        "2024-02-30", "2023-02-29", "2024-02-29", "1900-02-29", "2000-02-29", "2100-02-29", "2024-04-31", "2024-13-01", "2024-00-10",
        "2024-01-00", "0000-01-01", "2024-01-06 24:00", "2024-01-06 23:60", "2024-01-06 10:00:60", "2024-01-06 23:59:59.999999",
        "9999-12-31T23:00:00-05:00", "9999-12-31T23:00:00+05:00", "9999-12-31T23:59:59.999999Z", "0001-01-01T00:00:00+01:00",
        "0001-01-01T00:00:00-01:00", "0001-01-01 00:00", "2024-01-06T10:00Z", "2024-01-06 10:00z", "2024-01-06 10:00+05:45",
        "2024-01-06 10:00:00-23:59", "2024-01-06 10:00:00+24:00", "2024-01-06 10:00:00+05:60", "2024-01-06 10:00:00+0100",
        "2024-01-06 10:00 +01:00", "2024-01-06T10:00:00.25-03:30",
        " \t2024-01-06\u00A0", "\u2028 2024-01-06 10:00 \u3000", "\u00852024-01-06\u2029", "\r\n2024-01-06T00:00:00Z\v\f",
        "\u1680\u2000\u200A2024-01-06\u202F\u205F", "2024-01-06\u200B", "\uFEFF2024-01-06", "2024-01-06\0", "\u0001 2024-01-06",
        "2024-01-06 10:00\u0007", "２０２４-01-06", "2024-０1-06", "٢٠٢٤-01-06", "", " ", "\t\n", "\u3000",
    ];

    [Fact]
    public Task DuckDb_HostileTexts_AreReadAsTheRowContractReadsThem() => OnDuckDb(connection => Check(connection, SqlDialect.DuckDb, HostileTexts));

    [PostgresFact]
    public Task PostgreSql_HostileTexts_AreReadAsTheRowContractReadsThem() =>
        OnPostgres(connection => Check(connection, SqlDialect.PostgreSql, [.. HostileTexts.Where(t => !t.Contains('\0', StringComparison.Ordinal))]));

    [Property(MaxTest = 25, Arbitrary = [typeof(TextDateTests)])]
    public void DuckDb_GeneratedTexts_AreReadAsTheRowContractReadsThem(DateTexts texts) =>
        OnDuckDb(connection => Check(connection, SqlDialect.DuckDb, texts.Texts)).GetAwaiter().GetResult();

    [PostgresProperty(MaxTest = 25, Arbitrary = [typeof(TextDateTests)])]
    public void PostgreSql_GeneratedTexts_AreReadAsTheRowContractReadsThem(DateTexts texts) =>
        OnPostgres(connection => Check(connection, SqlDialect.PostgreSql, [.. texts.Texts.Where(t => !t.Contains('\0', StringComparison.Ordinal))])).GetAwaiter().GetResult();

    /// <summary>Texts near the date form: fields of every width and range, separators and zones right and wrong, white space around.</summary>
    public static Arbitrary<DateTexts> Texts()
    {
        static Gen<string> Digits(int width, int max) => Gen.Frequency(
            (12, Gen.Choose(0, max).Select(n => n.ToString(new string('0', width), CultureInfo.InvariantCulture))),
            (1, Gen.Choose(0, 99_999).Select(n => n.ToString(CultureInfo.InvariantCulture))),
            (1, Gen.Elements("", "x", "１", "٣", "0١")));
        var year = Gen.Frequency((3, Digits(4, 9999)), (2, Gen.Elements("0000", "0001", "9999", "1900", "2000", "2100", "2023", "2024")));
        var fraction = from length in Gen.Choose(1, 12)
                       from digits in Gen.ArrayOf(Gen.Frequency((3, Gen.Choose(0, 9)), (2, Gen.Constant(0))), length)
                       select "." + string.Concat(digits);
        var zone = Gen.Frequency(
            (4, Gen.Constant(string.Empty)),
            (2, Gen.Elements("Z", "z", "+00:00", "-00:00")),
            (3, from sign in Gen.Elements("+", "-", "±")
                from hours in Digits(2, 25)
                from minutes in Digits(2, 61)
                from colon in Gen.Frequency((8, Gen.Constant(":")), (1, Gen.Constant(string.Empty)))
                select sign + hours + colon + minutes));
        var time = from separator in Gen.Frequency((4, Gen.Elements(" ", "T")), (1, Gen.Elements("t", "  ", "_", "\n")))
                   from hour in Digits(2, 25)
                   from minute in Digits(2, 61)
                   from second in Gen.Frequency((1, Gen.Constant(string.Empty)), (3, Digits(2, 61).Select(s => ":" + s)))
                   from fractionText in Gen.Frequency((2, Gen.Constant(string.Empty)), (1, fraction))
                   from zoneText in zone
                   select separator + hour + ":" + minute + second + (second.Length > 0 ? fractionText : string.Empty) + zoneText;
        var space = Gen.Frequency(
            (6, Gen.Constant(string.Empty)),
            (3, Gen.ArrayOf(Gen.Elements([.. RowContract.WhiteSpace.Select(c => c.ToString())]), 1).Select(string.Concat)),
            (1, Gen.Elements("\0", "\u200B", "\u0001", "x")));
        var text = from before in space
                   from y in year
                   from dash in Gen.Frequency((12, Gen.Constant("-")), (1, Gen.Elements("/", ".", "－")))
                   from m in Digits(2, 13)
                   from d in Digits(2, 32)
                   from timeText in Gen.Frequency((1, Gen.Constant(string.Empty)), (3, time))
                   from after in space
                   select before + y + dash + m + "-" + d + timeText + after;
        return Arb.From(Gen.ArrayOf(text, 60).Select(texts => new DateTexts(texts)));
    }

    // Each text in a row of its own (customer c0, c1, ...): its date or refusal in SQL, against the row contract's.
    private static async Task Check(DbConnection connection, SqlDialect dialect, string[] texts)
    {
        var table = new TransactionTable(new SqlTableName("dates")) { AmountColumn = true, DateType = SqlDateType.Text };
        var rows = texts.Select((text, i) => new TestRow($"c{i}", null, null, 1m, 1m, text)).ToArray();
        await table.CreateAsync(connection, dialect, rows);
        var pipeline = new PipelineSql(dialect, RfmCalculator.Default, table.Name, table.Columns, OpenEnded, SqlDateType.Text);

        var seen = new Dictionary<string, (DateTime? Date, int? Code)>();
        await using (var command = pipeline.Rows.CreateCommand(connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                seen[reader.GetString(0)] = (reader.IsDBNull(2) ? null : reader.GetDateTime(2), reader.IsDBNull(4) ? null : Convert.ToInt32(reader.GetValue(4), CultureInfo.InvariantCulture));
            }
        }

        Assert.Equal(texts.Length, seen.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            (DateTime? Date, int? Code) expected = string.IsNullOrWhiteSpace(texts[i])
                ? (null, PipelineSql.MissingDateCode)
                : RowContract.TryParseTimestamp(texts[i], null, out var date)
                    ? (DateTime.SpecifyKind(date, DateTimeKind.Unspecified), null)
                    : (null, PipelineSql.InvalidDateCode);
            var actual = seen[$"c{i}"];
            Assert.True(expected == actual, $"{dialect}: \"{SqlStatement.Escape(texts[i])}\": expected {expected}, got {actual}");
        }
    }

    private static async Task OnDuckDb(Func<DbConnection, Task> test)
    {
        await using var connection = await DuckDb.OpenAsync();
        await test(connection);
    }

    private static async Task OnPostgres(Func<DbConnection, Task> test)
    {
        await using var scope = await PostgresServer.OpenScopeAsync();
        await test(scope.Connection);
    }
}

/// <summary>A batch of texts that look more or less like dates.</summary>
public sealed record DateTexts(string[] Texts)
{
    public override string ToString() => string.Join(", ", Texts.Select(t => "\"" + SqlStatement.Escape(t) + "\""));
}
