namespace Songjiang.Enterprises.Api.Domain;

/// <summary>An enterprise's profile, keyed by its unified social credit code.</summary>
public sealed class Enterprise
{
    /// <summary>Unified social credit code (统一社会信用代码), validated per GB 32100.</summary>
    public required string Uscc { get; init; }

    /// <summary>Registered name.</summary>
    public required string Name { get; set; }

    /// <summary>Legal representative (法定代表人).</summary>
    public required string LegalRepresentative { get; set; }

    /// <summary>Registered address.</summary>
    public required string RegisteredAddress { get; set; }

    /// <summary>Songjiang subdistrict or town code, or a G60 partner city's division code.</summary>
    public required string Location { get; set; }

    /// <summary>GB/T 4754-2017 industry code: a section letter and up to four digits, e.g. <c>I6513</c>.</summary>
    public required string IndustryCode { get; set; }

    /// <summary>Registered capital in 万元 (10,000 yuan).</summary>
    public decimal RegisteredCapital { get; set; }

    /// <summary>Founding date.</summary>
    public DateOnly FoundedOn { get; set; }

    /// <summary>Employees.</summary>
    public int Employees { get; set; }

    /// <summary>Annual revenue in 万元.</summary>
    public decimal AnnualRevenue { get; set; }

    /// <summary>Annual R&amp;D spending in 万元.</summary>
    public decimal RdSpending { get; set; }

    /// <summary>Contact telephone the enterprise maintains.</summary>
    public string? ContactPhone { get; set; }

    /// <summary>Contact e-mail the enterprise maintains.</summary>
    public string? ContactEmail { get; set; }

    /// <summary>Listed on a stock exchange (e.g. 科创板).</summary>
    public bool IsListed { get; set; }

    /// <summary>Where it is in its lifecycle.</summary>
    public LifecycleStage Stage { get; set; } = LifecycleStage.Establishing;

    /// <summary>Credit rating from its credit records.</summary>
    public CreditRating CreditRating { get; set; } = CreditRating.A;

    /// <summary>The caseworker assigned as account manager (店小二), if any.</summary>
    public AccountManager? AccountManager { get; set; }

    /// <summary>Qualifications held, with validity.</summary>
    public List<Qualification> Qualifications { get; init; } = [];

    /// <summary>Concurrency token: changes on every update.</summary>
    public Guid Version { get; set; } = Guid.NewGuid();

    /// <summary>When the profile was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Size class derived from headcount and revenue (never stored apart from them).</summary>
    public SizeClass SizeClass => SizeClassification.Classify(IndustryCode, Employees, AnnualRevenue);

    /// <summary>R&amp;D spending as a share of revenue, or null without revenue.</summary>
    public decimal? RdRatio => AnnualRevenue > 0 ? Math.Round(RdSpending / AnnualRevenue, 4) : null;
}

/// <summary>设立 → 运营 → 变更 → 注销中 → 已注销.</summary>
public enum LifecycleStage
{
    /// <summary>设立: being established.</summary>
    Establishing,

    /// <summary>运营: operating.</summary>
    Operating,

    /// <summary>变更: a registered change is in progress.</summary>
    Changing,

    /// <summary>注销中: deregistration in progress.</summary>
    Deregistering,

    /// <summary>已注销: deregistered; the profile is closed.</summary>
    Deregistered,
}

/// <summary>Credit rating (信用等级): A best, D worst.</summary>
public enum CreditRating
{
    /// <summary>守信: good standing.</summary>
    A,

    /// <summary>基本守信: minor records.</summary>
    B,

    /// <summary>失信风险: barred from commitment-based approval.</summary>
    C,

    /// <summary>严重失信: barred, under joint punishment.</summary>
    D,
}

/// <summary>An account manager (店小二) assigned to an enterprise.</summary>
public sealed record AccountManager(string UserId, string Name, string Department);

/// <summary>A qualification with its validity.</summary>
public sealed class Qualification
{
    /// <summary>Id.</summary>
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>Kind code, e.g. <c>high-tech</c> (高新技术企业).</summary>
    public required string Kind { get; init; }

    /// <summary>Certificate or licence number.</summary>
    public required string CertificateNumber { get; init; }

    /// <summary>First valid day.</summary>
    public DateOnly ValidFrom { get; init; }

    /// <summary>Last valid day.</summary>
    public DateOnly ValidUntil { get; init; }

    /// <summary>Whether it is valid on a date.</summary>
    public bool IsValidOn(DateOnly date) => date >= ValidFrom && date <= ValidUntil;
}
