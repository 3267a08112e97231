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
    /// The statement for people and consoles: each parameter first, as a comment giving its value (text as a JSON
    /// string, so that no value can end the comment), then the statement and a semicolon.
    /// </summary>
    /// <returns>The script.</returns>
    public string ToScript()
    {
        var script = new StringBuilder();
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

    /// <inheritdoc />
    public override string ToString() => Text;
}

/// <summary>Serialises parameter text without reflection (the package is trimmable).</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class ScriptJson : JsonSerializerContext;
