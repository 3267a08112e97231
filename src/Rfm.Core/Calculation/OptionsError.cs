namespace Rfm;

/// <summary>One problem with <see cref="RfmCalculatorOptions"/>: the setting it comes from and what is wrong.</summary>
/// <param name="Setting">The setting, by its property name (e.g. <c>Bins</c>); two settings that do not fit together are named with "and" (<c>Bins and Scoring</c>).</param>
/// <param name="Message">What is wrong, naming the value.</param>
public readonly record struct OptionsError(string Setting, string Message)
{
    /// <summary>The error as one line: <c>Setting: Message</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Setting}: {Message}";
}
