using Songjiang.Notifications.Api.Domain;
using Songjiang.Notifications.Api.Infrastructure;

namespace Songjiang.Notifications.Api.Channels;

/// <summary>SMS through the configured <see cref="ISmsProvider"/>, signed with the platform's name.</summary>
public sealed class SmsSender(ISmsProvider provider) : IChannelSender
{
    /// <summary>The signature (短信签名) every text starts with.</summary>
    public const string Signature = "【松江一网通办】";

    /// <inheritdoc />
    public DeliveryChannel Channel => DeliveryChannel.Sms;

    /// <inheritdoc />
    public bool IsAvailable => true;

    /// <inheritdoc />
    public Task SendAsync(ChannelDelivery delivery, CancellationToken cancellationToken) =>
        provider.SendAsync(delivery.Id, delivery.Address, Signature + delivery.Body, cancellationToken);
}

/// <summary>
/// The embedded SMS provider: writes each text to the <c>sms_outbox</c> table, in the dispatcher's transaction, for an
/// operator (or a test) to read. Production replaces it with the operator's gateway behind <see cref="ISmsProvider"/>.
/// </summary>
public sealed class DatabaseSmsProvider(NotificationsDbContext db, TimeProvider clock) : ISmsProvider
{
    /// <inheritdoc />
    public Task SendAsync(Guid deliveryId, string mobileNumber, string text, CancellationToken cancellationToken)
    {
        db.SmsOutbox.Add(new SmsOutboxEntry { DeliveryId = deliveryId, MobileNumber = mobileNumber, Text = text, CreatedAt = clock.GetUtcNow() });
        return Task.CompletedTask;
    }
}
