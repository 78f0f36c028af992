namespace Songjiang.Workflows.Definitions;

/// <summary>A validated, immutable definition version; instances keep a reference to the version they started on.</summary>
internal sealed record WorkflowDefinition(
    string Name, int Version, string? Title, int? StatutoryWorkingDays, string Start,
    IReadOnlyDictionary<string, WorkflowNode> Nodes, string Json)
{
    /// <summary>The statutory time limit read from the start data (e.g. the matter's limit), instead of a fixed one.</summary>
    public Expressions.ExpressionNode? StatutoryWorkingDaysFrom { get; init; }

    public WorkflowNode this[string nodeId] => Nodes[nodeId];

    public T Node<T>(string nodeId) where T : WorkflowNode => (T)Nodes[nodeId];
}
