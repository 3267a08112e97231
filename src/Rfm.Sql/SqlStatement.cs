using System.Collections.Immutable;
using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rfm.Sql;

/// <summary>
/// One SQL statement and its parameters. Every value that came from a caller (the analysis date, the cancellation
/// text, thresholds, segment keys) is a parameter, never text spliced into the statement.
/// </summary>
public sealed class SqlStatement
{
    internal SqlStatement(SqlDialect dialect, string text, ImmutableArray<SqlArgument> parameters)
    {
        Dialect = dialect;
        Text = text;
        Parameters = parameters;
    }

    /// <summary>The dialect the statement is written in.</summary>
    public SqlDialect Dialect { get; }

    /// <summary>The statement.</summary>
    public string Text { get; }

    /// <summary>Its parameters, in the order they first appear.</summary>
    public ImmutableArray<SqlArgument> Parameters { get; }

    /// <summary>A command on <paramref name="connection"/> with the text and every parameter bound.</summary>
    /// <param name="connection">An open connection to an engine of <see cref="Dialect"/>.</param>
    /// <returns>The command; the caller disposes it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> is null.</exception>
    public DbCommand CreateCommand(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        command.CommandText = Text;
        foreach (var argument in Parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = argument.Name;
            switch (argument.Value)
            {
                case DateTime timestamp:
                    // A timestamp without time zone: providers map a UTC DateTime to a zoned type otherwise.
                    parameter.DbType = DbType.DateTime2;
                    parameter.Value = DateTime.SpecifyKind(timestamp, DateTimeKind.Unspecified);
                    break;
                case double number:
                    parameter.DbType = DbType.Double;
                    parameter.Value = number;
                    break;
                default:
                    parameter.DbType = DbType.String;
                    parameter.Value = argument.Value;
                    break;
            }

            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <summary>
    /// The statement for people and consoles: the comments given, each on a line of its own, then each parameter as a
    /// comment giving its value (text as a JSON string), then the statement and a semicolon. No text can end its
    /// comment line: line breaks and every other control, format or separator character are written as
    /// <c>\uXXXX</c> (the backslash too, since Spark SQL continues a comment that ends with one).
    /// </summary>
    /// <param name="comments">Lines to write first, as comments (a title, where the statement came from).</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="comments"/> or one of them is null.</exception>
    public string ToScript(params IEnumerable<string> comments)
    {
        ArgumentNullException.ThrowIfNull(comments);
        var script = new StringBuilder();
        foreach (var comment in comments)
        {
            ArgumentNullException.ThrowIfNull(comment, nameof(comments));
            script.Append("-- ").Append(Escape(comment)).Append('\n');
        }

        foreach (var parameter in Parameters)
        {
            var value = parameter.Value switch
            {
                DateTime timestamp => "TIMESTAMP " + timestamp.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
                double number => number.ToString("R", CultureInfo.InvariantCulture),
                var text => JsonSerializer.Serialize(Convert.ToString(text, CultureInfo.InvariantCulture), ScriptJson.Default.String),
            };
            script.Append("-- ").Append(Dialect.Parameter(parameter.Name)).Append(" = ").Append(value).Append('\n');
        }

        return script.Append(Text).Append(";\n").ToString();
    }

    /// <summary>
    /// The text with what an engine, an editor or a console could take for the end of a line (or hide, or reorder)
    /// written as <c>\uXXXX</c>, and the backslash too, so that an escape reads one way only and a comment never ends
    /// with one: for comments and messages.
    /// </summary>
    internal static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            var status = Rune.DecodeFromUtf16(rest, out var rune, out var length);
            var safe = status == System.Buffers.OperationStatus.Done && rune.Value != '\\' && Rune.GetUnicodeCategory(rune) is not
                (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate);
            foreach (var unit in rest[..length])
            {
                if (safe)
                {
                    escaped.Append(unit);
                }
                else
                {
                    escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)unit:X4}");
                }
            }

            rest = rest[length..];
        }

        return escaped.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}

/// <summary>Serialises parameter text without reflection (the package is trimmable).</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class ScriptJson : JsonSerializerContext;
