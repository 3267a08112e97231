using System.CommandLine;
using System.CommandLine.Parsing;
using Rfm.Cli.Output;

namespace Rfm.Cli.Commands;

/// <summary>Where a command's rows go (<c>--out</c>, <c>--format</c>) and where its summary goes then.</summary>
internal static class CommandOutput
{
    public static readonly Option<string?> Format = new("--format") { Description = "csv or json; without --out, the rows go to standard output. Default: json for a .json --out, else csv." };

    /// <summary>
    /// The output path given (standard output, <c>-</c>, when only <c>--format</c> is), and the format: <c>--format</c>, or
    /// json for a .json path, else csv.
    /// </summary>
    /// <exception cref="UsageException"><c>--format</c> is neither.</exception>
    public static (string? Path, string Format) Choose(ParseResult parse, Option<string?> output)
    {
        var path = parse.GetValue(output) ?? (parse.GetValue(Format) is null ? null : "-");
        var format = parse.GetValue(Format)?.ToLowerInvariant()
            ?? (path is not null && path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "json" : "csv");
        return format is "csv" or "json" ? (path, format) : throw new UsageException($"--format '{format}': use csv or json.");
    }

    /// <summary>
    /// Writes the rows: to standard output for <c>-</c>, else to the file, atomically and never onto a file the command
    /// line names for reading.
    /// </summary>
    /// <returns>Where the summary goes: standard error when the rows took standard output.</returns>
    public static TextWriter Write(ParseResult parse, string? path, CliConsole console, Action<Stream> toFile, Action<TextWriter> toConsole)
    {
        if (path == "-")
        {
            toConsole(console.Out);
            return console.Error;
        }

        if (path is not null)
        {
            AtomicFile.Write(path, Inputs(parse), toFile);
        }

        return console.Summary;
    }

    /// <summary>
    /// <see cref="Write(ParseResult, string?, CliConsole, Action{Stream}, Action{TextWriter})"/> for rows that are written
    /// as text either way.
    /// </summary>
    /// <returns>Where the summary goes: standard error when the rows took standard output.</returns>
    public static TextWriter WriteText(ParseResult parse, string? path, CliConsole console, Action<TextWriter> write) =>
        Write(
            parse,
            path,
            console,
            stream =>
            {
                using var writer = new StreamWriter(stream, leaveOpen: true);
                write(writer);
            },
            write);

    /// <summary>Refuses an <c>--out</c> that names a file the command reads, before it is read.</summary>
    /// <exception cref="UsageException">It does.</exception>
    public static void RefuseInputs(ParseResult parse)
    {
        var output = parse.CommandResult.Children.OfType<OptionResult>().FirstOrDefault(option => option.Option.Name == "--out");
        if (output?.Tokens is [var path] && path.Value != "-")
        {
            AtomicFile.RefuseInputs(path.Value, Inputs(parse));
        }
    }

    /// <summary>
    /// Every existing file the command line names, other than <c>--out</c>'s: the arguments and every option's values,
    /// so an input option added later is protected too (a value that is not a file, such as a column name, is left out).
    /// </summary>
    private static IReadOnlyList<CommandInput> Inputs(ParseResult parse)
    {
        var inputs = new List<CommandInput>();
        foreach (var child in parse.CommandResult.Children)
        {
            var namedBy = child switch
            {
                ArgumentResult => "the input file",
                OptionResult option when option.Option.Name != "--out" => $"the {option.Option.Name} file",
                _ => null,
            };
            if (namedBy is not null)
            {
                inputs.AddRange(child.Tokens.Where(token => token.Value != "-" && File.Exists(token.Value)).Select(token => new CommandInput(token.Value, namedBy)));
            }
        }

        return inputs;
    }

    /// <summary>JSON made by <paramref name="write"/> onto a text writer, with a final line end.</summary>
    public static void Json(TextWriter writer, Action<Stream> write)
    {
        using var buffer = new MemoryStream();
        write(buffer);
        writer.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
