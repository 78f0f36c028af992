namespace Songjiang.EventBus;

/// <summary>A delivered message cannot be turned into an event; retrying cannot help, so it is dead-lettered at once.</summary>
internal sealed class InvalidEnvelopeException : Exception
{
    public InvalidEnvelopeException(string message)
        : base(message)
    {
    }

    public InvalidEnvelopeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
