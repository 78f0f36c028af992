namespace Songjiang.Exchange.Api.Domain;

/// <summary>A nonce a partner city has used; the unique key (city, nonce) refuses a replay on any replica.</summary>
public sealed class UsedNonce
{
    /// <summary>The city.</summary>
    public required string City { get; init; }

    /// <summary>The nonce.</summary>
    public required string Nonce { get; init; }

    /// <summary>When it was first seen (rows older than the timestamp window are pruned: their requests are stale anyway).</summary>
    public DateTimeOffset SeenAt { get; init; }
}

/// <summary>An application a partner city filed through the exchange, and the case it became.</summary>
public sealed class PartnerApplication
{
    /// <summary>The id the partner uses.</summary>
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>The filing city.</summary>
    public required string City { get; init; }

    /// <summary>The partner's own reference, unique per city.</summary>
    public required string PartnerReference { get; init; }

    /// <summary>SHA-256 of the request body that created it (a retry must send the same body).</summary>
    public required string RequestSha256 { get; init; }

    /// <summary>The case number in the cases service.</summary>
    public required string CaseNumber { get; init; }

    /// <summary>The matter.</summary>
    public required string MatterCode { get; init; }

    /// <summary>The matter's name.</summary>
    public required string MatterName { get; init; }

    /// <summary>The applicant.</summary>
    public required string ApplicantUscc { get; init; }

    /// <summary>The applicant's name.</summary>
    public required string ApplicantName { get; init; }

    /// <summary>The last status the exchange knows.</summary>
    public string Status { get; set; } = "submitted";

    /// <summary>Filed at.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The highest place among its status webhooks queued so far (1 is the filing; then the case's status events in order).</summary>
    public int WebhookSequence { get; set; }
}

/// <summary>
/// One partner message in or out, in the hash chain: each record carries the hash of the one before it. Records are
/// only ever inserted; <see cref="Sequence"/> is the primary key, so two replicas cannot append the same position.
/// </summary>
public sealed class MessageRecord
{
    /// <summary>Position in the chain, from 1.</summary>
    public long Sequence { get; init; }

    /// <summary>When (Unix milliseconds, exactly as hashed).</summary>
    public long AtUnixMs { get; init; }

    /// <summary><c>in</c> (a partner called us) or <c>out</c> (we called a partner or sent a webhook).</summary>
    public required string Direction { get; init; }

    /// <summary>The partner city.</summary>
    public required string City { get; init; }

    /// <summary>HTTP method.</summary>
    public required string Method { get; init; }

    /// <summary>Path and query (or the absolute URL called, outbound).</summary>
    public required string Target { get; init; }

    /// <summary>X-G60-Key-Id.</summary>
    public string? KeyId { get; init; }

    /// <summary>X-G60-Timestamp.</summary>
    public string? Timestamp { get; init; }

    /// <summary>X-G60-Nonce.</summary>
    public string? Nonce { get; init; }

    /// <summary>X-G60-Signature.</summary>
    public string? Signature { get; init; }

    /// <summary>SHA-256 of the request body.</summary>
    public required string RequestSha256 { get; init; }

    /// <summary>Response status (0 when no response came).</summary>
    public int Status { get; init; }

    /// <summary>SHA-256 of the response body.</summary>
    public required string ResponseSha256 { get; init; }

    /// <summary>The correlation id.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>The previous record's hash (64 zeros for the first).</summary>
    public required string PreviousHash { get; init; }

    /// <summary>SHA-256 over this record's fields and <see cref="PreviousHash"/>.</summary>
    public required string Hash { get; init; }
}

/// <summary>A chain head sealed with the platform's SM2 key.</summary>
public sealed class ChainSeal
{
    /// <summary>Id.</summary>
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>The China calendar day (yyyy-MM-dd) whose head this is.</summary>
    public required string Day { get; init; }

    /// <summary>The head record's sequence.</summary>
    public long HeadSequence { get; init; }

    /// <summary>The head record's hash.</summary>
    public required string HeadHash { get; init; }

    /// <summary>The sealing key.</summary>
    public required string KeyId { get; init; }

    /// <summary>Base64 DER SM2-with-SM3 signature over <c>day\nsequence\nhash</c>.</summary>
    public required string Signature { get; init; }

    /// <summary>When.</summary>
    public DateTimeOffset SealedAt { get; init; }
}

/// <summary>The platform's own SM2 key, kept in the database so every replica seals with the same key.</summary>
public sealed class PlatformKey
{
    /// <summary>Always 1: one platform key.</summary>
    public int Id { get; init; } = 1;

    /// <summary>The key id (sm2- and a SHA-256 prefix of the public key).</summary>
    public required string KeyId { get; init; }

    /// <summary>PKCS#8 DER, wrapped with the key-encryption key (never in clear).</summary>
    public required byte[] PrivateKey { get; init; }

    /// <summary>Created at.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A partner city's webhook target.</summary>
public sealed class WebhookSubscription
{
    /// <summary>The city.</summary>
    public required string City { get; init; }

    /// <summary>The callback URL.</summary>
    public required string Url { get; set; }

    /// <summary>Last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Delivery states.</summary>
public static class DeliveryStates
{
    /// <summary>Waiting to be sent, or to be retried.</summary>
    public const string Pending = "pending";

    /// <summary>The receiver answered 2xx.</summary>
    public const string Delivered = "delivered";

    /// <summary>Retried for the whole retry period without success; an admin may replay it.</summary>
    public const string Dead = "dead";
}

/// <summary>One status webhook to a partner city: written in the same transaction as the status it reports.</summary>
public sealed class WebhookDelivery
{
    /// <summary>Id, also the webhook's event id.</summary>
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>The city.</summary>
    public required string City { get; init; }

    /// <summary>The partner's application.</summary>
    public Guid ApplicationId { get; init; }

    /// <summary>Order within the application, from 1: a later one waits until the earlier ones are delivered.</summary>
    public int Sequence { get; init; }

    /// <summary>The status reported.</summary>
    public required string Status { get; init; }

    /// <summary>The JSON body sent.</summary>
    public required string Payload { get; init; }

    /// <summary>pending, delivered or dead.</summary>
    public string State { get; set; } = DeliveryStates.Pending;

    /// <summary>Attempts made.</summary>
    public int Attempts { get; set; }

    /// <summary>Queued at.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Next attempt.</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>Retried until then, and dead-lettered after (reset by an admin's replay).</summary>
    public DateTimeOffset RetryUntil { get; set; }

    /// <summary>When delivered.</summary>
    public DateTimeOffset? DeliveredAt { get; set; }

    /// <summary>The last answer's status code.</summary>
    public int? LastStatusCode { get; set; }

    /// <summary>The last failure.</summary>
    public string? LastError { get; set; }
}

/// <summary>Where a forwarded application stands with the city that handles it.</summary>
public static class ForwardStates
{
    /// <summary>Not filed there yet (or still being retried).</summary>
    public const string Pending = "pending";

    /// <summary>Filed: the city's webhooks report its steps.</summary>
    public const string Filed = "filed";

    /// <summary>The city's platform refused the filing (4xx); the local case was closed with its reason.</summary>
    public const string Refused = "refused";
}

/// <summary>
/// An application received here for a matter another G60 city approves (收受分离): recorded in the inbox transaction
/// of its submitted event, filed at that city by the forwarder (outside any transaction, retried with back-off), and
/// followed through that city's webhooks.
/// </summary>
public sealed class ForwardedApplication
{
    /// <summary>Id.</summary>
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>The local case number (also the partner reference at the other city).</summary>
    public required string CaseNumber { get; init; }

    /// <summary>The city that handles it.</summary>
    public required string City { get; init; }

    /// <summary>The local matter code.</summary>
    public required string MatterCode { get; init; }

    /// <summary>pending, filed or refused.</summary>
    public string State { get; set; } = ForwardStates.Pending;

    /// <summary>The application's id at the other city's partner API, once filed.</summary>
    public Guid? RemoteApplicationId { get; set; }

    /// <summary>Its case number there.</summary>
    public string? RemoteNumber { get; set; }

    /// <summary>The highest webhook sequence of the other city applied so far (a repeat is ignored).</summary>
    public int RemoteSequence { get; set; }

    /// <summary>The applicant answered a 补正 request here and the answer is still to be sent there.</summary>
    public bool ResubmissionPending { get; set; }

    /// <summary>
    /// Licence numbers the city's approval brought whose sealed documents are still to be fetched from that city and
    /// recorded in the licence library (comma-separated), or null.
    /// </summary>
    public string? PendingLicences { get; set; }

    /// <summary>Failed attempts since the last success.</summary>
    public int Attempts { get; set; }

    /// <summary>When the forwarder tries next.</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>The last failure, in Chinese.</summary>
    public string? LastError { get; set; }

    /// <summary>Recorded at.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}
