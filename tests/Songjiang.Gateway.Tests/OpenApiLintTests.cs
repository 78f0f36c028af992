using Songjiang.Testing;
using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Songjiang.Gateway.Tests;

/// <summary>
/// The OpenAPI documents of the running platform, as partner cities fetch them through the gateway, pass Redocly's
/// recommended rules (tools/openapi-lint: the pinned CLI and redocly.yaml; scripts/test.sh installs it with npm ci).
/// </summary>
public sealed class OpenApiLintTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    private static readonly string[] Services = ["identity", "catalog", "cases", "licenses", "enterprises", "policyradar", "exchange", "notifications"];

    [Fact]
    public async Task Every_service_publishes_its_document_at_the_gateway_and_every_operation_declares_security_and_problems()
    {
        foreach (var service in Services)
        {
            using var response = await platform.Gateway.GetAsync($"/openapi/{service}.json");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"/openapi/{service}.json answered {(int)response.StatusCode}");
            var document = await PlatformFixture.JsonOf(response);
            Assert.Equal(platform.Host.GatewayUri.ToString().TrimEnd('/'), document.GetProperty("servers")[0].GetProperty("url").GetString());
            foreach (var path in document.GetProperty("paths").EnumerateObject())
            {
                foreach (var operation in path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("responses", out _)))
                {
                    var where = $"{service}: {operation.Name.ToUpperInvariant()} {path.Name}";
                    Assert.True(operation.Value.TryGetProperty("security", out _), $"{where} declares no security requirement");
                    var problems = operation.Value.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('4')).ToList();
                    Assert.True(problems.Count > 0, $"{where} declares no 4xx response");
                    // Problem details; a refused OAuth 2.0 token request is the RFC 6749 §5.2 error OpenIddict writes.
                    Assert.All(problems, r => Assert.True(
                        r.Value.TryGetProperty("content", out var content)
                            && (content.TryGetProperty("application/problem+json", out _)
                                || (content.TryGetProperty("application/json", out var json) && json.TryGetProperty("schema", out var schema)
                                    && schema.TryGetProperty("$ref", out var reference) && reference.GetString() == "#/components/schemas/OAuthError")),
                        $"{where} {r.Name} is neither problem details nor an OAuth 2.0 error"));
                }
            }
        }
    }

    [Fact]
    public async Task Every_document_lints_with_no_error_and_no_warning_under_redocly()
    {
        var root = RepositoryRoot();
        var tool = Path.Combine(root, "tools", "openapi-lint");
        var cli = Path.Combine(tool, "node_modules", "@redocly", "cli", "bin", "cli.js");
        Assert.True(File.Exists(cli), $"The linter is not installed: run 'npm ci' in {Path.GetRelativePath(root, tool)} (scripts/test.sh does).");

        var folder = Directory.CreateTempSubdirectory("songjiang-openapi-");
        try
        {
            var files = new List<string>();
            foreach (var service in Services)
            {
                var file = Path.Combine(folder.FullName, service + ".json");
                await File.WriteAllTextAsync(file, await platform.Gateway.GetStringAsync($"/openapi/{service}.json"));
                files.Add(file);
            }

            var start = new ProcessStartInfo("node") { WorkingDirectory = tool, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in (string[])[cli, "lint", "--config", Path.Combine(tool, "redocly.yaml"), "--format", "stylish", .. files])
            {
                start.ArgumentList.Add(argument);
            }
            start.Environment["REDOCLY_TELEMETRY"] = "off";
            start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
            using var lint = Process.Start(start)!;
            var output = lint.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var errors = lint.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await lint.WaitForExitAsync(TestContext.Current.CancellationToken);
            var report = await output + await errors;

            Assert.True(lint.ExitCode == 0, report);
            Assert.DoesNotContain("warning", report.Split('\n').Where(line => !line.Contains("Node.js", StringComparison.Ordinal)).Aggregate("", string.Concat), StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Songjiang.Platform.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("The repository root (Songjiang.Platform.sln) is not above the test's folder.");
    }
}
