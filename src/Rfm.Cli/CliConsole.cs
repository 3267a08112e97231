namespace Rfm.Cli;

/// <summary>Where the tool reads and writes; tests give it string writers.</summary>
/// <param name="In">Standard input, for the input <c>-</c>.</param>
/// <param name="Out">Standard output: the summary, or the per-customer rows with <c>--out -</c>.</param>
/// <param name="Error">Standard error: progress and error messages.</param>
/// <param name="ShowProgress">Whether standard error is a terminal, where progress is worth drawing.</param>
internal sealed record CliConsole(TextReader In, TextWriter Out, TextWriter Error, bool ShowProgress);
