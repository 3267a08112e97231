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
