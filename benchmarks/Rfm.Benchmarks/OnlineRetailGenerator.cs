using System.Globalization;

namespace Rfm.Benchmarks;

/// <summary>
/// Deterministic rows shaped like the UCI Online Retail II log: invoices of 1..30 lines (or 1..N, see
/// <see cref="Lines"/>) in date order over two years, about 2% cancelled invoices (id prefixed with <c>C</c>, negative quantities), about 20% of invoices
/// without a customer, about 0.5% zero-priced lines, prices with two decimals.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Lines"/> is the one source of rows: <see cref="Generate"/> turns them into <see cref="Transaction"/>
/// values in memory and <see cref="OnlineRetailCsv"/> streams them to a file, so both describe the same data.
/// </para>
/// <para>
/// The same arguments always give the same rows (<see cref="Random"/> with a fixed seed). Invoices, customers,
/// dates, quantities and prices come from one random stream; products and countries, which only the CSV shows,
/// come from a second one, so adding them left the in-memory rows exactly as they were.
/// </para>
/// </remarks>
internal static class OnlineRetailGenerator
{
    /// <summary>The seed every benchmark uses.</summary>
    public const int DefaultSeed = 20_091_201;

    /// <summary>Days covered by the rows.</summary>
    public const int Days = 730;

    /// <summary>The first customer id; customer <c>i</c> of the pool has id <c>FirstCustomerId + i</c>.</summary>
    public const int FirstCustomerId = 12_346;

    private const double CancelledInvoiceShare = 0.02;
    private const double MissingCustomerShare = 0.20;
    private const double ZeroPriceShare = 0.005;
    private const double BulkLineShare = 0.05;
    private const double HomeCountryShare = 0.90;
    private const int FirstInvoice = 489_434;

    // Unit prices are log-uniform between 0.19 and 25.00.
    private const int MinPriceCents = 19;
    private const int MaxPriceCents = 2_500;

    /// <summary>The most lines an invoice has unless told otherwise: the invoice shape, about 15 lines an invoice.</summary>
    public const int DefaultMaxLines = 30;

    /// <summary>The first invoice's date, as in the real file.</summary>
    public static DateTime Start { get; } = new(2009, 12, 1, 7, 45, 0);

    /// <summary>The analysis date: the day after the last possible row, so no row is after it.</summary>
    public static DateTime AsOf { get; } = Start.Date.AddDays(Days + 1);

    /// <summary>
    /// Products as the UCI file spells them (upper case, stock codes with a letter suffix for variants), a few
    /// with commas in the description, most popular first.
    /// </summary>
    public static IReadOnlyList<(string StockCode, string Description)> Products { get; } =
    [
        ("85123A", "WHITE HANGING HEART T-LIGHT HOLDER"),
        ("22423", "REGENCY CAKESTAND 3 TIER"),
        ("85099B", "JUMBO BAG RED RETROSPOT"),
        ("47566", "PARTY BUNTING"),
        ("20725", "LUNCH BAG RED RETROSPOT"),
        ("84879", "ASSORTED COLOUR BIRD ORNAMENT"),
        ("21216", "SET 3 RETROSPOT TEA,COFFEE,SUGAR"),
        ("22720", "SET OF 3 CAKE TINS PANTRY DESIGN"),
        ("21212", "PACK OF 72 RETROSPOT CAKE CASES"),
        ("20727", "LUNCH BAG  BLACK SKULL."),
        ("22457", "NATURAL SLATE HEART CHALKBOARD"),
        ("POST", "POSTAGE"),
        ("22386", "JUMBO BAG PINK POLKADOT"),
        ("21900", "KEY FOB , SHED"),
        ("22469", "HEART OF WICKER SMALL"),
        ("22960", "JAM MAKING SET WITH JARS"),
        ("21931", "JUMBO STORAGE BAG SUKI"),
        ("22086", "PAPER CHAIN KIT 50'S CHRISTMAS"),
        ("22411", "JUMBO SHOPPER VINTAGE RED PAISLEY"),
        ("82567", "AIRLINE LOUNGE,METAL SIGN"),
        ("20728", "LUNCH BAG CARS BLUE"),
        ("22382", "LUNCH BAG SPACEBOY DESIGN"),
        ("22961", "JAM MAKING SET PRINTED"),
        ("22666", "RECIPE BOX PANTRY YELLOW DESIGN"),
        ("23298", "SPOTTY BUNTING"),
        ("22819", "BIRTHDAY CARD, RETRO SPOT"),
        ("22383", "LUNCH BAG SUKI DESIGN"),
        ("22699", "ROSES REGENCY TEACUP AND SAUCER"),
        ("22384", "LUNCH BAG PINK POLKADOT"),
        ("82482", "WOODEN PICTURE FRAME WHITE FINISH"),
        ("22993", "SET OF 4 PANTRY JELLY MOULDS"),
        ("22727", "ALARM CLOCK BAKELIKE RED"),
        ("51014A", "FEATHER PEN,HOT PINK"),
        ("22697", "GREEN REGENCY TEACUP AND SAUCER"),
        ("23206", "LUNCH BAG APPLE DESIGN"),
        ("22178", "VICTORIAN GLASS HANGING T-LIGHT"),
        ("20724", "RED RETROSPOT CHARLOTTE BAG"),
        ("20726", "LUNCH BAG WOODLAND"),
        ("23084", "RABBIT NIGHT LIGHT"),
        ("22760", "TRAY, BREAKFAST IN BED"),
        ("22726", "ALARM CLOCK BAKELIKE GREEN"),
        ("21080", "SET/20 RED RETROSPOT PAPER NAPKINS"),
        ("23199", "JUMBO BAG APPLES"),
        ("22077", "6 RIBBONS RUSTIC CHARM"),
        ("21034", "REX CASH+CARRY JUMBO SHOPPER"),
        ("85099C", "JUMBO  BAG BAROQUE BLACK WHITE"),
        ("21790", "VINTAGE SNAP CARDS"),
        ("82494L", "WOODEN FRAME ANTIQUE WHITE"),
        ("84991", "60 TEATIME FAIRY CAKE CASES"),
        ("21731", "RED TOADSTOOL LED NIGHT LIGHT"),
    ];

    /// <summary>Countries; the first is the home market, the rest share what it leaves evenly.</summary>
    public static IReadOnlyList<string> Countries { get; } =
    [
        "United Kingdom", "Germany", "France", "EIRE", "Spain", "Netherlands", "Belgium", "Switzerland", "Portugal", "Australia",
    ];

    /// <summary>Generates <paramref name="rows"/> rows for a pool of <paramref name="customers"/> customer ids.</summary>
    /// <param name="rows">How many rows (the last invoice is cut short to hit it exactly).</param>
    /// <param name="customers">The size of the customer pool; invoices pick their customer uniformly from it.</param>
    /// <param name="seed">The random seed.</param>
    /// <returns>The rows, in date order.</returns>
    /// <remarks>
    /// Strings are made once per customer (a fixed pool) and once per invoice, shared by its lines, so that the
    /// data set costs about what the parsed real file would, and does not dwarf what the code under test allocates.
    /// </remarks>
    public static Transaction[] Generate(int rows, int customers, int seed = DefaultSeed)
    {
        var lines = Lines(rows, customers, seed);
        var customerIds = new string[customers];
        for (var i = 0; i < customerIds.Length; i++)
        {
            customerIds[i] = (FirstCustomerId + i).ToString(CultureInfo.InvariantCulture);
        }

        var result = new Transaction[rows];
        var row = 0;
        var invoiceNumber = -1;
        var invoice = string.Empty;
        foreach (var line in lines)
        {
            if (line.Invoice != invoiceNumber)
            {
                invoiceNumber = line.Invoice;
                invoice = line.Cancelled
                    ? string.Create(CultureInfo.InvariantCulture, $"C{invoiceNumber}")
                    : invoiceNumber.ToString(CultureInfo.InvariantCulture);
            }

            var customer = line.HasCustomer ? customerIds[line.CustomerIndex] : null;
            result[row++] = new Transaction(customer, invoice, line.Timestamp, line.Amount);
        }

        return result;
    }

    /// <summary>
    /// The rows as numbers, one at a time, for callers that must not hold them all (a 100-million-row file).
    /// </summary>
    /// <param name="rows">How many rows (the last invoice is cut short to hit it exactly).</param>
    /// <param name="customers">The size of the customer pool; invoices pick their customer uniformly from it.</param>
    /// <param name="seed">The random seed.</param>
    /// <param name="maxLines">
    /// The most lines an invoice has (each has 1..maxLines, uniformly). 30, the default, is the invoice shape; 1 makes
    /// every order a single line, the high-cardinality shape of a shop with many customers and few orders each
    /// (2M rows over a 1M-customer pool: one to three orders for most customers). The same random stream either way, so
    /// the default rows are the same as before the option existed.
    /// </param>
    /// <returns>The rows, in date order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is negative, or <paramref name="customers"/> or <paramref name="maxLines"/> is below 1.</exception>
    public static IEnumerable<OnlineRetailLine> Lines(long rows, int customers, int seed = DefaultSeed, int maxLines = DefaultMaxLines)
    {
        // Checked here, not in the iterator, so that a bad argument fails at the call rather than at the first row.
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(customers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLines, 1);
        return Iterate(rows, customers, seed, maxLines);
    }

    private static IEnumerable<OnlineRetailLine> Iterate(long rows, int customers, int seed, int maxLines)
    {
        var random = new Random(seed);
        var decoration = new Random(~seed);

        // Like the real file, a customer buys from one country; invoices without a customer get one each.
        var customerCountry = new byte[customers];
        for (var i = 0; i < customerCountry.Length; i++)
        {
            customerCountry[i] = PickCountry(decoration);
        }

        var logPriceRange = Math.Log((double)MaxPriceCents / MinPriceCents);
        var spanTicks = (double)TimeSpan.FromDays(Days).Ticks;
        var invoiceNumber = FirstInvoice;
        var row = 0L;
        while (row < rows)
        {
            var lines = (int)Math.Min(random.Next(1, maxLines + 1), rows - row);
            var cancelled = random.NextDouble() < CancelledInvoiceShare;
            var customer = random.NextDouble() < MissingCustomerShare ? -1 : random.Next(customers);
            var country = customer < 0 ? PickCountry(decoration) : customerCountry[customer];
            var invoice = invoiceNumber++;

            // Time moves with the share of rows written, to the minute, so invoices come in date order.
            var ticks = (long)(spanTicks * row / rows);
            var timestamp = Start.AddTicks(ticks - (ticks % TimeSpan.TicksPerMinute));

            for (var line = 0; line < lines; line++)
            {
                var quantity = random.NextDouble() < BulkLineShare ? random.Next(25, 481) : random.Next(1, 25);
                if (cancelled)
                {
                    quantity = -quantity;
                }

                var cents = random.NextDouble() < ZeroPriceShare
                    ? 0
                    : (int)Math.Round(MinPriceCents * Math.Exp(random.NextDouble() * logPriceRange));

                // Squaring a uniform draw favours the head of the list, the way a few products dominate the real file.
                var popularity = decoration.NextDouble();
                var product = (int)(popularity * popularity * Products.Count);
                row++;
                yield return new OnlineRetailLine(invoice, cancelled, customer, timestamp, quantity, cents, product, country);
            }
        }
    }

    private static byte PickCountry(Random random) =>
        random.NextDouble() < HomeCountryShare ? (byte)0 : (byte)random.Next(1, Countries.Count);
}

/// <summary>One generated row, as numbers: each consumer makes only the text it needs.</summary>
/// <param name="Invoice">The invoice number, without the <c>C</c> of a cancellation.</param>
/// <param name="Cancelled">Whether the invoice is a cancellation (its id starts with <c>C</c>, its quantities are negative).</param>
/// <param name="CustomerIndex">The customer's place in the pool, or -1 for a row without a customer.</param>
/// <param name="Timestamp">The invoice date, to the minute.</param>
/// <param name="Quantity">The quantity, negative on a cancellation.</param>
/// <param name="PriceCents">The unit price in cents (0 for a zero-priced line).</param>
/// <param name="Product">The index into <see cref="OnlineRetailGenerator.Products"/>.</param>
/// <param name="Country">The index into <see cref="OnlineRetailGenerator.Countries"/>.</param>
internal readonly record struct OnlineRetailLine(
    int Invoice, bool Cancelled, int CustomerIndex, DateTime Timestamp, int Quantity, int PriceCents, int Product, int Country)
{
    /// <summary>Whether the row has a customer.</summary>
    public bool HasCustomer => CustomerIndex >= 0;

    /// <summary>The customer id, as in the file's <c>Customer ID</c> column; meaningful only when <see cref="HasCustomer"/>.</summary>
    public int CustomerId => OnlineRetailGenerator.FirstCustomerId + CustomerIndex;

    /// <summary>The unit price, with two decimals.</summary>
    public decimal Price => new(PriceCents, 0, 0, isNegative: false, scale: 2);

    /// <summary>Quantity times unit price.</summary>
    public decimal Amount => Quantity * Price;
}

/// <summary>The same rows as columns, for <see cref="RfmAccumulator.AddColumns"/>; the strings are shared with the rows.</summary>
internal sealed class OnlineRetailColumns
{
    /// <summary>Splits rows into columns.</summary>
    /// <param name="rows">The rows.</param>
    public OnlineRetailColumns(ReadOnlySpan<Transaction> rows)
    {
        CustomerIds = new string?[rows.Length];
        OrderIds = new string?[rows.Length];
        Timestamps = new DateTime[rows.Length];
        Amounts = new decimal[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            CustomerIds[i] = rows[i].CustomerId;
            OrderIds[i] = rows[i].OrderId;
            Timestamps[i] = rows[i].Timestamp;
            Amounts[i] = rows[i].Amount;
        }
    }

    /// <summary>The customer ids (null for a missing customer).</summary>
    public string?[] CustomerIds { get; }

    /// <summary>The invoice ids.</summary>
    public string?[] OrderIds { get; }

    /// <summary>The invoice dates.</summary>
    public DateTime[] Timestamps { get; }

    /// <summary>The line amounts (quantity times unit price).</summary>
    public decimal[] Amounts { get; }
}
