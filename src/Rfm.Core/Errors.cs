namespace Rfm;

/// <summary>Helpers for messages that reach people.</summary>
internal static class Errors
{
    /// <summary>An argument exception's message without the " (Parameter 'x')" that .NET appends.</summary>
    public static string Plain(ArgumentException exception) =>
        exception.ParamName is { } name ? exception.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : exception.Message;
}
