using System.Text;
using DuckDB.NET.Native;

namespace Rfm.Sql.Tests;

/// <summary>
/// A script read the way the engines read it: line comments, quoted names, string literals and the code between
/// them, split into statements at the semicolons in the code. Anything a generated script should never hold (a
/// comment that is not on a line of its own or could run on, a quote left open, a block comment, a dollar quote)
/// fails the test; Spark SQL is checked this way only, since no engine runs it here.
/// </summary>
internal sealed class SqlScript
{
    // What some reader of a script (an engine, an editor, a console) takes for the end of a line.
    private static readonly char[] LineBreaks = ['\n', '\r', '\v', '\f', '\u0085', '\u2028', '\u2029'];

    private SqlScript(IReadOnlyList<string> statements, IReadOnlyList<string> comments, string code)
    {
        Statements = statements;
        Comments = comments;
        Code = code;
    }

    /// <summary>Each statement's text, without its semicolon; comments before it included.</summary>
    public IReadOnlyList<string> Statements { get; }

    /// <summary>Each line comment's text after <c>--</c>.</summary>
    public IReadOnlyList<string> Comments { get; }

    /// <summary>The code outside comments, literals and quoted names: where an injected statement would show.</summary>
    public string Code { get; }

    public static SqlScript Read(string script, SqlDialect dialect)
    {
        var nameQuote = dialect == SqlDialect.SparkSql ? '`' : '"';
        var otherQuote = dialect == SqlDialect.SparkSql ? '"' : '`';
        var statements = new List<string>();
        var comments = new List<string>();
        var code = new StringBuilder();
        var start = 0;
        var i = 0;
        while (i < script.Length)
        {
            var c = script[i];
            if (c == '-' && At(script, i + 1, '-'))
            {
                var lineStart = script.LastIndexOf('\n', Math.Max(i - 1, 0)) + 1;
                Require(string.IsNullOrWhiteSpace(script[lineStart..i]), "A comment shares its line with code", script, i);
                var end = script.IndexOf('\n', i);
                end = end < 0 ? script.Length : end;
                var comment = script[(i + 2)..end];
                Require(comment.IndexOfAny(LineBreaks) < 0 && !comment.Contains('\0', StringComparison.Ordinal), "A comment holds a line break or NUL", script, i);
                Require(!comment.EndsWith('\\'), "A comment ends with a backslash, which continues it in Spark SQL", script, i);
                comments.Add(comment);
                i = end;
            }
            else if (c == '\'' || c == nameQuote)
            {
                i = SkipQuoted(script, i, c, dialect);
                code.Append(' ');
            }
            else
            {
                Require(!(c == '/' && At(script, i + 1, '*')), "A block comment", script, i);
                Require(c != otherQuote, "A stray " + otherQuote, script, i);
                Require(!(c == '$' && dialect == SqlDialect.PostgreSql), "A dollar quote could start here", script, i);
                Require(!char.IsControl(c) || c is '\n' or '\t', $"A control character U+{(int)c:X4} in the code", script, i);
                if (c == ';')
                {
                    statements.Add(script[start..i]);
                    start = i + 1;
                }

                code.Append(c);
                i++;
            }
        }

        Assert.True(string.IsNullOrWhiteSpace(script[start..]), "Text after the last semicolon: " + script[start..]);
        return new SqlScript(statements, comments, code.ToString());
    }

    /// <summary>How many statements DuckDB's own parser finds in the text.</summary>
    public static int DuckDbStatementCount(string script)
    {
        Assert.Equal(0, (int)NativeMethods.Startup.DuckDBOpen((string?)null, out var database));
        using (database)
        {
            Assert.Equal(0, (int)NativeMethods.Startup.DuckDBConnect(database, out var connection));
            using (connection)
            {
                var count = NativeMethods.ExtractStatements.DuckDBExtractStatements(connection, script, out var extracted);
                using (extracted)
                {
                    Assert.True(count > 0, "DuckDB could not parse the script: " + NativeMethods.ExtractStatements.DuckDBExtractStatementsError(extracted));
                    return count;
                }
            }
        }
    }

    // Past the closing quote; a doubled quote is one character of the text. Spark reads a backslash in a literal as an
    // escape, so none may appear there; no literal or name holds a control character.
    private static int SkipQuoted(string script, int open, char quote, SqlDialect dialect)
    {
        for (var i = open + 1; i < script.Length; i++)
        {
            var c = script[i];
            Require(!char.IsControl(c), "A control character inside quotes", script, open);
            Require(!(c == '\\' && quote == '\'' && dialect == SqlDialect.SparkSql), "A backslash in a Spark SQL literal", script, open);
            if (c == quote)
            {
                if (!At(script, i + 1, quote))
                {
                    return i + 1;
                }

                i++;
            }
        }

        Require(false, "A quote is never closed", script, open);
        return script.Length;
    }

    // The failing line is named only on failure: working it out for every character would cost more than the check.
    private static void Require(bool ok, string problem, string script, int index)
    {
        if (!ok)
        {
            Assert.Fail($"{problem}: {Line(script, index)}");
        }
    }

    private static bool At(string text, int index, char c) => index < text.Length && text[index] == c;

    private static string Line(string script, int index)
    {
        var start = script.LastIndexOf('\n', Math.Max(index - 1, 0)) + 1;
        var end = script.IndexOf('\n', index);
        return script[start..(end < 0 ? script.Length : end)];
    }
}
