using System.Net;
using System.Text.Json;

namespace Songjiang.Portal.Clients;

/// <summary>
/// An API's RFC 9457 problem: its Chinese detail and the errors by field, so that a page shows each message next to
/// the field it concerns.
/// </summary>
public sealed class ApiProblem(HttpStatusCode status, string? title, string? detail, IReadOnlyDictionary<string, string[]> errors)
    : Exception(detail ?? title ?? status.ToString())
{
    /// <summary>The HTTP status.</summary>
    public HttpStatusCode Status { get; } = status;

    /// <summary>The problem's title.</summary>
    public string? Title { get; } = title;

    /// <summary>The problem's detail.</summary>
    public string? Detail { get; } = detail;

    /// <summary>Messages by field path (<c>form.uscc</c>, <c>materials.licence</c>, …).</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    /// <summary>A sentence for the top of the page.</summary>
    public string Summary => Status switch
    {
        HttpStatusCode.Forbidden => "您无权进行此操作。",
        HttpStatusCode.NotFound => "未找到所请求的内容。",
        HttpStatusCode.Conflict => Detail ?? "操作与当前状态冲突，请刷新后重试。",
        HttpStatusCode.TooManyRequests => "请求过于频繁，请稍后再试。",
        >= HttpStatusCode.InternalServerError => "服务暂时不可用，请稍后再试。",
        _ => Detail ?? Title ?? "提交的内容有误，请按提示修改。",
    };

    /// <summary>The same problem, its detail attached to one field.</summary>
    public ApiProblem ForField(string field)
    {
        var errors = new Dictionary<string, string[]>(Errors);
        if (errors.Count == 0)
        {
            errors[field] = [Detail ?? Title ?? "上传失败"];
        }
        else
        {
            errors = errors.ToDictionary(e => field, e => e.Value);
        }
        return new ApiProblem(Status, Title, Detail, errors);
    }

    /// <summary>Messages for a field, matching its path case-insensitively and its children.</summary>
    public IEnumerable<string> For(string field) =>
        Errors.Where(e => e.Key.Equals(field, StringComparison.OrdinalIgnoreCase)
                || e.Key.StartsWith(field + ".", StringComparison.OrdinalIgnoreCase)
                || e.Key.StartsWith(field + "[", StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => e.Value);

    /// <summary>Reads the problem from a failed response.</summary>
    public static async Task<ApiProblem> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        string? title = null, detail = null;
        var errors = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            title = root.TryGetProperty("title", out var t) ? t.GetString() : null;
            detail = root.TryGetProperty("detail", out var d) ? d.GetString() : null;
            if (root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in e.EnumerateObject())
                {
                    errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                        ? [.. field.Value.EnumerateArray().Select(m => m.GetString() ?? "")]
                        : [field.Value.ToString()];
                }
            }
        }
        catch (JsonException)
        {
            // Not a problem document (a proxy's error page): the status speaks for itself.
        }
        return new ApiProblem(response.StatusCode, title, detail, errors);
    }
}
