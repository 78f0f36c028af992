using Songjiang.Testing;
using System.Net;
using System.Text.Json;

namespace Songjiang.EndToEnd.Tests.Hardening;

/// <summary>
/// What the platform writes to disk is its own account's alone (folders 0700, files 0600), and an uploaded file is
/// stored under a name the server chose with the extension of what it really is.
/// </summary>
[Collection(HardeningOnSqlite.Name)]
public sealed class PrivateDataTests(PlatformFixture platform)
{
    private const UnixFileMode OpenToOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly CaseDriver _cases = new(platform);

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Databases_keys_and_materials_are_readable_by_the_platform_account_only()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        await _cases.UploadAsync("ent-zhisuan");
        var data = platform.DataDirectory;

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, new DirectoryInfo(data).UnixFileMode);
        var folders = Directory.GetDirectories(data, "*", SearchOption.AllDirectories);
        var files = Directory.GetFiles(data, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith("cases.db", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("cases.db-wal", StringComparison.Ordinal));
        Assert.Contains(folders, f => f.EndsWith("materials", StringComparison.Ordinal));
        // Keys live in the databases, wrapped with the key-encryption key the embedded host keeps beside them.
        Assert.Contains(files, f => f.EndsWith("key-encryption.key", StringComparison.Ordinal));
        Assert.All(folders, f => Assert.True((new DirectoryInfo(f).UnixFileMode & OpenToOthers) == 0, $"{f} is {new DirectoryInfo(f).UnixFileMode}"));
        Assert.All(files, f => Assert.True((File.GetUnixFileMode(f) & OpenToOthers) == 0, $"{f} is {File.GetUnixFileMode(f)}"));
    }

    [Fact]
    public async Task An_upload_is_stored_under_a_server_chosen_name_with_the_extension_of_its_content()
    {
        using var response = await _cases.UploadRawAsync("ent-zhisuan", CaseDriver.Pdf, "季度报表.pdf.exe", "application/octet-stream");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);

        // Shown and downloaded under the uploader's name, made to end like what it is.
        Assert.Equal("季度报表.pdf.exe.pdf", JsonDocument.Parse(text).RootElement.GetProperty("fileName").GetString());

        // On disk: a name the server chose, with the detected type's extension, nothing of the uploader's.
        var stored = Directory.GetFiles(Path.Combine(platform.DataDirectory, "materials")).Select(Path.GetFileName).ToList();
        Assert.NotEmpty(stored);
        Assert.All(stored, name => Assert.Matches("^[0-9a-f]{32}\\.(pdf|ofd|png|jpg)$", name!));
        Assert.DoesNotContain(stored, name => name!.Contains("季度", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("报告\u202Efdp.exe")]
    [InlineData("报告\u2066.pdf")]
    [InlineData("报告\u0007.pdf")]
    public async Task An_upload_name_with_control_or_bidi_characters_is_refused(string name)
    {
        using var response = await _cases.UploadRawAsync("ent-zhisuan", CaseDriver.Pdf, name, "application/pdf");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty("file", out _), text);
    }
}
