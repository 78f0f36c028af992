using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace Songjiang.ServiceDefaults.Problems;

/// <summary>
/// Refuses, before any handler runs, text that no service may store or show (see <see cref="UnsafeText"/>): in query
/// parameters, route values, and every string and property name of a JSON body an endpoint binds. One place for the
/// whole class of "odd bytes give a 500": the answer is a 400 naming the parameter or the JSON path of the field.
/// </summary>
public static class RequestTextGuard
{
    /// <summary>Adds the guard; place it after authorisation, so anonymous callers of protected routes are not read.</summary>
    public static IApplicationBuilder UseRequestTextGuard(this IApplicationBuilder app) =>
        app.Use(static (context, next) => CheckAsync(context, next));

    private static async Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (key, values) in context.Request.Query)
        {
            Check(errors, key, key);
            foreach (var value in values)
            {
                Check(errors, key, value);
            }
        }
        foreach (var (key, value) in context.Request.RouteValues)
        {
            if (value is string text)
            {
                Check(errors, key, text);
            }
        }
        if (errors.Count == 0 && AcceptsJson(context))
        {
            await CheckJsonBodyAsync(context, errors);
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
        await next(context);
    }

    private static void Check(Dictionary<string, string[]> errors, string field, string? text)
    {
        if (text is not null && UnsafeText.Problem(text) is { } problem)
        {
            errors[UnsafeText.StripForName(field)] = [problem];
        }
    }

    // Only endpoints that bind a JSON body (minimal APIs declare it); the gateway's proxied routes are not read here.
    private static bool AcceptsJson(HttpContext context) =>
        context.Request.HasJsonContentType()
        && context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is { } accepts
        && accepts.ContentTypes.Any(type => type.Contains("json", StringComparison.OrdinalIgnoreCase));

    private static async Task CheckJsonBodyAsync(HttpContext context, Dictionary<string, string[]> errors)
    {
        var request = context.Request;
        request.EnableBuffering();
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        request.Body.Position = 0;
        if (body.Length > 0)
        {
            Scan(new ReadOnlySequence<byte>(body.GetBuffer(), 0, (int)body.Length), errors);
        }
    }

    /// <summary>Walks the document; malformed JSON is left for the binder, which names where it breaks.</summary>
    private static void Scan(ReadOnlySequence<byte> json, Dictionary<string, string[]> errors)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var path = new List<Segment>();
        try
        {
            while (reader.Read() && errors.Count < 20)
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        var name = Read(ref reader, out var nameProblem);
                        if (path.Count > 0)
                        {
                            path[^1] = path[^1] with { Name = name ?? "?" };
                        }
                        if (nameProblem is not null)
                        {
                            errors[PathOf(path)] = [nameProblem];
                        }
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        Advance(path);
                        path.Add(new Segment(reader.TokenType == JsonTokenType.StartArray, null, -1));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        break;
                    case JsonTokenType.String:
                        Advance(path);
                        Read(ref reader, out var valueProblem);
                        if (valueProblem is not null)
                        {
                            errors[PathOf(path)] = [valueProblem];
                        }
                        break;
                    default:
                        Advance(path);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (or nested too deep): the endpoint's binder refuses it with its own 400.
        }
    }

    private static string? Read(ref Utf8JsonReader reader, out string? problem)
    {
        try
        {
            var text = reader.GetString();
            problem = text is null ? null : UnsafeText.Problem(text);
            return text;
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate (\ud800) or bytes that are not UTF-8.
            problem = "不是有效的 Unicode 文本（含有不成对的代理字符或无效的 UTF-8 字节）。";
            return null;
        }
    }

    private static void Advance(List<Segment> path)
    {
        if (path.Count > 0 && path[^1].IsArray)
        {
            path[^1] = path[^1] with { Index = path[^1].Index + 1 };
        }
    }

    private static string PathOf(List<Segment> path)
    {
        var builder = new StringBuilder();
        foreach (var segment in path)
        {
            if (segment.IsArray)
            {
                builder.Append('[').Append(Math.Max(segment.Index, 0)).Append(']');
            }
            else if (segment.Name is not null)
            {
                if (builder.Length > 0)
                {
                    builder.Append('.');
                }
                builder.Append(UnsafeText.StripForName(segment.Name));
            }
        }
        return builder.Length == 0 ? "body" : builder.ToString();
    }

    private readonly record struct Segment(bool IsArray, string? Name, int Index);
}
