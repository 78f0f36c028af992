using Songjiang.Notifications.Api.Domain;

namespace Songjiang.Notifications.Api.Channels;

/// <summary>A channel beyond the inbox. Throwing means "not sent"; the dispatcher retries later.</summary>
public interface IChannelSender
{
    /// <summary>The channel it serves.</summary>
    DeliveryChannel Channel { get; }

    /// <summary>Whether the channel is configured on this platform.</summary>
    bool IsAvailable { get; }

    /// <summary>Sends one delivery.</summary>
    Task SendAsync(ChannelDelivery delivery, CancellationToken cancellationToken);
}

/// <summary>An SMS provider (the operator's gateway in production).</summary>
public interface ISmsProvider
{
    /// <summary>Sends a text; <paramref name="deliveryId"/> lets the provider drop a repeat.</summary>
    Task SendAsync(Guid deliveryId, string mobileNumber, string text, CancellationToken cancellationToken);
}
