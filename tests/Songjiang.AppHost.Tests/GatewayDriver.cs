using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Songjiang.AppHost.Tests;

/// <summary>Drives the distributed platform through its gateway as the portal and the caseworkers' desk would.</summary>
public sealed class GatewayDriver(HttpClient gateway)
{
    /// <summary>The demo enterprise 上海松江智算科技有限公司.</summary>
    public const string Zhisuan = "91310117MA1J3GKL0Q";

    /// <summary>The demo enterprise 上海G60生物医药有限公司.</summary>
    public const string G60Bio = "91310117MA1H8BXR2W";

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _tokens = new(StringComparer.Ordinal);

    /// <summary>A demo user's access token (password grant through the gateway), cached.</summary>
    public Task<string> TokenAsync(string user) =>
        _tokens.GetOrAdd(user, u => new Lazy<Task<string>>(() => RequestTokenAsync(u))).Value;

    /// <summary>Sends a request through the gateway as a demo user.</summary>
    public async Task<HttpResponseMessage> SendAsync(string user, HttpMethod method, string path, HttpContent? content = null,
        string? idempotencyKey = null, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(user));
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return await gateway.SendAsync(request, ct);
    }

    /// <summary>Sends and expects the given status; returns the JSON body.</summary>
    public async Task<JsonElement> ExpectAsync(HttpStatusCode status, string user, HttpMethod method, string path, object? body = null,
        string? idempotencyKey = null, CancellationToken ct = default)
    {
        using var response = await SendAsync(user, method, path, body is null ? null : JsonContent.Create(body), idempotencyKey, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == status, $"{method} {path}: expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Uploads a PDF for each material code and returns their ids.</summary>
    public async Task<Dictionary<string, Guid>> UploadAllAsync(string user, CancellationToken ct, params string[] codes)
    {
        var uploads = new Dictionary<string, Guid>();
        foreach (var code in codes)
        {
            var file = new ByteArrayContent(Pdf);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            using var response = await SendAsync(user, HttpMethod.Post, "/api/cases/uploads",
                new MultipartFormDataContent { { file, "file", code + ".pdf" } }, ct: ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload: {(int)response.StatusCode} {text}");
            uploads[code] = JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
        }
        return uploads;
    }

    /// <summary>
    /// 智算 applies for a construction planning permit (建设工程规划许可证, SJ-GZ-001), which the planning bureau's
    /// approval issues as a licence; returns the application number.
    /// </summary>
    public async Task<string> ApplyForPlanningPermitAsync(string project, CancellationToken ct = default)
    {
        var view = await ExpectAsync(HttpStatusCode.Created, "ent-zhisuan", HttpMethod.Post, "/api/cases/applications", new
        {
            matterCode = "SJ-GZ-001",
            form = new { uscc = Zhisuan, projectName = project, projectAddress = "上海市松江区新桥镇新格路8号", totalInvestment = 8000, floorArea = 12000 },
            materials = await UploadAllAsync("ent-zhisuan", ct, "application", "land", "design"),
        }, idempotencyKey: "planning-" + Guid.NewGuid().ToString("N"), ct: ct);
        return NumberOf(view);
    }

    /// <summary>The application number of a submission's view.</summary>
    public static string NumberOf(JsonElement view) => view.GetProperty("summary").GetProperty("number").GetString()!;

    /// <summary>The caseworker claims their open task on the application and completes it with the action.</summary>
    public async Task ActAsync(string caseworker, string number, string action, string? opinion = null, CancellationToken ct = default)
    {
        var page = await ExpectAsync(HttpStatusCode.OK, caseworker, HttpMethod.Get, "/api/cases/tasks?pageSize=100", ct: ct);
        var task = Assert.Single(page.GetProperty("items").EnumerateArray(), t => t.GetProperty("applicationNumber").GetString() == number);
        var id = task.GetProperty("id").GetGuid();
        await ExpectAsync(HttpStatusCode.OK, caseworker, HttpMethod.Post, $"/api/cases/tasks/{id}/claim", ct: ct);
        await ExpectAsync(HttpStatusCode.OK, caseworker, HttpMethod.Post, $"/api/cases/tasks/{id}/complete", new { action, opinion }, ct: ct);
    }

    /// <summary>How many licences of the type each application holds, as the platform's administrator lists them.</summary>
    public async Task<Dictionary<string, int>> LicencesByApplicationAsync(string type)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var page = 1; ; page++)
        {
            var body = await ExpectAsync(HttpStatusCode.OK, "admin", HttpMethod.Get, $"/api/licenses?type={type}&page={page}&pageSize=100");
            var items = body.GetProperty("items").EnumerateArray().ToList();
            foreach (var application in items.Select(l => l.GetProperty("applicationId").GetString()).OfType<string>())
            {
                counts[application] = counts.GetValueOrDefault(application) + 1;
            }
            if (items.Count < 100)
            {
                return counts;
            }
        }
    }

    /// <summary>How many times the enterprise register tracks each of an enterprise's applications (fed by the cases service's events).</summary>
    public async Task<Dictionary<string, int>> TrackedApplicationsAsync(string uscc)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var page = 1; ; page++)
        {
            var body = await ExpectAsync(HttpStatusCode.OK, "admin", HttpMethod.Get, $"/api/enterprises/managed/applications?uscc={uscc}&page={page}&pageSize=100");
            var items = body.GetProperty("items").EnumerateArray().ToList();
            foreach (var number in items.Select(i => i.GetProperty("number").GetString()!))
            {
                counts[number] = counts.GetValueOrDefault(number) + 1;
            }
            if (items.Count < 100)
            {
                return counts;
            }
        }
    }

    /// <summary>Polls until the condition holds on what is read (for effects that travel over the bus).</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition, TimeSpan patience, Func<T, string> what)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {patience}: {what(value)}");
            await Task.Delay(500);
        }
    }

    private async Task<string> RequestTokenAsync(string user)
    {
        using var response = await gateway.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = "songjiang-cli",
            ["username"] = user,
            ["password"] = DistributedPlatform.DemoPassword,
            ["scope"] = "openid profile roles api",
        }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"token for {user}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }
}
