using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Songjiang.Testing;

namespace Songjiang.Exchange.Tests.Support;

/// <summary>A webhook received by the partner, with whether its signature verified.</summary>
public sealed record ReceivedWebhook(string EventId, JsonElement Body, bool SignatureValid, string City);

/// <summary>
/// A partner city's webhook endpoint on a fixed loopback port: it can be down (nothing listening) and come up later.
/// It verifies each webhook exactly as docs/partners.md tells partners to, with Songjiang's published key, and keeps
/// each event once (de-duplicating by event id, as the guide asks).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly string _secret;
    private WebApplication? _app;

    /// <summary>A receiver that verifies with the given sender's secret.</summary>
    public WebhookReceiver(string secret = "demo-g60-310117-signing-key")
    {
        _secret = secret;
        Port = FreePorts.Take(1)[0];
    }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>The URL to register.</summary>
    public string Url => $"http://127.0.0.1:{Port}/g60/webhooks?source=songjiang";

    /// <summary>Every delivery that arrived, in arrival order (duplicates included).</summary>
    public ConcurrentQueue<ReceivedWebhook> Arrivals { get; } = new();

    /// <summary>Starts listening.</summary>
    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/g60/webhooks", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var h = context.Request.Headers;
            var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
            var canonical = string.Join('\n', context.Request.Method, target, h["X-G60-Timestamp"].ToString(), h["X-G60-Nonce"].ToString(),
                Convert.ToHexStringLower(SHA256.HashData(body)));
            var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(_secret), Encoding.UTF8.GetBytes(canonical)));
            var valid = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(h["X-G60-Signature"].ToString()));
            Arrivals.Enqueue(new ReceivedWebhook(h["X-G60-Event-Id"].ToString(), JsonDocument.Parse(body).RootElement.Clone(), valid, h["X-G60-City"].ToString()));
            return valid ? Results.NoContent() : Results.Unauthorized();
        });
        await _app.StartAsync();
    }

    /// <summary>Stops listening.</summary>
    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => new(StopAsync());
}
