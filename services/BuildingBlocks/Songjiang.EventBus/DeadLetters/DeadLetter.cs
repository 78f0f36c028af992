namespace Songjiang.EventBus;

/// <summary>A message this application gave up on, kept for an operator to inspect and replay.</summary>
/// <param name="MessageId">The message id (the event id for events of this bus); the key for replay.</param>
/// <param name="Topic">The topic it was consumed from.</param>
/// <param name="DeadLetteredAt">When it was dead-lettered, if the transport records it.</param>
/// <param name="Reason">Why it was given up on, as far as the transport knows.</param>
/// <param name="Envelope">The message body as received (normally the CloudEvents JSON).</param>
public sealed record DeadLetter(
    string MessageId,
    string Topic,
    DateTimeOffset? DeadLetteredAt,
    string Reason,
    string Envelope);
