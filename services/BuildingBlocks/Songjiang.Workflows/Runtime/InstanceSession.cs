using System.Text.Json;
using System.Text.Json.Nodes;
using Songjiang.Workflows.Definitions;
using Songjiang.Workflows.Persistence;

namespace Songjiang.Workflows.Runtime;

/// <summary>
/// One locked instance inside a unit of work: its record, parsed data and waiting tokens, plus every row the
/// unit adds for it. Nothing is tracked by EF Core; <see cref="UnitWriter"/> writes the differences at the end.
/// </summary>
internal sealed class InstanceSession
{
    private readonly WorkflowUnitOfWork _unit;
    private readonly Dictionary<Guid, TokenState> _loaded;

    public InstanceSession(WorkflowUnitOfWork unit, InstanceRecord instance, WorkflowDefinition definition, List<TokenRecord> tokens, bool isNew)
    {
        _unit = unit;
        Instance = instance;
        Definition = definition;
        Tokens = tokens;
        IsNew = isNew;
        LoadedVersion = instance.Version;
        Data = JsonNode.Parse(instance.Data)!.AsObject();
        _loaded = tokens.ToDictionary(t => t.Id, TokenState.Of);
    }

    public InstanceRecord Instance { get; }
    /// <summary>The pinned definition; a migration moves the instance to another version.</summary>
    public WorkflowDefinition Definition { get; set; }

    /// <summary>Set while a migration moves tokens, so the statutory clock is neither paused nor resumed by it.</summary>
    public bool HoldClock { get; set; }
    public JsonObject Data { get; }
    public bool IsNew { get; }

    /// <summary>The version read under the lock; the write succeeds only if the row still has it.</summary>
    public int LoadedVersion { get; }

    /// <summary>Tokens waiting when the instance was loaded plus those created in this unit of work.</summary>
    public List<TokenRecord> Tokens { get; }

    public List<TimerRecord> NewTimers { get; } = [];
    public List<BookmarkRecord> NewBookmarks { get; } = [];
    public List<JournalEntry> NewJournal { get; } = [];

    public IEnumerable<TokenRecord> Waiting => Tokens.Where(t => t.Status == TokenStatus.Waiting);

    public bool Ended => Instance.Status is WorkflowInstanceStatus.Completed or WorkflowInstanceStatus.Cancelled;

    public bool IsNewToken(TokenRecord token) => !_loaded.ContainsKey(token.Id);

    /// <summary>Loaded tokens whose state changed in this unit of work.</summary>
    public IEnumerable<TokenRecord> ChangedTokens => Tokens.Where(t => _loaded.TryGetValue(t.Id, out var before) && before != TokenState.Of(t));

    /// <summary>
    /// Tokens created in this unit of work that are still waiting. A token that passed through nodes and finished
    /// in the same unit (a fork's entry, a join's last arrival, a decision) leaves its trace in the journal only:
    /// no query reads finished tokens, and skipping their rows is a good part of a step's write cost.
    /// </summary>
    public IEnumerable<TokenRecord> NewTokens => Tokens.Where(t => IsNewToken(t) && t.Status == TokenStatus.Waiting);

    /// <summary>
    /// Whether the unit changed this instance. Every step journals, so an instance that was only locked and read
    /// (a duplicate or stale command) has nothing to write and keeps its version.
    /// </summary>
    public bool Changed => IsNew || NewJournal.Count > 0 || NewTimers.Count > 0 || NewBookmarks.Count > 0
        || NewTokens.Any() || ChangedTokens.Any();

    public TokenRecord Spawn(string scope, string nodeId)
    {
        var token = new TokenRecord
        {
            Id = Guid.CreateVersion7(), InstanceId = Instance.Id, NodeId = nodeId, Scope = scope,
            Status = TokenStatus.Waiting, CreatedAt = _unit.Now,
        };
        Tokens.Add(token);
        return token;
    }

    public void End(TokenRecord token, TokenStatus status)
    {
        token.Status = status;
        token.EndedAt = _unit.Now;
        token.Incident = null;
    }

    public void AddTimer(TokenRecord token, string nodeId, string? boundaryId, DateTimeOffset dueAt) =>
        NewTimers.Add(new TimerRecord
        {
            Id = Guid.CreateVersion7(), InstanceId = Instance.Id, TokenId = token.Id, NodeId = nodeId,
            BoundaryId = boundaryId, DueAt = dueAt, Status = TimerStatus.Pending,
        });

    public void Journal(WorkflowActor actor, string action, string? nodeId, Guid? tokenId = null, JsonNode? delta = null) =>
        NewJournal.Add(new JournalEntry(actor.Id, action, nodeId, tokenId, delta?.ToJsonString(SerializerOptions)));

    public IReadOnlyList<Guid> OpenTaskIds() =>
        Waiting.Where(t => Definition[t.NodeId] is UserTaskNode).Select(t => t.Id).ToList();

    /// <summary>Writes the data back, derives the status from the incidents and bumps the version column.</summary>
    public void Flush()
    {
        Instance.Data = Data.ToJsonString(SerializerOptions);
        if (!Ended)
        {
            Instance.Status = Waiting.Any(t => t.Incident is not null) ? WorkflowInstanceStatus.Faulted : WorkflowInstanceStatus.Running;
        }

        if (!IsNew) Instance.Version = LoadedVersion + 1;
    }

    // Chinese text (opinions, department names) stays readable in the stored JSON.
    private static readonly JsonSerializerOptions SerializerOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The mutable columns of a token, compared to find the rows a unit of work must update.</summary>
    private readonly record struct TokenState(
        string NodeId, TokenStatus Status, DateTimeOffset CreatedAt, DateTimeOffset? EndedAt, string? Department, string? Roles,
        DateTimeOffset? DueAt, bool Escalated, int PendingChildren, string? Incident, string? Assignment)
    {
        public static TokenState Of(TokenRecord t) =>
            new(t.NodeId, t.Status, t.CreatedAt, t.EndedAt, t.Department, t.Roles, t.DueAt, t.Escalated, t.PendingChildren, t.Incident, t.Assignment);
    }
}
