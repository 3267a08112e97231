namespace Rfm.Lifetimes;

/// <summary>How a model was fitted: the maximised log-likelihood and the work it took.</summary>
public sealed class ModelEstimation
{
    internal ModelEstimation(double logLikelihood, int customers, int iterations, double penalty) =>
        (LogLikelihood, Customers, Iterations, Penalty) = (logLikelihood, customers, iterations, penalty);

    /// <summary>The log-likelihood of the data at the estimate (natural log, every constant included, as in the papers), without the penalty.</summary>
    public double LogLikelihood { get; }

    /// <summary>The customers the model was fitted to.</summary>
    public int Customers { get; }

    /// <summary>The optimiser's iterations.</summary>
    public int Iterations { get; }

    /// <summary>The L2 penalty coefficient used (<see cref="FitOptions.Penalty"/>).</summary>
    public double Penalty { get; }
}
