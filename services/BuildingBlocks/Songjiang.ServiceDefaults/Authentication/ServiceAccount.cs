using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Songjiang.ServiceDefaults.Authentication;

/// <summary>
/// The platform service account (section <c>ServiceAccount</c>): the client a service uses when it calls another
/// service on its own behalf (client_credentials), e.g. to read a credit rating or synchronise a read model.
/// </summary>
public sealed class ServiceAccountOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "ServiceAccount";

    /// <summary>The OAuth client id (in the demo profile <c>songjiang-services</c>).</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The client secret; in production from the secret store, never from a committed file.</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>The token endpoint; a logical name is resolved by service discovery.</summary>
    public Uri TokenEndpoint { get; set; } = new("http://identity/connect/token");

    /// <summary>The scope requested.</summary>
    public string Scope { get; set; } = "api";
}

/// <summary>Obtains and caches the service account's access token, renewing it a minute before it expires.</summary>
public sealed class ServiceAccountTokenProvider(
    IHttpClientFactory httpClients, IOptions<ServiceAccountOptions> options, TimeProvider clock) : IDisposable
{
    /// <summary>The name of the HTTP client that talks to the token endpoint.</summary>
    public const string HttpClientName = "service-account-token";

    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset _renewAt;

    /// <summary>A valid access token for the service account.</summary>
    /// <exception cref="InvalidOperationException">No service account is configured.</exception>
    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_token is { } cached && clock.GetUtcNow() < _renewAt)
        {
            return cached;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_token is { } fresh && clock.GetUtcNow() < _renewAt)
            {
                return fresh;
            }
            var settings = options.Value;
            if (string.IsNullOrEmpty(settings.ClientId))
            {
                throw new InvalidOperationException(
                    $"No service account is configured; set {ServiceAccountOptions.SectionName}:ClientId and ClientSecret.");
            }
            using var request = new HttpRequestMessage(HttpMethod.Post, settings.TokenEndpoint)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials",
                    ["client_id"] = settings.ClientId,
                    ["client_secret"] = settings.ClientSecret,
                    ["scope"] = settings.Scope,
                }),
            };
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
            var token = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken)
                ?? throw new InvalidOperationException("The token endpoint returned an empty response.");
            var lifetime = TimeSpan.FromSeconds(Math.Max(token.ExpiresIn, 0));
            _renewAt = clock.GetUtcNow() + (lifetime > RenewBefore * 2 ? lifetime - RenewBefore : lifetime / 2);
            _token = token.AccessToken;
            return token.AccessToken;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);
}

/// <summary>Adds the service account's bearer token to outgoing requests that carry none.</summary>
public sealed class ServiceAccountTokenHandler(ServiceAccountTokenProvider tokens) : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization ??= new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Registration of the service account on typed or named HTTP clients.</summary>
public static class ServiceAccountExtensions
{
    /// <summary>Calls through this client authenticate as the platform service account.</summary>
    public static IHttpClientBuilder AddServiceAccountToken(this IHttpClientBuilder http)
    {
        var services = http.Services;
        // A service that calls another on its own behalf cannot work without its account: refuse to start, naming it.
        services.AddOptions<ServiceAccountOptions>().BindConfiguration(ServiceAccountOptions.SectionName)
            .Validate(o => !string.IsNullOrWhiteSpace(o.ClientId) && !string.IsNullOrWhiteSpace(o.ClientSecret),
                $"{ServiceAccountOptions.SectionName}:ClientId and {ServiceAccountOptions.SectionName}:ClientSecret are required: "
                + "this service calls others as the platform service account (an OAuth client of the identity service).")
            .ValidateOnStart();
        services.TryAddSingleton<ServiceAccountTokenProvider>();
        services.TryAddTransient<ServiceAccountTokenHandler>();
        services.AddHttpClient(ServiceAccountTokenProvider.HttpClientName);
        return http.AddHttpMessageHandler<ServiceAccountTokenHandler>();
    }
}
