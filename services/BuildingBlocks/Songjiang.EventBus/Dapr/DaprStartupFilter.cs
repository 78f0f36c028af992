using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Songjiang.EventBus;

/// <summary>
/// Puts the sidecar-facing routes at the front of the pipeline, so switching a service to Dapr is configuration only.
/// They sit before authentication on purpose: the sidecar is not a user; <see cref="DaprOptions.AppApiToken"/> guards them.
/// </summary>
internal sealed class DaprStartupFilter(DaprSubscriber subscriber) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Map("/dapr/subscribe", branch => branch.Run(subscriber.WriteSubscriptionsAsync));
        app.Map(DaprSidecar.DeliveryRoutePrefix.TrimEnd('/'), branch => branch.Run(subscriber.DeliverAsync));
        next(app);
    };
}
