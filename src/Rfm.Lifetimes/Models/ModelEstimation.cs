namespace Rfm.Lifetimes;

/// <summary>How a model was fitted: the maximised log-likelihood and the work it took.</summary>
public sealed class ModelEstimation
{
    internal ModelEstimation(double logLikelihood, int customers, int evaluations, double penalty) =>
        (LogLikelihood, Customers, Evaluations, Penalty) = (logLikelihood, customers, evaluations, penalty);

    /// <summary>The log-likelihood of the data at the estimate (natural log, every constant included, as in the papers), without the penalty.</summary>
    public double LogLikelihood { get; }

    /// <summary>The customers the model was fitted to.</summary>
    public int Customers { get; }

    /// <summary>How many times the search evaluated the log-likelihood: the work the fit took.</summary>
    public int Evaluations { get; }

    /// <summary>The L2 penalty coefficient used (<see cref="FitOptions.Penalty"/>); the standard errors are those of the unpenalised log-likelihood.</summary>
    public double Penalty { get; }
}
