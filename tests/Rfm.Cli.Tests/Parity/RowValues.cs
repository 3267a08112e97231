namespace Rfm.Cli.Tests.Parity;

/// <summary>One row's texts made into values by the core's <see cref="RowContract"/>; a blank or unreadable text is null.</summary>
public sealed record TypedRow(string Customer, string? Order, DateTime? Date, decimal? Amount, decimal? Quantity, decimal? Price);

/// <summary>A text the row contract refuses: blank where a value is needed (<see cref="Missing"/>), or unreadable.</summary>
public sealed record BadCell(int Row, Role Role, string Text, bool Missing, string Problem)
{
    public override string ToString() => $"row {Row + 1}, {ParityCase.Name(Role)}: {Problem} '{ParityCase.Escape(Text)}'";
}

/// <summary>A case's rows as values, and every text the contract refuses.</summary>
public sealed record RowValues(IReadOnlyList<TypedRow> Rows, IReadOnlyList<BadCell> Bad)
{
    public static RowValues Of(ParityCase c)
    {
        var rows = new List<TypedRow>();
        var bad = new List<BadCell>();
        for (var r = 0; r < c.Rows.Count; r++)
        {
            var date = Date(r, c.Text(r, Role.Date)!, bad);
            decimal? amount = null, quantity = null, price = null;
            if (c.AmountLayout)
            {
                amount = Number(r, Role.Amount, c.Text(r, Role.Amount)!, bad);
            }
            else
            {
                quantity = Number(r, Role.Quantity, c.Text(r, Role.Quantity)!, bad);
                price = Number(r, Role.Price, c.Text(r, Role.Price)!, bad);
                if (quantity is { } q && price is { } p)
                {
                    if (RowContract.TryMultiply(q, p, out var product))
                    {
                        amount = product;
                    }
                    else
                    {
                        bad.Add(new BadCell(r, Role.Quantity, string.Empty, Missing: true, $"the product {q} x {p} is not exact"));
                    }
                }
            }

            rows.Add(new TypedRow(c.Text(r, Role.Customer)!, c.Text(r, Role.Order), date, amount, quantity, price));
        }

        return new RowValues(rows, bad);
    }

    private static DateTime? Date(int row, string text, List<BadCell> bad)
    {
        if (RowContract.IsBlankId(text))
        {
            bad.Add(new BadCell(row, Role.Date, text, Missing: true, "no date"));
            return null;
        }

        if (RowContract.TryParseTimestamp(text, null, out var date))
        {
            return date;
        }

        bad.Add(new BadCell(row, Role.Date, text, Missing: false, "not a date"));
        return null;
    }

    private static decimal? Number(int row, Role role, string text, List<BadCell> bad)
    {
        if (RowContract.IsBlankId(text))
        {
            bad.Add(new BadCell(row, role, text, Missing: true, "no number"));
            return null;
        }

        if (RowContract.TryParseAmount(text, out var value))
        {
            return value;
        }

        bad.Add(new BadCell(row, role, text, Missing: false, "not a number"));
        return null;
    }
}
