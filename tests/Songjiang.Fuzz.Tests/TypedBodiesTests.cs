using System.Net;
using System.Text.Json.Nodes;

namespace Songjiang.Fuzz.Tests;

/// <summary>
/// Clients are generated from the documents: every JSON body an operation takes or gives has a schema, every error
/// response is problem details, and every operation states its security requirement.
/// </summary>
public sealed class TypedBodiesTests(SqliteFuzzPlatform platform) : IClassFixture<SqliteFuzzPlatform>
{
    /// <summary>
    /// Successes whose body is not declared yet: files (materials, licence documents), the notification event stream and
    /// OpenIddict's own endpoints. Listed so that no new operation joins them unnoticed; remove each as it is declared.
    /// </summary>
    private static readonly HashSet<string> NotYetDeclared = new(StringComparer.Ordinal)
    {
        "identity: POST /connect/token", "identity: GET /connect/authorize", "identity: POST /connect/authorize",
        "identity: GET /connect/userinfo", "identity: POST /connect/userinfo", "identity: GET /connect/endsession",
        "identity: POST /connect/endsession", "cases: GET /api/cases/applications/{number}/materials/{code}",
        "licenses: GET /api/licenses/{number}/document", "licenses: GET /api/licenses/{number}/print",
        "notifications: GET /api/notifications/stream",
    };

    [Fact]
    public async Task Every_operation_declares_typed_bodies_problem_responses_and_security()
    {
        var missing = new List<string>();
        foreach (var service in OpenApiFuzzer.Services)
        {
            using var response = await platform.Gateway.GetAsync($"/openapi/{service}.json", TestContext.Current.CancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                continue;
            }
            var document = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.AsObject();
            foreach (var (path, item) in document["paths"]!.AsObject())
            {
                foreach (var (method, node) in item!.AsObject())
                {
                    if (node is not JsonObject operation || !operation.ContainsKey("responses"))
                    {
                        continue;
                    }
                    var where = $"{service}: {method.ToUpperInvariant()} {path}";
                    if (!operation.ContainsKey("security"))
                    {
                        missing.Add($"{where} declares no security requirement");
                    }
                    foreach (var (type, media) in operation["requestBody"]?["content"]?.AsObject() ?? [])
                    {
                        if (type.Contains("json", StringComparison.Ordinal) && media?["schema"] is null)
                        {
                            missing.Add($"{where} takes {type} without a schema");
                        }
                    }
                    foreach (var (status, answer) in operation["responses"]!.AsObject())
                    {
                        foreach (var (type, media) in answer?["content"]?.AsObject() ?? [])
                        {
                            if (type.Contains("json", StringComparison.Ordinal) && media?["schema"] is null)
                            {
                                missing.Add($"{where} answers {status} {type} without a schema");
                            }
                        }
                        // 202 and 204 carry no body by design (a replay or a sync accepted).
                        if (status.StartsWith('2') && status is not ("202" or "204") && answer?["content"] is null && !NotYetDeclared.Contains(where))
                        {
                            missing.Add($"{where} answers {status} with no declared body");
                        }
                        if ((status.StartsWith('4') || status.StartsWith('5')) && answer?["content"]?["application/problem+json"] is null)
                        {
                            missing.Add($"{where} answers {status} without problem details");
                        }
                    }
                }
            }
        }

        Assert.True(missing.Count == 0, string.Join('\n', missing));
    }
}
