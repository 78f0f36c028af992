using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Songjiang.Cryptography;
using Songjiang.Exchange.Api.Clients;
using Songjiang.Exchange.Api.Domain;
using Songjiang.Exchange.Api.Extensions;
using Songjiang.Exchange.Api.Infrastructure;
using Songjiang.Exchange.Api.MessageLog;
using Songjiang.Exchange.Api.Partners;
using Songjiang.ServiceDefaults.OpenApi;
using Songjiang.ServiceDefaults.Paging;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.Exchange.Api.Features;

/// <summary>
/// The G60 partner API under <c>/api/partner/v1</c>. Every endpoint runs after the signature check of
/// <see cref="PartnerAuthenticationMiddleware"/> and sees only the verified city's data.
/// </summary>
public static class PartnerApi
{
    /// <summary>Maps the partner API.</summary>
    public static WebApplication MapPartnerApi(this WebApplication app)
    {
        var api = app.MapGroup(PartnerAuthenticationMiddleware.PathPrefix).WithTags("G60 partner API").AllowAnonymous()
            .DisableAntiforgery();
        api.MapGet("/matters", MattersAsync).WithName("partner-matters")
            .WithSummary("The matters this city may file for its enterprises (异地代收), with form schemas and materials.")
            .ProducesProblem(401);
        api.MapPartnerApplicationsApi();
        api.MapPost("/licenses/verify", VerifyLicenceAsync).WithName("partner-verify-licence")
            .WithSummary("Verifies a licence by number or national identifier (GB/T 36904), or a sealed licence document of Songjiang or a G60 issuer on the trust list.")
            .Accepts<LicenceVerifyRequest>("application/json").ProducesProblem(400).ProducesProblem(401);
        api.MapGet("/licenses/{number}/document", LicenceDocumentAsync).WithName("partner-licence-document")
            .WithSummary("The sealed document of a licence issued on an application the calling city filed here; any other licence is 404.")
            .ProducesBody("The sealed document: the licence exactly as signed, and its SM2 seal.", ["application/json"], SealedDocumentSchema.Create)
            .ProducesProblem(401).ProducesProblem(404);
        api.MapGet("/trust/issuers", IssuersAsync).WithName("partner-trust-issuers")
            .WithSummary("This platform's issuing authorities and their SM2 keys, sealed with the platform's SM2 key.")
            .ProducesProblem(401);
        api.MapPut("/webhook", PutWebhookAsync).WithName("partner-put-webhook")
            .WithSummary("Registers the city's callback URL for status webhooks.")
            .Accepts<WebhookRequest>("application/json").ProducesProblem(400).ProducesProblem(401);
        api.MapGet("/webhook/deliveries", DeliveriesAsync).WithName("partner-webhook-deliveries")
            .WithSummary("The city's webhook delivery log, newest first.").ProducesProblem(401);
        api.MapPost("/forwarding/webhook", ForwardingWebhookAsync).WithName("partner-forwarding-webhook")
            .WithSummary("Status webhooks of applications this platform forwarded to the calling city (收受分离); another city's application is 404.")
            .Accepts<Webhooks.StatusWebhook>("application/json").ProducesProblem(400).ProducesProblem(401).ProducesProblem(404);
        return app;
    }

    private static async Task<ContentHttpResult> LicenceDocumentAsync(
        string number, HttpContext context, LicencesClient licences, ExchangeDbContext db, CancellationToken cancellationToken)
    {
        var city = PartnerCaller.Of(context).City;
        var notFound = new NotFoundException($"没有在贵市提交的申请上核发的编号为 {number} 的证照。");
        if (number.Length is 0 or > 100)
        {
            throw notFound;
        }
        var found = await licences.LicenceAsync(number, cancellationToken) ?? throw notFound;
        var licence = found.GetProperty("licence");
        var applicationNumber = licence.TryGetProperty("applicationId", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        // Only a licence issued on an application this city filed with us (收受分离); anything else does not exist for it.
        if (applicationNumber is null
            || !await db.Applications.AsNoTracking().AnyAsync(x => x.City == city && x.CaseNumber == applicationNumber, cancellationToken))
        {
            throw notFound;
        }
        return TypedResults.Content(found.GetProperty("document").GetRawText(), "application/json");
    }

    private static async Task<Ok<Forwarding.ForwardingWebhookResult>> ForwardingWebhookAsync(
        HttpContext context, Forwarding.ApplicationForwarding forwarding, CancellationToken cancellationToken)
    {
        var caller = PartnerCaller.Of(context);
        var webhook = PartnerApplicationsApi.ReadBody<Webhooks.StatusWebhook>(caller);
        var errors = new Dictionary<string, string[]>();
        if (webhook.ApplicationId == Guid.Empty)
        {
            errors["applicationId"] = ["须提供申请的 id。"];
        }
        if (webhook.Sequence < 1)
        {
            errors["sequence"] = ["须提供从 1 开始的状态序号。"];
        }
        if (string.IsNullOrWhiteSpace(webhook.Status))
        {
            errors["status"] = ["须提供新的状态。"];
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
        return TypedResults.Ok(await forwarding.ReceiveAsync(caller.City, webhook, cancellationToken));
    }

    private static async Task<Ok<PartnerMatterList>> MattersAsync(HttpContext context, CatalogClient catalog, CancellationToken cancellationToken)
    {
        var city = PartnerCaller.Of(context).City;
        var matters = await catalog.MattersForCityAsync(city, cancellationToken);
        return TypedResults.Ok(new PartnerMatterList(city, [.. matters.Select(m => new PartnerMatter(
            m.Code, m.Version, m.Name, m.Department, m.DepartmentName, m.StatutoryLimitDays, m.PromisedLimitDays,
            [.. m.Materials.Select(x => new PartnerMatterMaterial(x.Code, x.Name, x.Required, x.AcceptedLicenceTypes ?? []))], m.FormSchema))]));
    }

    private static async Task<Ok<LicenceVerdict>> VerifyLicenceAsync(HttpContext context, LicencesClient licences, CancellationToken cancellationToken)
    {
        var request = PartnerApplicationsApi.ReadBody<LicenceVerifyRequest>(PartnerCaller.Of(context));
        var hasDocument = request.Document is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) };
        if (string.IsNullOrWhiteSpace(request.Number) == !hasDocument)
        {
            throw new ValidationFailedException("number", "请提供证照编号（number）或盖章的证照文档（document），二者选一。");
        }
        if (request.Number is { Length: > 128 })
        {
            throw new ValidationFailedException("number", "证照编号或电子证照标识不超过 128 个字符。");
        }
        var result = hasDocument
            ? await licences.VerifyDocumentAsync(request.Document!.Value, cancellationToken)
            : await licences.VerifyNumberAsync(request.Number!.Trim(), cancellationToken);
        string? Text(string name) => result.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return TypedResults.Ok(new LicenceVerdict(
            Text("outcome") ?? "invalid", Text("licenceNumber"), Text("typeCode"),
            new LicenceParty(Text("issuerCode"), Text("issuerName")), new LicenceParty(Text("holderUscc"), Text("holderName")),
            Text("validUntil"), Text("keySource"),
            result.TryGetProperty("reasons", out var reasons) && reasons.ValueKind == JsonValueKind.Array
                ? [.. reasons.EnumerateArray().Select(r => r.GetString() ?? "")]
                : [],
            result.TryGetProperty("checkedAt", out var at) && at.TryGetDateTimeOffset(out var checkedAt)
                ? checkedAt.ToOffset(StatusNames.China)
                : DateTimeOffset.UtcNow.ToOffset(StatusNames.China),
            Text("nationalIdentifier")));
    }

    private static async Task<Ok<SealedIssuers>> IssuersAsync(
        LicencesClient licences, PlatformSealer sealer, IOptions<ExchangeOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var keys = await licences.IssuerKeysAsync(cancellationToken);
        var payload = JsonSerializer.SerializeToUtf8Bytes(new
        {
            platformCity = options.Value.CityCode,
            issuedAt = clock.GetUtcNow().ToOffset(StatusNames.China),
            issuers = keys.TryGetProperty("keys", out var list) ? list : default,
        }, PartnerApplicationsApi.Json);
        var (kid, signature) = await sealer.SignAsync(payload, cancellationToken);
        return TypedResults.Ok(new SealedIssuers(Convert.ToBase64String(payload), new DocumentSeal(Sm2.Algorithm, kid, Sm2.DefaultSignerId, signature),
            Sm2.PublicKeyPem(await sealer.PublicKeyAsync(cancellationToken))));
    }

    private static async Task<Ok<WebhookView>> PutWebhookAsync(
        HttpContext context, ExchangeDbContext db, IOptions<ExchangeOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var caller = PartnerCaller.Of(context);
        var request = PartnerApplicationsApi.ReadBody<WebhookRequest>(caller);
        var url = await CheckTargetAsync(request.Url, options.Value.AllowPrivateWebhookTargets, cancellationToken);
        var now = clock.GetUtcNow();
        var existing = await db.Webhooks.FirstOrDefaultAsync(w => w.City == caller.City, cancellationToken);
        if (existing is null)
        {
            db.Webhooks.Add(existing = new WebhookSubscription { City = caller.City, Url = url, UpdatedAt = now });
        }
        else
        {
            existing.Url = url;
            existing.UpdatedAt = now;
        }
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new WebhookView(existing.City, existing.Url, existing.UpdatedAt.ToOffset(StatusNames.China)));
    }

    /// <summary>
    /// A callback URL must be absolute http(s) and, unless the setting allows it for tests, must not point at
    /// loopback, private, link-local or otherwise internal addresses (by literal or by what the name resolves to).
    /// </summary>
    public static async Task<string> CheckTargetAsync(string? url, bool allowPrivate, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > 2000 || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new ValidationFailedException("url", "回调地址须为完整的 http 或 https 地址（不含用户名和密码）。");
        }
        if (allowPrivate)
        {
            return uri.AbsoluteUri;
        }
        IPAddress[] addresses;
        if (IPAddress.TryParse(uri.DnsSafeHost, out var literal))
        {
            addresses = [literal];
        }
        else if (uri.IsLoopback || uri.DnsSafeHost.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            addresses = [IPAddress.Loopback];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(uri.DnsSafeHost, cancellationToken);
            }
            catch (SocketException)
            {
                throw new ValidationFailedException("url", $"无法解析回调地址的主机名 {uri.DnsSafeHost}。");
            }
        }
        if (addresses.Length == 0 || addresses.Any(IsInternal))
        {
            throw new ValidationFailedException("url", "回调地址不能指向本机、内网或保留地址。");
        }
        return uri.AbsoluteUri;
    }

    private static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return true;
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;
        }
        var b = address.GetAddressBytes();
        return b[0] == 10 || b[0] == 0 || b[0] == 127 || b[0] >= 224
            || (b[0] == 172 && b[1] is >= 16 and <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] is >= 64 and <= 127);
    }

    private static async Task<Ok<ResultPage<DeliveryView>>> DeliveriesAsync(
        HttpContext context, ExchangeDbContext db, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        var city = PartnerCaller.Of(context).City;
        var (p, size) = PageRequest.Clamped(page, pageSize);
        var query = db.Deliveries.AsNoTracking().Where(d => d.City == city);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Sequence).ThenBy(d => d.Id).Skip((p - 1) * size).Take(size).ToListAsync(cancellationToken);
        return TypedResults.Ok(new ResultPage<DeliveryView>([.. items.Select(DeliveryOf)], p, size, total));
    }

    internal static DeliveryView DeliveryOf(WebhookDelivery d) => new(
        d.Id, d.ApplicationId, d.Sequence, d.Status, d.State, d.Attempts, d.CreatedAt.ToOffset(StatusNames.China),
        d.DeliveredAt?.ToOffset(StatusNames.China), d.State == DeliveryStates.Pending ? d.NextAttemptAt.ToOffset(StatusNames.China) : null,
        d.LastStatusCode, d.LastError);
}
