using Microsoft.AspNetCore.DataProtection;
using Songjiang.EventBus;
using Songjiang.Persistence.Secrets;
using Songjiang.Licenses.Api.Features;
using Songjiang.Licenses.Api.Clients;
using Songjiang.Licenses.Api.Documents;
using Songjiang.Licenses.Api.Infrastructure;
using Songjiang.Licenses.Api.IntegrationEvents.EventHandling;
using Songjiang.Licenses.Api.IntegrationEvents.Events;
using Songjiang.Licenses.Api.Issuance;
using Songjiang.Licenses.Api.Sealing;
using Songjiang.Licenses.Api.Status;
using Songjiang.Licenses.Api.Trust;
using Songjiang.Licenses.Api.Verification;
using Songjiang.Persistence;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Hosting;
using Songjiang.ServiceDefaults.Storage;

namespace Songjiang.Licenses.Api.Extensions;

/// <summary>The licenses service's registrations and endpoints.</summary>
public static class Extensions
{
    /// <summary>Registers the service's dependencies.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LicensesOptions>()
            .BindConfiguration(LicensesOptions.SectionName)
            .Validate(o => o.KeyMode != SealKeyMode.PemFiles || !string.IsNullOrWhiteSpace(o.KeysDirectory),
                "Licenses:KeysDirectory is required when Licenses:KeyMode is PemFiles.")
            .Validate(o => o.StatusListSize > 0 && o.StatusListSize % 8 == 0, "Licenses:StatusListSize must be a positive multiple of 8.")
            .ValidateOnStart();

        // Embedded key mode: the sealing keys' private halves are wrapped with the key-encryption key in the database.
        // Data Protection only reads keys stored before that (rewrapped at start), from the former key folder.
        var settings = builder.Configuration.GetSection(LicensesOptions.SectionName).Get<LicensesOptions>() ?? new LicensesOptions();
        var dataDirectory = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>()?.DataDirectory ?? "data";
        var protectionKeys = settings.KeyMode == SealKeyMode.Embedded && settings.KeysDirectory is not null
            ? settings.KeysDirectory
            : Path.Combine(dataDirectory, "licenses-keys");
        builder.Services.AddDataProtection()
            .SetApplicationName("songjiang-licenses")
            .PersistKeysToFileSystem(PrivateFiles.CreateDirectory(protectionKeys));

        builder.AddKeyEncryption();
        builder.AddServiceDatabase<LicensesDbContext>("licenses");
        builder.Services.AddScoped<IDatabaseSeeder<LicensesDbContext>, CatalogueSeeder>();
        builder.Services.AddSingleton<Sm2KeyCache>();
        builder.Services.AddSingleton<PemKeyDirectory>();
        builder.Services.AddSingleton<PublicUrls>();
        builder.Services.AddScoped<SealKeyStore>();
        builder.Services.AddScoped<TrustList>();
        builder.Services.AddScoped<LicenceIssuer>();
        builder.Services.AddScoped<LicenceVerifier>();
        builder.Services.AddSingleton<PartnerStatusLists>();
        builder.Services.AddHttpClient(PartnerStatusLists.HttpClientName);
        builder.Services.AddScoped<LicenceStatusService>();

        // Approvals issue the licence their typed section describes; holders' registered details are a local read
        // model fed by the enterprise register's events, filled at first from its feed.
        builder.Services.AddScoped<ApprovalIssuance>();
        builder.Services.AddScoped<HolderProfiles>();
        builder.Services.AddHttpClient<EnterpriseRegisterFeed>(http => http.BaseAddress = new Uri("http://enterprises")).AddServiceAccountToken();
        builder.Services.AddHostedService<HolderProfileSync>();

        // Issued licences and status changes are published through the outbox; approvals are consumed through the inbox.
        builder.AddEventBus()
            .UseOutbox<LicensesDbContext>()
            .UseInbox<LicensesDbContext>()
            .AddSubscription<ApplicationApprovedIntegrationEvent, ApplicationApprovedHandler>()
            .AddSubscription<EnterpriseProfileChangedIntegrationEvent, HolderProfileHandlers>()
            .AddSubscription<EnterpriseRegisteredIntegrationEvent, HolderProfileHandlers>()
            .AddSubscription<CommitmentBrokenIntegrationEvent, CommitmentBrokenHandler>();
    }

    /// <summary>Maps the service's APIs under <c>/api/licenses</c>.</summary>
    public static WebApplication MapLicensesApi(this WebApplication app)
    {
        app.MapServiceInfoApi("licenses");
        app.MapPublicLicencesApi();
        app.MapLicencesApi();
        app.MapLicenceAdministrationApi();
        app.MapEventBusAdminEndpoints("/api/licenses");
        return app;
    }
}
