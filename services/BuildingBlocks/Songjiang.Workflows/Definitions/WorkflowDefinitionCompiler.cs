using System.Text.Json;
using System.Xml;
using Songjiang.Workflows.Expressions;

namespace Songjiang.Workflows.Definitions;

/// <summary>Parses a definition document and validates every node; errors are collected, not thrown one by one.</summary>
internal static class WorkflowDefinitionCompiler
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { AllowTrailingCommas = true };

    public static WorkflowDefinition Compile(string json)
    {
        DefinitionDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<DefinitionDocument>(json, Json);
        }
        catch (JsonException e)
        {
            throw new WorkflowDefinitionException([$"not a valid definition document: {e.Message}"]);
        }

        var errors = new List<string>();
        if (document is null || string.IsNullOrWhiteSpace(document.Name)) errors.Add("definition: 'name' is required");
        if (document is { Version: < 1 }) errors.Add("definition: 'version' must be 1 or more");
        if (document is { StatutoryWorkingDays: not null, StatutoryWorkingDaysFrom: not null })
            errors.Add("definition: 'statutoryWorkingDays' and 'statutoryWorkingDaysFrom' exclude each other");
        var statutoryFrom = document?.StatutoryWorkingDaysFrom is { } text
            ? new NodeErrors("definition", errors).Expression(text, "statutoryWorkingDaysFrom")
            : null;
        var nodes = new Dictionary<string, WorkflowNode>();
        foreach (var (node, index) in (document?.Nodes ?? []).Select((n, i) => (n, i)))
        {
            var id = node.Id;
            if (string.IsNullOrWhiteSpace(id))
            {
                errors.Add($"node #{index + 1}: 'id' is required");
                continue;
            }

            if (nodes.ContainsKey(id))
            {
                errors.Add($"node '{id}': duplicate id");
                continue;
            }

            var compiled = CompileNode(node, id, new NodeErrors(id, errors));
            if (compiled is not null) nodes.Add(id, compiled);
        }

        if (document is not null && errors.Count == 0)
            WorkflowGraphValidator.Validate(nodes, errors);
        if (errors.Count > 0) throw new WorkflowDefinitionException(errors);

        var start = nodes.Values.OfType<StartNode>().Single().Id;
        return new WorkflowDefinition(
            document!.Name!, document.Version, document.Title, document.StatutoryWorkingDays, start, nodes, json)
        {
            StatutoryWorkingDaysFrom = statutoryFrom,
            SendBackPausesClock = document.SendBackPausesClock,
            InParallel = ParallelRegions(nodes),
        };
    }

    private static WorkflowNode? CompileNode(NodeDocument n, string id, NodeErrors e) => n.Kind switch
    {
        "start" => new StartNode(id, e.Required(n.Next, "next")),
        "userTask" => CompileUserTask(n, id, e),
        "fork" => new ForkNode(
            id, n.Title, n.Branches is { Count: >= 2 } ? n.Branches : e.Missing<List<string>>("branches (at least two)"),
            e.Required(n.Join, "join")),
        "join" => CompileJoin(n, id, e),
        "decision" => new DecisionNode(
            id, n.Title,
            (n.Cases ?? []).Select(c => new DecisionCase(
                c.When ?? "", e.Expression(c.When, "when"), e.Required(c.To, "cases[].to"))).ToList(),
            e.Required(n.Otherwise, "otherwise"), n.OnError),
        "serviceTask" => new ServiceTaskNode(
            id, n.Title, e.Required(n.Topic, "topic"),
            (n.Payload ?? []).ToDictionary(p => p.Key, p => e.Expression(p.Value, $"payload.{p.Key}")),
            e.Required(n.Next, "next"), n.OnError),
        "waitEvent" => new WaitEventNode(
            id, n.Title, e.Required(n.Event, "event"), e.Expression(n.Correlation, "correlation"), n.PausesClock,
            e.Required(n.Next, "next")),
        "timer" => new TimerNode(id, n.Title, CompileDelay(n.After, n.WorkingDays, e), e.Required(n.Next, "next")),
        "subWorkflow" => new SubWorkflowNode(
            id, n.Title, n.WorkflowFrom is null ? e.Required(n.Workflow, "workflow") : e.NotBoth(n.Workflow, "workflow", "workflowFrom"),
            n.WorkflowFrom is null ? null : e.Expression(n.WorkflowFrom, "workflowFrom"), n.ForEach, e.Required(n.Next, "next")),
        "end" => new EndNode(id, n.Title, e.Required(n.Outcome, "outcome")),
        _ => e.Fail($"unknown activity kind '{n.Kind}'"),
    };

    private static UserTaskNode CompileUserTask(NodeDocument n, string id, NodeErrors e)
    {
        // A 会签 step names its signers' departments, so it has no single department of its own.
        var countersign = n.Countersign is { } c ? CompileCountersign(c, n, e) : null;
        var department = countersign is not null
            ? e.NotBoth(n.Department ?? n.DepartmentFrom, "department", "countersign")
            : n.DepartmentFrom is null ? e.Required(n.Department, "department") : e.NotBoth(n.Department, "department", "departmentFrom");
        var roles = n.Roles is { Count: > 0 } ? n.Roles : e.Missing<List<string>>("roles");
        var actions = n.Actions is { Count: > 0 } ? n.Actions : e.Missing<Dictionary<string, string>>("actions");
        if (countersign is not null && !actions.ContainsKey(countersign.Agree))
            e.Fail($"countersign: 'agree' action '{countersign.Agree}' is not one of the actions");
        if (n.TransferTo is { } transfer && transfer.Any(string.IsNullOrWhiteSpace)) e.Fail("'transferTo' must name departments");
        return new UserTaskNode(
            id, n.Title, department, n.DepartmentFrom is null || countersign is not null ? null : e.Expression(n.DepartmentFrom, "departmentFrom"),
            roles, actions, n.DueWorkingDays, n.PausesClock, (n.Boundary ?? []).Select(b => CompileBoundary(b, e)).ToList(), n.Status)
        {
            Countersign = countersign is null ? null : countersign with
            {
                Signers = [.. countersign.Signers.Select(s => s.Roles.Count > 0 ? s : s with { Roles = roles })],
            },
            TransferTo = n.TransferTo ?? [],
        };
    }

    private static CountersignRule CompileCountersign(CountersignDocument c, NodeDocument n, NodeErrors e)
    {
        var signers = (c.Signers ?? []).Select(s => new CountersignSigner(e.Required(s.Department, "countersign.signers[].department"), s.Roles ?? [])).ToList();
        if (signers.Count < 2) e.Fail("countersign needs at least two signers");
        if (c.Quorum is { } quorum && (quorum < 1 || quorum > signers.Count))
            e.Fail($"countersign: 'quorum' must be between 1 and the {signers.Count} signers");
        var agree = c.Agree ?? n.Actions?.Keys.FirstOrDefault() ?? "";
        return new CountersignRule(signers, c.Quorum, agree);
    }

    private static JoinNode CompileJoin(NodeDocument n, string id, NodeErrors e)
    {
        var mode = n.Mode switch
        {
            null or "all" => JoinMode.All,
            "any" => JoinMode.Any,
            "nOfM" => JoinMode.NOfM,
            _ => e.Invalid($"unknown join mode '{n.Mode}' (all, any, nOfM)", JoinMode.All),
        };
        if (mode == JoinMode.NOfM && n.Count is null or < 1) e.Fail("join mode nOfM needs 'count' of 1 or more");
        return new JoinNode(id, n.Title, mode, n.Count, e.Required(n.Next, "next"));
    }

    // Every node reachable from a fork's branches before its join runs inside a parallel branch.
    private static HashSet<string> ParallelRegions(Dictionary<string, WorkflowNode> nodes)
    {
        var inside = new HashSet<string>();
        foreach (var fork in nodes.Values.OfType<ForkNode>())
        {
            var queue = new Queue<string>(fork.Branches);
            while (queue.TryDequeue(out var id))
            {
                if (id == fork.Join || !inside.Add(id) || !nodes.TryGetValue(id, out var node)) continue;
                foreach (var (next, _) in node.Transitions) queue.Enqueue(next);
            }
        }

        return inside;
    }

    private static BoundaryTimer CompileBoundary(BoundaryTimerDocument b, NodeErrors e)
    {
        var action = b.Action switch
        {
            "remind" => BoundaryAction.Remind,
            "escalate" => BoundaryAction.Escalate,
            "interrupt" => BoundaryAction.Interrupt,
            _ => e.Invalid($"boundary timer '{b.Id}': unknown action '{b.Action}' (remind, escalate, interrupt)", BoundaryAction.Remind),
        };
        if (action == BoundaryAction.Interrupt && b.To is null) e.Fail($"boundary timer '{b.Id}': interrupt needs 'to'");
        if (action != BoundaryAction.Interrupt && b.Topic is null) e.Fail($"boundary timer '{b.Id}': {b.Action} needs 'topic'");
        return new BoundaryTimer(e.Required(b.Id, "boundary[].id"), CompileDelay(b.After, b.WorkingDays, e) with { AtDeadline = b.AtDeadline && b.WorkingDays is not null }, action, b.Topic, b.To);
    }

    private static Delay CompileDelay(string? after, int? workingDays, NodeErrors e)
    {
        if ((after is null) == (workingDays is null))
            e.Fail("give exactly one of 'after' (ISO 8601 duration) or 'workingDays'");
        if (workingDays is < 0) e.Fail("'workingDays' must not be negative");
        if (after is null) return new Delay(null, workingDays);
        try
        {
            return new Delay(XmlConvert.ToTimeSpan(after), null);
        }
        catch (FormatException)
        {
            e.Fail($"'after' is not an ISO 8601 duration: '{after}'");
            return new Delay(TimeSpan.Zero, null);
        }
    }

    /// <summary>Records errors prefixed with the node id and returns placeholders so compilation can go on.</summary>
    private sealed class NodeErrors(string nodeId, List<string> errors)
    {
        public WorkflowNode? Fail(string message)
        {
            errors.Add($"node '{nodeId}': {message}");
            return null;
        }

        public T Invalid<T>(string message, T fallback)
        {
            Fail(message);
            return fallback;
        }

        public string Required(string? value, string field)
        {
            if (string.IsNullOrWhiteSpace(value)) Fail($"'{field}' is required");
            return value ?? "";
        }

        public string? NotBoth(string? value, string field, string alternative)
        {
            if (value is not null) Fail($"'{field}' and '{alternative}' exclude each other");
            return null;
        }

        public T Missing<T>(string field) where T : new()
        {
            Fail($"'{field}' is required");
            return new T();
        }

        public ExpressionNode Expression(string? text, string field)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                Fail($"'{field}' is required");
                return new Literal(null);
            }

            try
            {
                return ExpressionParser.Parse(text);
            }
            catch (ExpressionException ex)
            {
                Fail($"'{field}' is not a valid expression: {ex.Message}");
                return new Literal(null);
            }
        }
    }
}
