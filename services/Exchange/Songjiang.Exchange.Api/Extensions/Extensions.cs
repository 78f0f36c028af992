using Songjiang.EventBus;
using Songjiang.Exchange.Api.Clients;
using Songjiang.Exchange.Api.Features;
using Songjiang.Exchange.Api.Forwarding;
using Songjiang.Exchange.Api.Infrastructure;
using Songjiang.Exchange.Api.IntegrationEvents.EventHandling;
using Songjiang.Exchange.Api.IntegrationEvents.Events;
using Songjiang.Exchange.Api.MessageLog;
using Songjiang.Exchange.Api.Partners;
using Songjiang.Exchange.Api.Trust;
using Songjiang.Exchange.Api.Webhooks;
using Songjiang.Persistence;
using Songjiang.Persistence.Secrets;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Hosting;

namespace Songjiang.Exchange.Api.Extensions;

/// <summary>The exchange service's registrations and endpoints.</summary>
public static class Extensions
{
    /// <summary>Registers the service's dependencies.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<ExchangeDbContext>("exchange");
        builder.Services.AddOptions<ExchangeOptions>().BindConfiguration(ExchangeOptions.SectionName)
            .PostConfigure<IConfiguration>((options, configuration) =>
            {
                // The city the whole platform serves, unless the exchange is told otherwise.
                if (configuration[$"{ExchangeOptions.SectionName}:CityCode"] is null && configuration["Platform:CityCode"] is { Length: > 0 } city)
                {
                    options.CityCode = city;
                }
                if (options.CallbackBaseUrl is null && Uri.TryCreate(configuration["Platform:GatewayUrl"], UriKind.Absolute, out var gateway))
                {
                    options.CallbackBaseUrl = gateway;
                }
            })
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<PartnerKeyRing>();
        builder.Services.AddSingleton<GroupCommitWriter>();
        builder.Services.AddSingleton<NonceStore>();
        builder.AddKeyEncryption();
        builder.Services.AddSingleton<IPlatformKeySource, ConfiguredOrStoredPlatformKey>();
        builder.Services.AddSingleton<PlatformSealer>();
        builder.Services.AddSingleton<MessageChain>();
        builder.Services.AddHostedService<DailySealService>();
        builder.Services.AddHostedService<NoncePruner>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<WebhookSender>());
        builder.Services.AddScoped<ApplicationForwarding>();
        builder.Services.AddHostedService<ApplicationForwarder>();

        builder.Services.AddHttpClient<CatalogClient>(http => http.BaseAddress = new Uri("http://catalog"));
        builder.Services.AddHttpClient<LicencesClient>(http => http.BaseAddress = new Uri("http://licenses")).AddServiceAccountToken();
        builder.Services.AddScoped<PartnerTrustSync>();
        builder.Services.AddHostedService<PartnerTrustSyncService>();
        builder.Services.AddHttpClient<CasesClient>(http =>
        {
            http.BaseAddress = new Uri("http://cases");
            http.Timeout = TimeSpan.FromSeconds(60);
        }).AddServiceAccountToken();
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental but is the documented way to opt out.
        // Webhooks are retried by the sender on its own schedule; a receiver is never hammered by automatic retries.
        builder.Services.AddHttpClient(WebhookSender.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(15)).RemoveAllResilienceHandlers();
        // Nor is a partner platform: a signed request sent again carries a spent nonce and would be refused as a replay.
        builder.Services.AddHttpClient<PartnerPlatformClient>(http => http.Timeout = TimeSpan.FromSeconds(60)).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

        builder.AddEventBus()
            .UseOutbox<ExchangeDbContext>()
            .UseInbox<ExchangeDbContext>()
            .AddSubscription<ApplicationAcceptedIntegrationEvent, StatusWebhookHandlers>()
            .AddSubscription<ApplicationCorrectionRequestedIntegrationEvent, StatusWebhookHandlers>()
            .AddSubscription<ApplicationResubmittedIntegrationEvent, StatusWebhookHandlers>()
            .AddSubscription<ApplicationApprovedIntegrationEvent, StatusWebhookHandlers>()
            .AddSubscription<ApplicationRejectedIntegrationEvent, StatusWebhookHandlers>()
            .AddSubscription<ApplicationCompletedIntegrationEvent, StatusWebhookHandlers>()
            .AddSubscription<ApplicationSubmittedIntegrationEvent, ForwardingHandlers>()
            .AddSubscription<ApplicationResubmittedIntegrationEvent, ForwardingHandlers>();
    }

    /// <summary>Maps the partner API under <c>/api/partner/v1</c> and the exchange's own under <c>/api/exchange</c>.</summary>
    public static WebApplication MapExchangeApi(this WebApplication app)
    {
        app.UseMiddleware<PartnerAuthenticationMiddleware>();
        app.MapServiceInfoApi("exchange");
        app.MapPartnerApi();
        app.MapExchangeAdminApi();
        app.MapEventBusAdminEndpoints("/api/exchange");
        return app;
    }
}
