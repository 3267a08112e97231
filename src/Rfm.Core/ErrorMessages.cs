namespace Rfm;

/// <summary>Messages of this library's exceptions as a person reads them: on a settings screen, a command line, a log.</summary>
public static class ErrorMessages
{
    /// <summary>
    /// An argument exception's message without what .NET appends for a programmer: the " (Parameter 'x')" suffix and
    /// the "Actual value was ..." line.
    /// </summary>
    /// <param name="exception">The exception, typically thrown by a constructor or factory of this library.</param>
    /// <returns>The message alone.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is null.</exception>
    public static string Plain(ArgumentException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception is ArgumentOutOfRangeException { ActualValue: not null } outOfRange
            ? exception.Message.Replace($"{Environment.NewLine}Actual value was {outOfRange.ActualValue}.", string.Empty, StringComparison.Ordinal)
            : exception.Message;
        return exception.ParamName is { } name ? message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : message;
    }
}
