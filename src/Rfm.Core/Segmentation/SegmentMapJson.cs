using System.Text.Json;
using Rfm.Scoring;

namespace Rfm.Segmentation;

/// <summary>Reads a rule map from JSON (the format <see cref="SegmentMaps.FromJson"/> documents).</summary>
internal static class SegmentMapJson
{
    public static RuleSegmentMap Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, AllowDuplicateProperties = false });
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, byte {ex.BytePositionInLine + 1} of the line" : string.Empty;
            var reason = ex.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd('.', ' ');
            throw new FormatException($"The segment map is not valid JSON{where}: {reason}.", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            Expect(root, JsonValueKind.Object, "the document");
            OnlyKnown(root, "the document", "name", "bins", "other", "segments");
            var name = OptionalString(root, "name", "$") ?? "custom";
            int? bins = null;
            if (root.TryGetProperty("bins", out var binsElement))
            {
                bins = binsElement.ValueKind == JsonValueKind.Number && binsElement.TryGetInt32(out var n) && n is >= ScoringStrategies.MinBins and <= ScoringStrategies.MaxBins
                    ? n
                    : throw new FormatException($"bins: expected a whole number from 2 to 10, got {binsElement.GetRawText()}.");
            }

            var other = root.TryGetProperty("other", out var otherElement) ? ReadSegment(otherElement, "other", null) : null;
            if (!root.TryGetProperty("segments", out var segments))
            {
                throw new FormatException("The segment map needs a \"segments\" array.");
            }

            Expect(segments, JsonValueKind.Array, "segments");
            if (segments.GetArrayLength() > RuleSegmentMap.MaxRules)
            {
                throw new FormatException(SegmentMaps.TooManyRules(segments.GetArrayLength()));
            }

            var rules = new List<SegmentRule>();
            var known = new Dictionary<string, Segment>(StringComparer.Ordinal);
            var index = 0;
            foreach (var entry in segments.EnumerateArray())
            {
                var path = $"segments[{index++}]";
                OnlyKnown(entry, path, "key", "name", "description", "action", "channel", "pattern", "r", "f", "m");
                var segment = ReadSegment(entry, path, known);
                known.TryAdd(segment.Key, segment);
                var rule = ReadRule(entry, path, segment);
                if (bins is { } n && new[] { rule.Recency, rule.Frequency, rule.Monetary }.Any(range => range != ScoreRange.Any && range.Max > n))
                {
                    throw new FormatException($"{path}: the rule names scores above {n}, but the map is made for {n} scores.");
                }

                rules.Add(rule);
            }

            try
            {
                return SegmentMaps.FromRules(name, rules, other, bins);
            }
            catch (ArgumentException ex)
            {
                throw new FormatException($"The segment map is not consistent: {ErrorMessages.Plain(ex)}", ex);
            }
        }
    }

    private static Segment ReadSegment(JsonElement element, string path, Dictionary<string, Segment>? known)
    {
        Expect(element, JsonValueKind.Object, path);
        var key = OptionalString(element, "key", path) ?? throw new FormatException($"{path}: a segment needs a \"key\".");
        var name = OptionalString(element, "name", path);
        var description = OptionalString(element, "description", path);
        var action = OptionalString(element, "action", path);
        var channel = OptionalString(element, "channel", path);
        if (known is not null && known.TryGetValue(key, out var existing))
        {
            // A further rule for a segment already defined: repeat the key, and at most the same texts.
            if ((name ?? existing.Name) != existing.Name || (description ?? existing.Description) != existing.Description || (action ?? existing.SuggestedAction) != existing.SuggestedAction
                || (channel ?? existing.SuggestedChannel) != existing.SuggestedChannel)
            {
                throw new FormatException($"{path}: segment '{key}' is defined earlier with other texts.");
            }

            return existing;
        }

        try
        {
            return new Segment(key, name ?? key, description ?? string.Empty, action ?? string.Empty, channel ?? string.Empty);
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"{path}: {ErrorMessages.Plain(ex)}", ex);
        }
    }

    private static SegmentRule ReadRule(JsonElement element, string path, Segment segment)
    {
        var pattern = OptionalString(element, "pattern", path);
        var r = OptionalString(element, "r", path);
        var f = OptionalString(element, "f", path);
        var m = OptionalString(element, "m", path);
        if (pattern is not null)
        {
            if (r is not null || f is not null || m is not null)
            {
                throw new FormatException($"{path}: give either \"pattern\" or \"r\"/\"f\"/\"m\" ranges, not both.");
            }

            try
            {
                return ScorePattern.Parse(pattern, segment);
            }
            catch (ArgumentException ex)
            {
                throw new FormatException($"{path}.pattern: {ErrorMessages.Plain(ex)}", ex);
            }
        }

        if (r is null && f is null && m is null)
        {
            throw new FormatException($"{path}: a rule needs a \"pattern\" or at least one of \"r\", \"f\", \"m\".");
        }

        return new SegmentRule(segment, Range(r, path + ".r"), Range(f, path + ".f"), Range(m, path + ".m"));
    }

    private static ScoreRange Range(string? text, string path)
    {
        if (text is null)
        {
            return ScoreRange.Any;
        }

        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length is 1 or 2
            && int.TryParse(parts[0], out var min)
            && int.TryParse(parts[^1], out var max)
            && min >= 1 && max <= ScoringStrategies.MaxBins && min <= max)
        {
            return new ScoreRange(min, max);
        }

        throw new FormatException($"{path}: expected a score or a range of scores from 1 to 10 such as \"4\" or \"2-5\", got \"{text}\".");
    }

    private static string? OptionalString(JsonElement element, string property, string path)
    {
        if (!element.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => throw new FormatException($"{path}.{property}: expected a string, got {value.ValueKind.ToString().ToLowerInvariant()}."),
        };
    }

    // A misspelt property ("M" for "m") would silently widen a rule, so unknown names are errors.
    private static void OnlyKnown(JsonElement element, string path, params string[] known)
    {
        // Only an object has properties: anything else is refused here, before they are listed.
        Expect(element, JsonValueKind.Object, path);
        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new FormatException($"{path}: unknown property \"{property.Name}\"; expected {string.Join(", ", known.Select(k => $"\"{k}\""))}.");
            }
        }
    }

    private static void Expect(JsonElement element, JsonValueKind kind, string path)
    {
        if (element.ValueKind != kind)
        {
            throw new FormatException($"{path}: expected a JSON {kind.ToString().ToLowerInvariant()}, got {element.ValueKind.ToString().ToLowerInvariant()}.");
        }
    }
}
