using System.Globalization;

namespace Rfm.Benchmarks;

/// <summary>
/// Deterministic rows shaped like the UCI Online Retail II log: invoices of 1..30 lines in date order over two
/// years, about 2% cancelled invoices (id prefixed with <c>C</c>, negative quantities), about 20% of invoices
/// without a customer, about 0.5% zero-priced lines, prices with two decimals.
/// </summary>
/// <remarks>
/// The same arguments always give the same rows (<see cref="Random"/> with a fixed seed). Strings are made once
/// per customer (a fixed pool) and once per invoice, shared by its lines, so that the data set costs about what
/// the parsed real file would, and does not dwarf what the code under test allocates.
/// </remarks>
internal static class OnlineRetailGenerator
{
    /// <summary>The seed every benchmark uses.</summary>
    public const int DefaultSeed = 20_091_201;

    /// <summary>Days covered by the rows.</summary>
    public const int Days = 730;

    private const double CancelledInvoiceShare = 0.02;
    private const double MissingCustomerShare = 0.20;
    private const double ZeroPriceShare = 0.005;
    private const double BulkLineShare = 0.05;
    private const int FirstCustomerId = 12_346;
    private const int FirstInvoice = 489_434;

    // Unit prices are log-uniform between 0.19 and 25.00.
    private const int MinPriceCents = 19;
    private const int MaxPriceCents = 2_500;

    /// <summary>The first invoice's date, as in the real file.</summary>
    public static DateTime Start { get; } = new(2009, 12, 1, 7, 45, 0);

    /// <summary>The analysis date: the day after the last possible row, so no row is after it.</summary>
    public static DateTime AsOf { get; } = Start.Date.AddDays(Days + 1);

    /// <summary>Generates <paramref name="rows"/> rows for a pool of <paramref name="customers"/> customer ids.</summary>
    /// <param name="rows">How many rows (the last invoice is cut short to hit it exactly).</param>
    /// <param name="customers">The size of the customer pool; invoices pick their customer uniformly from it.</param>
    /// <param name="seed">The random seed.</param>
    /// <returns>The rows, in date order.</returns>
    public static Transaction[] Generate(int rows, int customers, int seed = DefaultSeed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(customers, 1);

        var random = new Random(seed);
        var customerIds = new string[customers];
        for (var i = 0; i < customerIds.Length; i++)
        {
            customerIds[i] = (FirstCustomerId + i).ToString(CultureInfo.InvariantCulture);
        }

        var logPriceRange = Math.Log((double)MaxPriceCents / MinPriceCents);
        var spanTicks = (double)TimeSpan.FromDays(Days).Ticks;
        var result = new Transaction[rows];
        var invoiceNumber = FirstInvoice;
        var row = 0;
        while (row < rows)
        {
            var lines = Math.Min(random.Next(1, 31), rows - row);
            var cancelled = random.NextDouble() < CancelledInvoiceShare;
            var customer = random.NextDouble() < MissingCustomerShare ? null : customerIds[random.Next(customers)];
            var invoice = cancelled
                ? string.Create(CultureInfo.InvariantCulture, $"C{invoiceNumber}")
                : invoiceNumber.ToString(CultureInfo.InvariantCulture);
            invoiceNumber++;

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
                var price = new decimal(cents, 0, 0, isNegative: false, scale: 2);
                result[row++] = new Transaction(customer, invoice, timestamp, quantity * price);
            }
        }

        return result;
    }
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
