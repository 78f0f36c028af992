namespace Songjiang.Workflows.Expressions;

/// <summary>A decision expression could not be parsed or evaluated.</summary>
public sealed class ExpressionException(string message) : Exception(message);
