using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Songjiang.Workflows.Runtime;

/// <summary>One journal entry of a step, before it is written; <paramref name="Delta"/> is JSON text.</summary>
internal sealed record JournalEntry(string Actor, string Action, string? NodeId, Guid? TokenId, string? Delta);

/// <summary>
/// A step's journal entries as one JSON array (<c>wf_journal.entries</c>):
/// <c>[{"actor":…,"action":…,"node":…,"token":…,"delta":{…}}, …]</c>, absent members omitted. Chinese text
/// (opinions, department names) stays readable in the stored JSON.
/// </summary>
internal static class JournalEntries
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(IReadOnlyList<JournalEntry> entries)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartArray();
            foreach (var entry in entries)
            {
                writer.WriteStartObject();
                writer.WriteString("actor", entry.Actor);
                writer.WriteString("action", entry.Action);
                if (entry.NodeId is not null) writer.WriteString("node", entry.NodeId);
                if (entry.TokenId is { } token) writer.WriteString("token", token);
                if (entry.Delta is not null)
                {
                    writer.WritePropertyName("delta");
                    writer.WriteRawValue(entry.Delta, skipInputValidation: true);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The entries of the given steps, in order, numbered from 1 for the instance.</summary>
    public static IReadOnlyList<WorkflowJournalEntry> Read(IEnumerable<(DateTimeOffset At, string Entries)> steps)
    {
        var result = new List<WorkflowJournalEntry>();
        foreach (var (at, entries) in steps)
        {
            foreach (var node in JsonNode.Parse(entries)!.AsArray())
            {
                var entry = node!.AsObject();
                result.Add(new WorkflowJournalEntry(
                    result.Count + 1, at, entry["actor"]!.GetValue<string>(), entry["action"]!.GetValue<string>(),
                    entry["node"]?.GetValue<string>(), entry["delta"]?.DeepClone()));
            }
        }

        return result;
    }
}
