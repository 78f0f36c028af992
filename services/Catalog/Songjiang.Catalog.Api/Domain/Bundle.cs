namespace Songjiang.Catalog.Api.Domain;

/// <summary>
/// One version of a 一件事 bundle: one form submitted once, fanned out to several matters and joined back.
/// </summary>
public sealed class Bundle
{
    /// <summary>Row id.</summary>
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>Stable code, e.g. <c>YJS-QYKB</c> (企业开办).</summary>
    public required string Code { get; init; }

    /// <summary>Version number, from 1.</summary>
    public int Version { get; init; }

    /// <summary>Whether this is the version in force.</summary>
    public bool IsCurrent { get; set; }

    /// <summary>Name, e.g. 企业开办一件事.</summary>
    public required string Name { get; init; }

    /// <summary>What it is for.</summary>
    public required string Description { get; init; }

    /// <summary>Codes of the matters it fans out to.</summary>
    public List<string> MatterCodes { get; init; } = [];

    /// <summary>The one form as a JSON Schema document.</summary>
    public required string FormSchema { get; init; }

    /// <summary>Promised time for the whole bundle in working days.</summary>
    public int PromisedLimitDays { get; init; }

    /// <summary>Who wrote this version.</summary>
    public required string ChangedBy { get; init; }

    /// <summary>When.</summary>
    public DateTimeOffset ChangedAt { get; init; }
}
