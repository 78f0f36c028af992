namespace Songjiang.Enterprises.Api.Domain;

/// <summary>
/// The catalog matters and bundles that move an enterprise through its lifecycle (codes of the Songjiang catalog).
/// </summary>
public static class LifecycleMatters
{
    /// <summary>企业变更登记: submission starts a change (its approval's effect comes with the approval).</summary>
    public const string Change = "SJ-SCJ-002";

    /// <summary>企业注销登记: submission starts deregistration (its approval's effect comes with the approval).</summary>
    public const string Deregistration = "SJ-SCJ-003";

    /// <summary>企业注销一件事: the approval of its first matter starts deregistration (注销中).</summary>
    public const string DeregistrationBundle = "YJS-QYZX";

    /// <summary>The licence type whose issue completes establishment (营业执照).</summary>
    public const string BusinessLicence = "business-licence";

    /// <summary>Prefix of the qualification an issued licence stands for.</summary>
    public const string LicenceQualificationPrefix = "licence:";
}

/// <summary>The effects an approval has on the register, as the catalog names them.</summary>
public static class RegistrationEffects
{
    /// <summary>设立.</summary>
    public const string Establish = "establish";

    /// <summary>变更.</summary>
    public const string Change = "change";

    /// <summary>注销.</summary>
    public const string Deregister = "deregister";
}
