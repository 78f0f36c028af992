namespace Songjiang.ServiceDefaults.Problems;

/// <summary>
/// A failure the caller can understand and act on. Each subclass maps to one HTTP status; the message is shown to
/// the caller as the problem's <c>detail</c>, so write it in the caller's terms.
/// </summary>
public abstract class DomainException(string message) : Exception(message)
{
    /// <summary>The HTTP status the failure maps to.</summary>
    public abstract int StatusCode { get; }

    /// <summary>The short, stable title of the problem type.</summary>
    public abstract string Title { get; }
}

/// <summary>The request is well-formed but some fields are invalid (400).</summary>
public sealed class ValidationFailedException(IDictionary<string, string[]> errors)
    : DomainException("一个或多个字段有误。")
{
    /// <summary>Creates the exception for a single field.</summary>
    public ValidationFailedException(string field, string error)
        : this(new Dictionary<string, string[]> { [field] = [error] })
    {
    }

    /// <summary>Errors by field name.</summary>
    public IDictionary<string, string[]> Errors { get; } = errors;

    /// <inheritdoc />
    public override int StatusCode => 400;

    /// <inheritdoc />
    public override string Title => ProblemTitles.Invalid;
}

/// <summary>The resource does not exist, or the caller may not know that it does (404).</summary>
public sealed class NotFoundException(string message) : DomainException(message)
{
    /// <inheritdoc />
    public override int StatusCode => 404;

    /// <inheritdoc />
    public override string Title => ProblemTitles.NotFound;
}

/// <summary>The caller is known but not allowed to do this (403).</summary>
public sealed class ForbiddenException(string message) : DomainException(message)
{
    /// <inheritdoc />
    public override int StatusCode => 403;

    /// <inheritdoc />
    public override string Title => ProblemTitles.Forbidden;
}

/// <summary>The request conflicts with the current state of the resource (409).</summary>
public sealed class ConflictException(string message) : DomainException(message)
{
    /// <inheritdoc />
    public override int StatusCode => 409;

    /// <inheritdoc />
    public override string Title => ProblemTitles.Conflict;
}

/// <summary>The request body or an uploaded file is larger than the service accepts (413).</summary>
public sealed class PayloadTooLargeException(string message) : DomainException(message)
{
    /// <inheritdoc />
    public override int StatusCode => 413;

    /// <inheritdoc />
    public override string Title => ProblemTitles.TooLarge;
}

/// <summary>An uploaded file's type is not one the service accepts (415).</summary>
public sealed class UnsupportedMediaTypeException(string message) : DomainException(message)
{
    /// <inheritdoc />
    public override int StatusCode => 415;

    /// <inheritdoc />
    public override string Title => ProblemTitles.UnsupportedMediaType;
}

/// <summary>
/// A service this request depends on could not answer (503); nothing was written and the caller may retry.
/// </summary>
public sealed class DependencyUnavailableException(string message, Exception? inner = null) : DomainException(message)
{
    /// <inheritdoc />
    public override int StatusCode => 503;

    /// <inheritdoc />
    public override string Title => ProblemTitles.Unavailable;

    /// <summary>The failure behind it, for the log.</summary>
    public Exception? Cause { get; } = inner;
}
