namespace Rfm.Cli;

/// <summary>Where the tool reads and writes; tests give it memory streams and string writers.</summary>
/// <param name="In">Standard input as bytes, for the input <c>-</c>: decoded like a file, byte-order mark included.</param>
/// <param name="Out">Standard output: the summary, or the per-customer rows with <c>--out -</c>.</param>
/// <param name="Error">Standard error: progress and error messages.</param>
/// <param name="ShowProgress">Whether standard error is a terminal, where progress is worth drawing.</param>
internal sealed record CliConsole(Stream In, TextWriter Out, TextWriter Error, bool ShowProgress);
