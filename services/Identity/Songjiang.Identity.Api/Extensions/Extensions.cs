using Songjiang.EventBus;
using Songjiang.Identity.Api.IntegrationEvents.EventHandling;
using Songjiang.Identity.Api.IntegrationEvents.Events;
using Songjiang.Identity.Api.Features;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Songjiang.Identity.Api.Accounts;
using Songjiang.Identity.Api.Connect;
using Songjiang.Identity.Api.Infrastructure;
using Songjiang.Identity.Api.Throttling;
using Songjiang.Persistence;
using Songjiang.Persistence.Secrets;
using OpenIddict.Server;
using Songjiang.ServiceDefaults.Storage;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Songjiang.Identity.Api.Extensions;

/// <summary>The identity service's registrations and endpoints.</summary>
public static class Extensions
{
    /// <summary>Registers the token service: accounts, OpenIddict server and its stores, keys and the login session.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IdentityServerOptions>()
            .BindConfiguration(IdentityServerOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var settings = builder.Configuration.GetSection(IdentityServerOptions.SectionName).Get<IdentityServerOptions>()
            ?? new IdentityServerOptions();

        builder.AddServiceDatabase<IdentityDbContext>("identity");
        builder.Services.AddScoped<IDatabaseSeeder<IdentityDbContext>, AccountSeeder>();
        // 企业开办: whoever registered a company may act for it.
        builder.AddEventBus()
            .UseInbox<IdentityDbContext>()
            .AddSubscription<EnterpriseRegisteredIntegrationEvent, EnterpriseRegisteredHandler>();
        builder.Services.AddOptions<ThrottlingOptions>()
            .BindConfiguration(ThrottlingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddScoped<AttemptThrottle>();
        builder.Services.AddTransient<IStartupFilter, TokenEndpointThrottleStartupFilter>();
        builder.Services.AddLockoutPolicy();
        builder.Services.AddDirectoryPolicy();
        builder.Services.AddScoped<AccountStore>();
        builder.Services.AddScoped<PrincipalFactory>();
        builder.Services.AddConnectOpenApi();
        builder.Services.AddSingleton<IPasswordHasher<UserAccount>, PasswordHasher<UserAccount>>();
        builder.Services.AddAntiforgery();

        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, cookie =>
            {
                cookie.LoginPath = LoginPage.Path;
                cookie.Cookie.Name = "songjiang.identity";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = true;
            });

        // Keys live in the database, wrapped with the key-encryption key, so that every replica uses the same ones.
        builder.AddKeyEncryption();
        builder.Services.AddSingleton<IdentityKeyRing>();
        builder.Services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, ConfigureIdentityKeys>();
        // The sign-in cookie and antiforgery tokens must survive restarts and be readable by every replica.
        builder.Services.AddDataProtection()
            .SetApplicationName("songjiang-identity")
            .PersistKeysToDbContext<IdentityDbContext>()
            .ProtectKeysWithKeyEncryption();

        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<IdentityDbContext>())
            .AddServer(server =>
            {
                server.SetIssuer(new Uri(settings.Issuer, UriKind.Absolute))
                    .SetTokenEndpointUris("connect/token")
                    .SetAuthorizationEndpointUris("connect/authorize")
                    .SetUserInfoEndpointUris("connect/userinfo")
                    .SetEndSessionEndpointUris("connect/endsession")
                    .SetAccessTokenLifetime(settings.AccessTokenLifetime);

                server.AllowClientCredentialsFlow()
                    .AllowAuthorizationCodeFlow()
                    .RequireProofKeyForCodeExchange()
                    .AllowRefreshTokenFlow();
                if (settings.DemoProfile)
                {
                    // Resource-owner passwords are for scripts and tests on the demo data only (OAuth 2.0 Security BCP).
                    server.AllowPasswordFlow();
                }

                server.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Roles, Scopes.OfflineAccess, PlatformScopes.Api);

                // Signing and encryption keys: ConfigureIdentityKeys, from the database.
                // Services validate access tokens as plain signed JWTs (RFC 9068) with the published keys.
                server.DisableAccessTokenEncryption();

                var aspNetCore = server.UseAspNetCore()
                    .EnableTokenEndpointPassthrough()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .EnableStatusCodePagesIntegration();
                if (!settings.RequireHttps)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.UseAspNetCore();
            });
    }

    /// <summary>Maps the OAuth 2.0 / OpenID Connect endpoints and the login page.</summary>
    public static WebApplication MapIdentityApi(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapTokenApi();
        app.MapAuthorizationApi();
        app.MapLoginPage();
        app.MapLockoutApi();
        app.MapUsersApi();

        var options = app.Services.GetRequiredService<IOptions<IdentityServerOptions>>().Value;
        app.Logger.LogInformation("Token service for issuer {Issuer}; demo profile {DemoProfile}", options.Issuer, options.DemoProfile);
        return app;
    }
}
