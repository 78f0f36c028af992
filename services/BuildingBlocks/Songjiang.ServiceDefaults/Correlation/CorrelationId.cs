using System.Diagnostics;

namespace Songjiang.ServiceDefaults.Correlation;

/// <summary>The correlation id of the current request or message, flowing with the async context.</summary>
public static class CorrelationId
{
    /// <summary>The header that carries the id between the gateway, services and partner systems.</summary>
    public const string HeaderName = "X-Correlation-Id";

    private const int MaxLength = 64;
    private static readonly AsyncLocal<string?> CurrentValue = new();

    /// <summary>The id of the work in progress, if any.</summary>
    public static string? Current
    {
        get => CurrentValue.Value;
        set => CurrentValue.Value = value;
    }

    /// <summary>
    /// Picks the id for incoming work: a well-formed caller-supplied id, else the W3C trace id the caller sent
    /// (so a trace and its logs share one key), else a new id.
    /// </summary>
    public static string Resolve(string? supplied, string? traceparent)
    {
        if (IsWellFormed(supplied))
        {
            return supplied!;
        }
        if (!string.IsNullOrEmpty(traceparent) && ActivityContext.TryParse(traceparent, null, out var context))
        {
            return context.TraceId.ToHexString();
        }
        return Activity.Current?.TraceId.ToHexString() ?? ActivityTraceId.CreateRandom().ToHexString();
    }

    /// <summary>Caller-supplied ids end up in logs and headers, so only short, plain tokens are accepted.</summary>
    public static bool IsWellFormed(string? value) =>
        !string.IsNullOrEmpty(value)
        && value.Length <= MaxLength
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}
