using System.Net.Http.Json;
using Songjiang.Licenses.Api.IntegrationEvents.Events;

namespace Songjiang.Licenses.Api.Clients;

/// <summary>
/// Reads the enterprise register's read-model feed (<c>GET /api/enterprises/read-model-feed</c>, keyset-paged by USCC)
/// as the platform service account, for the initial fill of the holders' read model. Never called inside a transaction.
/// </summary>
public sealed class EnterpriseRegisterFeed(HttpClient http)
{
    /// <summary>The page after <paramref name="after"/> (null: the first page).</summary>
    public async Task<RegisterFeedPage> ReadAsync(string? after, int limit, CancellationToken cancellationToken)
    {
        var path = $"/api/enterprises/read-model-feed?limit={limit}" + (after is null ? "" : $"&after={Uri.EscapeDataString(after)}");
        return await http.GetFromJsonAsync<RegisterFeedPage>(path, cancellationToken)
            ?? throw new InvalidOperationException("The enterprise register returned an empty feed page.");
    }
}

/// <summary>A page of the feed; <see cref="Next"/> is the cursor of the next page, null after the last.</summary>
public sealed record RegisterFeedPage(IReadOnlyList<RegisterFeedItem> Items, string? Next);

/// <summary>A profile in the profile-changed event's shape, with the time it last changed.</summary>
public sealed record RegisterFeedItem(string Uscc, DateTimeOffset UpdatedAt, EnterpriseProfileSnapshot Profile);
