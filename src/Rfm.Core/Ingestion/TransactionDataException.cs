namespace Rfm;

/// <summary>A row of input cannot be read: a column is missing, or a value is not what the column needs.</summary>
public sealed class TransactionDataException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TransactionDataException()
        : this("The transaction data cannot be read.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public TransactionDataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public TransactionDataException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for one value.</summary>
    /// <param name="row">The one-based data row (the header is not counted), or 0 when the problem is not in a row.</param>
    /// <param name="column">The column's name.</param>
    /// <param name="value">The offending value as text, or <see langword="null"/>.</param>
    /// <param name="problem">What is wrong with it.</param>
    /// <param name="innerException">The cause, if any.</param>
    public TransactionDataException(long row, string column, string? value, string problem, Exception? innerException = null)
        : base(Describe(row, column, value, problem), innerException)
    {
        Row = row;
        Column = column;
        Value = value;
        Problem = problem;
    }

    /// <summary>The one-based data row (the header is not counted); 0 when the problem is not in a row.</summary>
    public long Row { get; }

    /// <summary>The column's name, if the problem is in one column.</summary>
    public string? Column { get; }

    /// <summary>The offending value as text, if any.</summary>
    public string? Value { get; }

    /// <summary>What is wrong, without the row, column and value (for callers that describe the position their own way).</summary>
    public string? Problem { get; }

    private static string Describe(long row, string column, string? value, string problem)
    {
        var where = row > 0 ? $"Row {row}, column '{column}'" : $"Column '{column}'";
        return value is null ? $"{where}: {problem}" : $"{where}: {problem} (value '{value}')";
    }
}
