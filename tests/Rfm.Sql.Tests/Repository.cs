namespace Rfm.Sql.Tests;

/// <summary>The repository the test binaries were built in: golden files to rewrite, tools that live beside the tests.</summary>
internal static class Repository
{
    /// <summary>The folder holding Rfm.Core.sln, found above the test binaries.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Rfm.Core.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("Rfm.Core.sln is not above the test binaries.");
    }
}
