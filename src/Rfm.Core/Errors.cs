namespace Rfm;

/// <summary>Helpers for messages that reach people.</summary>
internal static class Errors
{
    /// <summary>An argument exception's message without the " (Parameter 'x')" that .NET appends.</summary>
    public static string Plain(ArgumentException exception)
    {
        var message = exception is ArgumentOutOfRangeException { ActualValue: not null } outOfRange
            ? exception.Message.Replace($"{Environment.NewLine}Actual value was {outOfRange.ActualValue}.", string.Empty, StringComparison.Ordinal)
            : exception.Message;
        return exception.ParamName is { } name ? message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : message;
    }
}
