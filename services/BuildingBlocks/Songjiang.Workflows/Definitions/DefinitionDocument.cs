namespace Songjiang.Workflows.Definitions;

// The JSON shape of a definition exactly as authors write it; WorkflowDefinitionCompiler turns it into nodes.

internal sealed class DefinitionDocument
{
    public string? Name { get; set; }
    public int Version { get; set; }
    public string? Title { get; set; }
    public int? StatutoryWorkingDays { get; set; }
    public string? StatutoryWorkingDaysFrom { get; set; }
    public bool SendBackPausesClock { get; set; }
    public List<NodeDocument>? Nodes { get; set; }
}

internal sealed class NodeDocument
{
    public string? Id { get; set; }
    public string? Kind { get; set; }
    public string? Title { get; set; }
    public string? Next { get; set; }
    public string? Department { get; set; }
    public string? DepartmentFrom { get; set; }
    public List<string>? Roles { get; set; }
    public Dictionary<string, string>? Actions { get; set; }
    public int? DueWorkingDays { get; set; }
    public bool PausesClock { get; set; }
    public string? Status { get; set; }
    public List<BoundaryTimerDocument>? Boundary { get; set; }
    public List<string>? Branches { get; set; }
    public string? Join { get; set; }
    public string? Mode { get; set; }
    public int? Count { get; set; }
    public List<DecisionCaseDocument>? Cases { get; set; }
    public string? Otherwise { get; set; }
    public string? Topic { get; set; }
    public Dictionary<string, string>? Payload { get; set; }
    public string? Event { get; set; }
    public string? Correlation { get; set; }
    public string? After { get; set; }
    public int? WorkingDays { get; set; }
    public string? Workflow { get; set; }
    public string? WorkflowFrom { get; set; }
    public string? ForEach { get; set; }
    public string? Outcome { get; set; }
    public string? OnError { get; set; }
    public CountersignDocument? Countersign { get; set; }
    public List<string>? TransferTo { get; set; }
}

internal sealed class CountersignDocument
{
    public List<SignerDocument>? Signers { get; set; }
    public int? Quorum { get; set; }
    public string? Agree { get; set; }
}

internal sealed class SignerDocument
{
    public string? Department { get; set; }
    public List<string>? Roles { get; set; }
}

internal sealed class BoundaryTimerDocument
{
    public string? Id { get; set; }
    public string? After { get; set; }
    public int? WorkingDays { get; set; }
    public bool AtDeadline { get; set; }
    public string? Action { get; set; }
    public string? Topic { get; set; }
    public string? To { get; set; }
}

internal sealed class DecisionCaseDocument
{
    public string? When { get; set; }
    public string? To { get; set; }
}
