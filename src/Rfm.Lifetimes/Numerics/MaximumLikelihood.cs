using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace Rfm.Lifetimes.Numerics;

/// <summary>
/// Maximum-likelihood fitting of positive parameters: the search runs over their logarithms, first with Nelder-Mead
/// (robust far from the optimum, where the likelihood can be undefined) and then with BFGS to polish the estimate.
/// </summary>
internal static class MaximumLikelihood
{
    // Parameters beyond these bounds mean the data do not pin them down; reported rather than returned.
    private const double Smallest = 1e-9;
    private const double Largest = 1e9;

    // The largest gradient (of the mean log-likelihood per customer, in log-parameters) accepted as a maximum.
    private const double GradientTolerance = 1e-5;

    public readonly record struct Estimate(double[] Parameters, double?[] StandardErrors, ModelEstimation Estimation);

    /// <summary>Fits the parameters that maximise the mean log-likelihood per customer − penalty·Σ(ln θ)².</summary>
    /// <param name="model">The model's name, for errors.</param>
    /// <param name="names">The parameters' names, for errors.</param>
    /// <param name="logLikelihood">The total log-likelihood at θ &gt; 0; NaN or −∞ where undefined.</param>
    /// <param name="start">Where the search starts.</param>
    /// <param name="customers">The customers the likelihood sums over.</param>
    /// <param name="options">The penalty and the iteration limit.</param>
    public static Estimate Fit(string model, string[] names, Func<double[], double> logLikelihood, double[] start, int customers, FitOptions options)
    {
        var u0 = Vector<double>.Build.DenseOfEnumerable(start.Select(v => Math.Log(v)));
        var search = new Search(logLikelihood, 1.0 / Math.Max(customers, 1), options.Penalty, u0);
        var gradient = ObjectiveFunction.Gradient(search.Objective, u => Gradient(search.Objective, u));

        // BFGS alone is fastest where the likelihood is smooth from the start; Nelder-Mead first where it is not.
        TryBfgs(gradient, u0, options.MaxIterations);
        if (!(Gradient(search.Objective, search.Best).InfinityNorm() < GradientTolerance))
        {
            try
            {
                var simplex = NelderMeadSimplex.Minimum(ObjectiveFunction.Value(search.Objective), u0, 1e-10, options.MaxIterations);
                TryBfgs(gradient, simplex.MinimizingPoint, options.MaxIterations);
            }
            catch (MaximumIterationsException ex)
            {
                throw Failure(model, names, search, $"the search did not settle within {options.MaxIterations} iterations of each stage.", ex);
            }
        }

        var best = search.Best;
        var theta = Exp(best);
        for (var i = 0; i < theta.Length; i++)
        {
            if (!(theta[i] > Smallest && theta[i] < Largest))
            {
                throw Failure(model, names, search, $"{names[i]} ran to {theta[i]:G4}: the data do not pin it down (too few repeat purchases?); a penalty (FitOptions.Penalty) keeps it finite.");
            }
        }

        var slope = Gradient(search.Objective, best).InfinityNorm();
        if (slope > 1e100)
        {
            throw Failure(model, names, search, "the log-likelihood cannot be evaluated next to where the search stopped (a series or integral did not converge there).");
        }

        if (!(slope < GradientTolerance))
        {
            throw Failure(model, names, search, $"the search stopped where the log-likelihood still changes (gradient {slope:G3}).");
        }

        var errors = StandardErrors(logLikelihood, best);
        if (options.Penalty == 0 && errors.Any(e => e is null))
        {
            throw Failure(model, names, search, "the estimate is not a strict maximum: the log-likelihood is flat along some direction there, so the data do not identify every parameter; a penalty (FitOptions.Penalty) makes the fit unique.");
        }

        return new Estimate(theta, errors, new ModelEstimation(logLikelihood(theta), customers, search.Evaluations, options.Penalty));
    }

    // BFGS from a point; a failure (line search, iterations) leaves the search's best point where it was.
    private static void TryBfgs(IObjectiveFunction gradient, Vector<double> from, int maxIterations)
    {
        try
        {
            new BfgsMinimizer(1e-9, 1e-12, 1e-15, maxIterations).FindMinimum(gradient, from);
        }
        catch (Exception ex) when (ex is MaximumIterationsException or EvaluationException or InnerOptimizationException or OptimizationException)
        {
            // The best point evaluated stands; the checks after the search judge it.
        }
    }

    public static ImmutableArray<ModelParameter> Parameters(string[] names, double[] values, double?[]? errors = null) =>
        [.. names.Select((name, i) => new ModelParameter(name, values[i], errors?[i]))];

    // Checks a parameter given by the caller.
    public static double Positive(double value, string name) =>
        double.IsFinite(value) && value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number above 0.");

    private static ModelFitException Failure(string model, string[] names, Search search, string problem, Exception? inner = null) =>
        new(model, problem, Parameters(names, Exp(search.Best)), search.BestLogLikelihood, search.Evaluations, inner);

    private static double[] Exp(Vector<double> u) => [.. u.Select(Math.Exp)];

    /// <summary>The function minimised, over log-parameters, remembering the best point it was evaluated at.</summary>
    private sealed class Search(Func<double[], double> logLikelihood, double perCustomer, double penalty, Vector<double> start)
    {
        // Undefined regions are walls the search backs away from, never values it could take for a minimum.
        private const double Wall = double.MaxValue / 1e6;

        private double _bestValue = double.PositiveInfinity;

        public Vector<double> Best { get; private set; } = start;

        public double BestLogLikelihood { get; private set; } = double.NegativeInfinity;

        public int Evaluations { get; private set; }

        // The mean log-likelihood per customer, less the penalty: λ means the same for a hundred customers as for a million.
        public double Objective(Vector<double> u)
        {
            Evaluations++;
            var theta = Exp(u);
            var ll = logLikelihood(theta);
            var value = -(ll * perCustomer) + (penalty * u.Sum(v => v * v));
            if (!double.IsFinite(value))
            {
                return Wall;
            }

            if (value < _bestValue)
            {
                (_bestValue, Best, BestLogLikelihood) = (value, u.Clone(), ll);
            }

            return value;
        }
    }

    private static Vector<double> Gradient(Func<Vector<double>, double> f, Vector<double> u)
    {
        const double h = 1e-6;
        var g = Vector<double>.Build.Dense(u.Count);
        for (var i = 0; i < u.Count; i++)
        {
            var (up, down) = (u.Clone(), u.Clone());
            up[i] += h;
            down[i] -= h;
            g[i] = (f(up) - f(down)) / (2 * h);
        }

        return g;
    }

    // Standard errors from the Hessian of −LL in log-parameters: at a maximum, Var(θᵢ) = θᵢ²·Var(ln θᵢ).
    private static double?[] StandardErrors(Func<double[], double> logLikelihood, Vector<double> u)
    {
        const double h = 1e-4;
        var n = u.Count;
        double F(Vector<double> v) => -logLikelihood(Exp(v));
        Vector<double> Shift(int i, double di, int j, double dj)
        {
            var v = u.Clone();
            v[i] += di;
            v[j] += dj;
            return v;
        }

        var hessian = Matrix<double>.Build.Dense(n, n);
        var centre = F(u);
        for (var i = 0; i < n; i++)
        {
            hessian[i, i] = (F(Shift(i, h, i, 0)) - 2 * centre + F(Shift(i, -h, i, 0))) / (h * h);
            for (var j = 0; j < i; j++)
            {
                var value = (F(Shift(i, h, j, h)) - F(Shift(i, h, j, -h)) - F(Shift(i, -h, j, h)) + F(Shift(i, -h, j, -h))) / (4 * h * h);
                (hessian[i, j], hessian[j, i]) = (value, value);
            }
        }

        var errors = new double?[n];
        if (!hessian.Enumerate().All(double.IsFinite))
        {
            return errors;
        }

        try
        {
            var covariance = hessian.Cholesky().Solve(Matrix<double>.Build.DenseIdentity(n));
            for (var i = 0; i < n; i++)
            {
                var variance = covariance[i, i];
                errors[i] = variance > 0 && double.IsFinite(variance) ? Math.Exp(u[i]) * Math.Sqrt(variance) : null;
            }
        }
        catch (ArgumentException)
        {
            // Not positive definite: the estimate is not a strict maximum, so no standard errors.
        }

        return errors;
    }
}
