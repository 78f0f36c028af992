using System.Text.Json;

namespace Songjiang.Exchange.Api.Features;

/// <summary>An application a partner city files.</summary>
/// <param name="PartnerReference">The partner's own reference: a retry with the same reference returns the same application.</param>
/// <param name="MatterCode">The matter (one of <c>GET /api/partner/v1/matters</c>).</param>
/// <param name="Applicant">The enterprise applied for.</param>
/// <param name="Form">The application form, checked against the matter's schema.</param>
/// <param name="Materials">The materials, each with its content in Base64 and its SHA-256.</param>
public sealed record PartnerApplicationRequest(
    string? PartnerReference, string? MatterCode, PartnerApplicant? Applicant, JsonElement? Form, IReadOnlyList<PartnerMaterial>? Materials);

/// <summary>The applicant.</summary>
/// <param name="Uscc">Unified social credit code (GB 32100).</param>
/// <param name="Name">The enterprise's name.</param>
public sealed record PartnerApplicant(string? Uscc, string? Name);

/// <summary>One material file.</summary>
/// <param name="Code">The matter's material code.</param>
/// <param name="FileName">File name.</param>
/// <param name="MediaType"><c>application/pdf</c>, <c>application/ofd</c>, <c>image/png</c> or <c>image/jpeg</c>.</param>
/// <param name="Content">The file, Base64.</param>
/// <param name="Sha256">Lower- or upper-case hex SHA-256 of the decoded file.</param>
public sealed record PartnerMaterial(string? Code, string? FileName, string? MediaType, string? Content, string? Sha256);

/// <summary>The answer to a 补正 request.</summary>
/// <param name="Materials">The corrected materials.</param>
/// <param name="Note">A note to the caseworker.</param>
public sealed record PartnerResubmission(IReadOnlyList<PartnerMaterial>? Materials, string? Note);

/// <summary>202: the application was accepted for handling.</summary>
/// <param name="Id">The id to read it by.</param>
/// <param name="Number">The case number (办件编号) in Songjiang.</param>
/// <param name="Status">Its status.</param>
/// <param name="PartnerReference">The partner's reference.</param>
public sealed record PartnerApplicationAccepted(Guid Id, string Number, string Status, string PartnerReference);

/// <summary>A matter open to the city.</summary>
public sealed record PartnerMatter(
    string Code, int Version, string Name, string Department, string DepartmentName, int StatutoryLimitDays, int PromisedLimitDays,
    IReadOnlyList<PartnerMatterMaterial> Materials, JsonElement FormSchema);

/// <summary>A material of a matter.</summary>
public sealed record PartnerMatterMaterial(string Code, string Name, bool Required, IReadOnlyList<string> AcceptedLicenceTypes);

/// <summary>The matters a city may file.</summary>
public sealed record PartnerMatterList(string City, IReadOnlyList<PartnerMatter> Items);

/// <summary>An application as its city sees it.</summary>
public sealed record PartnerApplicationView(
    Guid Id, string Number, string PartnerReference, string MatterCode, string MatterName, string ApplicantUscc, string ApplicantName,
    string Status, string StatusName, string? Outcome, string? Reason, DateTimeOffset SubmittedAt, DateTimeOffset? CompletedAt,
    PartnerAsk? Ask, IReadOnlyList<PartnerResult> Results, IReadOnlyList<PartnerTimelineEntry> Timeline);

/// <summary>What is asked of the applicant now (补正).</summary>
public sealed record PartnerAsk(string Action, IReadOnlyList<string> Materials, string? Note, DateTimeOffset? DueAt);

/// <summary>A licence issued on the application.</summary>
public sealed record PartnerResult(string LicenceNumber, string TypeCode, DateOnly ValidFrom, DateOnly? ValidUntil);

/// <summary>A step of the application.</summary>
public sealed record PartnerTimelineEntry(DateTimeOffset At, string Event, string? Step, string? By, string? Detail);

/// <summary>A licence to verify: its number or national identifier (issued here), or a sealed document (ours or a G60 issuer's).</summary>
public sealed record LicenceVerifyRequest(string? Number, JsonElement? Document);

/// <summary>The verdict.</summary>
/// <param name="Outcome">valid, invalid, revoked, suspended, expired or unknown-issuer.</param>
/// <param name="LicenceNumber">The licence number.</param>
/// <param name="TypeCode">The licence type.</param>
/// <param name="Issuer">The issuer.</param>
/// <param name="Holder">The holder.</param>
/// <param name="ValidUntil">Last day of validity.</param>
/// <param name="KeySource">local or trust-list.</param>
/// <param name="Reasons">What was checked.</param>
/// <param name="CheckedAt">When.</param>
/// <param name="NationalIdentifier">The licence's national identifier (GB/T 36904), when it has one.</param>
public sealed record LicenceVerdict(
    string Outcome, string? LicenceNumber, string? TypeCode, LicenceParty Issuer, LicenceParty Holder, string? ValidUntil, string? KeySource,
    IReadOnlyList<string> Reasons, DateTimeOffset CheckedAt, string? NationalIdentifier = null);

/// <summary>An issuer or holder.</summary>
public sealed record LicenceParty(string? Code, string? Name);

/// <summary>The webhook target.</summary>
public sealed record WebhookRequest(string? Url);

/// <summary>The webhook target as stored.</summary>
public sealed record WebhookView(string City, string Url, DateTimeOffset UpdatedAt);

/// <summary>A delivery in the log.</summary>
public sealed record DeliveryView(
    Guid Id, Guid ApplicationId, int Sequence, string Status, string State, int Attempts, DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt, DateTimeOffset? NextAttemptAt, int? LastStatusCode, string? LastError);

/// <summary>The sealed issuers document.</summary>
/// <param name="Payload">Base64 of the UTF-8 JSON of the issuers, exactly as signed.</param>
/// <param name="Seal">The platform's SM2 seal over the decoded payload bytes.</param>
/// <param name="PlatformPublicKeyPem">The platform's SM2 public key (compare its key id out of band when onboarding).</param>
public sealed record SealedIssuers(string Payload, DocumentSeal Seal, string PlatformPublicKeyPem);

/// <summary>A seal.</summary>
public sealed record DocumentSeal(string Alg, string Kid, string SignerId, string Signature);
