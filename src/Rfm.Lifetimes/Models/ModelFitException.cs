using System.Collections.Immutable;

namespace Rfm.Lifetimes;

/// <summary>A model could not be fitted: the optimiser did not converge, or the estimate is degenerate.</summary>
/// <remarks>The message says what happened; the properties hold where the search stopped, to diagnose it.</remarks>
public sealed class ModelFitException : Exception
{
    internal ModelFitException(string model, string problem, ImmutableArray<ModelParameter> lastParameters, double lastLogLikelihood, int evaluations, Exception? inner = null)
        : base(Describe(model, problem, lastParameters, lastLogLikelihood, evaluations), inner)
    {
        (Model, Problem, LastParameters, LastLogLikelihood, Evaluations) = (model, problem, lastParameters, lastLogLikelihood, evaluations);
    }

    /// <summary>The model, by its name (e.g. BG/NBD, MBG/NBD, Pareto/NBD, Gamma-Gamma).</summary>
    public string Model { get; }

    /// <summary>What went wrong, in words.</summary>
    public string Problem { get; }

    /// <summary>The best parameters the search reached.</summary>
    public ImmutableArray<ModelParameter> LastParameters { get; }

    /// <summary>The log-likelihood there (negative infinity when it could not be evaluated anywhere).</summary>
    public double LastLogLikelihood { get; }

    /// <summary>How many times the search evaluated the log-likelihood.</summary>
    public int Evaluations { get; }

    private static string Describe(string model, string problem, ImmutableArray<ModelParameter> parameters, double logLikelihood, int evaluations) =>
        FormattableString.Invariant(
            $"The {model} model could not be fitted: {problem} After {evaluations} evaluations of the log-likelihood, the best point reached was {string.Join(", ", parameters.Select(p => FormattableString.Invariant($"{p.Name} = {p.Value:G6}")))} with log-likelihood {logLikelihood:G8}.");
}
