using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Songjiang.EventBus;

/// <summary>
/// Puts the sidecar-facing endpoints at the front of the pipeline, so switching a service to Dapr is configuration only.
/// They are routed in a branch of their own, before authentication on purpose: the sidecar is not a user;
/// <see cref="DaprOptions.AppApiToken"/> guards them. Their endpoints also join the app's endpoint data source, which is
/// where the SDK's subscribe handler finds the topic metadata.
/// </summary>
internal sealed class DaprStartupFilter(DaprSubscriber subscriber) : IStartupFilter
{
    private static readonly PathString SubscribePath = new("/dapr/subscribe");
    private static readonly PathString DeliveryPath = new(DaprSidecar.DeliveryRoutePrefix.TrimEnd('/'));

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.MapWhen(
            context => context.Request.Path.StartsWithSegments(SubscribePath) || context.Request.Path.StartsWithSegments(DeliveryPath),
            branch =>
            {
                branch.UseRouting();
                branch.UseEndpoints(subscriber.MapEndpoints);
            });
        next(app);
    };
}
