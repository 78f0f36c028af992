namespace Songjiang.Workflows.Definitions;

/// <summary>A validated, immutable definition version; instances keep a reference to the version they started on.</summary>
internal sealed record WorkflowDefinition(
    string Name, int Version, string? Title, int? StatutoryWorkingDays, string Start,
    IReadOnlyDictionary<string, WorkflowNode> Nodes, string Json)
{
    /// <summary>The statutory time limit read from the start data (e.g. the matter's limit), instead of a fixed one.</summary>
    public Expressions.ExpressionNode? StatutoryWorkingDaysFrom { get; init; }

    /// <summary>Whether the statutory clock stops while a step sent back (退回) waits; by default it keeps running.</summary>
    public bool SendBackPausesClock { get; init; }

    /// <summary>Nodes between a fork and its join (parallel branches), where 退回 and migration do not go.</summary>
    public IReadOnlySet<string> InParallel { get; init; } = new HashSet<string>();

    /// <summary>Whether <paramref name="from"/> can lead to <paramref name="to"/>: a step before it in the procedure.</summary>
    public bool Precedes(string from, string to)
    {
        var seen = new HashSet<string> { from };
        var queue = new Queue<string>([from]);
        while (queue.TryDequeue(out var id))
        {
            foreach (var (next, _) in Nodes[id].Transitions)
            {
                if (next == to) return true;
                if (seen.Add(next)) queue.Enqueue(next);
            }
        }

        return false;
    }

    public WorkflowNode this[string nodeId] => Nodes[nodeId];

    public T Node<T>(string nodeId) where T : WorkflowNode => (T)Nodes[nodeId];
}
