namespace Songjiang.Workflows.Definitions;

/// <summary>A definition document is invalid; <see cref="Errors"/> lists every problem, each naming its node.</summary>
public sealed class WorkflowDefinitionException(IReadOnlyList<string> errors)
    : WorkflowException("Invalid workflow definition: " + string.Join("; ", errors))
{
    /// <summary>The problems found, e.g. <c>node 'review': transition to unknown node 'approve2'</c>.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}
