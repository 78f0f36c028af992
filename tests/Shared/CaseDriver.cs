using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Songjiang.Testing;

/// <summary>Drives cases through the gateway as the portal and the caseworkers' desk would.</summary>
public sealed class CaseDriver(PlatformFixture platform)
{
    /// <summary>A small but real PDF header and body.</summary>
    public static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    /// <summary>The demo enterprise 上海松江智算科技有限公司.</summary>
    public const string Zhisuan = "91310117MA1J3GKL0Q";

    /// <summary>The demo enterprise 上海G60生物医药有限公司.</summary>
    public const string G60Bio = "91310117MA1H8BXR2W";

    private readonly Dictionary<string, string> _tokens = [];

    /// <summary>A cached token of a demo user.</summary>
    public async Task<string> TokenAsync(string user)
    {
        if (!_tokens.TryGetValue(user, out var token))
        {
            _tokens[user] = token = await platform.UserTokenAsync(user);
        }
        return token;
    }

    /// <summary>Sends a request through the gateway as a demo user.</summary>
    public async Task<HttpResponseMessage> SendAsync(string user, HttpMethod method, string path, HttpContent? content = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(user));
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return await platform.Gateway.SendAsync(request);
    }

    /// <summary>Sends and expects the given status; returns the JSON body.</summary>
    public async Task<JsonElement> ExpectAsync(HttpStatusCode status, string user, HttpMethod method, string path, object? body = null, string? idempotencyKey = null)
    {
        using var response = await SendAsync(user, method, path, body is null ? null : JsonContent.Create(body), idempotencyKey);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{method} {path}: expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Uploads a file and returns its id.</summary>
    public async Task<Guid> UploadAsync(string user, byte[]? bytes = null, string name = "material.pdf", string contentType = "application/pdf")
    {
        using var response = await UploadRawAsync(user, bytes ?? Pdf, name, contentType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
    }

    /// <summary>Uploads a file and returns the raw response.</summary>
    public Task<HttpResponseMessage> UploadRawAsync(string user, byte[] bytes, string name, string contentType)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var form = new MultipartFormDataContent { { file, "file", name } };
        return SendAsync(user, HttpMethod.Post, "/api/cases/uploads", form);
    }

    /// <summary>Uploads one file per material code.</summary>
    public async Task<Dictionary<string, Guid>> UploadAllAsync(string user, params string[] codes)
    {
        var uploads = new Dictionary<string, Guid>();
        foreach (var code in codes)
        {
            uploads[code] = await UploadAsync(user, name: code + ".pdf");
        }
        return uploads;
    }

    /// <summary>Submits and expects 201; returns the application view.</summary>
    public Task<JsonElement> SubmitAsync(string user, object request, string? idempotencyKey = null) =>
        ExpectAsync(HttpStatusCode.Created, user, HttpMethod.Post, "/api/cases/applications", request, idempotencyKey);

    /// <summary>An application as the user sees it.</summary>
    public Task<JsonElement> ApplicationAsync(string user, string number) =>
        ExpectAsync(HttpStatusCode.OK, user, HttpMethod.Get, $"/api/cases/applications/{number}");

    /// <summary>The user's open tasks for an application number (exact, or a bundle child of it).</summary>
    public async Task<List<JsonElement>> TasksAsync(string user, string number, string query = "")
    {
        var page = await ExpectAsync(HttpStatusCode.OK, user, HttpMethod.Get, "/api/cases/tasks?pageSize=100" + query);
        return [.. page.GetProperty("items").EnumerateArray().Where(t => t.GetProperty("applicationNumber").GetString()!.StartsWith(number, StringComparison.Ordinal))];
    }

    /// <summary>Claims the user's single open task on the application and completes it.</summary>
    public async Task<JsonElement> ActAsync(string user, string number, string action, string? opinion = null, string[]? materials = null)
    {
        var task = Assert.Single(await TasksAsync(user, number));
        var id = task.GetProperty("id").GetGuid();
        await ExpectAsync(HttpStatusCode.OK, user, HttpMethod.Post, $"/api/cases/tasks/{id}/claim");
        return await ExpectAsync(HttpStatusCode.OK, user, HttpMethod.Post, $"/api/cases/tasks/{id}/complete",
            new { action, opinion, materials });
    }

    /// <summary>Polls until the condition holds (for effects that travel over the bus).</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }
}
