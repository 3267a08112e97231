namespace Rfm.Lifetimes;

/// <summary>One parameter of a model: its name as printed in the papers, its value and, for a fitted model, its standard error.</summary>
/// <param name="Name">The name as the paper writes it: r, alpha, a, b, s, beta, p, q, gamma or delta.</param>
/// <param name="Value">The value.</param>
/// <param name="StandardError">
/// The asymptotic standard error from the inverse of the observed information (the log-likelihood's Hessian at the
/// estimate); null for a model made from given parameters, or when the Hessian is not positive definite there.
/// </param>
public readonly record struct ModelParameter(string Name, double Value, double? StandardError);
