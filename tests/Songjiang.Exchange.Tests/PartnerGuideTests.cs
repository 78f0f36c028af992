using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Songjiang.Exchange.Tests.Support;

namespace Songjiang.Exchange.Tests;

/// <summary>The shell example of docs/partners.md works as printed, with nothing but bash, OpenSSL and curl.</summary>
[Collection(ExchangeCollection.Name)]
public sealed partial class PartnerGuideTests(ExchangePlatform platform)
{
    [Fact]
    public async Task The_guides_openssl_and_curl_script_lists_matters_and_files_an_application()
    {
        if (!OnPath("bash") || !OnPath("openssl") || !OnPath("curl"))
        {
            Assert.Skip("bash, openssl and curl are needed to run the guide's script.");
        }
        var folder = Directory.CreateTempSubdirectory("g60-guide-");
        try
        {
            var script = Path.Combine(folder.FullName, "g60-call.sh");
            await File.WriteAllTextAsync(script, ScriptFromGuide());
            var body = Path.Combine(folder.FullName, "application.json");
            await File.WriteAllBytesAsync(body, JsonSerializer.SerializeToUtf8Bytes(ExchangePlatform.Application("GUIDE-1"), PartnerClient.Json));

            var matters = JsonDocument.Parse(await RunAsync(script, "GET", "/api/partner/v1/matters")).RootElement;
            var filed = JsonDocument.Parse(await RunAsync(script, "POST", "/api/partner/v1/applications", body)).RootElement;

            Assert.Equal("330400", matters.GetProperty("city").GetString());
            Assert.Equal("submitted", filed.GetProperty("status").GetString());
            Assert.Equal("GUIDE-1", filed.GetProperty("partnerReference").GetString());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string ScriptFromGuide()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Songjiang.Platform.sln")))
        {
            directory = directory.Parent;
        }
        Assert.NotNull(directory);
        var guide = File.ReadAllText(Path.Combine(directory.FullName, "docs", "partners.md"));
        var match = ScriptBlock().Match(guide);
        Assert.True(match.Success, "docs/partners.md has no g60-call.sh block");
        return match.Groups[1].Value;
    }

    private async Task<string> RunAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["G60_BASE"] = platform.Host.GatewayUri.ToString().TrimEnd('/');
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"script failed ({process.ExitCode}): {error}");
        return output;
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(dir => File.Exists(Path.Combine(dir, program)));

    [GeneratedRegex(@"<!-- g60-call\.sh -->\s*```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ScriptBlock();
}
