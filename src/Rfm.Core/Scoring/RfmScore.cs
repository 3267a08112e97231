using System.Globalization;

namespace Rfm.Scoring;

/// <summary>A customer's three scores, each from 1 (worst) to N (best).</summary>
/// <param name="R">The recency score: high for a recent last purchase.</param>
/// <param name="F">The frequency score.</param>
/// <param name="M">The monetary score.</param>
public readonly record struct RfmScore(int R, int F, int M)
{
    /// <summary>
    /// The scores written together, e.g. <c>545</c>, as RFM tables show them; when a score is 10, they are
    /// separated by dashes (<c>10-4-5</c>) so that the text stays unambiguous.
    /// </summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        R < 10 && F < 10 && M < 10
            ? string.Create(CultureInfo.InvariantCulture, $"{R}{F}{M}")
            : string.Create(CultureInfo.InvariantCulture, $"{R}-{F}-{M}");
}
