using Songjiang.PolicyRadar.Api.IntegrationEvents.Events;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Songjiang.PolicyRadar.Api.Clients;

/// <summary>
/// Reads full profiles from the enterprise service's read-model feed (<c>GET /api/enterprises/read-model-feed</c>,
/// keyset-paged by USCC) as the platform service account.
/// </summary>
public sealed class EnterprisesFeedClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The page after <paramref name="after"/> (null: the first page).</summary>
    public async Task<FeedPage> ReadAsync(string? after, int limit, CancellationToken cancellationToken)
    {
        var path = $"/api/enterprises/read-model-feed?limit={limit}" + (after is null ? "" : $"&after={Uri.EscapeDataString(after)}");
        return await http.GetFromJsonAsync<FeedPage>(path, Json, cancellationToken)
            ?? throw new InvalidOperationException("The enterprise service returned an empty feed page.");
    }
}

/// <summary>A page of the feed; <see cref="Next"/> is the cursor of the next page, null after the last.</summary>
public sealed record FeedPage(IReadOnlyList<FeedItem> Items, string? Next);

/// <summary>A profile in the event's shape, with the time it was last changed.</summary>
public sealed record FeedItem(string Uscc, DateTimeOffset UpdatedAt, EnterpriseProfileData Profile);
