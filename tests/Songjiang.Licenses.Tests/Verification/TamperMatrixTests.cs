using Songjiang.Licenses.Tests.Support;
using Songjiang.Testing;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Songjiang.Licenses.Tests.Verification;

public sealed class TamperMatrixTests(LicensesFixture platform)
{
    [Fact]
    public async Task An_issued_licence_verifies_online_and_offline()
    {
        var number = await platform.IssueBusinessLicenceAsync();

        using var online = await platform.SendAsync(HttpMethod.Get, $"/api/licenses/public/verify/{number}", null);
        var offline = await platform.VerifyDocumentAsync(await platform.DocumentAsync(number));

        Assert.Equal(HttpStatusCode.OK, online.StatusCode);
        var answer = await PlatformFixture.JsonOf(online);
        Assert.Equal("valid", LicensesFixture.OutcomeOf(answer));
        Assert.Equal("local", answer.GetProperty("keySource").GetString());
        Assert.Equal("valid", LicensesFixture.OutcomeOf(offline));
        Assert.Equal(number, offline.GetProperty("licenceNumber").GetString());
    }

    [Fact]
    public async Task One_changed_character_in_any_field_makes_the_licence_invalid()
    {
        var document = JsonNode.Parse(await platform.DocumentAsync(await platform.IssueBusinessLicenceAsync()))!;
        var leaves = Leaves(document["licence"]!).ToList();
        Assert.True(leaves.Count >= 15, $"only {leaves.Count} fields");

        foreach (var path in leaves)
        {
            var tampered = document.DeepClone();
            var parent = Navigate(tampered["licence"]!, path[..^1]);
            var name = path[^1];
            parent[name] = parent[name] is JsonValue value && value.GetValueKind() == JsonValueKind.Number
                ? JsonValue.Create(value.GetValue<double>() + 1)
                : JsonValue.Create(ChangeOneCharacter(parent[name]?.GetValue<string>()));

            var answer = await platform.VerifyDocumentAsync(tampered.ToJsonString());

            Assert.True(LicensesFixture.OutcomeOf(answer) == "invalid", $"{string.Join('.', path)}: {answer}");
        }
    }

    [Fact]
    public async Task A_changed_signature_byte_is_invalid_and_a_changed_key_id_is_an_unknown_issuer()
    {
        var document = JsonNode.Parse(await platform.DocumentAsync(await platform.IssueBusinessLicenceAsync()))!;
        var signature = Convert.FromBase64String(document["seal"]!["signature"]!.GetValue<string>());
        signature[^5] ^= 0x01;
        var badSignature = document.DeepClone();
        badSignature["seal"]!["signature"] = Convert.ToBase64String(signature);
        var badKid = document.DeepClone();
        badKid["seal"]!["kid"] = "sm2-00000000000000000000000000000000";

        Assert.Equal("invalid", LicensesFixture.OutcomeOf(await platform.VerifyDocumentAsync(badSignature.ToJsonString())));
        Assert.Equal("unknown-issuer", LicensesFixture.OutcomeOf(await platform.VerifyDocumentAsync(badKid.ToJsonString())));
    }

    [Fact]
    public async Task Reordered_and_reformatted_fields_still_verify()
    {
        var document = JsonNode.Parse(await platform.DocumentAsync(await platform.IssueBusinessLicenceAsync()))!;

        var reordered = Reverse(document)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        var answer = await platform.VerifyDocumentAsync(reordered);

        Assert.NotEqual(document.ToJsonString(), reordered);
        Assert.Equal("valid", LicensesFixture.OutcomeOf(answer));
    }

    [Fact]
    public async Task A_seal_made_with_another_key_under_our_key_id_is_invalid()
    {
        var document = JsonNode.Parse(await platform.DocumentAsync(await platform.IssueBusinessLicenceAsync()))!;
        var impostor = new PartnerIssuer(LicensesFixture.MarketRegulation, "假冒机关", "310117");

        var forged = JsonNode.Parse(impostor.Seal(document["licence"]!.AsObject().DeepClone().AsObject(), document["seal"]!["kid"]!.GetValue<string>()))!;

        Assert.Equal("invalid", LicensesFixture.OutcomeOf(await platform.VerifyDocumentAsync(forged.ToJsonString())));
    }

    [Fact]
    public async Task A_seal_by_another_issuers_key_is_invalid()
    {
        // Our market regulator's licence presented under the human-resources bureau's key id.
        var document = JsonNode.Parse(await platform.DocumentAsync(await platform.IssueBusinessLicenceAsync()))!;
        using var keysResponse = await platform.SendAsync(HttpMethod.Get, "/api/licenses/public/issuer-keys", null);
        var otherKid = (await PlatformFixture.JsonOf(keysResponse)).GetProperty("keys").EnumerateArray()
            .First(k => k.GetProperty("issuerCode").GetString() == LicensesFixture.HumanResources).GetProperty("kid").GetString();
        document["seal"]!["kid"] = otherKid;

        var answer = await platform.VerifyDocumentAsync(document.ToJsonString());

        Assert.Equal("invalid", LicensesFixture.OutcomeOf(answer));
        Assert.Contains(answer.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains("但签章密钥", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[1,2,3]")]
    [InlineData("""{"licence":{}}""")]
    [InlineData("""{"licence":{},"seal":{"alg":"SM2-SM3","kid":"k","signature":"%%%"}}""")]
    public async Task A_document_without_the_shape_of_a_sealed_licence_is_a_400_problem(string body)
    {
        using var response = await platform.SendAsync(HttpMethod.Post, "/api/licenses/public/verify", null, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Online_verification_of_an_unknown_number_is_a_404_problem()
    {
        using var response = await platform.SendAsync(HttpMethod.Get, "/api/licenses/public/verify/YYZZ-310117-2026-NOSUCH00", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static IEnumerable<string[]> Leaves(JsonNode node, string[]? path = null)
    {
        path ??= [];
        if (node is JsonObject obj)
        {
            foreach (var (name, child) in obj)
            {
                if (child is null)
                {
                    continue; // a null (a long-term licence's validUntil) has no character to change
                }
                foreach (var leaf in Leaves(child, [.. path, name]))
                {
                    yield return leaf;
                }
            }
        }
        else
        {
            yield return path;
        }
    }

    private static JsonObject Navigate(JsonNode node, string[] path) =>
        path.Aggregate(node, (current, name) => current[name]!).AsObject();

    private static string ChangeOneCharacter(string? text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var last = text[^1];
        return text[..^1] + (last == 'A' ? 'B' : 'A');
    }

    private static JsonNode? Reverse(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Reverse().Select(p => KeyValuePair.Create(p.Key, Reverse(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Reverse)]),
        null => null,
        _ => node.DeepClone(),
    };
}
