namespace Rfm.Cli;

/// <summary>The command line asks for something impossible: exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>The input cannot be analysed: exit code 1. The message names the file, line, column and value.</summary>
internal sealed class InputException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The tool's exit codes.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int DataError = 1;
    public const int UsageError = 2;
}

/// <summary>Small parsing and wording helpers shared by the commands.</summary>
internal static class CliText
{
    /// <summary>An argument exception's message without the " (Parameter 'x')" .NET appends.</summary>
    public static string Plain(ArgumentException exception) =>
        exception.ParamName is { } name ? exception.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : exception.Message;

    /// <summary>The value of a <c>--bins</c> option: a whole number of scores, 2 to 10.</summary>
    public static int? Bins(string? text)
    {
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bins)
            && bins is >= Scoring.ScoringStrategies.MinBins and <= Scoring.ScoringStrategies.MaxBins
            ? bins
            : throw new UsageException($"--bins '{text}': give a whole number from {Scoring.ScoringStrategies.MinBins} to {Scoring.ScoringStrategies.MaxBins}.");
    }
}
