using Songjiang.Testing;

namespace Songjiang.Cases.Tests.Support;

/// <summary>The embedded platform with a small upload limit, so that an oversized file is cheap to send.</summary>
public class CasesPlatform : PlatformFixture
{
    /// <summary>The upload limit the tests run with.</summary>
    public const int MaxUploadBytes = 64 * 1024;

    /// <summary>A platform with its own new data folder.</summary>
    public CasesPlatform()
    {
    }

    /// <summary>A platform on a given data folder and ports (to restart it).</summary>
    protected CasesPlatform(string dataDirectory, bool ownsDataDirectory, int[] ports)
        : base(dataDirectory, ownsDataDirectory, ports)
    {
    }

    /// <inheritdoc />
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        base.Settings.Append(new("Cases:Materials:MaxFileBytes", MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}

/// <summary>A cases platform restarted on existing data and addresses.</summary>
public sealed class RestartedCasesPlatform(string dataDirectory, int[] ports) : CasesPlatform(dataDirectory, ownsDataDirectory: false, ports);
