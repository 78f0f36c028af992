using System.Net;
using System.Text.Json.Nodes;

namespace Songjiang.Fuzz.Tests;

/// <summary>
/// Clients are generated from the documents: every body an operation takes or gives has a schema (files as binary
/// strings, pages and event streams as described text), every success but 202 and 204 declares its body, every error
/// response is problem details (or, for a refused OAuth 2.0 request, the RFC 6749 error OpenIddict writes), and every
/// operation states its security requirement. No operation is exempt.
/// </summary>
public sealed class TypedBodiesTests(SqliteFuzzPlatform platform) : IClassFixture<SqliteFuzzPlatform>
{
    [Fact]
    public async Task Every_operation_declares_typed_bodies_problem_responses_and_security()
    {
        var missing = new List<string>();
        foreach (var service in OpenApiFuzzer.Services)
        {
            using var response = await platform.Gateway.GetAsync($"/openapi/{service}.json", TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"/openapi/{service}.json answered {(int)response.StatusCode}");
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
                        if (media?["schema"] is null)
                        {
                            missing.Add($"{where} takes {type} without a schema");
                        }
                    }
                    foreach (var (status, answer) in operation["responses"]!.AsObject())
                    {
                        // Every body, JSON or not (files are binary strings, pages and event streams text), has a schema.
                        foreach (var (type, media) in answer?["content"]?.AsObject() ?? [])
                        {
                            if (media?["schema"] is null)
                            {
                                missing.Add($"{where} answers {status} {type} without a schema");
                            }
                        }
                        // 202 and 204 carry no body by design (a replay or a sync accepted).
                        if (status.StartsWith('2') && status is not ("202" or "204") && (answer?["content"] is not JsonObject content || content.Count == 0))
                        {
                            missing.Add($"{where} answers {status} with no declared body");
                        }
                        if ((status.StartsWith('4') || status.StartsWith('5')) && !IsProblem(answer) && !(status.StartsWith('4') && IsOAuthError(answer)))
                        {
                            missing.Add($"{where} answers {status} without problem details");
                        }
                    }
                }
            }
        }

        Assert.True(missing.Count == 0, string.Join('\n', missing));
    }

    private static bool IsProblem(JsonNode? answer) => answer?["content"]?["application/problem+json"]?["schema"] is not null;

    // The one exception: the token endpoint's refusals are RFC 6749 §5.2 errors, which OpenIddict writes as JSON.
    private static bool IsOAuthError(JsonNode? answer) =>
        answer?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>() == "#/components/schemas/OAuthError";
}
