using Songjiang.Testing;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Songjiang.Cases.Tests.Support;

namespace Songjiang.Cases.Tests;

/// <summary>
/// Every matter and bundle the catalog publishes can be walked to its end by the demo profile's caseworkers: no
/// department that owns a step is left without a clerk, reviewer or approver to take it.
/// </summary>
public sealed class CatalogWalkTests(CasesPlatform platform) : IClassFixture<CasesPlatform>
{
    private static readonly string[] Positive = ["accept", "approve", "confirm", "resolve"];

    // The demo profile's account-name prefix per department.
    private static readonly Dictionary<string, string> Prefixes = new(StringComparer.Ordinal)
    {
        ["market-regulation"] = "scj", ["tax"] = "tax", ["human-resources"] = "hr", ["public-security"] = "ga", ["bank"] = "bank",
        ["health"] = "wj", ["housing-construction"] = "zj", ["planning-resources"] = "gh", ["ecology-environment"] = "hb",
        ["science-technology"] = "kw",
    };

    private readonly CaseDriver _cases = new(platform);

    public static TheoryData<string, string> Entries()
    {
        var data = new TheoryData<string, string>();
        using var matters = JsonDocument.Parse(File.ReadAllText(SeedFile("matters.json")));
        foreach (var matter in matters.RootElement.EnumerateArray())
        {
            // A matter another G60 city approves (收受分离) is forwarded there, not walked here (the federation tests walk it).
            if (matter.TryGetProperty("approvingCity", out var city) && city.GetString() != "310117")
            {
                continue;
            }
            data.Add("matters", matter.GetProperty("code").GetString()!);
        }
        using var bundles = JsonDocument.Parse(File.ReadAllText(SeedFile("bundles.json")));
        foreach (var bundle in bundles.RootElement.EnumerateArray())
        {
            data.Add("bundles", bundle.GetProperty("code").GetString()!);
        }
        return data;
    }

    [Fact]
    public void Every_department_that_owns_a_matter_has_a_demo_clerk_reviewer_and_approver()
    {
        using var matters = JsonDocument.Parse(File.ReadAllText(SeedFile("matters.json")));
        using var accounts = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoRoot(), "services", "Identity", "Songjiang.Identity.Api", "Seed", "demo-accounts.json")));
        var staff = accounts.RootElement.GetProperty("users").EnumerateArray()
            .Where(u => u.TryGetProperty("department", out _))
            .SelectMany(u => u.GetProperty("roles").EnumerateArray().Select(r => (Department: u.GetProperty("department").GetString()!, Role: r.GetString()!)))
            .ToHashSet();
        var departments = matters.RootElement.EnumerateArray()
            .SelectMany(m => m.GetProperty("reviewDepartments").EnumerateArray().Select(d => d.GetString()!).Append(m.GetProperty("department").GetString()!))
            .Distinct();
        foreach (var department in departments)
        {
            foreach (var role in new[] { "window-clerk", "reviewer", "approver" })
            {
                Assert.True(staff.Contains((department, role)), $"{department} has no demo {role}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Entries))]
    public async Task Every_matter_and_bundle_of_the_catalog_can_be_walked_to_its_end(string kind, string code)
    {
        var entry = await _cases.ExpectAsync(HttpStatusCode.OK, "ent-g60bio", HttpMethod.Get, $"/api/catalog/{kind}/{code}");
        var form = FormFor(entry.GetProperty("formSchema"));
        var materialCodes = kind == "matters"
            ? entry.GetProperty("materials").EnumerateArray().Select(m => m.GetProperty("code").GetString()!).ToArray()
            : await BundleMaterialsAsync(entry);
        var materials = await _cases.UploadAllAsync("ent-g60bio", materialCodes);
        var submitted = await _cases.SubmitAsync("ent-g60bio", kind == "matters"
            ? new { matterCode = code, form, materials }
            : (object)new { bundleCode = code, form, materials });
        var number = submitted.GetProperty("summary").GetProperty("number").GetString()!;

        var users = Prefixes.Values.SelectMany(p => new[] { $"{p}-clerk", $"{p}-reviewer", $"{p}-approver" }).ToList();
        for (var round = 0; round < 12; round++)
        {
            var view = await _cases.ApplicationAsync("ent-g60bio", number);
            if (view.GetProperty("summary").GetProperty("status").GetString() == "completed")
            {
                return;
            }
            var acted = false;
            foreach (var user in users)
            {
                foreach (var task in await _cases.TasksAsync(user, number))
                {
                    var action = Positive.FirstOrDefault(a => task.GetProperty("actions").EnumerateArray().Any(x => x.GetString() == a));
                    if (action is null)
                    {
                        continue;
                    }
                    var id = task.GetProperty("id").GetGuid();
                    using var claim = await _cases.SendAsync(user, HttpMethod.Post, $"/api/cases/tasks/{id}/claim");
                    if (claim.StatusCode != HttpStatusCode.OK)
                    {
                        continue;
                    }
                    await _cases.ExpectAsync(HttpStatusCode.OK, user, HttpMethod.Post, $"/api/cases/tasks/{id}/complete",
                        new { action, opinion = "材料齐全，符合法定条件，同意。" });
                    acted = true;
                }
            }
            if (!acted)
            {
                await Task.Delay(200);
            }
        }
        var last = await _cases.ApplicationAsync("ent-g60bio", number);
        Assert.Fail($"{code} stalled at {last.GetProperty("summary").GetProperty("status").GetString()}: no demo caseworker could take its open step");
    }

    private async Task<string[]> BundleMaterialsAsync(JsonElement bundle)
    {
        var codes = new HashSet<string>(StringComparer.Ordinal);
        var establishes = false;
        foreach (var matter in bundle.GetProperty("matters").EnumerateArray())
        {
            var entry = await _cases.ExpectAsync(HttpStatusCode.OK, "ent-g60bio", HttpMethod.Get, $"/api/catalog/matters/{matter.GetProperty("code").GetString()}");
            codes.UnionWith(entry.GetProperty("materials").EnumerateArray().Select(m => m.GetProperty("code").GetString()!));
            establishes |= entry.TryGetProperty("outcome", out var outcome) && outcome.ValueKind == JsonValueKind.Object
                && outcome.TryGetProperty("registration", out var registration) && registration.ValueKind == JsonValueKind.Object
                && registration.TryGetProperty("effect", out var effect) && effect.GetString() == "establish";
        }
        // In a bundle that establishes the company, the licence material is the business licence the bundle issues.
        if (establishes)
        {
            codes.Remove("licence");
        }
        return [.. codes];
    }

    /// <summary>A form that satisfies a schema: every property filled with the least value its constraints allow.</summary>
    private static JsonObject FormFor(JsonElement schema)
    {
        var form = new JsonObject();
        foreach (var property in schema.GetProperty("properties").EnumerateObject())
        {
            form[property.Name] = ValueFor(property.Name, property.Value);
        }
        if (schema.TryGetProperty("minProperties", out _) && form.Count == 0)
        {
            throw new InvalidOperationException("schema needs properties");
        }
        return form;
    }

    private static JsonNode? ValueFor(string name, JsonElement schema)
    {
        if (schema.TryGetProperty("const", out var constant))
        {
            return JsonNode.Parse(constant.GetRawText());
        }
        if (schema.TryGetProperty("enum", out var values))
        {
            return JsonNode.Parse(values[0].GetRawText());
        }
        var type = schema.TryGetProperty("type", out var t) ? t.GetString() : "string";
        switch (type)
        {
            case "boolean":
                return true;
            case "integer":
            case "number":
                var least = schema.TryGetProperty("minimum", out var min) ? min.GetDecimal()
                    : schema.TryGetProperty("exclusiveMinimum", out var exclusive) ? exclusive.GetDecimal() + 1 : 1;
                return JsonValue.Create(Math.Max(least, 1));
            case "array":
                var items = schema.GetProperty("items");
                var count = schema.TryGetProperty("minItems", out var minItems) ? Math.Max(minItems.GetInt32(), 1) : 1;
                var list = new JsonArray();
                for (var i = 0; i < count; i++)
                {
                    list.Add(items.TryGetProperty("enum", out var options)
                        ? JsonNode.Parse(options[i % options.GetArrayLength()].GetRawText())
                        : ValueFor(name, items) is JsonValue v && v.TryGetValue<string>(out var word) ? JsonValue.Create($"{word}{i}") : ValueFor(name, items));
                }
                return list;
            case "object":
                var inner = FormFor(schema);
                if (schema.TryGetProperty("minProperties", out var minProperties))
                {
                    foreach (var extra in inner.Select(p => p.Key).Skip(Math.Max(minProperties.GetInt32(), 1)).ToList())
                    {
                        inner.Remove(extra);
                    }
                }
                return inner;
        }
        if (schema.TryGetProperty("format", out var format) && format.GetString() == "date")
        {
            return DateOnly.FromDateTime(DateTime.UtcNow.AddDays(7)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        if (schema.TryGetProperty("pattern", out var pattern))
        {
            return pattern.GetString()!.Contains("A-HJ-NPQRTUWXY", StringComparison.Ordinal) ? CaseDriver.G60Bio : "I6513";
        }
        if (name == "location")
        {
            return "xinqiao";
        }
        var text = "上海G60生物医药有限公司测试填写内容";
        var minLength = schema.TryGetProperty("minLength", out var ml) ? ml.GetInt32() : 1;
        var maxLength = schema.TryGetProperty("maxLength", out var xl) ? xl.GetInt32() : text.Length;
        while (text.Length < minLength)
        {
            text += text;
        }
        return text[..Math.Min(Math.Max(minLength, Math.Min(text.Length, maxLength)), text.Length)];
    }

    private static string SeedFile(string name) =>
        Path.Combine(RepoRoot(), "services", "Catalog", "Songjiang.Catalog.Api", "Seed", name);

    private static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Songjiang.Platform.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("The repository root was not found.");
    }
}
