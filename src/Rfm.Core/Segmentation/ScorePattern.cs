namespace Rfm.Segmentation;

/// <summary>
/// Parses anchored score patterns such as <c>[1-2][3-4]</c> or <c>5[4-5]1</c>: one token per score (R, F and
/// optionally M), each a digit, a range in brackets (<c>[2-4]</c>, <c>[3]</c>) or <c>.</c> for any score.
/// </summary>
internal static class ScorePattern
{
    public static SegmentRule Parse(string pattern, Segment segment)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        Span<ScoreRange> ranges = [ScoreRange.Any, ScoreRange.Any, ScoreRange.Any];
        var tokens = 0;
        var i = 0;
        while (i < pattern.Length)
        {
            if (tokens == 3)
            {
                throw Error(pattern, i, "a pattern has at most three scores (R, F, M)");
            }

            var c = pattern[i];
            if (c == '.')
            {
                i++;
            }
            else if (c is >= '1' and <= '9')
            {
                ranges[tokens] = ScoreRange.Exactly(c - '0');
                i++;
            }
            else if (c == '[')
            {
                var min = Digit(pattern, i + 1);
                var max = min;
                i += 2;
                if (i < pattern.Length && pattern[i] == '-')
                {
                    max = Digit(pattern, i + 1);
                    i += 2;
                }

                if (i >= pattern.Length || pattern[i] != ']')
                {
                    throw Error(pattern, i, "expected ']'");
                }

                if (max < min)
                {
                    throw Error(pattern, i, $"the range {min}-{max} is reversed");
                }

                ranges[tokens] = new ScoreRange(min, max);
                i++;
            }
            else
            {
                throw Error(pattern, i, "expected a digit 1-9, a range such as [1-3], or '.'");
            }

            tokens++;
        }

        if (tokens < 2)
        {
            throw Error(pattern, pattern.Length, "a pattern needs at least two scores (R and F)");
        }

        return new SegmentRule(segment, ranges[0], ranges[1], ranges[2]);
    }

    private static int Digit(string pattern, int position)
    {
        if (position < pattern.Length && pattern[position] is >= '1' and <= '9')
        {
            return pattern[position] - '0';
        }

        throw Error(pattern, position, "expected a digit 1-9");
    }

    private static ArgumentException Error(string pattern, int position, string problem) =>
        new($"Score pattern '{pattern}', position {position + 1}: {problem}.", nameof(pattern));
}
