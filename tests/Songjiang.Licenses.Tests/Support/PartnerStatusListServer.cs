using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Songjiang.Licenses.Api.Status;
using Songjiang.Testing;
using System.Text.Json.Nodes;

namespace Songjiang.Licenses.Tests.Support;

/// <summary>
/// A partner city's status-list endpoints on loopback, published the way the platform publishes its own
/// (<c>/status-lists/revocation</c> and <c>/status-lists/suspension</c>, W3C Bitstring Status List, no caching unless
/// told) and sealed by the issuer's key, with the bits a test sets; <see cref="Down"/> makes them answer 503, and
/// <see cref="Sealer"/> and <see cref="Tampered"/> make them what a forger or a man in the middle would serve.
/// </summary>
public sealed class PartnerStatusListServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly StatusList _revoked = new(1024);
    private readonly StatusList _suspended = new(1024);

    private PartnerStatusListServer(WebApplication app, PartnerIssuer sealer) => (_app, Sealer) = (app, sealer);

    /// <summary>Whose key seals the lists; null serves them unsealed.</summary>
    public PartnerIssuer? Sealer { get; set; }

    /// <summary>Whether the lists are served with every bit cleared after sealing: revocations hidden in transit.</summary>
    public bool Tampered { get; set; }

    public Uri RevocationList => new(_app.Urls.Single() + "/status-lists/revocation");

    public Uri SuspensionList => new(_app.Urls.Single() + "/status-lists/suspension");

    /// <summary>Whether the lists answer 503.</summary>
    public bool Down { get; set; }

    /// <summary>How many times the lists were asked for.</summary>
    public int Requests { get; private set; }

    public void Revoke(int index) => _revoked.Set(index, true);

    public void Suspend(int index) => _suspended.Set(index, true);

    public static async Task<PartnerStatusListServer> StartAsync(PartnerIssuer sealer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePorts.Take(1)[0]}");
        var app = builder.Build();
        var server = new PartnerStatusListServer(app, sealer);
        app.MapGet("/status-lists/{purpose}", (string purpose, HttpContext context) =>
        {
            server.Requests++;
            if (server.Down)
            {
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }
            var list = purpose == "revocation" ? server._revoked : server._suspended;
            context.Response.Headers.CacheControl = "public, max-age=0";
            var url = $"{app.Urls.Single()}/status-lists/{purpose}";
            var document = new JsonObject
            {
                ["id"] = url, ["type"] = "BitstringStatusList", ["issuer"] = app.Urls.Single(),
                ["validFrom"] = DateTimeOffset.UtcNow, ["validUntil"] = DateTimeOffset.UtcNow.AddMinutes(5),
                ["credentialSubject"] = new JsonObject
                {
                    ["id"] = url + "#list", ["type"] = "BitstringStatusList", ["statusPurpose"] = purpose, ["size"] = list.Size, ["encodedList"] = list.Encode(),
                },
            };
            var text = server.Sealer?.SealList(document) ?? document.ToJsonString();
            if (server.Tampered)
            {
                var forged = JsonNode.Parse(text)!;
                forged["credentialSubject"]!["encodedList"] = new StatusList(list.Size).Encode();
                text = forged.ToJsonString();
            }
            return Results.Text(text, "application/json");
        });
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
