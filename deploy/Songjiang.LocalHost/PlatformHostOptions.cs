namespace Songjiang.LocalHost;

/// <summary>Where the embedded platform listens and keeps its data (section <c>Platform</c>).</summary>
public sealed class PlatformHostOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Platform";

    /// <summary>The gateway's public address: the one URL clients use, and the token issuer.</summary>
    public string GatewayUrl { get; set; } = "http://127.0.0.1:8080";

    /// <summary>The folder of the per-service SQLite files and the identity keys.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Loopback address of each service, by logical name.</summary>
    public Dictionary<string, string> Services { get; set; } = [];
}
