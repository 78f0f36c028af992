namespace Songjiang.Enterprises.Api.Domain;

/// <summary>
/// The catalog matters and bundles that move an enterprise through its lifecycle (codes of the Songjiang catalog).
/// </summary>
public static class LifecycleMatters
{
    /// <summary>企业设立登记: approval creates the enterprise.</summary>
    public const string Establishment = "SJ-SCJ-001";

    /// <summary>企业变更登记: submission starts a change, approval applies it.</summary>
    public const string Change = "SJ-SCJ-002";

    /// <summary>企业注销登记: approval closes the enterprise.</summary>
    public const string Deregistration = "SJ-SCJ-003";

    /// <summary>企业注销一件事: the approval of its first matter starts deregistration (注销中).</summary>
    public const string DeregistrationBundle = "YJS-QYZX";

    /// <summary>The licence type whose issue completes establishment (营业执照).</summary>
    public const string BusinessLicence = "business-licence";

    /// <summary>Prefix of the qualification an issued licence stands for.</summary>
    public const string LicenceQualificationPrefix = "licence:";
}
