using BenchmarkDotNet.Running;

namespace Rfm.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release -- --filter '*'</c> (see docs/performance.md).</summary>
public static class Program
{
    /// <summary>Runs the benchmarks chosen on the command line.</summary>
    /// <param name="args">BenchmarkDotNet's command-line arguments (--filter, --job, ...).</param>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
