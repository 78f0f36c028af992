using System.Text.Json;
using System.Text.Json.Nodes;
using Songjiang.Workflows.Definitions;
using Songjiang.Workflows.Persistence;

namespace Songjiang.Workflows.Runtime;

/// <summary>One locked instance inside a unit of work: its record, parsed data and waiting tokens.</summary>
internal sealed class InstanceSession(WorkflowUnitOfWork unit, InstanceRecord instance, WorkflowDefinition definition, List<TokenRecord> tokens)
{
    public InstanceRecord Instance { get; } = instance;
    public WorkflowDefinition Definition { get; } = definition;
    public JsonObject Data { get; } = JsonNode.Parse(instance.Data)!.AsObject();

    /// <summary>Tokens waiting when the instance was loaded plus those created in this unit of work.</summary>
    public List<TokenRecord> Tokens { get; } = tokens;

    public List<TimerRecord> NewTimers { get; } = [];

    public IEnumerable<TokenRecord> Waiting => Tokens.Where(t => t.Status == TokenStatus.Waiting);

    public TokenRecord Spawn(string scope, string nodeId)
    {
        var token = new TokenRecord
        {
            Id = Guid.CreateVersion7(), InstanceId = Instance.Id, NodeId = nodeId, Scope = scope,
            Status = TokenStatus.Waiting, CreatedAt = unit.Now,
        };
        Tokens.Add(token);
        unit.Db.Add(token);
        return token;
    }

    public void End(TokenRecord token, TokenStatus status)
    {
        token.Status = status;
        token.EndedAt = unit.Now;
    }

    public void AddTimer(TokenRecord token, string nodeId, string? boundaryId, DateTimeOffset dueAt)
    {
        var timer = new TimerRecord
        {
            Id = Guid.CreateVersion7(), InstanceId = Instance.Id, TokenId = token.Id, NodeId = nodeId,
            BoundaryId = boundaryId, DueAt = dueAt, Status = TimerStatus.Pending,
        };
        NewTimers.Add(timer);
        unit.Db.Add(timer);
    }

    public void Journal(WorkflowActor actor, string action, string? nodeId, Guid? tokenId = null, JsonNode? delta = null) =>
        unit.Db.Add(new JournalRecord
        {
            InstanceId = Instance.Id, At = unit.Now, Actor = actor.Id, Action = action, NodeId = nodeId,
            TokenId = tokenId, Delta = delta?.ToJsonString(),
        });

    public IReadOnlyList<Guid> OpenTaskIds() =>
        Waiting.Where(t => Definition[t.NodeId] is UserTaskNode).Select(t => t.Id).ToList();

    /// <summary>Writes the data back and bumps the version column that guards against lost updates.</summary>
    public void Flush(bool isNew)
    {
        Instance.Data = Data.ToJsonString(SerializerOptions);
        if (!isNew) Instance.Version++;
    }

    private static readonly JsonSerializerOptions SerializerOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
