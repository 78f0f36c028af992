using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using System.Text.Json;

namespace Songjiang.ServiceDefaults.Problems;

/// <summary>Maps exceptions to problem details: domain failures keep their status, anything else is a 500 without internals.</summary>
public sealed class PlatformExceptionHandler(IProblemDetailsService problemDetails, ILogger<PlatformExceptionHandler> logger)
    : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = ToProblem(exception);
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

    private static ProblemDetails ToProblem(Exception exception) => exception switch
    {
        ValidationFailedException validation => new HttpValidationProblemDetails(validation.Errors)
        {
            Status = validation.StatusCode,
            Title = validation.Title,
            Detail = DescribeErrors(validation.Errors),
        },
        DomainException domain => new ProblemDetails { Status = domain.StatusCode, Title = domain.Title, Detail = domain.Message },
        BadHttpRequestException badRequest => new ProblemDetails
        {
            Status = badRequest.StatusCode,
            Title = badRequest.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Bad request",
            Detail = DescribeBadRequest(badRequest),
        },
        _ => new ProblemDetails
        {
            Status = StatusCodes.Status500InternalServerError,
            Title = "Internal server error",
            Detail = "The request could not be completed. Quote the correlation id when reporting this.",
        },
    };

    private static string DescribeErrors(IDictionary<string, string[]> errors) =>
        string.Join(" ", errors.Select(pair => $"{pair.Key}: {string.Join(" ", pair.Value)}"));

    // The binder's message names the parameter; the JSON reader's names the path and position of the fault.
    private static string DescribeBadRequest(BadHttpRequestException exception) =>
        exception.InnerException is JsonException json
            ? $"{exception.Message} {json.Message}"
            : exception.Message;
}
