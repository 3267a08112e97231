using System.Globalization;

namespace Rfm.Segmentation;

/// <summary>An inclusive range of scores, e.g. 2..5.</summary>
public readonly record struct ScoreRange
{
    /// <summary>Creates a range.</summary>
    /// <param name="min">The lowest score included, from 1.</param>
    /// <param name="max">The highest score included, up to 10 and not below <paramref name="min"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The bounds are outside 1..10 or reversed.</exception>
    public ScoreRange(int min, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(min, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(max, 10);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        Min = min;
        Max = max;
    }

    /// <summary>Every score, 1..10.</summary>
    public static ScoreRange Any { get; } = new(1, 10);

    /// <summary>The lowest score included.</summary>
    public int Min { get; }

    /// <summary>The highest score included.</summary>
    public int Max { get; }

    /// <summary>A range of one score.</summary>
    /// <param name="score">The score, 1..10.</param>
    /// <returns>The range.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="score"/> is outside 1..10.</exception>
    public static ScoreRange Exactly(int score) => new(score, score);

    /// <summary>Whether the range includes a score.</summary>
    /// <param name="score">The score.</param>
    /// <returns><see langword="true"/> when <paramref name="score"/> is within the range.</returns>
    public bool Contains(int score) => score >= Min && score <= Max;

    /// <inheritdoc />
    public override string ToString() =>
        Min == Max ? Min.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{Min}-{Max}");
}
