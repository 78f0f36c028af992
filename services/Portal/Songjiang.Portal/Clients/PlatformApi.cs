using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;

namespace Songjiang.Portal.Clients;

/// <summary>
/// The platform's APIs through the gateway, as the signed-in user: the access token is taken from the server-side
/// session of the current request and never leaves the server.
/// </summary>
public sealed class PlatformApi(HttpClient http, IHttpContextAccessor accessor)
{
    private const string TokenKey = "Songjiang.Portal.AccessToken";

    /// <summary>How the APIs spell JSON (camelCase, enums as names).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>GET and read the body; a 404 is null.</summary>
    public async Task<T?> GetAsync<T>(string path, CancellationToken cancellationToken = default)
    {
        using var request = await RequestAsync(HttpMethod.Get, path);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return default;
        }
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
    }

    /// <summary>GET anonymously (public pages).</summary>
    public async Task<T?> GetPublicAsync<T>(string path, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return default;
        }
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
    }

    /// <summary>GET raw bytes (material previews, QR codes) with their content type.</summary>
    public async Task<(byte[] Bytes, string ContentType)?> GetBytesAsync(string path, CancellationToken cancellationToken = default)
    {
        using var request = await RequestAsync(HttpMethod.Get, path);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await EnsureSuccessAsync(response, cancellationToken);
        return (await response.Content.ReadAsByteArrayAsync(cancellationToken),
            response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream");
    }

    /// <summary>POST (or another method) a JSON body and read the answer.</summary>
    public async Task<T?> SendAsync<T>(HttpMethod method, string path, object? body, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        using var request = await RequestAsync(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        using var response = await http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return response.Content.Headers.ContentLength == 0 ? default : await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
    }

    /// <summary>POST a JSON body, ignoring the answer.</summary>
    public Task PostAsync(string path, object? body = null, CancellationToken cancellationToken = default) =>
        SendAsync<JsonElement>(HttpMethod.Post, path, body, cancellationToken: cancellationToken);

    /// <summary>Uploads a file to <c>/api/cases/uploads</c>; returns its id.</summary>
    public async Task<Guid> UploadAsync(IFormFile file, string field, CancellationToken cancellationToken = default)
    {
        using var request = await RequestAsync(HttpMethod.Post, "/api/cases/uploads");
        var content = new StreamContent(file.OpenReadStream());
        content.Headers.ContentType = MediaTypeHeaderValue.TryParse(file.ContentType, out var type) ? type : new MediaTypeHeaderValue("application/octet-stream");
        request.Content = new MultipartFormDataContent { { content, "file", file.FileName } };
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await ApiProblem.ReadAsync(response, cancellationToken);
            throw problem.ForField(field);
        }
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Json, cancellationToken);
        return body.GetProperty("id").GetGuid();
    }

    private async Task<HttpRequestMessage> RequestAsync(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        var context = accessor.HttpContext;
        if (context is null)
        {
            return request;
        }
        // One read of the session per request, however many API calls the page makes at once.
        if (context.Items[TokenKey] is not Task<string?> pending)
        {
            context.Items[TokenKey] = pending = context.GetTokenAsync("access_token");
        }
        if (await pending is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return request;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await ApiProblem.ReadAsync(response, cancellationToken);
        }
    }
}
