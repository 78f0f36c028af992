using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Localization;
using MudBlazor.Services;
using Songjiang.Persistence;
using Songjiang.Portal.Authentication;
using Songjiang.Portal.Clients;
using Songjiang.Portal.Components;
using Songjiang.Portal.Infrastructure;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Hosting;

namespace Songjiang.Portal.Extensions;

/// <summary>The portal's registrations and endpoints.</summary>
public static class Extensions
{
    /// <summary>Registers the portal's dependencies.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PortalOptions>()
            .BindConfiguration(PortalOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Sessions and the data-protection key ring live in the portal's database, so that any replica reads a
        // cookie another wrote and a restart signs nobody out.
        builder.AddServiceDatabase<PortalDbContext>("portal");
        // The schema must exist before data protection reads its key ring, which it does at start-up too.
        var initializer = builder.Services.Last(d => d.ServiceType == typeof(IHostedService)
            && d.ImplementationType?.Name.StartsWith("DatabaseInitializer", StringComparison.Ordinal) == true);
        builder.Services.Remove(initializer);
        builder.Services.Insert(0, initializer);
        builder.Services.AddDataProtection()
            .SetApplicationName("songjiang-portal")
            .PersistKeysToDbContext<PortalDbContext>();

        builder.AddPortalAuthentication();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "songjiang.portal.af";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddLocalization(options => options.ResourcesPath = "Resources");

        var gateway = builder.Configuration[$"{PortalOptions.SectionName}:{nameof(PortalOptions.GatewayUrl)}"]
            ?? builder.Configuration[$"{PlatformAuthenticationOptions.SectionName}:{nameof(PlatformAuthenticationOptions.Authority)}"]
            ?? throw new InvalidOperationException("Portal:GatewayUrl or Authentication:Authority is required.");
        builder.Services.AddHttpClient<PlatformApi>(http => http.BaseAddress = new Uri(gateway.TrimEnd('/') + "/"));
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<ReferenceData>();
        builder.Services.AddSingleton(new NotificationFeed(new Uri(gateway.TrimEnd('/') + "/")));

        // Chinese text is written as it is, not as numeric character references.
        builder.Services.AddWebEncoders(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.Services.AddRazorComponents();
        builder.Services.AddMudServices();
    }

    /// <summary>Maps the pages, the sign-in endpoints and <c>/api/portal/about</c>.</summary>
    public static WebApplication MapPortal(this WebApplication app)
    {
        var chinese = new CultureInfo("zh-CN");
        app.UseRequestLocalization(new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(chinese),
            SupportedCultures = [chinese],
            SupportedUICultures = [chinese],
        });
        // A path no page or endpoint claims gets the portal's own page in Chinese, still with status 404.
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseAntiforgery();
        app.Use(async (context, next) =>
        {
            // Pages carry personal data: never cached, never framed.
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers.XFrameOptions = "DENY";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers["Referrer-Policy"] = "same-origin";
            await next();
        });

        app.MapServiceInfoApi("portal");
        app.MapSignInEndpoints();
        app.MapMaterialPreview();
        app.MapNotificationFeed();
        app.MapStaticAssets();
        app.MapRazorComponents<App>();
        return app;
    }
}
