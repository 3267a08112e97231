namespace Rfm.Lifetimes;

/// <summary>
/// One history in discrete time, for the BG/BB model: of n transaction opportunities after the first transaction (a
/// yearly appeal, an annual event, a weekly draw), the customer transacted in x, the last of them the t_x-th; with how
/// many customers share it.
/// </summary>
/// <remarks>
/// The first transaction, which made the customer, is not an opportunity and is not counted: x and t_x are about the
/// repeat transactions. (x, t_x, n) is sufficient for the model, so customers who share it are one history with a count,
/// as in the papers' tables.
/// </remarks>
public sealed class DiscreteActivity
{
    /// <summary>Describes a history shared by <paramref name="customers"/> customers.</summary>
    /// <param name="transactions">x: the opportunities with a transaction, 0 to n.</param>
    /// <param name="lastTransaction">t_x: the number (1 to n) of the last opportunity with a transaction; 0 when x is 0.</param>
    /// <param name="opportunities">n: the opportunities observed, 0 or more.</param>
    /// <param name="customers">How many customers have this history; 1 or more.</param>
    /// <exception cref="ArgumentException">
    /// A value is out of range or inconsistent with another (x above t_x, t_x above n, t_x not 0 when x is 0); the
    /// message names the value.
    /// </exception>
    public DiscreteActivity(int transactions, int lastTransaction, int opportunities, int customers = 1)
    {
        if (opportunities < 0)
        {
            throw new ArgumentException($"The opportunities (n) must be 0 or more, not {opportunities}.", nameof(opportunities));
        }

        if (transactions < 0 || transactions > opportunities)
        {
            throw new ArgumentException($"The transactions (x) must be 0 to the {opportunities} opportunities, not {transactions}.", nameof(transactions));
        }

        if (transactions == 0 ? lastTransaction != 0 : lastTransaction < transactions || lastTransaction > opportunities)
        {
            throw new ArgumentException(
                $"The last transaction (t_x) must be 0 without transactions, else from x = {transactions} to n = {opportunities}, not {lastTransaction}.", nameof(lastTransaction));
        }

        if (customers < 1)
        {
            throw new ArgumentException($"The customers sharing a history must be 1 or more, not {customers}.", nameof(customers));
        }

        (Transactions, LastTransaction, Opportunities, Customers) = (transactions, lastTransaction, opportunities, customers);
    }

    /// <summary>x: the opportunities with a transaction.</summary>
    public int Transactions { get; }

    /// <summary>t_x: the number of the last opportunity with a transaction (1 to n); 0 when there is none.</summary>
    public int LastTransaction { get; }

    /// <summary>n: the opportunities observed.</summary>
    public int Opportunities { get; }

    /// <summary>How many customers have this history.</summary>
    public int Customers { get; }

    /// <summary>The history of one customer, from the opportunities in which they transacted.</summary>
    /// <param name="opportunities">n: the opportunities observed, 0 or more.</param>
    /// <param name="transacted">The numbers (1 to n) of the opportunities with a transaction, in any order; a number given twice counts once.</param>
    /// <returns>The customer's (x, t_x, n).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="transacted"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="opportunities"/> is negative, or an opportunity is outside 1 to n; the message names it.</exception>
    public static DiscreteActivity FromOpportunities(int opportunities, IEnumerable<int> transacted)
    {
        ArgumentNullException.ThrowIfNull(transacted);
        if (opportunities < 0)
        {
            throw new ArgumentException($"The opportunities (n) must be 0 or more, not {opportunities}.", nameof(opportunities));
        }

        var seen = new HashSet<int>();
        foreach (var opportunity in transacted)
        {
            if (opportunity < 1 || opportunity > opportunities)
            {
                throw new ArgumentException($"Opportunity {opportunity} is outside 1 to {opportunities}.", nameof(transacted));
            }

            seen.Add(opportunity);
        }

        return new DiscreteActivity(seen.Count, seen.Count == 0 ? 0 : seen.Max(), opportunities);
    }
}
