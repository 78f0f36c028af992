namespace Songjiang.Licenses.Api.Domain;

/// <summary>A department that issues licences and seals them with its own SM2 keys (发证机关).</summary>
public sealed class IssuingAuthority
{
    /// <summary>The authority's unified social credit code (机关统一社会信用代码), its identifier in every seal.</summary>
    public required string Code { get; init; }

    /// <summary>The authority's name as printed on licences.</summary>
    public required string Name { get; set; }

    /// <summary>The GB/T 2260 division code of the authority.</summary>
    public required string DivisionCode { get; set; }

    /// <summary>The department code caseworkers of this authority carry in their tokens.</summary>
    public required string Department { get; set; }
}

/// <summary>A kind of licence (证照类型) with the fields its documents carry besides the common metadata.</summary>
public sealed class LicenceType
{
    /// <summary>The type code shared with the matter catalogue and other services (e.g. <c>business-licence</c>).</summary>
    public required string Code { get; init; }

    /// <summary>
    /// The licence type code of the national identifier (GB/T 36904-2018), in the form the national catalogue of
    /// electronic licences uses: the publisher's USCC <c>11100000000013338W</c> and a three-digit number.
    /// </summary>
    public string? NationalTypeCode { get; set; }

    /// <summary>The abbreviation that starts licence numbers of the type (e.g. <c>YYZZ</c> for 营业执照).</summary>
    public required string NumberPrefix { get; set; }

    /// <summary>The Chinese name.</summary>
    public required string Name { get; set; }

    /// <summary>The English name.</summary>
    public required string EnglishName { get; set; }

    /// <summary>The issuing authority's code.</summary>
    public required string AuthorityCode { get; set; }

    /// <summary>Years of validity from the start date; <c>null</c> for long-term licences (长期).</summary>
    public int? ValidityYears { get; set; }

    /// <summary>The type-specific fields.</summary>
    public List<LicenceFieldDefinition> Fields { get; set; } = [];
}

/// <summary>The kinds of value a type-specific field holds.</summary>
public enum LicenceFieldKind
{
    /// <summary>Text, up to <see cref="LicenceFieldDefinition.MaxLength"/> characters.</summary>
    String,

    /// <summary>A calendar date, <c>yyyy-MM-dd</c>.</summary>
    Date,

    /// <summary>A number, at least <see cref="LicenceFieldDefinition.Minimum"/>.</summary>
    Number,

    /// <summary>One of <see cref="LicenceFieldDefinition.Values"/>.</summary>
    Enum,
}

/// <summary>One type-specific field.</summary>
public sealed class LicenceFieldDefinition
{
    /// <summary>The JSON name in the licence's <c>fields</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The printed label.</summary>
    public required string Label { get; init; }

    /// <summary>What the field holds.</summary>
    public LicenceFieldKind Kind { get; init; }

    /// <summary>Whether every licence of the type must carry it.</summary>
    public bool Required { get; init; }

    /// <summary>Longest text for strings.</summary>
    public int? MaxLength { get; init; }

    /// <summary>Smallest value for numbers.</summary>
    public decimal? Minimum { get; init; }

    /// <summary>Allowed values for enums.</summary>
    public List<string>? Values { get; init; }
}
