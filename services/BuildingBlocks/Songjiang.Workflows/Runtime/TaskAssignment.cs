using System.Text.Json;
using Songjiang.Workflows.Persistence;

namespace Songjiang.Workflows.Runtime;

/// <summary>
/// How a user task was handed out when not simply to its node's queue, stored with its token: a named signer
/// (加签), the actions such a signer may take, whom a signer added before the holder hands the task back to, and
/// whether a step sent back (退回) stops the statutory clock.
/// </summary>
internal sealed record TaskAssignment
{
    /// <summary>The only user who may act on the task.</summary>
    public string? Assignee { get; init; }

    /// <summary>The actions this holder may take, when narrower than the node's.</summary>
    public IReadOnlyList<string>? Actions { get; init; }

    /// <summary>For a signer added before the holder: the holder, who gets the task back after signing.</summary>
    public SignerReturn? ReturnTo { get; init; }

    /// <summary>The step was sent back and its procedure stops the statutory clock meanwhile.</summary>
    public bool PausesClock { get; init; }

    /// <summary>Who added this signer.</summary>
    public string? AddedBy { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault,
    };

    public static TaskAssignment? Of(TokenRecord token) =>
        token.Assignment is null ? null : JsonSerializer.Deserialize<TaskAssignment>(token.Assignment, Json);

    public static string? Write(TaskAssignment? assignment) => assignment is null ? null : JsonSerializer.Serialize(assignment, Json);
}

/// <summary>The holder a signer added before them hands the task back to.</summary>
internal sealed record SignerReturn(string Assignee, string Department, IReadOnlyList<string> Roles);
