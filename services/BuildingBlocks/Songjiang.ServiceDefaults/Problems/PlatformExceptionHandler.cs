using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Songjiang.ServiceDefaults.Problems;

/// <summary>Maps exceptions to problem details: domain failures keep their status, anything else is a 500 without internals.</summary>
public sealed class PlatformExceptionHandler(IProblemDetailsService problemDetails, ILogger<PlatformExceptionHandler> logger)
    : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = ToProblem(exception, httpContext.Request);
        if (problem.Status >= 500)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }
        else
        {
            logger.LogInformation("Request refused with {Status}: {Detail}", problem.Status, problem.Detail);
        }

        httpContext.Response.StatusCode = problem.Status ?? 500;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static ProblemDetails ToProblem(Exception exception, HttpRequest request) => exception switch
    {
        ValidationFailedException validation => new HttpValidationProblemDetails(validation.Errors)
        {
            Status = validation.StatusCode,
            Title = validation.Title,
            Detail = DescribeErrors(validation.Errors),
        },
        DomainException domain => new ProblemDetails { Status = domain.StatusCode, Title = domain.Title, Detail = domain.Message },
        BadHttpRequestException badRequest => BindingProblems.Of(badRequest),
        // A form the framework cannot decode (a NUL in a name or value, too many values), wherever it is read:
        // by a handler's binding, or by OpenIddict on the OAuth endpoints.
        InvalidDataException when request.HasFormContentType => new HttpValidationProblemDetails(
            new Dictionary<string, string[]> { ["form"] = ["表单无法解析（含有不允许的字符，或字段过多）。"] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = ProblemTitles.Invalid,
            Detail = "form: 表单无法解析（含有不允许的字符，或字段过多）。",
        },
        _ when DataException(exception) => new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = ProblemTitles.BadRequest,
            Detail = "请求中的某个值无法保存（超出范围或含有数据库不接受的字符），请检查后重试。",
        },
        _ => new ProblemDetails
        {
            Status = StatusCodes.Status500InternalServerError,
            Title = ProblemTitles.Internal,
            Detail = "请求未能完成。反映此问题时，请提供本答复中的关联编号（correlationId）。",
        },
    };

    // The last line of defence when a check upstream missed a value: SQLSTATE class 22 is "data exception" (a value
    // out of range, a string too long, a character the encoding refuses), which is the request's fault, not ours.
    private static bool DataException(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is System.Data.Common.DbException { SqlState: { Length: 5 } state } && state.StartsWith("22", StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private static string DescribeErrors(IDictionary<string, string[]> errors) =>
        string.Join(" ", errors.Select(pair => $"{pair.Key}: {string.Join(" ", pair.Value)}"));
}
