namespace Songjiang.ServiceDefaults.Authentication;

/// <summary>Claim types the identity service issues and every service authorises on.</summary>
public static class PlatformClaims
{
    /// <summary>Subject: the user id, or the client id for a client acting on its own behalf.</summary>
    public const string Subject = "sub";

    /// <summary>Display name.</summary>
    public const string Name = "name";

    /// <summary>A role (repeated): <see cref="PlatformRoles"/>.</summary>
    public const string Role = "role";

    /// <summary>The unified social credit code (统一社会信用代码) of the enterprise a user acts for.</summary>
    public const string Uscc = "uscc";

    /// <summary>
    /// Another enterprise the user may act for (repeated): one they registered as its legal representative or
    /// authorised agent (企业开办).
    /// </summary>
    public const string ActsFor = "acts_for";

    /// <summary>The name of the enterprise a user acts for.</summary>
    public const string EnterpriseName = "enterprise_name";

    /// <summary>The department code of a caseworker.</summary>
    public const string Department = "department";

    /// <summary>The GB/T 2260 division code of the city a user or partner system belongs to.</summary>
    public const string City = "city";

    /// <summary>The OAuth client the token was issued to (RFC 9068).</summary>
    public const string ClientId = "client_id";

    /// <summary>Granted scopes.</summary>
    public const string Scope = "scope";
}

/// <summary>Roles carried in the <c>role</c> claim.</summary>
public static class PlatformRoles
{
    /// <summary>Staff of an enterprise acting for it.</summary>
    public const string Enterprise = "enterprise";

    /// <summary>Window clerk (窗口受理): intake at the service centre.</summary>
    public const string WindowClerk = "window-clerk";

    /// <summary>Reviewer (审查).</summary>
    public const string Reviewer = "reviewer";

    /// <summary>Approver (审批).</summary>
    public const string Approver = "approver";

    /// <summary>Platform administrator.</summary>
    public const string Admin = "admin";

    /// <summary>A G60 partner city's system.</summary>
    public const string PartnerCity = "partner-city";

    /// <summary>A platform service acting on its own behalf.</summary>
    public const string Service = "service";
}

/// <summary>Names of the authorization policies every service registers.</summary>
public static class PlatformPolicies
{
    /// <summary>Any authenticated caller holding a token for the platform API.</summary>
    public const string Authenticated = "authenticated";

    /// <summary>Platform administrators.</summary>
    public const string Admin = "admin";

    /// <summary>Caseworkers in any role.</summary>
    public const string Caseworker = "caseworker";

    /// <summary>Enterprise users bound to a unified social credit code.</summary>
    public const string Enterprise = "enterprise";

    /// <summary>G60 partner-city systems.</summary>
    public const string PartnerCity = "partner-city";
}
