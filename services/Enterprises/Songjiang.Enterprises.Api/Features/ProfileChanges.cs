using Songjiang.Enterprises.Api.Domain;
using System.Text.Json;

namespace Songjiang.Enterprises.Api.Features;

/// <summary>Applies a partial update field by field and records what actually changed, for the audit trail.</summary>
public sealed class ProfileChanges(Enterprise enterprise)
{
    private readonly Dictionary<string, object?[]> _changes = [];

    /// <summary>Fields the request asked to set (whether or not the value differs).</summary>
    public List<string> Requested { get; } = [];

    /// <summary>Fields whose value changed, with from and to.</summary>
    public IReadOnlyDictionary<string, object?[]> Changed => _changes;

    /// <summary>Sets a field when the request carries a value (null means "leave as it is").</summary>
    public ProfileChanges Set(string field, object? value, Func<Enterprise, object?> get, Action<Enterprise, object> set)
    {
        if (value is null)
        {
            return this;
        }
        Requested.Add(field);
        var current = get(enterprise);
        if (!Equals(current, value))
        {
            _changes[field] = [current, value];
            set(enterprise, value);
        }
        return this;
    }

    /// <summary>The changes as JSON for the timeline.</summary>
    public string ToJson() => JsonSerializer.Serialize(
        _changes.ToDictionary(c => c.Key, c => new { from = c.Value[0], to = c.Value[1] }),
        JsonSerializerOptions.Web);
}
