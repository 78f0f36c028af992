namespace Songjiang.Identity.Api.Connect;

/// <summary>The scopes the token service knows beyond the OpenID Connect standard ones.</summary>
public static class PlatformScopes
{
    /// <summary>Access to the platform API through the gateway.</summary>
    public const string Api = "api";

    /// <summary>The audience (<c>aud</c>) of tokens granted the <see cref="Api"/> scope.</summary>
    public const string ApiResource = "songjiang-api";
}
