using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Songjiang.Testing;

namespace Songjiang.Fuzz.Tests;

/// <summary>
/// Reads every service's OpenAPI document through the gateway and sends each operation odd input: malformed JSON,
/// wrong types, huge numbers, 10 MB strings, deep nesting, NUL and lone surrogates, bidi overrides, search and SQL
/// wildcard syntax, negative and huge paging values; as each role's real token, and the partner API (<c>/api/partner/</c>)
/// as a partner city's system signing each request. Records every 5xx and every refused write that still changed a list
/// of its service. Deterministic: the same documents give the same requests.
/// </summary>
internal sealed class OpenApiFuzzer(PlatformFixture platform, Action<string> log)
{
    public static readonly string[] Services = ["identity", "catalog", "cases", "licenses", "enterprises", "policyradar", "exchange", "notifications"];

    /// <summary>Users of every role: an enterprise, a window clerk, an approver, an administrator.</summary>
    private static readonly string[] Roles = ["ent-zhisuan", "scj-clerk", "scj-approver", "admin"];

    /// <summary>The partner API's caller: Jiaxing's system, with its demo signing key.</summary>
    private const string PartnerCity = "330400";

    private static readonly string[] PartnerRoles = [$"g60-{PartnerCity}"];

    /// <summary>
    /// Lists that record refused requests by design, so a refused write changes them: the exchange's message log keeps
    /// every verified partner request with its 4xx (docs/partners.md, "The message log").
    /// </summary>
    private static readonly string[] Journals = ["/api/exchange/admin/log"];

    private static readonly string TenMegabytes = new('松', 10 * 1024 * 1024 / 3);

    /// <summary>Odd text for strings, queries and path segments.</summary>
    private static readonly string[] OddText =
    [
        "\u0000", "a\u0000b", "\ud800", "x\udc00y", "\u202Egnp.exe", "\u2066隔离\u2069", "\u0007\u001b[31m",
        "*", "?", "%", "_", "%_%", "a*b?c~2", "title:(x OR y)^3", "\"unterminated", "(((", "[* TO *]", "\\",
        "' OR '1'='1", "'; DROP TABLE x; --", "%' ESCAPE '\\", "{}", "../../../etc/passwd", "%2e%2e%2f",
        new string('x', 10_000), "", " ", "NaN", "-1", "1e400",
    ];

    /// <summary>Odd numbers for integer and number fields and paging.</summary>
    private static readonly string[] OddNumbers =
    [
        "-1", "0", "-2147483649", "2147483648", "9223372036854775808", "99999999999999999999999999999", "1e30", "1e400",
        "-1e400", "0.5", "1.0e-400", "NaN", "\"1\"", "true", "null", "[]", "{}",
    ];

    private readonly Dictionary<string, string> _tokens = [];

    public int Requests { get; private set; }

    /// <summary>The partner city's signed requests.</summary>
    public int PartnerRequests { get; private set; }

    public List<string> Failures { get; } = [];

    /// <summary>How long each operation's requests took, to keep the run short.</summary>
    public List<(TimeSpan Took, string Operation)> Timings { get; } = [];

    public async Task RunAsync(CancellationToken ct)
    {
        await foreach (var operations in DocumentsAsync(ct))
        {
            await FuzzDocumentAsync(operations, ct);
        }
    }

    /// <summary>
    /// Pages through every paged list as every role, a few items a page, and records each list that shows an item on
    /// two pages or on none: what a sort with ties does on PostgreSQL unless the order ends with a unique key.
    /// </summary>
    public async Task PageThroughListsAsync(CancellationToken ct)
    {
        const int Window = 60, Small = 3;
        await foreach (var operations in DocumentsAsync(ct))
        {
            foreach (var list in operations.Where(o => IsList(o) && o.IsPaged))
            {
                foreach (var role in RolesFor(list))
                {
                    // The first items in one page, then the same items a few at a time, then the one page again: a list
                    // that changed meanwhile (a background job's work) proves nothing either way.
                    var whole = await PageAsync(list.Path, role, 1, Window, ct);
                    if (whole is null || whole.Count == 0)
                    {
                        continue;
                    }
                    var pieces = new List<string>();
                    for (var page = 1; pieces.Count < whole.Count; page++)
                    {
                        var piece = await PageAsync(list.Path, role, page, Small, ct);
                        if (piece is null || piece.Count == 0)
                        {
                            break;
                        }
                        pieces.AddRange(piece);
                    }
                    if (await PageAsync(list.Path, role, 1, Window, ct) is not { } again || !again.SequenceEqual(whole))
                    {
                        continue;
                    }
                    var twice = pieces.GroupBy(k => k).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
                    var never = whole.Except(pieces).ToList();
                    if (twice.Count > 0 || never.Count > 0)
                    {
                        Failures.Add($"unstable paging: GET {list.Path} as {role}, {Small} a page: {twice.Count} of the first {whole.Count} items on two pages " +
                            $"({string.Join(", ", twice.Take(3))}), {never.Count} on none ({string.Join(", ", never.Take(3))})");
                    }
                }
            }
        }
    }

    /// <summary>A list: a read without path parameters, other than a journal of refused requests.</summary>
    private static bool IsList(Operation operation) =>
        operation.Method == "GET" && !operation.Path.Contains('{', StringComparison.Ordinal) && !Journals.Contains(operation.Path);

    /// <summary>One page's items, each by its key (or its whole JSON); null when the answer is not a page.</summary>
    private async Task<List<string>?> PageAsync(string path, string role, int page, int pageSize, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{path}?page={page}&pageSize={pageSize}");
        await AuthenticateAsync(request, role, ct);
        using var response = await platform.Gateway.SendAsync(request, ct);
        Requests++;
        if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "application/json")
        {
            return null;
        }
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        return [.. items.EnumerateArray().Select(Key)];

        static string Key(JsonElement item)
        {
            foreach (var name in (string[])["id", "number", "applicationNumber", "licenceNumber", "uscc", "code", "sequence"])
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var key))
                {
                    return $"{name}={key}";
                }
            }
            return item.GetRawText();
        }
    }

    /// <summary>Each service's operations, read from its OpenAPI document through the gateway, after signing in every role.</summary>
    private async IAsyncEnumerable<List<Operation>> DocumentsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var role in Roles)
        {
            _tokens[role] = await platform.UserTokenAsync(role);
        }

        foreach (var service in Services)
        {
            using var response = await platform.Gateway.GetAsync($"/openapi/{service}.json", ct);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                continue;
            }
            Assert.True(response.IsSuccessStatusCode, $"/openapi/{service}.json answered {(int)response.StatusCode}");
            var document = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!.AsObject();
            var operations = new List<Operation>();
            foreach (var (path, item) in document["paths"]!.AsObject())
            {
                foreach (var (method, operation) in item!.AsObject())
                {
                    if (operation is JsonObject op && op.ContainsKey("responses"))
                    {
                        operations.Add(new Operation(service, method.ToUpperInvariant(), path, op, document));
                    }
                }
            }
            yield return operations;
        }
    }

    private async Task FuzzDocumentAsync(List<Operation> operations, CancellationToken ct)
    {
        // Lists: what a refused write must leave as it was.
        var lists = operations.Where(IsList).ToList();
        var before = await SnapshotAsync(lists, ct);
        var index = 0;
        foreach (var operation in operations.OrderBy(o => o.Path, StringComparer.Ordinal).ThenBy(o => o.Method, StringComparer.Ordinal))
        {
            var accepted = false;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            foreach (var request in Cases(operation, index++))
            {
                foreach (var role in request.Roles)
                {
                    var status = await SendAsync(operation, request, role, ct);
                    if ((int)status >= 500)
                    {
                        Failures.Add($"{(int)status} {operation.Method} {request.Path} as {role}: {request.What}");
                    }
                    accepted |= (int)status is >= 200 and < 300;
                }
            }

            Timings.Add((clock.Elapsed, $"{operation.Method} {operation.Path}"));
            if (operation.Method == "GET" || lists.Count == 0)
            {
                continue;
            }
            var after = await SnapshotAsync(lists, ct);
            if (!accepted)
            {
                foreach (var (list, state) in before)
                {
                    if (after.TryGetValue(list, out var now) && now != state)
                    {
                        Failures.Add($"partial write: {operation.Method} {operation.Path} refused every odd request, yet {list} changed");
                    }
                }
            }
            before = after;
        }
    }

    /// <summary>The ids, numbers, codes and totals every role sees in every list; what a write would change.</summary>
    private async Task<Dictionary<string, string>> SnapshotAsync(List<Operation> lists, CancellationToken ct)
    {
        var state = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var list in lists)
        {
            foreach (var role in RolesFor(list))
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, list.Path);
                await AuthenticateAsync(request, role, ct);
                using var response = await platform.Gateway.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                Requests++;
                if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "application/json")
                {
                    // Not a list (an event stream, a file): nothing to compare, and a stream would never end.
                    continue;
                }
                var text = await response.Content.ReadAsStringAsync(ct);
                state[$"GET {list.Path} as {role}"] = Fingerprint(text);
            }
        }
        return state;
    }

    private static string Fingerprint(string json)
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        void Walk(JsonElement element, string? name)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        Walk(property.Value, property.Name);
                    }
                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Walk(item, name);
                    }
                    break;
                default:
                    if (name is "id" or "number" or "code" or "total" or "uscc" or "applicationNumber" or "licenceNumber")
                    {
                        keys.Add($"{name}={element}");
                    }
                    break;
            }
        }
        try
        {
            using var document = JsonDocument.Parse(json);
            Walk(document.RootElement, null);
        }
        catch (JsonException)
        {
            return json;
        }
        return string.Join('\n', keys);
    }

    private async Task<HttpStatusCode> SendAsync(Operation operation, FuzzRequest fuzz, string role, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(new HttpMethod(operation.Method), fuzz.Path);
        if (fuzz.Body is not null)
        {
            request.Content = new ByteArrayContent(fuzz.Body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(fuzz.ContentType ?? "application/json; charset=utf-8");
        }
        await AuthenticateAsync(request, role, ct);
        Requests++;
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(ct);
        patience.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            using var response = await platform.Gateway.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, patience.Token);
            if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
            {
                await response.Content.ReadAsByteArrayAsync(patience.Token);
            }
            if (PartnerRoles.Contains(role))
            {
                PartnerRequests++;
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    // Every partner request here is signed by the contract: a 401 means the exchange saw another request.
                    Failures.Add($"401 {operation.Method} {request.RequestUri!.PathAndQuery} as {role}: a correctly signed request was refused ({fuzz.What})");
                }
            }

            return response.StatusCode;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // No answer is worse than a 5xx: count it as one.
            return HttpStatusCode.GatewayTimeout;
        }
        catch (HttpRequestException ex)
        {
            // The server closed the connection on a body it refused to read (a 413 before the body was sent).
            log($"{operation.Method} {fuzz.Path}: {ex.Message}");
            return HttpStatusCode.RequestEntityTooLarge;
        }
    }

    /// <summary>Who calls an operation: a partner city's system on the partner API, every role's user elsewhere.</summary>
    private static string[] RolesFor(Operation operation) =>
        operation.Path.StartsWith("/api/partner/", StringComparison.Ordinal) ? PartnerRoles : Roles;

    /// <summary>A bearer token for a user; the contract's signature for the partner city's system (after the body is set).</summary>
    private async Task AuthenticateAsync(HttpRequestMessage request, string role, CancellationToken ct)
    {
        if (PartnerRoles.Contains(role))
        {
            // The signature covers the path and query as sent, so sign the address the gateway client will use.
            request.RequestUri = new Uri(platform.Gateway.BaseAddress!, request.RequestUri!);
            await G60Signature.SignAsDemoCityAsync(request, PartnerCity, ct);
            return;
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokens[role]);
    }

    /// <summary>The odd requests of one operation; <paramref name="index"/> spreads the costly ones over operations.</summary>
    private static IEnumerable<FuzzRequest> Cases(Operation operation, int index)
    {
        var all = RolesFor(operation);
        string[] one = [all[index % all.Length]];
        var path = operation.PathWith(_ => "SJ-FUZZ-0001");

        // Path parameters: odd text in each.
        foreach (var parameter in operation.Parameters("path"))
        {
            foreach (var (value, i) in OddText.Select((v, i) => (v, i)).Where(p => p.i % 3 == index % 3 || p.v.Length < 4))
            {
                yield return new FuzzRequest(operation.PathWith(p => p == parameter ? value : "SJ-FUZZ-0001"), null, null, one, $"path {parameter}={Describe(value)}");
            }
        }

        // Query parameters: odd text and odd numbers in each, one at a time.
        foreach (var (parameter, parameterSchema) in operation.QueryParameters())
        {
            var values = IsNumeric(parameterSchema) ? OddNumbers.Select(n => n.Trim('"')).Concat(OddText.Take(6)) : OddText.AsEnumerable().Concat(OddNumbers.Take(8));
            foreach (var value in values)
            {
                yield return new FuzzRequest($"{path}?{parameter}={Uri.EscapeDataString(Scrub(value))}", null, null, one, $"query {parameter}={Describe(value)}");
            }
        }
        if (operation.IsPaged)
        {
            foreach (var paging in (string[])["page=-1&pageSize=-1", "page=0&pageSize=0", "page=2147483647&pageSize=2147483647", "page=99999999999999&pageSize=1e9"])
            {
                yield return new FuzzRequest($"{path}?{paging}", null, null, all, $"paging {paging}");
            }
        }

        if (operation.Method is "GET" or "DELETE" || !operation.HasBody(out var contentType, out var schema))
        {
            if (operation.Method is not ("GET" or "DELETE"))
            {
                yield return new FuzzRequest(path, "{\"unexpected\":"u8.ToArray(), null, all, "malformed JSON to an operation without a body");
            }
            yield break;
        }

        if (contentType != "application/json")
        {
            // Forms and uploads: broken bodies of their own type.
            yield return new FuzzRequest(path, Encoding.UTF8.GetBytes("--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\u202Ea\0.pdf\"\r\n\r\n%PDF-"), "multipart/form-data; boundary=x", all, "truncated multipart");
            yield return new FuzzRequest(path, Encoding.UTF8.GetBytes("grant_type=password&username=%00&password=%ED%A0%80&client_id=%E2%80%AE"), "application/x-www-form-urlencoded", all, "odd form fields");
            yield return new FuzzRequest(path, "{}"u8.ToArray(), "application/json", one, "JSON where a form is expected");
            yield break;
        }

        // Malformed and wrongly shaped JSON.
        foreach (var (body, what) in ((string, string)[])[
            ("{\"a\":", "malformed JSON"), ("[", "malformed JSON"), ("", "empty body"), ("null", "null body"), ("42", "a number for an object"),
            ("\"text\"", "a string for an object"), ("[]", "an array for an object"), ("{\"a\":1,\"a\":2}", "duplicate properties"),
            ("{\"\\u0000\":1}", "NUL property name"), ("{\"x\":\"\\ud800\"}", "lone surrogate in an unknown property"),
        ])
        {
            yield return new FuzzRequest(path, Encoding.UTF8.GetBytes(body), null, all, what);
        }
        yield return new FuzzRequest(path, [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x7D], null, one, "invalid UTF-8");
        yield return new FuzzRequest(path, Encoding.UTF8.GetBytes(new string('[', 100_000) + new string(']', 100_000)), null, one, "deep nesting");
        yield return new FuzzRequest(path, Encoding.UTF8.GetBytes(Nested(200)), null, one, "nested objects 200 deep");

        // A well-shaped body, then one field at a time made odd.
        var valid = operation.Example(schema, depth: 0) as JsonObject ?? [];
        yield return new FuzzRequest(path, Encoding.UTF8.GetBytes(valid.ToJsonString()), null, all, "a schema-shaped body");
        foreach (var (name, propertySchema) in operation.Properties(schema))
        {
            var odd = IsNumeric(propertySchema) || (propertySchema?["type"]?.ToJsonString() ?? "").Contains("boolean", StringComparison.Ordinal)
                ? OddNumbers.Concat(["\"\\u0000\"", "\"\\ud800\""])
                : OddText.Select(t => JsonSerializer.Serialize(t)).Concat(["\"\\ud800\"", "123", "[]", "{}", "null", "1e400"]);
            foreach (var value in odd)
            {
                var copy = valid.DeepClone().AsObject();
                copy.Remove(name);
                var text = copy.ToJsonString();
                text = text.Length == 2 ? $"{{\"{name}\":{value}}}" : $"{{\"{name}\":{value},{text[1..]}";
                yield return new FuzzRequest(path, Encoding.UTF8.GetBytes(text), null, one, $"body {name}={Describe(value)}");
            }
            if (index % 5 == 0)
            {
                var copy = valid.DeepClone().AsObject();
                copy[name] = TenMegabytes;
                yield return new FuzzRequest(path, Encoding.UTF8.GetBytes(copy.ToJsonString()), null, one, $"body {name}=10 MB string");
            }
        }
    }

    private static string Nested(int depth)
    {
        var text = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            text.Append("{\"a\":");
        }
        text.Append('1');
        text.Append('}', depth);
        return text.ToString();
    }

    private static bool IsNumeric(JsonNode? schema) =>
        schema?["type"] is JsonNode type && type.ToJsonString().Contains("integer", StringComparison.Ordinal) | type.ToJsonString().Contains("number", StringComparison.Ordinal);

    /// <summary>A lone surrogate cannot be encoded in a URL as text; send its UTF-8-like bytes as a server would see them.</summary>
    private static string Scrub(string value) => value.Replace("\ud800", "\ufffd", StringComparison.Ordinal).Replace("\udc00", "\ufffd", StringComparison.Ordinal);

    private static string Describe(string value) =>
        value.Length > 40 ? $"{value.Length} characters" : JsonSerializer.Serialize(value);
}

/// <summary>One request to send.</summary>
internal sealed record FuzzRequest(string Path, byte[]? Body, string? ContentType, string[] Roles, string What);

/// <summary>One operation of an OpenAPI document, with its schemas resolved against the document.</summary>
internal sealed record Operation(string Service, string Method, string Path, JsonObject Node, JsonObject Document)
{
    public IEnumerable<string> Parameters(string where) =>
        (Node["parameters"]?.AsArray() ?? []).Select(Resolve).OfType<JsonObject>()
            .Where(p => p["in"]?.GetValue<string>() == where).Select(p => p["name"]!.GetValue<string>());

    public IEnumerable<(string Name, JsonNode? Schema)> QueryParameters() =>
        (Node["parameters"]?.AsArray() ?? []).Select(Resolve).OfType<JsonObject>()
            .Where(p => p["in"]?.GetValue<string>() == "query").Select(p => (p["name"]!.GetValue<string>(), Resolve(p["schema"])));

    /// <summary>Takes <c>page</c> and <c>pageSize</c> (bound case-insensitively, so documented as either case).</summary>
    public bool IsPaged =>
        QueryParameters().Any(p => p.Name.Equals("page", StringComparison.OrdinalIgnoreCase)) &&
        QueryParameters().Any(p => p.Name.Equals("pageSize", StringComparison.OrdinalIgnoreCase));

    public string PathWith(Func<string, string> value) =>
        System.Text.RegularExpressions.Regex.Replace(Path, "\\{([^}]+)\\}", m => Uri.EscapeDataString(value(m.Groups[1].Value.TrimEnd('*', '?')).Replace("\ud800", "\ufffd", StringComparison.Ordinal).Replace("\udc00", "\ufffd", StringComparison.Ordinal)));

    public bool HasBody(out string contentType, out JsonNode? schema)
    {
        var content = Resolve(Node["requestBody"])?["content"]?.AsObject();
        if (content is null || content.Count == 0)
        {
            contentType = "";
            schema = null;
            return false;
        }
        var (type, media) = content.FirstOrDefault(c => c.Key == "application/json") is { Value: not null } json ? json : content.First();
        contentType = type;
        schema = Resolve(media?["schema"]);
        return true;
    }

    public IEnumerable<(string Name, JsonNode? Schema)> Properties(JsonNode? schema) =>
        Resolve(schema)?["properties"]?.AsObject().Select(p => (p.Key, Resolve(p.Value))) ?? [];

    /// <summary>A value the schema describes, plausible enough to pass binding.</summary>
    public JsonNode? Example(JsonNode? schema, int depth)
    {
        schema = Resolve(schema);
        if (schema is null || depth > 4)
        {
            return null;
        }
        if (schema["enum"] is JsonArray values && values.Count > 0)
        {
            return values[0]?.DeepClone();
        }
        var type = schema["type"]?.ToJsonString() ?? "";
        if (schema["properties"] is JsonObject properties || type.Contains("object", StringComparison.Ordinal))
        {
            var result = new JsonObject();
            foreach (var (name, property) in schema["properties"]?.AsObject() ?? [])
            {
                result[name] = Example(property, depth + 1);
            }
            return result;
        }
        if (type.Contains("array", StringComparison.Ordinal))
        {
            return new JsonArray();
        }
        if (type.Contains("integer", StringComparison.Ordinal) || type.Contains("number", StringComparison.Ordinal))
        {
            return 1;
        }
        if (type.Contains("boolean", StringComparison.Ordinal))
        {
            return true;
        }
        return (schema["format"] as JsonValue)?.ToString() switch
        {
            "uuid" => Guid.Empty.ToString(),
            "date" => "2026-01-05",
            "date-time" => "2026-01-05T09:00:00+08:00",
            _ => "松江",
        };
    }

    /// <summary>Follows <c>$ref</c> within the document.</summary>
    public JsonNode? Resolve(JsonNode? node)
    {
        for (var hops = 0; hops < 10 && node is JsonObject o && o["$ref"]?.GetValue<string>() is { } reference; hops++)
        {
            node = Document;
            foreach (var part in reference.TrimStart('#', '/').Split('/'))
            {
                node = node?[part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
            }
        }
        return node;
    }
}
