using System.Diagnostics;
using System.Text.Json;

namespace Rfm.Sql.Tests.Spark;

/// <summary>What the Spark SQL grammar made of one text: how many statements, and its syntax errors.</summary>
internal sealed record SparkParse(int Statements, string[] Errors);

/// <summary>
/// Spark SQL cannot run here, so its statements are parsed instead: by the ANTLR Spark grammar of the npm package
/// dt-sql-parser (pinned in package.json beside this file), in one Node.js process per batch of texts.
/// </summary>
internal static class SparkGrammar
{
    private static readonly string Folder = Path.Combine(Repository.Root, "tests", "Rfm.Sql.Tests", "Spark");

    /// <summary>Why the grammar cannot be used, or null when it can. In CI it must be there: never a reason to skip.</summary>
    public static string? SkipReason =>
        !Directory.Exists(Path.Combine(Folder, "node_modules", "dt-sql-parser")) && Environment.GetEnvironmentVariable("CI") is not "true"
            ? "The Spark SQL grammar is not installed; run 'npm ci --prefix tests/Rfm.Sql.Tests/Spark' (Node.js 20 or later)."
            : null;

    /// <summary>Parses each text; the results come in the same order.</summary>
    public static SparkParse[] Parse(IReadOnlyList<string> texts)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("parse.mjs");
        using var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var output = node.StandardOutput.ReadToEndAsync();
        var error = node.StandardError.ReadToEndAsync();
        node.StandardInput.Write(JsonSerializer.Serialize(texts));
        node.StandardInput.Close();
        node.WaitForExit();
        if (node.ExitCode != 0)
        {
            throw new InvalidOperationException($"The Spark SQL grammar failed (exit code {node.ExitCode}): {error.Result}");
        }

        var results = JsonSerializer.Deserialize<SparkParse[]>(output.Result, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal(texts.Count, results.Length);
        return results;
    }
}

/// <summary>A fact that needs the Spark SQL grammar: skipped, saying why, only outside CI when it is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class SparkGrammarFactAttribute : FactAttribute
{
    public SparkGrammarFactAttribute()
    {
        Skip = SparkGrammar.SkipReason;
    }
}
