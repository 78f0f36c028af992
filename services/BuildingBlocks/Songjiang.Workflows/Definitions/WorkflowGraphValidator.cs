namespace Songjiang.Workflows.Definitions;

/// <summary>Checks the graph as a whole: one start, no dangling transition, no unreachable node, forks closed by joins.</summary>
internal static class WorkflowGraphValidator
{
    public static void Validate(IReadOnlyDictionary<string, WorkflowNode> nodes, List<string> errors)
    {
        var starts = nodes.Values.OfType<StartNode>().ToList();
        if (starts.Count != 1)
        {
            errors.Add($"definition: exactly one 'start' node is required, found {starts.Count}");
            return;
        }

        if (!nodes.Values.OfType<EndNode>().Any()) errors.Add("definition: at least one 'end' node is required");

        foreach (var node in nodes.Values)
        {
            foreach (var (to, _) in node.Transitions.Where(t => !nodes.ContainsKey(t.To)))
                errors.Add($"node '{node.Id}': transition to unknown node '{to}'");
        }

        if (errors.Count > 0) return;

        var reachable = Reachable(starts[0].Id, nodes, stopAt: null);
        foreach (var node in nodes.Values.Where(n => !reachable.Contains(n.Id)))
            errors.Add($"node '{node.Id}': unreachable from start");

        ValidateForks(nodes, errors);
    }

    private static void ValidateForks(IReadOnlyDictionary<string, WorkflowNode> nodes, List<string> errors)
    {
        var forks = nodes.Values.OfType<ForkNode>().ToList();
        foreach (var fork in forks)
        {
            if (!nodes.TryGetValue(fork.Join, out var join) || join is not JoinNode joinNode)
            {
                errors.Add($"node '{fork.Id}': missing join: '{fork.Join}' is not a join node");
                continue;
            }

            if (joinNode.Mode == JoinMode.NOfM && joinNode.Count > fork.Branches.Count)
                errors.Add($"node '{join.Id}': needs {joinNode.Count} of only {fork.Branches.Count} branches of fork '{fork.Id}'");

            foreach (var branch in fork.Branches.Where(b => !Reachable(b, nodes, stopAt: join.Id).Contains(join.Id)))
                errors.Add($"node '{fork.Id}': branch '{branch}' never reaches its join '{join.Id}'");
        }

        foreach (var join in nodes.Values.OfType<JoinNode>())
        {
            var closing = forks.Count(f => f.Join == join.Id);
            if (closing != 1)
                errors.Add($"node '{join.Id}': a join must close exactly one fork, closes {closing}");
        }
    }

    private static HashSet<string> Reachable(string from, IReadOnlyDictionary<string, WorkflowNode> nodes, string? stopAt)
    {
        var seen = new HashSet<string>();
        var stack = new Stack<string>([from]);
        while (stack.TryPop(out var id))
        {
            if (!seen.Add(id) || id == stopAt || !nodes.TryGetValue(id, out var node)) continue;
            foreach (var (to, _) in node.Transitions) stack.Push(to);
        }

        return seen;
    }
}
