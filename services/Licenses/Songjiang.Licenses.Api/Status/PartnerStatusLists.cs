using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Songjiang.Licenses.Api.Sealing;
using Songjiang.Licenses.Api.Trust;
using Songjiang.Licenses.Api.Verification;
using Songjiang.ServiceDefaults.Time;

namespace Songjiang.Licenses.Api.Status;

/// <summary>What a partner city's status lists say of one of its licences.</summary>
/// <param name="Status"><c>active</c>, <c>revoked</c> or <c>suspended</c> (as <see cref="VerificationOutcomes"/>), or
/// <c>unknown</c> when no list could say.</param>
/// <param name="Reason">The finding in plain words, with the time the list was fetched.</param>
public sealed record PartnerLicenceStatus(string Status, string Reason)
{
    /// <summary>Neither list has the licence's bit set.</summary>
    public const string Active = "active";

    /// <summary>Nothing could be read: no list named, or none reachable yet.</summary>
    public const string Unknown = "unknown";
}

/// <summary>
/// Reads a partner licence's status from the W3C Bitstring Status Lists its issuer names in the sealed licence
/// (<c>credentialStatus</c>: <c>statusListIndex</c>, <c>revocationList</c>, <c>suspensionList</c>), the way a
/// partner reads ours. The addresses come from a document the trusted issuer sealed, so they are the issuer's own.
/// Lists are kept for the issuer's <c>Cache-Control: max-age</c> (five minutes when it gives none, at most an hour)
/// and revalidated with their ETag. A list counts only when it is sealed by a key of the licence's city that our trust
/// list trusts now, and is not older than the copy held (<see cref="SealedStatusList"/>, ADR 0058). When a list cannot
/// be fetched, or fails those checks, the last copy is used, whatever its age, and the list is not asked again for a
/// minute; when there has never been one, the status is <see cref="PartnerLicenceStatus.Unknown"/> and the reason says
/// so (ADR 0056).
/// </summary>
public sealed partial class PartnerStatusLists(
    IHttpClientFactory httpClients, IServiceScopeFactory scopes, Sm2KeyCache keyCache, TimeProvider clock, ILogger<PartnerStatusLists> logger)
{
    /// <summary>The named HTTP client used to fetch partner lists.</summary>
    public const string HttpClientName = "partner-status-lists";

    /// <summary>Largest list document accepted (a list of 16 million entries compresses far below it).</summary>
    public const int MaxDocumentBytes = 1 << 20;

    /// <summary>Largest decompressed bitstring accepted: 2 MB, 16,777,216 entries.</summary>
    public const int MaxListBytes = 2 << 20;

    private const int MaxCachedLists = 256;
    private static readonly TimeSpan DefaultMaxAge = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan LongestMaxAge = TimeSpan.FromHours(1);
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, CachedList> _lists = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _failedUntil = new(StringComparer.Ordinal);

    /// <summary>The status of a partner licence kept as its sealed document (<c>{"licence": …, "seal": …}</c>) of a city.</summary>
    public async Task<PartnerLicenceStatus> CheckDocumentAsync(string sealedDocument, string cityCode, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(sealedDocument);
        return document.RootElement.TryGetProperty("licence", out var licence) && licence.ValueKind == JsonValueKind.Object
            ? await CheckAsync(licence, cityCode, cancellationToken)
            : new(PartnerLicenceStatus.Unknown, "证照文件没有 licence 部分，状态未能核验。");
    }

    /// <summary>
    /// The licence's status by its issuer's lists, sealed by a key of <paramref name="cityCode"/> (the city whose
    /// trusted key sealed the licence): revocation first (it is final), then suspension.
    /// </summary>
    public async Task<PartnerLicenceStatus> CheckAsync(JsonElement licence, string cityCode, CancellationToken cancellationToken)
    {
        if (!licence.TryGetProperty("credentialStatus", out var entry) || entry.ValueKind != JsonValueKind.Object
            || !entry.TryGetProperty("statusListIndex", out var indexElement) || !indexElement.TryGetInt32(out var index) || index < 0)
        {
            return new(PartnerLicenceStatus.Unknown, "发证机关未在证照中载明状态清单条目，吊销、暂停等状态无法在线核验。");
        }

        DateTimeOffset? checkedAt = null;
        foreach (var (property, status, name) in Lists)
        {
            if (!entry.TryGetProperty(property, out var address) || address.ValueKind != JsonValueKind.String)
            {
                continue;
            }
            if (!Uri.TryCreate(address.GetString(), UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
            {
                return new(PartnerLicenceStatus.Unknown, $"证照载明的{name}清单地址“{address.GetString()}”无效，吊销、暂停等状态未能核验。");
            }
            var list = await ListAsync(url, cityCode, cancellationToken);
            if (list is null)
            {
                return new(PartnerLicenceStatus.Unknown, $"暂时未能取得发证机关签章完好的{name}清单（{url}），吊销、暂停等状态未能核验。");
            }
            if (index >= list.Bits.Size)
            {
                return new(PartnerLicenceStatus.Unknown, $"发证机关的{name}清单只有 {list.Bits.Size} 个条目，没有该证照的条目 {index}，状态未能核验。");
            }
            if (list.Bits.Get(index))
            {
                return new(status, $"发证机关的{name}清单（{Moment(list.FetchedAt)} 取得）载明该证照已{name}。");
            }
            checkedAt = checkedAt is { } earlier && earlier < list.FetchedAt ? earlier : list.FetchedAt;
        }

        return checkedAt is { } at
            ? new(PartnerLicenceStatus.Active, $"按发证机关公布的状态清单（{Moment(at)} 取得），未被吊销或暂停。")
            : new(PartnerLicenceStatus.Unknown, "发证机关未在证照中载明状态清单地址，吊销、暂停等状态无法在线核验。");
    }

    private static readonly (string Property, string Status, string Name)[] Lists =
    [
        ("revocationList", VerificationOutcomes.Revoked, "吊销"),
        ("suspensionList", VerificationOutcomes.Suspended, "暂停"),
    ];

    // When a list was fetched, in China time to the minute.
    private static string Moment(DateTimeOffset instant) =>
        ChinaTime.InChina(instant).ToString("yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture);

    private async Task<CachedList?> ListAsync(Uri url, string cityCode, CancellationToken cancellationToken)
    {
        // Kept per city: a copy is good only for licences of the city that sealed it.
        var key = cityCode + " " + url.AbsoluteUri;
        var now = clock.GetUtcNow();
        _lists.TryGetValue(key, out var cached);
        if (cached is not null && cached.FreshUntil > now)
        {
            return cached;
        }
        // A list that just failed is not asked again for a minute: verifications meanwhile do not each wait for it.
        if (_failedUntil.TryGetValue(key, out var until) && until > now)
        {
            return cached;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(FetchTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (cached?.ETag is { } etag && EntityTagHeaderValue.TryParse(etag, out var tag))
            {
                request.Headers.IfNoneMatch.Add(tag);
            }
            using var response = await httpClients.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.StatusCode == HttpStatusCode.NotModified && cached is not null)
            {
                return Keep(key, cached with { FetchedAt = now, FreshUntil = now + MaxAgeOf(response) });
            }
            response.EnsureSuccessStatusCode();
            var (bits, issued) = await ReadAsync(response, cityCode, timeout.Token);
            if (cached is not null && issued < cached.Issued)
            {
                throw new InvalidDataException($"The list was issued at {issued:O}, before the copy held ({cached.Issued:O}): a replayed copy.");
            }
            _failedUntil.TryRemove(key, out _);
            return Keep(key, new CachedList(bits, now, now + MaxAgeOf(response), response.Headers.ETag?.ToString(), issued));
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or FormatException or InvalidDataException
            || exception is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogFetchFailed(url, cached?.FetchedAt, exception);
            if (_failedUntil.Count >= MaxCachedLists)
            {
                _failedUntil.Clear();
            }
            _failedUntil[key] = now + RetryAfterFailure;
            return cached;
        }
    }

    private async Task<(StatusList Bits, DateTimeOffset Issued)> ReadAsync(HttpResponseMessage response, string cityCode, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxDocumentBytes)
        {
            throw new InvalidDataException($"The status list is larger than {MaxDocumentBytes} bytes.");
        }
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxDocumentBytes)
            {
                throw new InvalidDataException($"The status list is larger than {MaxDocumentBytes} bytes.");
            }
            buffer.Write(chunk, 0, read);
        }
        using var document = JsonDocument.Parse(buffer.ToArray());
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("credentialSubject", out var subject) || subject.ValueKind != JsonValueKind.Object
            || !subject.TryGetProperty("encodedList", out var encoded) || encoded.ValueKind != JsonValueKind.String
            || !root.TryGetProperty("validFrom", out var validFrom) || !validFrom.TryGetDateTimeOffset(out var issued))
        {
            throw new FormatException("The status list has no credentialSubject.encodedList or no validFrom.");
        }
        await VerifySealAsync(root, cityCode, cancellationToken);
        return (StatusList.Decode(encoded.GetString()!, MaxListBytes), issued);
    }

    // The list must carry a seal of a key our trust list holds for the licence's city, trusted now, that matches it.
    private async Task VerifySealAsync(JsonElement list, string cityCode, CancellationToken cancellationToken)
    {
        var keyId = SealedStatusList.KeyIdOf(list) ?? throw new InvalidDataException("The status list is not sealed.");
        await using var scope = scopes.CreateAsyncScope();
        var trusted = await scope.ServiceProvider.GetRequiredService<TrustList>().FindAsync(keyId, cancellationToken);
        var now = clock.GetUtcNow();
        if (trusted is null || trusted.CityCode != cityCode || trusted.ValidFrom > now || trusted.ValidUntil is { } until && until < now)
        {
            throw new InvalidDataException($"The status list is sealed with key {keyId}, which the trust list does not hold for city {cityCode} now.");
        }
        if (!SealedStatusList.Verify(list, keyCache.PublicKey(trusted.PublicKey)))
        {
            throw new InvalidDataException($"The status list's seal (key {keyId}) does not match its content.");
        }
    }

    private static TimeSpan MaxAgeOf(HttpResponseMessage response) =>
        response.Headers.CacheControl?.MaxAge is { } age ? (age > LongestMaxAge ? LongestMaxAge : age) : DefaultMaxAge;

    private CachedList Keep(string key, CachedList list)
    {
        if (_lists.Count >= MaxCachedLists && !_lists.ContainsKey(key))
        {
            _lists.Clear();
        }
        _lists[key] = list;
        return list;
    }

    [LoggerMessage(LogLevel.Warning, "Could not fetch the partner status list {Url}; using the copy fetched at {FetchedAt} (none if empty)")]
    private partial void LogFetchFailed(Uri url, DateTimeOffset? fetchedAt, Exception exception);

    private sealed record CachedList(StatusList Bits, DateTimeOffset FetchedAt, DateTimeOffset FreshUntil, string? ETag, DateTimeOffset Issued);
}
