using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Songjiang.ServiceDefaults.Problems;

/// <summary>
/// Turns the request binder's failures into problem details that name the parameter or the JSON field, in Chinese,
/// without the .NET type names and positions the framework's own messages carry (they describe our code, not the
/// caller's request).
/// </summary>
internal static partial class BindingProblems
{
    public static ProblemDetails Of(BadHttpRequestException exception)
    {
        var status = exception.StatusCode;
        if (status == StatusCodes.Status413PayloadTooLarge)
        {
            return new ProblemDetails { Status = status, Title = ProblemTitles.TooLarge, Detail = "请求正文超过了服务接受的大小。" };
        }

        var parameter = ParameterPattern().Match(exception.Message) is { Success: true } match ? match.Groups["name"].Value : null;
        if (exception.InnerException is JsonException json)
        {
            var field = FieldOf(json.Path) ?? parameter ?? "body";
            return Invalid(status, field, JsonMessage(json));
        }
        if (parameter is not null && exception.Message.StartsWith("Failed to bind parameter", StringComparison.Ordinal))
        {
            return Invalid(status, parameter, "值的格式不对，无法识别。");
        }
        if (parameter is not null && exception.Message.StartsWith("Required parameter", StringComparison.Ordinal))
        {
            return Invalid(status, parameter, "缺少此必填参数。");
        }
        if (parameter is not null)
        {
            return Invalid(status, parameter, "请求正文缺失或不是所需的格式。");
        }
        return new ProblemDetails
        {
            Status = status,
            Title = status == StatusCodes.Status415UnsupportedMediaType ? ProblemTitles.UnsupportedMediaType : ProblemTitles.BadRequest,
            Detail = status == StatusCodes.Status415UnsupportedMediaType ? "请以 application/json 发送请求正文。" : "请求的格式不正确。",
        };
    }

    private static HttpValidationProblemDetails Invalid(int status, string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = status,
            Title = ProblemTitles.Invalid,
            Detail = $"{field}: {message}",
        };

    // "$.form.items[2].name" → "form.items[2].name"; the root is the body itself.
    private static string? FieldOf(string? path) =>
        path is null or "$" ? null
        : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..]
        : path.StartsWith('$') ? path[1..]
        : path;

    // Our converters speak Chinese already; the serializer's own messages name CLR types, so they are replaced.
    private static string JsonMessage(JsonException json)
    {
        var message = json.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut >= 0)
        {
            message = message[..cut];
        }
        return message.Any(c => c >= '\u4e00' && c <= '\u9fff') ? message
            : message.Contains("could not be converted", StringComparison.Ordinal) ? "值的类型或格式不对。"
            : message.Contains("maximum", StringComparison.OrdinalIgnoreCase) && message.Contains("depth", StringComparison.OrdinalIgnoreCase) ? "JSON 嵌套层数过多。"
            // "Expected depth to be zero at the end of the JSON payload", "… while isFinalBlock is true": the body stops early.
            : message.Contains("end of the JSON payload", StringComparison.Ordinal) || message.Contains("isFinalBlock", StringComparison.Ordinal)
                ? "JSON 不完整：正文在对象、数组或值结束之前就结束了。"
            : "不是有效的 JSON。";
    }

    [GeneratedRegex("parameter \"(?:[^\"]* )?(?<name>[^\" ]+)\"")]
    private static partial Regex ParameterPattern();
}
