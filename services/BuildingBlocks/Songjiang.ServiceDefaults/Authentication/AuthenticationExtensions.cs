using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Songjiang.ServiceDefaults.Authentication;

/// <summary>JWT bearer validation against the platform's token authority, and the shared authorization policies.</summary>
public static class AuthenticationExtensions
{
    /// <summary>The name of the HTTP client that fetches the authority's metadata and keys.</summary>
    public const string MetadataClientName = "token-authority-metadata";

    /// <summary>Registers JWT bearer authentication (when an authority is configured) and the platform policies.</summary>
    public static TBuilder AddPlatformAuthentication<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(PlatformPolicies.Authenticated, policy => policy.RequireAuthenticatedUser())
            .AddPolicy(PlatformPolicies.Admin, policy => policy.RequireRole(PlatformRoles.Admin))
            .AddPolicy(PlatformPolicies.Caseworker, policy => policy
                .RequireRole(PlatformRoles.WindowClerk, PlatformRoles.Reviewer, PlatformRoles.Approver)
                .RequireClaim(PlatformClaims.Department))
            .AddPolicy(PlatformPolicies.Enterprise, policy => policy
                .RequireRole(PlatformRoles.Enterprise)
                .RequireClaim(PlatformClaims.Uscc))
            .AddPolicy(PlatformPolicies.PartnerCity, policy => policy
                .RequireRole(PlatformRoles.PartnerCity)
                .RequireClaim(PlatformClaims.City));

        var section = builder.Configuration.GetSection(PlatformAuthenticationOptions.SectionName);
        if (string.IsNullOrWhiteSpace(section[nameof(PlatformAuthenticationOptions.Authority)])
            && !string.IsNullOrWhiteSpace(builder.Configuration["Identity:Issuer"]))
        {
            // The identity service issues tokens itself and registers its own schemes.
            builder.Services.AddAuthentication();
            return builder;
        }

        // Every other service validates tokens; without an authority it would refuse every caller, so it does not start.
        builder.Services.AddOptions<PlatformAuthenticationOptions>()
            .BindConfiguration(PlatformAuthenticationOptions.SectionName)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Authority),
                "Authentication:Authority is required: the issuer URL the tokens carry, the gateway's public URL (the identity service's Identity:Issuer).")
            .Validate(o => Uri.TryCreate(o.Authority, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" || string.IsNullOrWhiteSpace(o.Authority),
                "Authentication:Authority must be an absolute http(s) URL.")
            .Validate(o => !o.RequireHttpsMetadata || MetadataUri(o)?.Scheme != Uri.UriSchemeHttp,
                "Authentication:MetadataAddress (or Authentication:Authority) is plain HTTP while Authentication:RequireHttpsMetadata is true: "
                + "set Authentication:RequireHttpsMetadata=false to read the identity service's metadata over plain HTTP inside the cluster, or use https.")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHttpClient(MetadataClientName);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddSingleton<IConfigureOptions<JwtBearerOptions>, ConfigureJwtBearer>();
        builder.Services.AddHostedService<IssuerConsistencyCheck>();
        return builder;
    }

    private static Uri? MetadataUri(PlatformAuthenticationOptions options) =>
        Uri.TryCreate(options.MetadataAddress ?? options.Authority, UriKind.Absolute, out var uri) ? uri : null;

    private sealed class ConfigureJwtBearer(IOptions<PlatformAuthenticationOptions> platform, IHttpClientFactory httpClients)
        : IConfigureNamedOptions<JwtBearerOptions>
    {
        public void Configure(string? name, JwtBearerOptions options)
        {
            if (name != JwtBearerDefaults.AuthenticationScheme)
            {
                return;
            }
            var settings = platform.Value;
            options.Authority = settings.Authority;
            options.MetadataAddress = settings.MetadataAddress
                ?? settings.Authority.TrimEnd('/') + "/.well-known/openid-configuration";
            options.RequireHttpsMetadata = settings.RequireHttpsMetadata;
            options.Backchannel = httpClients.CreateClient(MetadataClientName);
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                // Issuers differ only by a trailing slash depending on who wrote the configuration.
                ValidIssuers = [settings.Authority.TrimEnd('/'), settings.Authority.TrimEnd('/') + "/"],
                ValidateIssuer = true,
                // Only the configured authority: the handler would also accept whatever issuer the metadata names,
                // so an identity service with another Identity:Issuer would pass unnoticed.
                IssuerValidator = (issuer, _, _) => string.Equals(issuer.TrimEnd('/'), settings.Authority.TrimEnd('/'), StringComparison.Ordinal)
                    ? issuer
                    : throw new SecurityTokenInvalidIssuerException(
                        $"The token's issuer {issuer} is not Authentication:Authority {settings.Authority}; set Identity:Issuer and Authentication:Authority to the same URL.")
                    {
                        InvalidIssuer = issuer,
                    },
                ValidAudience = settings.Audience,
                ValidateAudience = true,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                ClockSkew = settings.ClockSkew,
                NameClaimType = PlatformClaims.Name,
                RoleClaimType = PlatformClaims.Role,
            };
        }

        public void Configure(JwtBearerOptions options) => Configure(JwtBearerDefaults.AuthenticationScheme, options);
    }
}
