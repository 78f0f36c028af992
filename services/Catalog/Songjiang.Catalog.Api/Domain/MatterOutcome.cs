using System.Text.Json;

namespace Songjiang.Catalog.Api.Domain;

/// <summary>
/// What approving a matter means, declared by the catalog as data: the licence it yields, with where each licence
/// field comes from, and its effect on the enterprise register. The cases service snapshots it when an application is
/// submitted and publishes it, resolved against the form, in <c>cases.application-approved.v2</c>; no other service
/// reads a matter code or a form field to learn what an approval means.
/// </summary>
/// <param name="Licence">The licence the approval yields, or null.</param>
/// <param name="Registration">The approval's effect on the enterprise register, or null.</param>
public sealed record MatterOutcome(LicenceOutcome? Licence, RegistrationOutcome? Registration);

/// <summary>The licence an approval yields.</summary>
/// <param name="Type">The licence type's code in the licences service's catalogue, e.g. <c>business-licence</c>.</param>
/// <param name="Fields">Each licence field and where its value comes from.</param>
public sealed record LicenceOutcome(string? Type, Dictionary<string, LicenceFieldSource>? Fields);

/// <summary>Where one licence field's value comes from.</summary>
/// <param name="Source">One of <see cref="LicenceFieldSources"/>.</param>
/// <param name="Field">The form field (a dotted path for a nested one), or the holder's registered detail.</param>
/// <param name="Value">The constant.</param>
/// <param name="Map">Form values translated to licence values; for a list, the first form value the map names decides.</param>
/// <param name="Default">The value when the map names none of the form's values.</param>
/// <param name="Note">Why the field comes from where it does, for the reader.</param>
public sealed record LicenceFieldSource(
    string? Source, string? Field = null, JsonElement? Value = null, Dictionary<string, string>? Map = null, string? Default = null,
    string? Note = null);

/// <summary>The kinds of <see cref="LicenceFieldSource"/>.</summary>
public static class LicenceFieldSources
{
    /// <summary>A field of the application form.</summary>
    public const string Form = "form";

    /// <summary>A fixed value.</summary>
    public const string Constant = "constant";

    /// <summary>The approval's calendar day in China.</summary>
    public const string ApprovalDate = "approvalDate";

    /// <summary>The holder's name.</summary>
    public const string HolderName = "holderName";

    /// <summary>A registered detail of the holder, which the licences service holds from the enterprise register.</summary>
    public const string HolderProfile = "holderProfile";

    /// <summary>Every kind.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Form, Constant, ApprovalDate, HolderName, HolderProfile };

    /// <summary>The registered details a holder profile supplies.</summary>
    public static readonly IReadOnlySet<string> ProfileFields = new HashSet<string>(StringComparer.Ordinal) { "name", "legalRepresentative", "registeredAddress" };
}

/// <summary>An approval's effect on the enterprise register.</summary>
/// <param name="Effect">One of <see cref="RegistrationEffects"/>.</param>
/// <param name="Fields">Each registered detail the approval sets (<see cref="RegistrationEffects.Details"/>) and the form field it comes from.</param>
public sealed record RegistrationOutcome(string? Effect, Dictionary<string, string>? Fields);

/// <summary>The effects an approval may have on the register.</summary>
public static class RegistrationEffects
{
    /// <summary>设立: the register creates the enterprise and assigns its unified social credit code.</summary>
    public const string Establish = "establish";

    /// <summary>变更: the applicant's registered details change.</summary>
    public const string Change = "change";

    /// <summary>注销: the applicant leaves the register.</summary>
    public const string Deregister = "deregister";

    /// <summary>Every effect.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Establish, Change, Deregister };

    /// <summary>The registered details an approval may set.</summary>
    public static readonly IReadOnlySet<string> Details = new HashSet<string>(StringComparer.Ordinal)
    {
        "name", "legalRepresentative", "registeredAddress", "registeredCapital", "businessScope", "industryCode", "location",
    };
}
