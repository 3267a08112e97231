using System.Collections.Immutable;

namespace Rfm.Lifetimes;

/// <summary>A model could not be fitted: the optimiser did not converge, or the estimate is degenerate.</summary>
/// <remarks>The message says what happened; the properties hold where the search stopped, to diagnose it.</remarks>
public sealed class ModelFitException : Exception
{
    internal ModelFitException(string model, string problem, ImmutableArray<ModelParameter> lastParameters, double lastLogLikelihood, int iterations, Exception? inner = null)
        : base(Describe(model, problem, lastParameters, lastLogLikelihood, iterations), inner)
    {
        (Model, Problem, LastParameters, LastLogLikelihood, Iterations) = (model, problem, lastParameters, lastLogLikelihood, iterations);
    }

    /// <summary>The model: BG/NBD, Pareto/NBD or Gamma-Gamma.</summary>
    public string Model { get; }

    /// <summary>What went wrong, in words.</summary>
    public string Problem { get; }

    /// <summary>The parameters where the search stopped.</summary>
    public ImmutableArray<ModelParameter> LastParameters { get; }

    /// <summary>The log-likelihood there (negative infinity when it could not be evaluated).</summary>
    public double LastLogLikelihood { get; }

    /// <summary>The iterations done.</summary>
    public int Iterations { get; }

    private static string Describe(string model, string problem, ImmutableArray<ModelParameter> parameters, double logLikelihood, int iterations) =>
        FormattableString.Invariant(
            $"The {model} model could not be fitted: {problem} After {iterations} iterations the search stood at {string.Join(", ", parameters.Select(p => FormattableString.Invariant($"{p.Name} = {p.Value:G6}")))} with log-likelihood {logLikelihood:G8}.");
}
