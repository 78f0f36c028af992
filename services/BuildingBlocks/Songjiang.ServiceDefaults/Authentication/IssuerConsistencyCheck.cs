using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Songjiang.ServiceDefaults.Authentication;

/// <summary>
/// Confirms once, at start, that the token authority names the issuer this service trusts: it reads the authority's
/// OpenID configuration from <c>Authentication:MetadataAddress</c> and compares its <c>issuer</c> with
/// <c>Authentication:Authority</c>. If they differ (the identity service's <c>Identity:Issuer</c> is another URL),
/// every token would be refused, so the service logs which settings disagree and stops with exit code 1 instead of
/// running and answering 401 to everyone. While the authority does not answer yet (services start in any order),
/// the check waits and asks again, backing off to once every 30 s; the service runs meanwhile.
/// </summary>
public sealed class IssuerConsistencyCheck(
    IOptions<PlatformAuthenticationOptions> options, IHttpClientFactory httpClients, IHostApplicationLifetime lifetime,
    TimeProvider clock, ILogger<IssuerConsistencyCheck> logger) : BackgroundService
{
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var address = settings.MetadataAddress ?? settings.Authority.TrimEnd('/') + "/.well-known/openid-configuration";
        var wait = TimeSpan.FromSeconds(1);
        for (var attempt = 1; ; attempt++)
        {
            var issuer = await IssuerAsync(address, attempt, stoppingToken);
            if (issuer is not null)
            {
                Compare(issuer, settings.Authority, address);
                return;
            }
            await Task.Delay(wait, clock, stoppingToken);
            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LongestWait.Ticks));
        }
    }

    // The issuer the authority's metadata names, "" when it names none, null when it could not be read.
    private async Task<string?> IssuerAsync(string address, int attempt, CancellationToken stoppingToken)
    {
        try
        {
            using var client = httpClients.CreateClient(AuthenticationExtensions.MetadataClientName);
            await using var body = await client.GetStreamAsync(address, stoppingToken);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: stoppingToken);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("issuer", out var issuer) && issuer.ValueKind == JsonValueKind.String
                ? issuer.GetString()!
                : "";
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            if (attempt == 1 || attempt % 10 == 0)
            {
                logger.LogWarning("The token authority's metadata at {Address} could not be read yet (attempt {Attempt}: {Error}); asking again",
                    address, attempt, exception.Message);
            }
            return null;
        }
    }

    private void Compare(string issuer, string authority, string address)
    {
        if (string.Equals(issuer.TrimEnd('/'), authority.TrimEnd('/'), StringComparison.Ordinal))
        {
            logger.LogInformation("The token authority at {Address} issues as {Issuer}, the issuer this service trusts", address, issuer);
            return;
        }
        logger.LogCritical(
            "The token authority at {Address} issues tokens as '{Issuer}' but Authentication:Authority is '{Authority}': every token would be refused. "
            + "Set the identity service's Identity:Issuer and every service's Authentication:Authority to the same URL, the gateway's public URL. Stopping.",
            address, issuer, authority);
        Environment.ExitCode = 1;
        lifetime.StopApplication();
    }
}

