namespace Rfm.Segmentation;

/// <summary>A named group of customers, with what it means and what to do about it.</summary>
public sealed record Segment
{
    /// <summary>Creates a segment.</summary>
    /// <param name="key">A stable machine key, e.g. <c>at_risk</c>: lower-case letters, digits and underscores.</param>
    /// <param name="name">The display name, e.g. <c>At risk</c>.</param>
    /// <param name="description">Who the customers are.</param>
    /// <param name="suggestedAction">What to do for them.</param>
    /// <param name="suggestedChannel">How to reach them, e.g. <c>Email win-back series</c>.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty or not made of lower-case letters, digits and underscores, or <paramref name="name"/> is empty.</exception>
    public Segment(string key, string name, string description = "", string suggestedAction = "", string suggestedChannel = "")
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(suggestedAction);
        ArgumentNullException.ThrowIfNull(suggestedChannel);
        foreach (var c in key)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
            {
                throw new ArgumentException($"Segment key '{key}' may hold only lower-case letters, digits and underscores.", nameof(key));
            }
        }

        Key = key;
        Name = name;
        Description = description;
        SuggestedAction = suggestedAction;
        SuggestedChannel = suggestedChannel;
    }

    /// <summary>The stable machine key, e.g. <c>at_risk</c>.</summary>
    public string Key { get; }

    /// <summary>The display name.</summary>
    public string Name { get; }

    /// <summary>Who the customers are.</summary>
    public string Description { get; }

    /// <summary>What to do for them.</summary>
    public string SuggestedAction { get; }

    /// <summary>How to reach them: the channel the suggested action goes through.</summary>
    public string SuggestedChannel { get; }

    /// <inheritdoc />
    public override string ToString() => Key;
}
