using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Songjiang.Cryptography;
using Songjiang.Exchange.Api.Clients;
using Songjiang.Exchange.Api.Extensions;
using Songjiang.Exchange.Api.Features;
using Songjiang.SharedKernel;

namespace Songjiang.Exchange.Api.Trust;

/// <summary>The outcome of fetching one partner's issuers.</summary>
/// <param name="City">The partner city.</param>
/// <param name="CityName">Its name.</param>
/// <param name="Outcome"><c>synced</c>, <c>skipped</c> (not configured for it) or <c>failed</c>.</param>
/// <param name="Issuers">Issuer keys in the partner's document.</param>
/// <param name="Added">Keys added to the licences trust list now.</param>
/// <param name="Reason">Why it was skipped or failed, in Chinese.</param>
public sealed record TrustSyncResult(string City, string CityName, string Outcome, int Issuers, int Added, string? Reason);

/// <summary>
/// Keeps the licences trust list in step with the partner platforms (互信互认): fetches each partner's
/// <c>GET /api/partner/v1/trust/issuers</c> with a signed call, accepts the document only when it is sealed with the
/// partner platform's SM2 key agreed at onboarding (<c>Exchange:Partners:&lt;city&gt;:PlatformKeyId</c>) and names that
/// city, and hands its issuer keys to the licences service, which adds the ones it does not know yet.
/// </summary>
public sealed class PartnerTrustSync(
    PartnerPlatformClient partners, LicencesClient licences, IOptions<ExchangeOptions> options, ILogger<PartnerTrustSync> logger)
{
    /// <summary>The partner API path of the sealed issuers document.</summary>
    public const string IssuersPath = "/api/partner/v1/trust/issuers";

    /// <summary>Fetches every partner that has a base URL and an agreed platform key.</summary>
    public async Task<IReadOnlyList<TrustSyncResult>> SyncAllAsync(CancellationToken cancellationToken)
    {
        var results = new List<TrustSyncResult>();
        foreach (var city in options.Value.Partners.Where(p => p.Value.BaseUrl is not null).Select(p => p.Key).Order(StringComparer.Ordinal))
        {
            results.Add(await SyncAsync(city, cancellationToken));
        }
        return results;
    }

    /// <summary>Fetches one partner's issuers into the trust list.</summary>
    public async Task<TrustSyncResult> SyncAsync(string city, CancellationToken cancellationToken)
    {
        var name = G60Cities.Find(city)?.Name ?? city;
        TrustSyncResult Result(string outcome, string? reason, int issuers = 0, int added = 0) => new(city, name, outcome, issuers, added, reason);
        if (!options.Value.Partners.TryGetValue(city, out var partner) || partner.BaseUrl is null)
        {
            return Result("skipped", $"未配置{name}平台的地址（Exchange:Partners:{city}:BaseUrl）。");
        }
        if (string.IsNullOrWhiteSpace(partner.PlatformKeyId))
        {
            return Result("skipped", $"未约定{name}平台的 SM2 密钥标识（Exchange:Partners:{city}:PlatformKeyId）。");
        }

        var answer = await partners.SendAsync(city, partner.BaseUrl, HttpMethod.Get, IssuersPath, null, cancellationToken);
        if (!answer.Succeeded)
        {
            return Failed(Result("failed", answer.Error ?? $"{name}平台返回 {answer.Status}。"));
        }
        if (Verify(answer.Body, city, name, partner.PlatformKeyId.Trim()) is { } problem)
        {
            return Failed(Result("failed", problem));
        }
        var issuers = Issuers(answer.Body);
        var added = await licences.ImportPartnerIssuersAsync(city, issuers, cancellationToken);
        logger.LogInformation("Trust list: {Count} issuer key(s) of city {City}, {Added} new", issuers.Count, city, added);
        return Result("synced", null, issuers.Count, added);
    }

    private TrustSyncResult Failed(TrustSyncResult result)
    {
        logger.LogWarning("Trust list: fetching the issuers of city {City} failed: {Reason}", result.City, result.Reason);
        return result;
    }

    // The document is trusted only if sealed by the agreed platform key and issued for the city it came from.
    private static string? Verify(byte[] body, string city, string name, string agreedKeyId)
    {
        SealedIssuers? document;
        try
        {
            document = JsonSerializer.Deserialize<SealedIssuers>(body, PartnerApplicationsApi.Json);
        }
        catch (JsonException)
        {
            document = null;
        }
        if (document?.Seal is not { } seal || document.Payload is null || document.PlatformPublicKeyPem is null)
        {
            return $"{name}平台的签发机构清单格式不正确。";
        }
        try
        {
            var publicKey = Sm2.PublicKeyFromPem(document.PlatformPublicKeyPem);
            if (Sm2.KeyIdOf(publicKey) != agreedKeyId || seal.Kid != agreedKeyId)
            {
                return $"{name}平台的签发机构清单不是用约定的平台密钥 {agreedKeyId} 盖章的。";
            }
            if (seal.Alg != Sm2.Algorithm || !Sm2.Verify(Sm2.ImportPublicKey(publicKey), Convert.FromBase64String(document.Payload),
                    Convert.FromBase64String(seal.Signature)))
            {
                return $"{name}平台的签发机构清单电子签章验证未通过。";
            }
            using var payload = JsonDocument.Parse(Convert.FromBase64String(document.Payload));
            if (!payload.RootElement.TryGetProperty("platformCity", out var issuedFor) || issuedFor.GetString() != city)
            {
                return $"签发机构清单不是{name}平台的。";
            }
        }
        catch (Exception exception) when (exception is FormatException or JsonException or InvalidOperationException)
        {
            return $"{name}平台的签发机构清单格式不正确。";
        }
        return null;
    }

    private static List<PartnerIssuerKey> Issuers(byte[] body)
    {
        var document = JsonSerializer.Deserialize<SealedIssuers>(body, PartnerApplicationsApi.Json)!;
        using var payload = JsonDocument.Parse(Convert.FromBase64String(document.Payload));
        var list = new List<PartnerIssuerKey>();
        if (payload.RootElement.TryGetProperty("issuers", out var issuers) && issuers.ValueKind == JsonValueKind.Array)
        {
            foreach (var issuer in issuers.EnumerateArray())
            {
                string? Text(string field) => issuer.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                if (Text("kid") is { } kid && Text("issuerCode") is { } code && Text("publicKeyPem") is { } pem)
                {
                    list.Add(new PartnerIssuerKey(kid, code, Text("issuerName") ?? code, pem,
                        issuer.TryGetProperty("createdAt", out var at) && at.TryGetDateTimeOffset(out var created) ? created : null));
                }
            }
        }
        return list;
    }
}

/// <summary>Fetches the partners' issuers on start and then every <see cref="ExchangeOptions.TrustSyncInterval"/>.</summary>
public sealed class PartnerTrustSyncService(IServiceScopeFactory scopes, IOptions<ExchangeOptions> options, TimeProvider clock, ILogger<PartnerTrustSyncService> logger)
    : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.TrustSyncInterval;
        if (interval <= TimeSpan.Zero || options.Value.Partners.All(p => p.Value.BaseUrl is null))
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var results = await scope.ServiceProvider.GetRequiredService<PartnerTrustSync>().SyncAllAsync(stoppingToken);
                // A partner that failed is tried again soon rather than after the whole interval.
                var wait = results.Any(r => r.Outcome == "failed") ? TimeSpan.FromTicks(Math.Min(interval.Ticks, TimeSpan.FromMinutes(1).Ticks)) : interval;
                await Task.Delay(wait, clock, stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Fetching the partners' issuers failed; retrying in a minute");
                await Task.Delay(TimeSpan.FromMinutes(1), clock, stoppingToken);
            }
        }
    }
}

/// <summary>A partner issuer's key as handed to the licences trust list.</summary>
public sealed record PartnerIssuerKey(string KeyId, string IssuerCode, string IssuerName, string PublicKeyPem, DateTimeOffset? ValidFrom);
