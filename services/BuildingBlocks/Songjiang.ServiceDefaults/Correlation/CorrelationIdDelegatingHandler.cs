namespace Songjiang.ServiceDefaults.Correlation;

/// <summary>Carries the current correlation id on outgoing HTTP calls (trace context is propagated by the runtime).</summary>
public sealed class CorrelationIdDelegatingHandler : DelegatingHandler
{
    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (CorrelationId.Current is { } id && !request.Headers.Contains(CorrelationId.HeaderName))
        {
            request.Headers.TryAddWithoutValidation(CorrelationId.HeaderName, id);
        }
        return base.SendAsync(request, cancellationToken);
    }
}
