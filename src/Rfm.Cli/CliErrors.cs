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
    /// <summary>The enum member named exactly <paramref name="text"/> in any case (no numbers, no lists), or null.</summary>
    public static T? ExactName<T>(string text)
        where T : struct, Enum =>
        Enum.GetNames<T>().FirstOrDefault(name => string.Equals(name, text, StringComparison.OrdinalIgnoreCase)) is { } name ? Enum.Parse<T>(name) : null;

    // The library's messages name its API where the tool has an option for the same thing.
    private static readonly (string Api, string Option)[] Options = [("FitOptions.Penalty", "--penalty")];

    /// <summary>A library's message for a command-line user: the API members it names become the tool's options.</summary>
    public static string ForCommandLine(string message)
    {
        foreach (var (api, option) in Options)
        {
            message = message.Replace(api, option, StringComparison.Ordinal);
        }

        return message;
    }

    /// <summary>The value of a <c>--bins</c> option: a whole number of scores, 2 to 10.</summary>
    public static int? Bins(string? text) => WholeNumber(text, "--bins", Scoring.ScoringStrategies.MinBins, Scoring.ScoringStrategies.MaxBins);

    /// <summary>An option's whole number from <paramref name="min"/> to <paramref name="max"/>, or null when the option is not given.</summary>
    /// <exception cref="UsageException">The text is not such a number.</exception>
    public static int? WholeNumber(string? text, string option, int min, int max)
    {
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            && number >= min && number <= max
            ? number
            : throw new UsageException($"{option} '{text}': give a whole number from {min} to {max}.");
    }
}
