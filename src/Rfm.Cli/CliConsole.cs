using Rfm.Cli.Output;

namespace Rfm.Cli;

/// <summary>Where the tool reads and writes; tests give it memory streams and string writers.</summary>
/// <param name="In">Standard input as bytes, for the input <c>-</c>: decoded like a file, byte-order mark included.</param>
/// <param name="Out">Standard output: the summary, or the per-customer rows with <c>--out -</c>.</param>
/// <param name="Error">Standard error: progress and error messages.</param>
/// <param name="ShowProgress">Whether standard error is a terminal, where progress is worth drawing.</param>
/// <param name="OutIsTerminal">Whether standard output is a terminal, where even the rows are shown with escapes.</param>
internal sealed record CliConsole(Stream In, TextWriter Out, TextWriter Error, bool ShowProgress, bool OutIsTerminal = false)
{
    /// <summary>Standard output for what a person reads (summaries and tables): control characters shown as escapes.</summary>
    public TextWriter Summary { get; private init; } = Out;

    /// <summary>Standard error as given, for the progress line's carriage returns; messages go to <see cref="Error"/>.</summary>
    public TextWriter Terminal { get; private init; } = Error;

    /// <summary>
    /// This console with every text a person reads behind <see cref="TerminalSafeWriter"/>: messages, summaries, and the
    /// rows too when standard output is a terminal. Rows written into a pipe or a file stay exactly as they are.
    /// </summary>
    public CliConsole Guarded() => this with
    {
        Out = OutIsTerminal ? TerminalSafeWriter.Over(Out) : Out,
        Error = TerminalSafeWriter.Over(Error),
        Summary = TerminalSafeWriter.Over(Out),
    };
}
